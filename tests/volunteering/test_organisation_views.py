"""The organisation's volunteering pages in each state: a draft saved however incomplete,
changed, checked and sent, refused with what to change (nothing stored touched), withdrawn.
Bad input keeps what was typed and saves nothing; the list reads the same queries however
many opportunities there are."""

import re
from html import unescape

import pytest
from django.urls import reverse

from volunteering.models import Opportunity
from volunteering.services import save_draft, send_back_opportunity

from ..conftest import assert_constant_queries, client_for
from .support import answers, broker_for, drafted, published, submitted

pytestmark = pytest.mark.django_db

DESCRIPTION = "Visit an older person once a week for a chat & a cup of tea."


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def _form(**changes) -> dict:
    """What a person types into the opportunity form (dates as three boxes)."""
    data = {
        "title": "Befriender for older people",
        "description": DESCRIPTION,
        "venue_postcode": "le1 6zg",
        "schedule": "regular",
        "hours_a_week": "2.5",
        "places": "3",
    }
    return data | changes


@pytest.fixture
def member(world):
    """A plain member (not an administrator) posts opportunities too."""
    return client_for(world.org_a_member)


# --------------------------------------------------------------- drafting


def test_a_draft_is_saved_with_only_some_answers_and_shown_to_check(world, member):
    response = member.post(_url("opportunity_create"), _form())
    opportunity = Opportunity.objects.get(organisation=world.org_a)
    assert response.status_code == 302 and response.url == _url("opportunity", opportunity.pk)
    assert opportunity.status == "draft" and opportunity.description == DESCRIPTION
    assert str(opportunity.hours_a_week) == "2.5" and opportunity.venue_postcode == "LE1 6ZG"
    page = _page(member.get(response.url))
    assert "Check your answers before you send it" in page and "Draft" in page
    assert DESCRIPTION in page and "LE1 6ZG" in page


def test_a_draft_without_a_title_is_refused_and_keeps_everything_typed(world, member):
    response = member.post(_url("opportunity_create"), _form(title="", accessibility="Step-free"))
    page = _page(response)
    assert "There is a problem" in page and "Enter a title for the opportunity" in page
    assert DESCRIPTION in page and "Step-free" in page
    assert 'value="le1 6zg"' in response.content.decode()
    assert not Opportunity.objects.exists()


def test_input_that_is_not_a_number_or_date_is_refused_and_kept(member):
    response = member.post(
        _url("opportunity_create"),
        _form(hours_a_week="two", ends_on_0="31", ends_on_1="2", ends_on_2="2027"),
    )
    page = _page(response)
    assert "Enter the hours a week as a number, like 2.5" in page
    assert "The closing date must be a real date" in page
    html = response.content.decode()
    assert 'value="two"' in html and 'value="31"' in html and DESCRIPTION in page
    assert not Opportunity.objects.exists()


def test_a_venue_outside_the_area_is_refused_on_its_field_and_kept(member, settings):
    response = member.post(_url("opportunity_create"), _form(venue_postcode="SW1A 1AA"))
    page = _page(response)
    assert f"SW1A 1AA is not in {settings.COUNCIL_AREA_NAME}" in page
    assert 'id="id_venue_postcode_1_error"' in response.content.decode()  # on its field too
    assert DESCRIPTION in page and not Opportunity.objects.exists()


def test_a_draft_is_changed_and_a_sent_one_cannot_be(world, member):
    draft = drafted(world, description="")
    response = member.post(
        _url("opportunity_edit", draft.pk), _form(description="Read to children")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.description == "Read to children"
    sent = submitted(world, title="Gardener")
    response = member.get(_url("opportunity_edit", sent.pk))
    assert response.status_code == 302 and response.url == _url("opportunity", sent.pk)
    before = Opportunity.objects.filter(pk=sent.pk).values().get()
    # A form opened before it was sent: refused, with what was typed kept.
    page = _page(member.post(_url("opportunity_edit", sent.pk), _form(title="Changed")))
    assert "This opportunity can no longer be changed. Nothing was changed." in page
    assert (
        'value="Changed"'
        in member.post(_url("opportunity_edit", sent.pk), _form(title="Changed")).content.decode()
    )
    assert Opportunity.objects.filter(pk=sent.pk).values().get() == before


def test_the_form_shows_what_the_broker_asked_to_change(world, member):
    broker = broker_for(world.provider, world.manager)
    sent = send_back_opportunity(
        opportunity=submitted(world), by=broker, reason="Say which days you need people."
    )
    assert "Say which days you need people." in _page(member.get(_url("opportunity_edit", sent.pk)))
    assert "Sent back to change" in _page(member.get(_url("opportunity", sent.pk)))


# --------------------------------------------------------------- sending


def test_a_complete_draft_is_sent_to_the_volunteer_centre(world, member):
    draft = drafted(world)
    response = member.post(_url("opportunity_submit", draft.pk))
    assert response.status_code == 302 and response.url == _url("opportunity_sent", draft.pk)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert "Opportunity sent to the volunteer centre" in _page(member.get(response.url))
    page = _page(member.get(_url("opportunity", draft.pk)))
    assert "Waiting to be checked" in page and "Send to the volunteer centre" not in page


def test_an_incomplete_draft_is_refused_with_each_answer_to_change(world, member):
    draft = drafted(world, description="", theme=None, venue_postcode="")
    before = Opportunity.objects.filter(pk=draft.pk).values().get()
    page = _page(member.post(_url("opportunity_submit", draft.pk)))
    assert "There is a problem" in page
    for problem in (
        "Enter what the volunteer will do",
        "Select a priority theme",
        "Enter the postcode of the venue, or say the role can be done remotely",
    ):
        assert page.count(problem) == 2, problem  # in the summary, and on its answer
    html = member.post(_url("opportunity_submit", draft.pk)).content.decode()
    assert f'href="{_url("opportunity_edit", draft.pk)}#id_theme_1"' in html
    assert Opportunity.objects.filter(pk=draft.pk).values().get() == before


def test_sending_twice_is_refused_and_changes_nothing(world, member):
    sent = submitted(world)
    before = Opportunity.objects.filter(pk=sent.pk).values().get()
    page = _page(member.post(_url("opportunity_submit", sent.pk)))
    assert "There is a problem" in page and "waiting for the volunteer centre" in page
    assert Opportunity.objects.filter(pk=sent.pk).values().get() == before


def test_another_organisation_cannot_see_or_send_it(world):
    draft = drafted(world)
    other = client_for(world.org_b_admin)
    assert other.get(_url("opportunity", draft.pk)).status_code == 404
    assert other.post(_url("opportunity_submit", draft.pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


# --------------------------------------------------------------- withdrawing


def test_a_draft_is_withdrawn(world, member):
    draft = drafted(world)
    assert "Withdraw this opportunity?" in _page(member.get(_url("opportunity_withdraw", draft.pk)))
    response = member.post(_url("opportunity_withdraw", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.close_reason) == ("closed", "withdrawn")
    assert "Withdrawn by the organisation" in _page(member.get(_url("opportunities")))


def test_one_being_checked_cannot_be_withdrawn(world, member):
    sent = submitted(world)
    assert "cannot be withdrawn now" in _page(member.get(_url("opportunity_withdraw", sent.pk)))
    page = _page(member.post(_url("opportunity_withdraw", sent.pk)))
    assert "There is a problem" in page and "Nothing was changed" in page
    sent.refresh_from_db()
    assert sent.status == "submitted"


def test_a_published_opportunity_is_closed_when_every_place_is_filled(world, member):
    live = published(world, broker_for(world.provider, world.manager))
    assert "Close it: every place is filled" in _page(member.get(_url("opportunity", live.pk)))
    response = member.post(_url("opportunity_filled", live.pk))
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.status, live.close_reason) == ("closed", "filled")
    assert "All places filled" in _page(member.get(_url("opportunities")))


def test_a_draft_cannot_be_closed_as_filled(world, member):
    draft = drafted(world)
    assert "Only a published opportunity can be closed as filled." in _page(
        member.get(_url("opportunity_filled", draft.pk))
    )
    page = _page(member.post(_url("opportunity_filled", draft.pk)))
    assert "There is a problem" in page and "Nothing was changed" in page
    draft.refresh_from_db()
    assert draft.status == "draft"


# --------------------------------------------------------------- the list


def test_the_list_shows_only_the_organisations_own_with_their_status(world, member):
    drafted(world, title="Gardener")
    submitted(world, title="Driver")
    save_draft(organisation=world.org_b, by=world.org_b_admin, fields=answers(title="B's role"))
    page = _page(member.get(_url("opportunities")))
    assert "Gardener" in page and "Draft" in page
    assert "Driver" in page and "Waiting to be checked" in page
    assert "B's role" not in page and "2 opportunities" in page


def test_the_list_reads_the_same_queries_however_many(world, member):
    def make_rows(n):
        for i in range(n):
            drafted(world, title=f"Role {i}")

    # Session, user, membership (with organisation), the count and the page.
    count = assert_constant_queries(make_rows, lambda: member.get(_url("opportunities")))
    assert count == 5


def test_the_organisations_home_page_links_to_its_opportunities(world, member):
    assert _url("opportunities") in member.get(reverse("home")).content.decode()


def test_a_closed_opportunity_is_copied_into_a_new_draft_without_its_dates(world, member):
    live = published(world, broker_for(world.provider, world.manager))
    member.post(_url("opportunity_filled", live.pk))
    assert "Copy into a new draft" in _page(member.get(_url("opportunity", live.pk)))
    response = member.post(_url("opportunity_copy", live.pk))
    copy = Opportunity.objects.exclude(pk=live.pk).get()
    assert response.status_code == 302 and response.url == _url("opportunity_edit", copy.pk)
    assert (copy.status, copy.title, copy.description, copy.places) == (
        "draft",
        live.title,
        live.description,
        live.places,
    )
    assert (copy.ends_on, copy.starts_on, copy.one_off_date) == (None, None, None)
    live.refresh_from_db()
    assert live.status == "closed"  # the original is untouched
    from audit.models import AuditEvent

    copied = AuditEvent.objects.get(action="opportunity.copied")
    assert copied.object_id == str(copy.pk) and copied.data["from"] == live.pk


def test_another_organisation_cannot_copy_an_opportunity(world):
    live = published(world, broker_for(world.provider, world.manager))
    response = client_for(world.org_b_admin).post(_url("opportunity_copy", live.pk))
    assert response.status_code == 404
    assert Opportunity.objects.count() == 1
