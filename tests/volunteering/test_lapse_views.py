"""Extending a published opportunity's closing date, from its page or the reminder's link;
the "Closes in N days" tag on the organisation's list and page. Bad input is refused on
the field with what was typed kept, and changes nothing; only the organisation's members
may extend (everyone else 404)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.rules import long_date
from notifications.rules import add_months
from volunteering.models import Opportunity

from ..conftest import assert_constant_queries, client_for
from .support import broker_for, drafted, published

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def _date(day) -> dict:
    return {"ends_on_0": str(day.day), "ends_on_1": str(day.month), "ends_on_2": str(day.year)}


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def member(world):
    """A plain member (not an administrator) extends it too."""
    return client_for(world.org_a_member)


@pytest.fixture
def opportunity(world, broker):
    """Published, closing in 30 days."""
    return published(world, broker)


def stored(opportunity) -> dict:
    return Opportunity.objects.filter(pk=opportunity.pk).values().get()


def test_a_member_extends_the_closing_date(world, member, opportunity):
    today = timezone.localdate()
    was, new = opportunity.ends_on, today + timedelta(days=90)
    page = _page(member.get(_url("opportunity_extend", opportunity.pk)))
    assert f"It closes at the end of {long_date(was)}" in page
    assert f"up to {long_date(add_months(today, 12))}" in page
    response = member.post(_url("opportunity_extend", opportunity.pk), _date(new))
    assert response.status_code == 302 and response.url == _url("opportunity", opportunity.pk)
    opportunity.refresh_from_db()
    assert opportunity.ends_on == new and opportunity.status == "published"
    event = AuditEvent.objects.get(action="opportunity.extended")
    assert event.actor == world.org_a_member
    assert event.data == {"from": was.isoformat(), "to": new.isoformat()}
    assert f"The closing date is now {long_date(new)}." in _page(member.get(response.url))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ({}, "Enter the new closing date"),
        ({"ends_on_0": "31", "ends_on_1": "2", "ends_on_2": "2027"}, "must be a real date"),
        ({"ends_on_0": "4", "ends_on_1": "", "ends_on_2": "2027"}, "Enter the new closing date"),
        ({"ends_on_0": "four", "ends_on_1": "5", "ends_on_2": "2027"}, "must be a real date"),
        ("yesterday", "The new closing date must be today or in the future"),
        ("current", "The new closing date must be after the current one"),
        ("a year and a day", "12 months from today"),
    ],
)
def test_bad_input_is_refused_on_the_field_kept_and_changes_nothing(
    member, opportunity, typed, says
):
    today = timezone.localdate()
    if isinstance(typed, str):
        typed = _date(
            {
                "yesterday": today - timedelta(days=1),
                "current": opportunity.ends_on,
                "a year and a day": add_months(today, 12) + timedelta(days=1),
            }[typed]
        )
    before, events = stored(opportunity), AuditEvent.objects.count()
    response = member.post(_url("opportunity_extend", opportunity.pk), typed)
    page = _page(response)
    assert "There is a problem" in page and says in page
    html = response.content.decode()
    assert "govuk-error-message" in html  # on the field too, not only in the summary
    for value in typed.values():
        if value:
            assert f'value="{value}"' in html
    assert stored(opportunity) == before and AuditEvent.objects.count() == events


def test_a_one_off_cannot_close_after_its_day(world, member, broker):
    day = timezone.localdate() + timedelta(days=20)
    opportunity = published(
        world,
        broker,
        schedule="one_off",
        hours_a_week=None,
        one_off_date=day,
        ends_on=day - timedelta(days=5),
    )
    page = _page(member.post(_url("opportunity_extend", opportunity.pk), _date(day + timedelta(1))))
    assert f"on or before the date of the opportunity, {long_date(day)}" in page
    response = member.post(_url("opportunity_extend", opportunity.pk), _date(day))
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=opportunity.pk).ends_on == day


def test_one_not_published_cannot_be_extended(world, member, opportunity):
    draft = drafted(world, title="Gardener")
    page = _page(member.get(_url("opportunity_extend", draft.pk)))
    assert "Only a published opportunity's closing date can be extended" in page
    assert 'name="ends_on_0"' not in page
    # A form opened while it was published, sent after it was filled: refused, unchanged.
    client_for(world.org_a_admin).post(_url("opportunity_filled", opportunity.pk))
    before = stored(opportunity)
    later = timezone.localdate() + timedelta(days=60)
    page = _page(member.post(_url("opportunity_extend", opportunity.pk), _date(later)))
    assert "There is a problem" in page and "This opportunity has closed" in page
    assert stored(opportunity) == before


@pytest.mark.parametrize("who", ["org_b_admin", "provider_user", "officer", "manager"])
def test_only_the_organisations_members_find_the_page(world, opportunity, who, broker):
    client = client_for(getattr(world, who))
    later = _date(timezone.localdate() + timedelta(days=60))
    assert client.get(_url("opportunity_extend", opportunity.pk)).status_code == 404
    assert client.post(_url("opportunity_extend", opportunity.pk), later).status_code == 404
    # Nor the broker who published it.
    assert client_for(broker).get(_url("opportunity_extend", opportunity.pk)).status_code == 404
    assert stored(opportunity)["ends_on"] == opportunity.ends_on


def test_signed_out_people_are_asked_to_sign_in_and_other_methods_refused(
    client, member, opportunity
):
    response = client.get(_url("opportunity_extend", opportunity.pk))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert member.put(_url("opportunity_extend", opportunity.pk)).status_code == 405


def test_the_opportunitys_page_links_to_extending_it_only_while_published(
    world, member, opportunity
):
    link = f'href="{_url("opportunity_extend", opportunity.pk)}"'
    assert link in member.get(_url("opportunity", opportunity.pk)).content.decode()
    draft = drafted(world, title="Gardener")
    html = member.get(_url("opportunity", draft.pk)).content.decode()
    assert _url("opportunity_extend", draft.pk) not in html


def test_the_list_and_page_say_when_one_closes_within_a_week(world, member, broker):
    today = timezone.localdate()
    soon = published(world, broker, title="Soon", ends_on=today + timedelta(days=5))
    published(world, broker, title="Tomorrow", ends_on=today + timedelta(days=1))
    published(world, broker, title="Today", ends_on=today)
    published(world, broker, title="Later", ends_on=today + timedelta(days=8))
    drafted(world, title="Draft", ends_on=today + timedelta(days=2))
    page = _page(member.get(_url("opportunities")))
    assert "Soon" in page and "Closes in 5 days" in page
    assert "Closes tomorrow" in page and "Closes today" in page
    assert page.count("Closes ") == 3  # not the later one, nor the draft
    assert "Closes in 5 days" in _page(member.get(_url("opportunity", soon.pk)))


def test_the_list_reads_the_same_queries_with_opportunities_closing_soon(world, member, broker):
    def make_rows(n):
        for i in range(n):
            published(world, broker, title=f"Role {i}", ends_on=timezone.localdate())

    # Session, user, membership (with organisation), the count and the page: the tag
    # is worked out from the page's rows.
    count = assert_constant_queries(make_rows, lambda: member.get(_url("opportunities")))
    assert count == 5
