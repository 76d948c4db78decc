"""One-off days off managers add: deadlines skip them at once; the pages to add and remove them."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from govuk.forms import as_date_input, example_date
from notifications.calendar import BANK_HOLIDAYS
from notifications.deadlines import (
    CHOOSE_PROVIDER,
    OFFICER_REVIEW,
    PROVIDER_RESPOND,
    deadline,
    deadlines,
)
from notifications.models import NonWorkingDay
from notifications.working_days import (
    DayOffRefused,
    add_non_working_day,
    non_working_days,
    remove_non_working_day,
)

from ..conftest import assert_constant_queries, client_for
from ..factories import NonWorkingDayFactory

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 1)  # a Tuesday
CLOSURE = date(2027, 1, 4)  # a Monday, no bank holiday


def on(day: date):
    """Run as if it were 9am on `day` in London (the pages read today's date)."""
    return time_machine.travel(datetime.combine(day, time(9), tzinfo=LONDON), tick=False)


def add(manager, day=CLOSURE, name="Council offices closed", today=TODAY):
    return add_non_working_day(day=day, name=name, by=manager, today=today)


# --- Deadlines count them, from the moment they are added


def test_a_day_a_manager_adds_moves_a_working_day_deadline_by_one_day(world):
    # A request sent on Thursday 17 December 2026: 10 working days skip
    # Christmas Day, Boxing Day's substitute (28th) and New Year's Day.
    sent = date(2026, 12, 17)
    assert deadline(PROVIDER_RESPOND).due_on(sent) == date(2027, 1, 5)
    add(world.manager, day=CLOSURE)  # Monday 4 January
    assert deadline(PROVIDER_RESPOND).due_on(sent) == date(2027, 1, 6)
    # ... and a reminder 3 working days before a deadline counts back over it:
    # Thursday 7 January's is on 31 December, not Monday 4 January.
    assert deadline(PROVIDER_RESPOND).remind_on(date(2027, 1, 7)) == date(2026, 12, 31)


def test_a_day_removed_counts_again_at_once(world):
    row = add(world.manager)
    remove_non_working_day(row, by=world.manager, today=TODAY)
    assert deadline(PROVIDER_RESPOND).due_on(date(2026, 12, 17)) == date(2027, 1, 5)
    assert CLOSURE not in non_working_days()


def test_days_off_are_read_only_for_deadlines_that_count_working_days(
    world, django_assert_num_queries
):
    NonWorkingDayFactory(date=CLOSURE)
    with django_assert_num_queries(1):  # the deadline: weeks need no days off
        assert deadline(CHOOSE_PROVIDER).holidays == BANK_HOLIDAYS
    with django_assert_num_queries(2):  # the deadline, then the days off
        assert CLOSURE in deadline(OFFICER_REVIEW).holidays
    with django_assert_num_queries(2):  # both deadlines, then the days off once for both
        rules = deadlines(OFFICER_REVIEW, CHOOSE_PROVIDER)
    assert CLOSURE in rules[OFFICER_REVIEW].holidays


def test_the_days_off_are_bank_holidays_and_the_days_added(db):
    NonWorkingDayFactory(date=CLOSURE)
    days_off = non_working_days()
    assert CLOSURE in days_off
    assert date(2031, 4, 11) in days_off  # Good Friday 2031, from the library
    assert date(2027, 1, 5) not in days_off


# --- The service: what may be added, and the audit trail


def test_adding_a_day_is_recorded_with_who_and_what(world):
    row = add(world.manager, name="Coronation")
    assert (row.date, row.name, row.created_by) == (CLOSURE, "Coronation", world.manager)
    event = AuditEvent.objects.get(action="working_day.added")
    assert event.actor == world.manager
    assert event.object_id == str(row.pk)
    assert event.data == {"date": "2027-01-04", "name": "Coronation"}
    assert event.reason == "Coronation on 4 January 2027 is not a working day"


def test_removing_a_day_is_recorded_and_the_row_goes(world):
    row = add(world.manager)
    remove_non_working_day(row, by=world.manager, today=TODAY)
    assert not NonWorkingDay.objects.exists()
    event = AuditEvent.objects.get(action="working_day.removed")
    assert event.actor == world.manager
    assert event.data == {"date": "2027-01-04", "name": "Council offices closed"}


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 30), "The date must be today or in the future"),
        (date(2027, 1, 2), "The date must be a weekday: 2 January 2027 is a Saturday"),
        (
            date(2026, 12, 28),
            "28 December 2026 is already a bank holiday: Boxing Day (substitute day)",
        ),
        (CLOSURE, "4 January 2027 has already been added: Council offices closed"),
    ],
)
def test_it_refuses_a_day_that_is_already_off_or_past(world, day, reason):
    NonWorkingDayFactory(date=CLOSURE)
    with pytest.raises(DayOffRefused) as refused:
        add(world.manager, day=day)
    assert refused.value.reason == reason
    assert NonWorkingDay.objects.count() == 1
    assert not AuditEvent.objects.filter(action="working_day.added").exists()


def test_today_may_be_added(world):
    assert add(world.manager, day=TODAY).date == TODAY


def test_a_day_that_has_passed_cannot_be_removed(world):
    row = NonWorkingDayFactory(date=date(2026, 11, 30))
    with pytest.raises(DayOffRefused, match="30 November 2026 has passed"):
        remove_non_working_day(row, by=world.manager, today=TODAY)
    assert NonWorkingDay.objects.filter(pk=row.pk).exists()


def test_only_managers_add_or_remove_days(world):
    with pytest.raises(PermissionError):
        add(world.officer)
    row = NonWorkingDayFactory(date=CLOSURE)
    with pytest.raises(PermissionError):
        remove_non_working_day(row, by=world.officer, today=TODAY)
    assert NonWorkingDay.objects.count() == 1


# --- The manager's pages


def test_the_deadlines_page_links_to_working_days(world, manager_client):
    page = manager_client.get(reverse("deadlines")).content.decode()
    assert f'href="{reverse("working_days")}"' in page


def test_the_page_lists_the_coming_bank_holidays_and_the_days_added(world, manager_client):
    NonWorkingDayFactory(date=date(2026, 11, 2), name="A day gone by")
    NonWorkingDayFactory(date=date(2099, 1, 2), name="Far ahead")
    NonWorkingDayFactory(date=CLOSURE, name="Council offices closed")
    with on(TODAY):
        page = manager_client.get(reverse("working_days")).content.decode()
    assert "Friday 25 December 2026" in page
    assert "Monday 28 December 2026" in page and "Boxing Day (substitute day)" in page
    assert "Monday 30 August 2027" in page  # the last within 12 months
    assert "Friday 24 December 2027" not in page and "Monday 27 December 2027" not in page
    assert "Saturday 26 December 2026" not in page  # Boxing Day itself: its substitute is listed
    assert "Monday 4 January 2027" in page and "Council offices closed" in page
    # Days to come first, soonest first, then those gone by.
    where = [page.index(day) for day in ("4 January 2027", "2 January 2099", "2 November 2026")]
    assert where == sorted(where)
    # Only a day still to come can be removed.
    closure = NonWorkingDay.objects.get(date=CLOSURE)
    gone = NonWorkingDay.objects.get(date=date(2026, 11, 2))
    assert reverse("working_day_remove", args=[closure.pk]) in page
    assert reverse("working_day_remove", args=[gone.pk]) not in page


def test_the_page_runs_the_same_queries_for_1_and_50_days_added(world, manager_client):
    def days(n):
        for _ in range(n):
            NonWorkingDayFactory(created_by=world.manager)

    count = assert_constant_queries(days, lambda: manager_client.get(reverse("working_days")))
    # 1. the session, 2. the user, 3. whether the manager has an authenticator
    # (staff two-factor), 4. the count for the paginator, 5. the page of days
    # added with who added each joined. The bank holidays need no query.
    assert count == 5


def test_a_manager_adds_a_day(world, manager_client):
    with on(TODAY):
        response = manager_client.post(
            reverse("working_day_add"),
            {"date_0": "4", "date_1": "1", "date_2": "2027", "name": "Council offices closed"},
        )
    assert response.status_code == 302 and response.url == reverse("working_days")
    row = NonWorkingDay.objects.get()
    assert (row.date, row.name, row.created_by) == (
        CLOSURE,
        "Council offices closed",
        world.manager,
    )
    assert AuditEvent.objects.filter(action="working_day.added", actor=world.manager).exists()


NAMED = {"name": "Council offices closed"}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, ["Enter the date", "Enter what the day is called"]),
        (
            {"date_0": "31", "date_1": "2", "date_2": "2027", "name": "x" * 101},
            [
                "The date must be a real date, like {example}",
                "What the day is called must be 100 characters or fewer",
            ],
        ),
        (
            {"date_0": "4", "date_1": "", "date_2": "2027", **NAMED},
            ["The date must include a month"],
        ),
        (
            {"date_0": "30", "date_1": "11", "date_2": "2026", **NAMED},
            ["The date must be today or in the future"],
        ),
        (
            {"date_0": "2", "date_1": "1", "date_2": "2027", **NAMED},
            ["The date must be a weekday: 2 January 2027 is a Saturday"],
        ),
        (
            {"date_0": "28", "date_1": "12", "date_2": "2026", **NAMED},
            ["28 December 2026 is already a bank holiday: Boxing Day (substitute day)"],
        ),
        (
            {"date_0": "5", "date_1": "1", "date_2": "2027", **NAMED},
            ["5 January 2027 has already been added: Staff training"],
        ),
    ],
)
def test_a_wrong_answer_is_shown_in_the_error_summary_and_nothing_is_added(
    world, manager_client, data, errors
):
    NonWorkingDayFactory(date=date(2027, 1, 5), name="Staff training")
    with on(TODAY):
        response = manager_client.post(reverse("working_day_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    example = as_date_input(example_date(TODAY, "future"))  # the hint's date, after today
    for error in errors:
        assert error.format(example=example) in page
    assert NonWorkingDay.objects.count() == 1
    assert not AuditEvent.objects.filter(action="working_day.added").exists()


def test_what_was_typed_is_kept_when_the_date_is_refused(world, manager_client):
    with on(TODAY):
        response = manager_client.post(
            reverse("working_day_add"),
            {"date_0": "2", "date_1": "1", "date_2": "2027", "name": "Closed for stocktaking"},
        )
    page = response.content.decode()
    assert 'name="date_0" value="2"' in page
    assert 'name="date_1" value="1"' in page
    assert 'name="date_2" value="2027"' in page
    assert 'value="Closed for stocktaking"' in page


def test_a_manager_confirms_then_removes_a_day(world, manager_client):
    row = NonWorkingDayFactory(date=CLOSURE, name="Council offices closed")
    url = reverse("working_day_remove", args=[row.pk])
    with on(TODAY):
        page = manager_client.get(url).content.decode()
        assert "Remove Council offices closed on Monday 4 January 2027?" in page
        assert NonWorkingDay.objects.filter(pk=row.pk).exists()  # asking changes nothing
        response = manager_client.post(url)
    assert response.status_code == 302 and response.url == reverse("working_days")
    assert not NonWorkingDay.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(action="working_day.removed", actor=world.manager).exists()


def test_a_day_gone_by_is_not_removed_and_the_manager_is_told_why(world, manager_client):
    row = NonWorkingDayFactory(date=date(2026, 11, 30))
    url = reverse("working_day_remove", args=[row.pk])
    with on(TODAY):
        page = manager_client.get(url).content.decode()
        assert "This day has passed, so it cannot be removed" in page
        assert "Remove day</button>" not in page
        response = manager_client.post(url, follow=True)
    assert "30 November 2026 has passed, so it cannot be removed" in response.content.decode()
    assert NonWorkingDay.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("officer", 403), ("org_a", 404), ("provider", 404)])
def test_only_managers_reach_the_pages(world, role, status):
    row = NonWorkingDayFactory(date=CLOSURE)
    client = client_for(world.user_for(role))
    data = {"date_0": "5", "date_1": "1", "date_2": "2027", "name": "Closed"}
    assert client.get(reverse("working_days")).status_code == status
    assert client.post(reverse("working_day_add"), data).status_code == status
    assert client.post(reverse("working_day_remove", args=[row.pk])).status_code == status
    assert list(NonWorkingDay.objects.values_list("pk", flat=True)) == [row.pk]


def test_a_manager_who_has_not_given_a_code_is_sent_to_give_one(world):
    client = client_for(world.manager, second_factor=False)
    response = client.get(reverse("working_days"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))
