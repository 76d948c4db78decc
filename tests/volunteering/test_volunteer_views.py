"""The volunteers' pages, the organisation's side of interest, hours from either side, the
brokers' queue of unanswered interest and the volunteer's own data: who sees what (404
for the rest), what was typed is kept on a refusal, the downloads, and the same number
of queries however much there is."""

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from volunteering.models import HourEntry, Interest, Volunteer
from volunteering.volunteer_services import answer_hours, log_hours

from ..conftest import assert_constant_queries, client_for
from ..factories import StaffFactory, UserFactory
from .support import broker_for
from .volunteer_support import interest_of, opportunity_of, placement_of, volunteer_of

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def opportunity(world, broker):
    return opportunity_of(world, broker, title="Befriender")


@pytest.fixture
def volunteer():
    return volunteer_of(
        UserFactory(email="val@example.org"), name="Val Unteer", contact_by="phone", phone="0116"
    )


@pytest.fixture
def as_volunteer(volunteer):
    return client_for(volunteer.user)


def _profile_form(**changes) -> dict:
    return {
        "full_name": "Sam Helper",
        "postcode_district": "LE2",
        "age_band": "25-34",
        "contact_by": "email",
        "skills": "Cooking",
        "hours_a_week": "3",
    } | changes


def _hours_form(on, hours="2", note="", prefix="hours-") -> dict:
    return {
        f"{prefix}on_0": on.day,
        f"{prefix}on_1": on.month,
        f"{prefix}on_2": on.year,
        f"{prefix}hours": hours,
        f"{prefix}note": note,
    }


# --------------------------------------------------------------- signing up


def test_someone_without_a_profile_is_sent_to_sign_up_and_comes_back(world, opportunity):
    person = client_for(UserFactory(email="new@example.org", full_name="Sam"))
    going = _url("interest_create", opportunity.pk)
    response = person.get(going)
    assert response.status_code == 302
    profile_url = response["Location"]
    assert profile_url.startswith(_url("volunteer_profile")) and "next=" in profile_url
    page = person.get(profile_url)
    assert f'name="next" value="{going}"' in page.content.decode()
    response = person.post(_url("volunteer_profile"), _profile_form(next=going))
    assert response.status_code == 302 and response["Location"] == going
    assert Volunteer.objects.get(user__email="new@example.org").skills == "Cooking"


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_next_is_only_followed_to_this_site(elsewhere):
    person = client_for(UserFactory())
    response = person.post(_url("volunteer_profile"), _profile_form(next=elsewhere))
    assert response.status_code == 302 and response["Location"] == _url("volunteer_home")
    page = person.get(_url("volunteer_profile") + f"?next={elsewhere}").content.decode()
    assert "evil" not in page and "javascript:" not in page


def test_a_refused_profile_keeps_what_was_typed():
    person = client_for(UserFactory())
    typed = _profile_form(
        postcode_district="LE 2 1AB", skills="Driving a minibus", contact_by="phone", phone=""
    )
    page = _page(person.post(_url("volunteer_profile"), typed))
    assert "Enter the first part of your postcode, like LE2 or LE11" in page
    html = person.post(_url("volunteer_profile"), typed).content.decode()
    assert 'value="LE 2 1AB"' in html and "Driving a minibus" in html
    assert 'value="Sam Helper"' in html
    assert not Volunteer.objects.exists()


def test_staff_get_the_notice_instead_of_the_profile_form(world):
    staff = client_for(StaffFactory())
    page = _page(staff.get(_url("volunteer_profile")))
    assert "Council staff cannot volunteer through their staff account" in page
    assert "Sign up" not in page.replace("Sign up to volunteer", "")
    assert 'name="postcode_district"' not in staff.get(_url("volunteer_profile")).content.decode()
    staff.post(_url("volunteer_profile"), _profile_form())
    assert not Volunteer.objects.exists()


# --------------------------------------------------------------- interest


def test_interest_is_sent_and_a_second_time_goes_to_the_first(as_volunteer, opportunity):
    response = as_volunteer.post(_url("interest_create", opportunity.pk), {"message": "Hello"})
    interest = Interest.objects.get()
    assert response["Location"] == _url("my_interest", interest.pk)
    response = as_volunteer.get(_url("interest_create", opportunity.pk))
    assert response["Location"] == _url("my_interest", interest.pk)


def test_a_refused_interest_keeps_the_message_typed(as_volunteer, volunteer, opportunity):
    interest_of(volunteer, opportunity)  # in another tab, a moment before
    response = as_volunteer.post(
        _url("interest_create", opportunity.pk), {"message": "I have a car and a free Tuesday."}
    )
    page = _page(response)
    assert "You have already told the organisation you are interested in this role." in page
    assert "I have a car and a free Tuesday." in page
    assert Interest.objects.count() == 1


def test_an_under_18_is_told_before_sending_that_the_role_is_for_adults(world, opportunity):
    young = client_for(volunteer_of(age_band="16-17").user)
    page = _page(young.get(_url("interest_create", opportunity.pk)))
    assert "This role is for people aged 18 and over" in page
    young.post(_url("interest_create", opportunity.pk), {"message": ""})
    assert not Interest.objects.exists()


def test_a_volunteer_never_sees_another_volunteers_interest(volunteer, opportunity):
    interest = interest_of(volunteer, opportunity)
    other = client_for(volunteer_of().user)
    assert other.get(_url("my_interest", interest.pk)).status_code == 404
    assert other.post(_url("interest_withdraw", interest.pk)).status_code == 404
    assert other.post(_url("placement_end", interest.pk)).status_code == 404
    # Nor does someone who is not a volunteer at all.
    assert client_for(UserFactory()).get(_url("my_interest", interest.pk)).status_code == 404
    assert Interest.objects.get().status == "sent"


def test_an_organisation_sees_a_volunteer_only_through_interest_in_its_own_opportunity(
    world, broker, volunteer, opportunity
):
    interest = interest_of(volunteer, opportunity)
    as_a = client_for(world.org_a_member)
    page = _page(as_a.get(_url("interest", interest.pk)))
    assert "Val Unteer" in page and "val@example.org" in page and "0116" in page
    assert "Val Unteer" in _page(as_a.get(_url("opportunity_interests", opportunity.pk)))
    as_b = client_for(world.org_b_admin)
    assert as_b.get(_url("interest", interest.pk)).status_code == 404
    assert as_b.get(_url("opportunity_interests", opportunity.pk)).status_code == 404
    # Interest in another opportunity of A's is not listed on this one's page.
    other = opportunity_of(world, broker, title="Driver")
    assert "Val Unteer" not in _page(as_a.get(_url("opportunity_interests", other.pk)))


def test_once_withdrawn_the_organisation_no_longer_sees_the_contact_details(
    world, as_volunteer, volunteer, opportunity
):
    interest = interest_of(volunteer, opportunity)
    as_volunteer.post(_url("interest_withdraw", interest.pk))
    page = _page(client_for(world.org_a_member).get(_url("interest", interest.pk)))
    assert "The volunteer withdrew their interest" in page
    assert "val@example.org" not in page and "0116" not in page


def test_the_organisation_declines_with_a_reason_and_a_missing_one_keeps_the_answer(
    world, volunteer, opportunity
):
    interest = interest_of(volunteer, opportunity)
    as_a = client_for(world.org_a_admin)
    html = as_a.post(
        _url("interest", interest.pk), {"answer": "declined", "reason": "", "answer_button": ""}
    ).content.decode()
    assert "Enter why you are declining, so the volunteer knows" in html
    assert re.search(r'value="declined"[^>]*checked', html)
    interest.refresh_from_db()
    assert interest.status == "sent"
    response = as_a.post(
        _url("interest", interest.pk),
        {"answer": "declined", "reason": "All places taken.", "answer_button": ""},
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert (interest.status, interest.decline_reason) == ("declined", "All places taken.")
    assert Notification.objects.filter(recipient="val@example.org").count() == 1


# --------------------------------------------------------------- hours


def test_hours_logged_by_the_volunteer_are_confirmed_by_the_organisation(
    world, as_volunteer, volunteer, opportunity
):
    placement = placement_of(world, volunteer, opportunity, started_days_ago=5)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = as_volunteer.post(
        _url("my_interest", placement.interest_id), _hours_form(yesterday, "2.5", "Lunch")
    )
    assert response.status_code == 302
    entry = HourEntry.objects.get()
    # The volunteer cannot confirm their own: the page shows no form, a post changes nothing.
    page = _page(as_volunteer.get(_url("hours_answer", entry.pk)))
    assert "Are these hours right?" not in page
    as_volunteer.post(_url("hours_answer", entry.pk), {"confirm": "yes"})
    entry.refresh_from_db()
    assert entry.status == "logged"
    as_a = client_for(world.org_a_member)
    response = as_a.post(_url("hours_answer", entry.pk), {"confirm": "yes"})
    assert response["Location"] == _url("interest", placement.interest_id)
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    # Another organisation, and another volunteer, never see the entry.
    assert client_for(world.org_b_admin).get(_url("hours_answer", entry.pk)).status_code == 404
    other = client_for(volunteer_of().user)
    assert other.get(_url("hours_answer", entry.pk)).status_code == 404


def test_refused_hours_keep_what_was_typed(world, as_volunteer, volunteer, opportunity):
    placement = placement_of(world, volunteer, opportunity, started_days_ago=5)
    tomorrow = timezone.localdate() + timedelta(days=1)
    html = as_volunteer.post(
        _url("my_interest", placement.interest_id), _hours_form(tomorrow, "3.25", "Gardening")
    ).content.decode()
    assert "The date you volunteered must be today or in the past" in html
    assert 'value="3.25"' in html and 'value="Gardening"' in html
    assert f'value="{tomorrow.year}"' in html
    week_ago = timezone.localdate() - timedelta(days=7)
    html = (
        client_for(world.org_a_admin)
        .post(
            _url("interest", placement.interest_id),
            _hours_form(week_ago, "4") | {"hours_button": ""},
        )
        .content.decode()
    )
    assert "The date must be on or after the placement started" in html
    assert 'value="4"' in html
    assert not HourEntry.objects.exists()


# --------------------------------------------------------------- the record and the data


@pytest.fixture
def confirmed(world, volunteer, opportunity):
    """Two confirmed entries, one whose note and role would be formulas in a spreadsheet."""
    placement = placement_of(world, volunteer, opportunity, started_days_ago=5)
    for days_ago, note in ((2, '=HYPERLINK("http://evil")'), (1, "+1 Lunch club")):
        entry = log_hours(
            placement=placement,
            by=volunteer.user,
            on=timezone.localdate() - timedelta(days=days_ago),
            hours="2",
            note=note,
        )
        answer_hours(entry=entry, by=world.org_a_admin, confirm=True)
    return placement


def test_the_record_shows_confirmed_hours_and_their_total(
    world, as_volunteer, volunteer, confirmed
):
    log_hours(placement=confirmed, by=volunteer.user, on=timezone.localdate(), hours="5")
    page = _page(as_volunteer.get(_url("volunteer_record")))
    assert "4 hours in all" in page and "Befriender" in page and "Organisation A" in page


def test_the_csv_record_escapes_formulas(as_volunteer, confirmed, opportunity):
    from volunteering.models import Opportunity

    Opportunity.objects.filter(pk=opportunity.pk).update(title="@SUM(A1:A9)")
    response = as_volunteer.get(_url("volunteer_record_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "Hours", "Role", "Organisation", "What was done"]
    assert [row[2] for row in rows[1:]] == ["'@SUM(A1:A9)"] * 2
    assert [row[4] for row in rows[1:]] == ['\'=HYPERLINK("http://evil")', "'+1 Lunch club"]


def test_the_json_download_has_the_data(world, as_volunteer, volunteer, confirmed):
    response = as_volunteer.get(_url("volunteer_data_json"))
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "val@example.org"
    assert data["volunteer"]["postcode_district"] == "LE2" and data["volunteer"]["phone"] == "0116"
    [interest] = data["interests"]
    assert interest["opportunity"] == "Befriender" and interest["status"] == "accepted"
    assert interest["message"] == "I can help on Tuesdays."
    assert sorted(h["note"] for h in data["hours"]) == [
        "+1 Lunch club",
        '=HYPERLINK("http://evil")',
    ]
    # Another volunteer's download holds none of it.
    other = json.loads(client_for(volunteer_of().user).get(_url("volunteer_data_json")).content)
    assert other["interests"] == [] and other["hours"] == []


def test_the_data_page_and_downloads_send_a_non_volunteer_to_sign_up():
    person = client_for(UserFactory())
    for name in (
        "volunteer_record",
        "volunteer_record_csv",
        "volunteer_data",
        "volunteer_data_json",
    ):
        response = person.get(_url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(_url("volunteer_profile"))


def test_the_privacy_notice_is_public(client):
    assert client.get(_url("volunteer_privacy")).status_code == 200


# --------------------------------------------------------------- queries


def test_the_volunteers_home_reads_the_same_queries_however_much_there_is(
    world, broker, as_volunteer, volunteer
):
    def make_rows(n):
        for _ in range(n):
            made = interest_of(volunteer, opportunity_of(world, broker, title="Interested"))
            # Sent over the past weeks: a volunteer may send only 10 in a day.
            Interest.objects.filter(pk=made.pk).update(
                created_at=timezone.now() - timedelta(days=2 + made.pk % 30)
            )
            opportunity_of(world, broker, title="Suggested")  # LE1, near the volunteer's LE2

    count = assert_constant_queries(make_rows, lambda: as_volunteer.get(_url("volunteer_home")))
    page = _page(as_volunteer.get(_url("volunteer_home")))
    assert "Suggested for you" in page and "Suggested" in page.split("Roles you are")[0]
    # Session, user, volunteer; their interests (count, page); confirmed hours, hours to
    # confirm; suggestions (their interests' themes, the candidates); the volunteer centre's
    # suggestions to them.
    assert count == 10


def test_the_people_interested_read_the_same_queries_however_many(world, opportunity):
    as_a = client_for(world.org_a_member)

    def make_rows(n):
        for _ in range(n):
            interest_of(volunteer_of(), opportunity)

    count = assert_constant_queries(
        make_rows, lambda: as_a.get(_url("opportunity_interests", opportunity.pk))
    )
    # Session, user, membership, the opportunity, the count and the page.
    assert count == 6


def test_the_brokers_queue_of_unanswered_interest_reads_the_same_queries_however_many(
    world, broker, opportunity
):
    as_broker = client_for(broker)
    answered = interest_of(volunteer_of(), opportunity)
    from volunteering.volunteer_services import answer_interest

    answer_interest(interest=answered, by=world.org_a_admin, to="talking")

    def make_rows(n):
        for _ in range(n):
            interest_of(volunteer_of(), opportunity)

    count = assert_constant_queries(make_rows, lambda: as_broker.get(_url("broker_interest")))
    assert "50 waiting" in _page(as_broker.get(_url("broker_interest")))
    # Session, user, the broker grant, the count and the page.
    assert count == 5
    # Nobody else has the page.
    for someone in (world.org_a_admin, world.provider_user, world.outsider):
        assert client_for(someone).get(_url("broker_interest")).status_code == 404


def test_the_record_reads_the_same_queries_however_long(
    world, as_volunteer, volunteer, opportunity
):
    placement = placement_of(world, volunteer, opportunity, started_days_ago=60)

    def make_rows(n):
        start = HourEntry.objects.count()
        for day in range(start, start + n):
            entry = log_hours(
                placement=placement,
                by=volunteer.user,
                on=timezone.localdate() - timedelta(days=day),
                hours="1",
            )
            answer_hours(entry=entry, by=world.org_a_admin, confirm=True)

    count = assert_constant_queries(make_rows, lambda: as_volunteer.get(_url("volunteer_record")))
    # Session, user, volunteer, the count, the page and the total.
    assert count == 6


def test_suggestions_leave_out_adults_only_roles_for_an_under_18_and_roles_already_asked_about(
    world, broker
):
    young = volunteer_of(age_band="16-17")
    opportunity_of(world, broker, title="Adults only")
    for_them = opportunity_of(
        world,
        broker,
        title="Homework club",
        minimum_age=16,
        suitable_for_under_18=True,
        safeguarding_policy=True,
    )
    as_young = client_for(young.user)
    suggested = _page(as_young.get(_url("volunteer_home"))).split("Roles you are")[0]
    assert "Homework club" in suggested and "nearby, in LE1" in suggested
    assert "Adults only" not in suggested
    interest_of(young, for_them)
    suggested = _page(as_young.get(_url("volunteer_home"))).split("Roles you are")[0]
    assert "Homework club" not in suggested


def test_interest_in_an_opportunity_closed_since_says_so_and_sends_nothing(world):
    """The volunteer opened the page, then the organisation closed the role: the form's
    POST says it has closed (not a missing page), keeps the message, and sends nothing."""
    from volunteering.models import Interest
    from volunteering.services import close_opportunity

    from . import matrix

    opportunity = matrix.open_to_interest(world)
    url = reverse("volunteering:interest_create", args=[opportunity.pk])
    client = client_for(world.org_b_admin)
    assert client.get(url).status_code == 200
    close_opportunity(opportunity=opportunity, reason="filled", by=world.org_a_admin)
    response = client.post(url, {"message": "I can start next week."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This opportunity has closed. Nothing was sent." in page
    assert "I can start next week." in page
    assert not Interest.objects.filter(opportunity=opportunity).exists()
