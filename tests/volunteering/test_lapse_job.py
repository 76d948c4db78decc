"""The daily closing-dates job: a published opportunity's organisation reminded once a week
before its closing date, the opportunity closed the day after (audited, one email), and
nothing else touched. Runs twice, late, or on two workers at once send each email once;
Redis or the mail server being down delays the emails and leaves the data whole.

The closing date is Wednesday 10 March 2027: reminded from Wednesday 3 March (7 days
before), open all of the 10th, closed on the 11th.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from audit.models import AuditEvent
from notifications.models import Notification
from notifications.tasks import send_pending_notifications
from volunteering.lapse_services import extend_opportunity, lapse, run_closing_dates
from volunteering.models import LapseReminder, Opportunity
from volunteering.services import close_opportunity, send_back_opportunity
from volunteering.tasks import check_closing_dates

from .. import threads
from ..brokers import broker_at, closed_port
from ..conftest import build_world
from ..factories import MembershipFactory
from .support import broker_for, drafted, published, submitted

LONDON = ZoneInfo("Europe/London")
CLOSES = date(2027, 3, 10)
MADE = date(2027, 2, 1)
SITE = "http://127.0.0.1:8000"


@contextmanager
def on(day: date, hour: int = 6):
    with time_machine.travel(datetime.combine(day, time(hour, 40), tzinfo=LONDON), tick=False):
        yield


def run_on(day: date) -> dict:
    with on(day):
        return check_closing_dates()


def emails(template: str):
    return Notification.objects.filter(idempotency_key__startswith=f"{template}:").order_by("pk")


def recipients(template: str) -> list[str]:
    return sorted(emails(template).values_list("recipient", flat=True))


def stored(opportunity) -> dict:
    return Opportunity.objects.filter(pk=opportunity.pk).values().get()


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def admins(world):
    """Organisation A's administrators, who are told (its plain member is not)."""
    MembershipFactory(organisation=world.org_a, role="admin", user__email="second@example.org")
    return sorted([world.org_a_admin.email, "second@example.org"])


def open_until(world, broker, ends_on=CLOSES, **changes):
    with on(MADE):
        return published(world, broker, ends_on=ends_on, **changes)


# --------------------------------------------------------------- reminded once


@pytest.mark.django_db
def test_the_organisations_admins_are_reminded_once_a_week_before_it_closes(world, broker, admins):
    opportunity = open_until(world, broker)
    assert run_on(CLOSES - timedelta(days=8)) == {"closed": 0, "reminded": 0}
    assert run_on(CLOSES - timedelta(days=7)) == {"closed": 0, "reminded": 1}
    # Again the same day, and on the days after: nothing more.
    for days_before in (7, 6, 1, 0):
        assert run_on(CLOSES - timedelta(days=days_before)) == {"closed": 0, "reminded": 0}
    assert recipients("opportunity_closing_soon") == admins
    reminder = emails("opportunity_closing_soon").first()
    assert reminder.subject == (
        "Your volunteering opportunity closes in 7 days: Befriender for older people"
    )
    assert "closes at the end of 10 March 2027 (in 7 days)" in reminder.body_text
    assert f"{SITE}/organisation/volunteering/{opportunity.pk}/extend/\n" in reminder.body_text
    assert f"{SITE}/organisation/volunteering/{opportunity.pk}/\n" in reminder.body_text
    assert LapseReminder.objects.get().ends_on == CLOSES
    [event] = AuditEvent.objects.filter(action="opportunity.lapse_reminded")
    assert event.actor is None and event.data == {"ends_on": "2027-03-10"}
    assert Opportunity.objects.get().status == "published"


@pytest.mark.django_db
def test_one_published_with_days_to_go_is_reminded_on_the_next_run(world, broker, admins):
    with on(CLOSES):
        published(world, broker, ends_on=CLOSES)
    assert run_on(CLOSES) == {"closed": 0, "reminded": 1}
    assert emails("opportunity_closing_soon").first().subject == (
        "Your volunteering opportunity closes today: Befriender for older people"
    )


@pytest.mark.django_db
def test_tomorrow_is_said_as_tomorrow(world, broker, admins):
    open_until(world, broker)
    run_on(CLOSES - timedelta(days=1))
    assert "closes tomorrow" in emails("opportunity_closing_soon").first().subject


@pytest.mark.django_db
def test_an_extended_closing_date_is_reminded_again_before_the_new_date(world, broker, admins):
    opportunity = open_until(world, broker)
    run_on(CLOSES - timedelta(days=7))
    later = CLOSES + timedelta(days=30)
    with on(CLOSES - timedelta(days=2)):
        extend_opportunity(opportunity=opportunity, by=world.org_a_member, ends_on=later)
    assert run_on(CLOSES + timedelta(days=1)) == {"closed": 0, "reminded": 0}
    assert run_on(later - timedelta(days=7)) == {"closed": 0, "reminded": 1}
    assert sorted(LapseReminder.objects.values_list("ends_on", flat=True)) == [CLOSES, later]
    assert emails("opportunity_closing_soon").count() == 2 * len(admins)


# --------------------------------------------------------------- closed the day after


@pytest.mark.django_db
def test_it_closes_the_day_after_its_closing_date_and_tells_the_admins_once(world, broker, admins):
    opportunity = open_until(world, broker)
    assert run_on(CLOSES)["closed"] == 0  # open all of its closing date
    assert stored(opportunity)["status"] == "published"
    assert run_on(CLOSES + timedelta(days=1)) == {"closed": 1, "reminded": 0}
    assert run_on(CLOSES + timedelta(days=1)) == {"closed": 0, "reminded": 0}
    assert run_on(CLOSES + timedelta(days=2)) == {"closed": 0, "reminded": 0}
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.close_reason) == ("closed", "lapsed")
    [event] = AuditEvent.objects.filter(action="opportunity.closed")
    assert event.actor is None and event.data == {"reason": "lapsed"}
    assert (event.from_state, event.to_state) == ("published", "closed")
    assert recipients("opportunity_lapsed") == admins
    notice = emails("opportunity_lapsed").first()
    assert notice.subject == "Your volunteering opportunity has closed: Befriender for older people"
    assert "because its closing date, 10 March 2027, has passed" in notice.body_text
    assert f"{SITE}/organisation/volunteering/new/\n" in notice.body_text  # post it again


@pytest.mark.django_db
def test_a_missed_run_closes_it_late_without_a_reminder_about_the_past(world, broker, admins):
    open_until(world, broker)
    assert run_on(CLOSES + timedelta(days=4)) == {"closed": 1, "reminded": 0}
    assert not emails("opportunity_closing_soon").exists()
    assert not LapseReminder.objects.exists()


@pytest.mark.django_db
def test_it_closes_and_reminds_only_what_is_due(world, broker):
    due = open_until(world, broker, title="Due")
    soon = open_until(world, broker, title="Soon", ends_on=CLOSES + timedelta(days=8))
    later = open_until(world, broker, title="Later", ends_on=CLOSES + timedelta(days=9))
    with on(MADE):
        # Past its closing date but never published: the organisation's, or the broker's.
        draft = drafted(world, title="Draft", ends_on=CLOSES)
        waiting = submitted(world, title="Waiting", ends_on=CLOSES)
        sent_back = send_back_opportunity(
            opportunity=submitted(world, title="Back", ends_on=CLOSES), by=broker, reason="Why"
        )
        filled = open_until(world, broker, title="Filled")
        close_opportunity(opportunity=filled, reason="filled", by=world.org_a_member)
    untouched = [stored(o) for o in (later, draft, waiting, sent_back, filled)]
    assert run_on(CLOSES + timedelta(days=1)) == {"closed": 1, "reminded": 1}
    assert stored(due)["close_reason"] == "lapsed"
    assert list(LapseReminder.objects.values_list("opportunity", flat=True)) == [soon.pk]
    assert [stored(o) for o in (later, draft, waiting, sent_back, filled)] == untouched


@pytest.mark.django_db
def test_one_extended_or_filled_after_the_job_found_it_is_left_alone(world, broker):
    extended = open_until(world, broker, title="Extended")
    filled = open_until(world, broker, title="Filled")
    with on(CLOSES + timedelta(days=1)):
        # The job listed both; before it reached them, a member extended one...
        extend_opportunity(
            opportunity=extended, by=world.org_a_member, ends_on=CLOSES + timedelta(days=20)
        )
        # ...and another marked the other filled (which a person may do after its date).
        close_opportunity(opportunity=filled, reason="filled", by=world.org_a_member)
        assert lapse(extended.pk) is False and lapse(filled.pk) is False
    assert stored(extended)["status"] == "published"
    assert stored(filled)["close_reason"] == "filled"
    assert not emails("opportunity_lapsed").exists()


# --------------------------------------------------------------- the schedule


@pytest.mark.django_db
def test_the_job_runs_daily_from_the_database_schedule():
    task = PeriodicTask.objects.get(task="volunteering.tasks.check_closing_dates")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("40", "6", "*")
    assert str(task.crontab.timezone) == "Europe/London"


# --------------------------------------------------------------- failures and races


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unavailable")


@pytest.mark.django_db
def test_a_mail_server_down_keeps_the_emails_and_the_changes(
    world, broker, admins, settings, django_capture_on_commit_callbacks
):
    open_until(world, broker, title="Due")
    open_until(world, broker, title="Soon", ends_on=CLOSES + timedelta(days=3))
    settings.EMAIL_BACKEND = "tests.volunteering.test_lapse_job.BrokenMailBackend"
    with django_capture_on_commit_callbacks(execute=True):  # the worker tries at once
        assert run_on(CLOSES + timedelta(days=1)) == {"closed": 1, "reminded": 1}
    assert Opportunity.objects.get(title="Due").close_reason == "lapsed"
    assert LapseReminder.objects.get().opportunity.title == "Soon"
    waiting = emails("opportunity_lapsed") | emails("opportunity_closing_soon")
    assert waiting.count() == 2 * len(admins)
    assert set(waiting.values_list("status", "attempts")) == {("pending", 1)}
    # Tomorrow's run finds nothing more to do; the sweep sends each once the server is back.
    assert run_on(CLOSES + timedelta(days=2)) == {"closed": 0, "reminded": 0}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        send_pending_notifications()
        assert send_pending_notifications() == 0
    assert set(waiting.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.subject.rsplit(": ", 1)[1] for m in mail.outbox) == [
        "Due",
        "Due",
        "Soon",
        "Soon",
    ]


@pytest.mark.django_db(transaction=True)
def test_redis_down_leaves_the_emails_in_the_outbox_for_the_sweep():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    open_until(world, broker)
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        assert run_on(CLOSES + timedelta(days=1)) == {"closed": 1, "reminded": 0}
    assert Opportunity.objects.get().close_reason == "lapsed"
    [notice] = emails("opportunity_lapsed")
    assert notice.status == "pending"
    with on(CLOSES + timedelta(days=1), hour=7):  # Redis is back: the sweep sends it, once
        assert send_pending_notifications() == 1
        assert send_pending_notifications() == 0
    notice.refresh_from_db()
    assert notice.status == "sent"


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_close_once_and_remind_once():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    open_until(world, broker, title="Due")
    open_until(world, broker, title="Soon", ends_on=CLOSES + timedelta(days=3))
    day = CLOSES + timedelta(days=1)
    with on(day):
        results = threads.run_together([lambda: run_closing_dates(day)] * 4)
    assert [kind for kind, _ in results] == ["ok"] * 4, results
    runs = [run for _, run in results]
    assert sum(r.closed for r in runs) == 1 and sum(r.reminded for r in runs) == 1, runs
    assert AuditEvent.objects.filter(action="opportunity.closed").count() == 1
    assert LapseReminder.objects.count() == 1
    assert recipients("opportunity_lapsed") == [world.org_a_admin.email]
    assert recipients("opportunity_closing_soon") == [world.org_a_admin.email]
