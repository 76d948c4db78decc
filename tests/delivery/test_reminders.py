"""The provider journey's deadlines: each reminder once, on its day; each missed notice once.

Packages are walked through the real services (`journey`) on the days the test
chooses, with time-machine; the daily job then runs on the days around each
deadline. Working-day deadlines are taken across Christmas 2026 and across
Easter 2027 into the 2027/28 financial year. The last tests run the job on two
threads at once against PostgreSQL.
"""

from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from delivery import services
from delivery.reminders import StepRun, claims_waiting_section, run_delivery_deadlines
from delivery.tasks import check_delivery_deadlines
from notifications.deadlines import COMPLETE_DELIVERY, change_deadline
from notifications.models import Deadline, Notification
from notifications.rules import Period
from vcs_support.tasks import send_officer_digest

from ..allowances.concurrency import run_together
from ..factories import (
    AgreedPackageFactory,
    ManagerFactory,
    MembershipFactory,
    PackageFactory,
    ProviderMembershipFactory,
    StaffFactory,
)
from .support import Journey, make_ready

LONDON = ZoneInfo("Europe/London")
AGREED_ON = date(2026, 12, 1)
SITE = "http://127.0.0.1:8000"


@contextmanager
def on(day: date, hour: int = 10):
    with time_machine.travel(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False):
        yield


def run_on(day: date) -> dict:
    with on(day, 7):
        return check_delivery_deadlines()


def counts(day: date, code: str) -> dict:
    return run_on(day)[code]


def emails(kind: str):
    return Notification.objects.filter(kind=f"delivery:{kind}").order_by("pk")


def recipients(kind: str) -> list[str]:
    return sorted(emails(kind).values_list("recipient", flat=True))


@pytest.fixture
def agreed(organisation, package, officer):
    """Organisation A's package, agreed on 1 December 2026."""
    with on(AGREED_ON):
        return AgreedPackageFactory(
            organisation=organisation, package=package, agreed_by=officer, on=AGREED_ON
        )


@pytest.fixture
def colleague(provider):
    """A second person acting for the provider: everyone acting for it is told."""
    return ProviderMembershipFactory(provider=provider, user__email="colleague@example.org").user


# ---------------------------------------------------------------- the provider answers


def test_the_provider_is_reminded_to_answer_once_three_working_days_before_across_christmas(
    journey, colleague
):
    with on(date(2026, 12, 17)):  # a Thursday
        request = journey.requested()
    # 10 working days skip 25 and 28 December (Boxing Day's substitute) and
    # 1 January: the last day is 5 January. 3 working days before it is 30 December.
    assert counts(date(2026, 12, 29), "provider_respond") == {"reminded": 0, "missed": 0}
    assert counts(date(2026, 12, 30), "provider_respond") == {"reminded": 1, "missed": 0}
    run_on(date(2026, 12, 30))
    run_on(date(2027, 1, 4))
    assert recipients("provider_respond_reminder") == [
        "colleague@example.org",
        "provider@example.org",
    ]
    reminder = emails("provider_respond_reminder").get(recipient="provider@example.org")
    assert reminder.idempotency_key == (
        f"provider-respond:{request.pk}:2027-01-05:{journey.provider_user.pk}"
    )
    assert reminder.subject == (
        "Answer Organisation A's request for Governance health check by 5 January 2027"
    )
    assert "On 17 December 2026, Organisation A asked" in reminder.body_text
    assert "by 5 January 2027 (6 days from today)" in reminder.body_text
    assert f"{SITE}/provider/requests/{request.pk}/" in reminder.body_text
    assert not emails("provider_respond_missed").exists()


def test_a_missed_answer_tells_the_provider_and_the_organisations_admins_once(
    journey, organisation
):
    MembershipFactory(organisation=organisation, role="member", user__email="m@example.org")
    with on(date(2026, 12, 17)):
        request = journey.requested()
    assert counts(date(2027, 1, 5), "provider_respond")["missed"] == 0  # the last day
    assert counts(date(2027, 1, 6), "provider_respond") == {"reminded": 0, "missed": 1}
    run_on(date(2027, 1, 6))
    run_on(date(2027, 1, 7))
    assert recipients("provider_respond_missed") == ["provider@example.org"]
    assert recipients("provider_respond_missed_organisation") == ["a@example.org"]  # admins
    to_admin = emails("provider_respond_missed_organisation").get()
    assert to_admin.subject == (
        f"{journey.provider.name} has not answered your request for Governance health check"
    )
    assert "until 5 January 2027" in to_admin.body_text
    assert "withdraw the request and choose another provider" in to_admin.body_text
    assert f"{SITE}/organisation/agreed-packages/{journey.agreed_pk}/delivery/" in (
        to_admin.body_text
    )
    assert to_admin.idempotency_key.startswith(f"provider-respond-missed-org:{request.pk}:")
    to_provider = emails("provider_respond_missed").get()
    assert "10 working days after the request, was 5 January 2027" in to_provider.body_text


def test_the_answer_deadline_crosses_easter_into_the_new_financial_year(journey):
    with on(date(2027, 3, 18)):  # Thursday before Easter 2027
        journey.requested()
    # Skipping Good Friday (26 March) and Easter Monday (29 March): 5 April 2027.
    # Reminded 3 working days before: 31 March, the last day of 2026/27.
    assert counts(date(2027, 3, 30), "provider_respond")["reminded"] == 0
    assert counts(date(2027, 3, 31), "provider_respond")["reminded"] == 1
    assert counts(date(2027, 4, 5), "provider_respond")["missed"] == 0
    assert counts(date(2027, 4, 6), "provider_respond")["missed"] == 1
    assert "by 5 April 2027" in emails("provider_respond_reminder").get().subject


@pytest.mark.parametrize("answer", ["accept", "decline", "withdraw"])
def test_nothing_is_sent_about_a_request_already_answered(journey, answer):
    with on(date(2026, 12, 17)):
        request = journey.requested()
    with on(date(2026, 12, 18)):
        if answer == "accept":
            journey.accepted(planned_end=date(2027, 3, 1))
        elif answer == "decline":
            services.decline_request(request, by=journey.provider_user, reason="Fully booked.")
        else:
            services.withdraw_request(request, by=journey.org_admin)
    for day in (date(2026, 12, 30), date(2027, 1, 6)):
        assert counts(day, "provider_respond") == {"reminded": 0, "missed": 0}
    assert not Notification.objects.filter(kind__startswith="delivery:provider_respond").exists()


# ---------------------------------------------------------------- the provider delivers


def test_the_provider_is_reminded_to_finish_by_the_planned_end_and_told_once_when_late(
    journey, colleague, world
):
    ManagerFactory(email="boss@example.org")
    with on(date(2027, 1, 4)):
        request = journey.accepted(planned_end=date(2027, 1, 29))
    with on(date(2027, 1, 11)):
        journey.in_delivery()  # a session logged: still to be finished
    assert counts(date(2027, 1, 14), "complete_delivery")["reminded"] == 0
    assert counts(date(2027, 1, 15), "complete_delivery") == {"reminded": 1, "missed": 0}
    run_on(date(2027, 1, 15))
    assert counts(date(2027, 1, 29), "complete_delivery")["missed"] == 0
    assert counts(date(2027, 1, 30), "complete_delivery") == {"reminded": 0, "missed": 1}
    run_on(date(2027, 1, 31))
    assert recipients("complete_delivery_reminder") == [
        "colleague@example.org",
        "provider@example.org",
    ]
    reminder = emails("complete_delivery_reminder").first()
    assert reminder.subject == (
        "Finish delivering Governance health check for Organisation A by 29 January 2027"
    )
    assert "by 29 January 2027 (14 days from today): the planned end date given" in (
        reminder.body_text
    )
    assert f"{SITE}/provider/requests/{request.pk}/" in reminder.body_text
    assert recipients("complete_delivery_missed") == [
        "colleague@example.org",
        "provider@example.org",
    ]
    # Officers, not managers, hear of it: once each.
    assert recipients("complete_delivery_missed_officer") == [world.officer.email]
    to_officer = emails("complete_delivery_missed_officer").get()
    assert "has not finished delivering Governance health check for Organisation A" in (
        to_officer.subject
    )
    assert f"{SITE}/organisation/agreed-packages/{journey.agreed_pk}/delivery/" in (
        to_officer.body_text
    )
    assert to_officer.idempotency_key == (
        f"complete-delivery-missed-officer:{request.pk}:2027-01-29:{world.officer.pk}"
    )


def test_the_limit_from_agreement_applies_when_it_is_earlier_than_the_planned_end(journey, manager):
    with on(date(2027, 1, 4)):
        journey.accepted(planned_end=date(2027, 5, 28))
    # A manager shortens delivery to 4 months from agreement: 1 April 2027, in 2027/28.
    change_deadline(
        Deadline.objects.get(code=COMPLETE_DELIVERY), by=manager, period=Period(4, "months")
    )
    assert counts(date(2027, 3, 17), "complete_delivery")["reminded"] == 0
    assert counts(date(2027, 3, 18), "complete_delivery")["reminded"] == 1
    assert counts(date(2027, 4, 1), "complete_delivery")["missed"] == 0
    assert counts(date(2027, 4, 2), "complete_delivery")["missed"] == 1
    body = emails("complete_delivery_reminder").first().body_text
    assert "by 1 April 2027 (14 days from today): 4 months after the package was agreed on " in (
        body
    )


def test_nothing_is_sent_about_work_delivered_in_time(journey):
    with on(date(2027, 1, 4)):
        journey.accepted(planned_end=date(2027, 1, 29))
    with on(date(2027, 1, 8)):
        journey.delivered()
    for day in (date(2027, 1, 15), date(2027, 1, 30)):
        assert counts(day, "complete_delivery") == {"reminded": 0, "missed": 0}
    assert not Notification.objects.filter(kind__startswith="delivery:complete_delivery").exists()


# ---------------------------------------------------------------- the organisation confirms


def test_the_organisation_is_reminded_to_confirm_a_week_before_and_told_once_when_missed(
    journey, organisation
):
    MembershipFactory(organisation=organisation, role="member", user__email="m@example.org")
    with on(date(2027, 1, 8)):  # accepted and delivered the same day
        request = journey.delivered(planned_end=date(2027, 1, 29))
    # 4 weeks after 8 January: 5 February, reminded from 29 January.
    assert counts(date(2027, 1, 28), "confirm_delivery")["reminded"] == 0
    assert counts(date(2027, 1, 29), "confirm_delivery") == {"reminded": 1, "missed": 0}
    run_on(date(2027, 2, 1))
    assert counts(date(2027, 2, 5), "confirm_delivery")["missed"] == 0
    assert counts(date(2027, 2, 6), "confirm_delivery") == {"reminded": 0, "missed": 1}
    run_on(date(2027, 2, 6))
    run_on(date(2027, 2, 7))
    assert recipients("confirm_delivery_reminder") == ["a@example.org"]
    assert recipients("confirm_delivery_missed") == ["a@example.org"]
    reminder = emails("confirm_delivery_reminder").get()
    assert reminder.subject == (
        "Confirm that Governance health check was delivered to Organisation A by 5 February 2027"
    )
    assert "On 8 January 2027, " in reminder.body_text
    assert "(7 days from today)" in reminder.body_text
    link = f"{SITE}/organisation/agreed-packages/{journey.agreed_pk}/confirm/"
    assert link in reminder.body_text
    missed = emails("confirm_delivery_missed").get()
    assert link in missed.body_text
    assert missed.idempotency_key == (
        f"confirm-delivery-missed:{request.pk}:2027-02-05:{journey.org_admin.pk}"
    )


@pytest.mark.parametrize("then", ["confirmed", "disputed"])
def test_nothing_is_sent_about_delivery_already_confirmed_or_disputed(journey, then):
    with on(date(2027, 1, 8)):
        journey.delivered(planned_end=date(2027, 1, 29))
    with on(date(2027, 1, 12)):
        getattr(journey, then)()
    for day in (date(2027, 1, 29), date(2027, 2, 6)):
        assert counts(day, "confirm_delivery") == {"reminded": 0, "missed": 0}
    assert not Notification.objects.filter(kind__startswith="delivery:confirm_delivery").exists()


def test_work_sent_back_by_a_dispute_is_reminded_again_for_its_new_delivery(journey):
    with on(date(2027, 1, 8)):
        journey.delivered(planned_end=date(2027, 1, 29))
    run_on(date(2027, 1, 29))  # reminded for 5 February
    with on(date(2027, 2, 1)):
        journey.disputed()
        journey.delivered()  # an officer sends it back; the provider finishes again
    run_on(date(2027, 2, 6))  # not missed: the new deadline is 1 March
    assert counts(date(2027, 2, 22), "confirm_delivery")["reminded"] == 1
    keys = list(emails("confirm_delivery_reminder").values_list("idempotency_key", flat=True))
    assert [key.split(":")[2] for key in keys] == ["2027-02-05", "2027-03-01"]
    assert not emails("confirm_delivery_missed").exists()


# ---------------------------------------------------------------- the officers' digest


def digests():
    return Notification.objects.filter(kind="officer_digest").order_by("pk")


def test_a_claim_waiting_more_than_10_working_days_is_in_the_officers_digest(journey, world):
    with on(date(2026, 12, 17)):
        claim = journey.claimed(planned_end=date(2026, 12, 31))
    with on(date(2027, 1, 5), 7):
        assert send_officer_digest() == 0  # the 10th working day over Christmas
    with on(date(2027, 1, 6), 7):
        assert send_officer_digest() == 1  # the one officer
    email = digests().get()
    assert email.recipient == world.officer.email
    assert "Payment claims waiting more than 10 working days: 1" in email.body_text
    assert (
        f"- {claim.reference}: {journey.provider.name} for Organisation A, "
        "Governance health check, £2,000.00, submitted 17 December 2026\n"
        f"  {SITE}/officer/claims/{claim.pk}/\n"
    ) in email.body_text


def test_claims_are_counted_over_easter_into_the_new_year_and_decided_ones_leave(journey):
    with on(date(2027, 3, 18)):
        claim = journey.claimed(planned_end=date(2027, 3, 31))
    with on(date(2027, 4, 5)):
        assert claims_waiting_section(date(2027, 4, 5)) is None
    with on(date(2027, 4, 6)):
        section = claims_waiting_section(date(2027, 4, 6))
        assert (section.total, section.link) == (1, f"{SITE}/officer/claims/")
        services.approve_claim(claim, by=journey.officer)
        assert claims_waiting_section(date(2027, 4, 6)) is None


# ---------------------------------------------------------------- the schedule


def test_the_job_runs_daily_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="delivery.tasks.check_delivery_deadlines")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("15", "7", "*")
    assert str(task.crontab.timezone) == "Europe/London"


# ---------------------------------------------------------------- two workers at once


def _journeys(count: int, agreed_on: date) -> list[Journey]:
    """`count` organisations, each with a package agreed with one ready provider."""
    officer = StaffFactory(email="o1@example.org")
    StaffFactory(email="o2@example.org")
    package = PackageFactory(name="Governance health check")
    member = ProviderMembershipFactory(user__email="provider@example.org")
    provider = make_ready(member.provider, package, by=member.user, officer=officer)
    type(provider).objects.filter(pk=provider.pk).update(capacity=100)
    provider.refresh_from_db()
    journeys = []
    for n in range(count):
        admin = MembershipFactory(user__email=f"admin{n}@example.org")
        with on(agreed_on):
            agreed = AgreedPackageFactory(
                organisation=admin.organisation, package=package, agreed_by=officer, on=agreed_on
            )
        journeys.append(
            Journey(
                agreed,
                org_admin=admin.user,
                provider=provider,
                provider_user=member.user,
                officer=officer,
            )
        )
    return journeys


REMINDER_KINDS = [
    "provider_respond_reminder",
    "provider_respond_missed",
    "provider_respond_missed_organisation",
    "complete_delivery_reminder",
    "complete_delivery_missed",
    "complete_delivery_missed_officer",
    "confirm_delivery_reminder",
    "confirm_delivery_missed",
]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once():
    unanswered, to_answer, late, to_confirm = _journeys(4, AGREED_ON)
    with on(date(2026, 12, 17)):
        unanswered.requested()  # due 5 January: missed
        late.accepted(planned_end=date(2027, 1, 5))  # missed
    with on(date(2027, 1, 5)):
        to_confirm.delivered(planned_end=date(2027, 1, 29))  # due 2 February: reminded
    with on(date(2027, 1, 12)):
        to_answer.requested()  # due 26 January: reminded
    day = date(2027, 1, 26)
    for _ in range(2):  # and once more: the second round finds everything sent
        with on(day, 7):
            results = run_together([lambda: run_delivery_deadlines(day)] * 4)
        assert [kind for kind, _ in results] == ["ok"] * 4, results
        for _, runs in results:
            assert runs == {
                "provider_respond": StepRun(reminded=1, missed=1),
                "complete_delivery": StepRun(missed=1),
                "confirm_delivery": StepRun(reminded=1),
            }
        sent = {kind: emails(kind).count() for kind in REMINDER_KINDS}
        assert sent == {
            "provider_respond_reminder": 1,  # the provider's one person
            "provider_respond_missed": 1,
            "provider_respond_missed_organisation": 1,
            "complete_delivery_reminder": 0,  # its reminder days passed before the job ran
            "complete_delivery_missed": 1,
            "complete_delivery_missed_officer": 2,  # two officers
            "confirm_delivery_reminder": 1,
            "confirm_delivery_missed": 0,
        }


def test_a_run_reports_what_it_found_due_by_step(journey):
    with on(date(2026, 12, 17)):
        journey.requested()
    with on(date(2026, 12, 30), 7):
        runs = run_delivery_deadlines(date(2026, 12, 30))
    assert runs == {
        "provider_respond": StepRun(reminded=1),
        "complete_delivery": StepRun(),
        "confirm_delivery": StepRun(),
    }
    # The next day it is found due again (up to the deadline), but nobody is emailed twice.
    with on(date(2026, 12, 31), 7):
        assert run_delivery_deadlines(date(2026, 12, 31))["provider_respond"].reminded == 1
    assert emails("provider_respond_reminder").count() == 1
