"""Deadlines managers set: the date arithmetic, the seeded defaults, and the page to change them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from notifications.calendar import DaysOff, add_working_days, subtract_working_days
from notifications.deadlines import (
    CHOOSE_PROVIDER,
    CODES,
    UnknownDeadline,
    change_deadline,
    deadline,
    deadlines,
)
from notifications.models import Deadline
from notifications.rules import DeadlineRule, Period, add_months, latest_start_missed

from ..conftest import assert_constant_queries, client_for


def rule(period=None, remind=None) -> DeadlineRule:
    return DeadlineRule(
        code="test",
        name="Test",
        period=Period(*period) if period else None,
        remind_before=Period(*remind) if remind else None,
    )


# --- Pure date arithmetic


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # the end of a shorter month
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 10, 15), 6, date(2027, 4, 15)),  # over the year and the financial year
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2027, 1, 15), -13, date(2025, 12, 15)),
    ],
)
def test_months_are_counted_as_people_count_them(start, n, expected):
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("end", "n", "expected"),
    [
        (date(2026, 11, 30), 1, date(2026, 11, 27)),  # Monday back to Friday
        (date(2026, 12, 29), 1, date(2026, 12, 24)),  # over Christmas and its substitute day
        (date(2027, 1, 5), 2, date(2026, 12, 31)),  # over New Year's Day
        (date(2027, 4, 1), 3, date(2027, 3, 25)),  # over Easter 2027, back into 2026/27
        (date(2027, 4, 6), 0, date(2027, 4, 6)),
    ],
)
def test_working_days_are_counted_back_skipping_weekends_and_bank_holidays(end, n, expected):
    assert subtract_working_days(end, n) == expected


@pytest.mark.parametrize("start", [date(2026, 12, 17), date(2027, 3, 18), date(2027, 12, 23)])
@pytest.mark.parametrize("n", [1, 3, 10])
def test_counting_working_days_back_undoes_counting_them_forward(start, n):
    assert subtract_working_days(add_working_days(start, n), n) <= start


@pytest.mark.parametrize(
    ("period", "start", "due"),
    [
        ((8, "weeks"), date(2027, 2, 5), date(2027, 4, 2)),  # the last day of 2026/27
        ((8, "weeks"), date(2027, 2, 6), date(2027, 4, 3)),  # the first of 2027/28
        ((10, "working_days"), date(2026, 12, 17), date(2027, 1, 5)),  # over Christmas 2026
        ((10, "working_days"), date(2027, 3, 18), date(2027, 4, 5)),  # over Easter 2027
        ((6, "months"), date(2026, 8, 31), date(2027, 2, 28)),
        ((30, "days"), date(2027, 3, 15), date(2027, 4, 14)),
    ],
)
def test_a_deadline_is_counted_from_its_start(period, start, due):
    assert rule(period=period).due_on(start) == due


def test_a_reminder_is_due_from_its_date_until_the_deadline_and_then_missed():
    weeks = rule(period=(8, "weeks"), remind=(2, "weeks"))
    due = weeks.due_on(date(2027, 2, 5))  # 2 April 2027
    assert weeks.remind_on(due) == date(2027, 3, 19)
    assert not weeks.reminder_due(due, date(2027, 3, 18))
    assert weeks.reminder_due(due, date(2027, 3, 19))
    assert weeks.reminder_due(due, date(2027, 4, 2))  # caught up if a run was missed
    assert not weeks.is_missed(due, date(2027, 4, 2))  # the last day is still in time
    assert weeks.is_missed(due, date(2027, 4, 3))
    assert not weeks.reminder_due(due, date(2027, 4, 3))


def test_a_deadline_with_no_reminder_is_never_reminded():
    review = rule(period=(10, "working_days"))
    assert review.remind_on(date(2027, 1, 5)) is None
    assert not review.reminder_due(date(2027, 1, 5), date(2027, 1, 5))


def test_a_date_set_elsewhere_has_no_period_to_count():
    with pytest.raises(ValueError, match="not counted from a start date"):
        rule(remind=(30, "days")).due_on(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2027, 1, 5), date(2026, 12, 16)),  # 17 December's deadline is today: in time
        (date(2027, 1, 6), date(2026, 12, 17)),  # ... and missed the day after
        (date(2027, 4, 6), date(2027, 3, 18)),  # over Easter and into 2027/28
    ],
)
def test_the_latest_start_whose_deadline_has_passed(today, latest):
    review = rule(period=(10, "working_days"))
    assert latest_start_missed(review, today) == latest
    assert review.is_missed(review.due_on(latest), today)
    assert not review.is_missed(review.due_on(date.fromordinal(latest.toordinal() + 1)), today)


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ((1, "days"), "1 day"),
        ((10, "working_days"), "10 working days"),
        ((6, "months"), "6 months"),
    ],
)
def test_a_period_reads_as_words(period, words):
    assert str(Period(*period)) == words


@pytest.mark.parametrize("unit", ["days", "working_days", "weeks", "months"])
@pytest.mark.parametrize("amount", [1, 5, 20])
def test_the_longest_span_is_never_shorter_than_the_period(unit, amount):
    period = Period(amount, unit)
    for start in (date(2026, 12, 20), date(2027, 1, 31), date(2027, 3, 24)):
        assert (period.after(start) - start).days <= period.longest_in_days()
        assert (start - period.before(start)).days <= period.longest_in_days()


def test_the_longest_span_allows_for_the_managers_one_off_days():
    # Two weeks of closures straight after the start: 1 working day then takes
    # 17 days, far more than the 9 that bank holidays alone allow.
    start = date(2027, 6, 4)  # a Friday
    closures = DaysOff(extra=frozenset(start + timedelta(days=d) for d in range(1, 15)))
    period = Period(1, "working_days")
    assert period.after(start, closures) == date(2027, 6, 21)
    assert (period.after(start, closures) - start).days > period.longest_in_days()
    assert (period.after(start, closures) - start).days <= period.longest_in_days(closures)


# --- The seeded deadlines and the accessor


def test_every_deadline_the_jobs_use_is_seeded_with_the_issues_defaults(db):
    assert set(Deadline.objects.values_list("code", flat=True)) == set(CODES)
    seeded = {
        code: (str(r.period or "-"), str(r.remind_before or "-"))
        for code, r in deadlines(*CODES).items()
    }
    assert seeded == {
        "choose_provider": ("8 weeks", "2 weeks"),
        "provider_respond": ("10 working days", "3 working days"),
        "complete_delivery": ("6 months", "2 weeks"),
        "confirm_delivery": ("4 weeks", "1 week"),
        "officer_review": ("10 working days", "-"),
        "eligibility_expiring_first": ("-", "60 days"),
        "eligibility_expiring_final": ("-", "14 days"),
        "insurance_expiring": ("-", "30 days"),
        "diagnostic_session": ("-", "1 day"),
        # Section B (issue 13 leaves the numbers to us): reports, concerns, appeals.
        "grant_report": ("10 working days", "5 working days"),
        "concern_response": ("10 working days", "3 working days"),
        "grant_appeal": ("10 working days", "-"),
        # Section C: the volunteer centre's quarterly reports.
        "centre_report": ("10 working days", "5 working days"),
    }


def test_an_unknown_code_is_an_error_not_a_guess(db):
    with pytest.raises(UnknownDeadline):
        deadline("choose_a_provder")
    with pytest.raises(UnknownDeadline):
        deadlines(CHOOSE_PROVIDER, "nope")


def test_the_database_refuses_a_number_without_its_unit(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.filter(code=CHOOSE_PROVIDER).update(period_unit="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.filter(code=CHOOSE_PROVIDER).update(remind_before=0)


def test_a_change_is_saved_and_recorded_with_who_and_what(world):
    row = Deadline.objects.get(code=CHOOSE_PROVIDER)
    change_deadline(
        row,
        by=world.manager,
        period=Period(40, "working_days"),
        remind_before=Period(5, "working_days"),
    )
    assert str(deadline(CHOOSE_PROVIDER).period) == "40 working days"
    event = AuditEvent.objects.get(action="deadline.changed")
    assert event.actor == world.manager
    assert event.data == {
        "code": "choose_provider",
        "from": "8 weeks; remind 2 weeks before",
        "to": "40 working days; remind 5 working days before",
    }
    assert event.reason == (
        "From 8 weeks; remind 2 weeks before to 40 working days; remind 5 working days before"
    )


def test_only_managers_change_deadlines(world):
    with pytest.raises(PermissionError):
        change_deadline(
            Deadline.objects.get(code=CHOOSE_PROVIDER),
            by=world.officer,
            period=Period(1, "days"),
        )


# --- The manager's pages


def test_managers_see_every_deadline_from_their_navigation(world, manager_client):
    # Any page shows the navigation: this one belongs to no other work in progress.
    response = manager_client.get(reverse("notifications:mine"))
    assert f'href="{reverse("deadlines")}">Deadlines</a>' in response.content.decode()
    page = manager_client.get(reverse("deadlines")).content.decode()
    assert "Organisation chooses a provider" in page
    assert "8 weeks" in page and "2 weeks before" in page
    assert reverse("deadline_edit", args=["officer_review"]) in page


def test_officers_have_no_deadlines_link(world):
    response = client_for(world.officer).get(reverse("notifications:mine"))
    assert response.status_code == 200
    assert reverse("deadlines") not in response.content.decode()


def test_a_manager_changes_a_deadline(world, manager_client):
    url = reverse("deadline_edit", args=[CHOOSE_PROVIDER])
    response = manager_client.post(
        url,
        {"period": "10", "period_unit": "weeks", "remind_before": "3", "remind_unit": "weeks"},
    )
    assert response.status_code == 302 and response.url == reverse("deadlines")
    row = Deadline.objects.get(code=CHOOSE_PROVIDER)
    assert (row.period, row.period_unit, row.remind_before, row.remind_unit, row.updated_by) == (
        10,
        "weeks",
        3,
        "weeks",
        world.manager,
    )
    assert AuditEvent.objects.filter(action="deadline.changed", actor=world.manager).exists()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            [
                "Enter the time allowed",
                "Select what the time allowed is counted in",
                "Enter how long before the deadline to send the reminder",
                "Select what the reminder time is counted in",
            ],
        ),
        (
            {
                "period": "eight",
                "period_unit": "weeks",
                "remind_before": "0",
                "remind_unit": "days",
            },
            [
                "Enter the time allowed as a whole number, like 8",
                "The reminder time must be 1 or more",
            ],
        ),
        (
            {"period": "2", "period_unit": "weeks", "remind_before": "1", "remind_unit": "months"},
            ["The reminder must come sooner than the time allowed (2 weeks)"],
        ),
    ],
)
def test_a_wrong_answer_is_shown_in_the_error_summary_and_nothing_changes(
    world, manager_client, data, errors
):
    response = manager_client.post(reverse("deadline_edit", args=[CHOOSE_PROVIDER]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for error in errors:
        assert error in page
    assert AuditEvent.objects.filter(action="deadline.changed").count() == 0
    assert str(deadline(CHOOSE_PROVIDER).period) == "8 weeks"


def test_a_reminder_only_deadline_asks_only_for_the_reminder(world, manager_client):
    url = reverse("deadline_edit", args=["insurance_expiring"])
    page = manager_client.get(url).content.decode()
    assert 'name="remind_before"' in page and 'name="period"' not in page
    response = manager_client.post(url, {"remind_before": "6", "remind_unit": "weeks"})
    assert response.status_code == 302
    assert str(deadline("insurance_expiring").remind_before) == "6 weeks"


def test_an_unknown_deadline_is_not_found(world, manager_client):
    assert manager_client.get(reverse("deadline_edit", args=["nope"])).status_code == 404


def test_the_deadlines_page_runs_the_same_queries_for_1_and_50_changed_rows(world, manager_client):
    def rows(n):
        for i in range(n):
            Deadline.objects.create(
                code=f"extra-{Deadline.objects.count()}-{i}",
                name="Extra",
                description="For counting queries.",
                period=1,
                period_unit="days",
                updated_by=world.manager,
            )

    count = assert_constant_queries(rows, lambda: manager_client.get(reverse("deadlines")))
    # 1. the session, 2. the user, 3. whether the manager has an authenticator
    # (staff two-factor), 4. the deadlines with who last changed each joined.
    assert count == 4
