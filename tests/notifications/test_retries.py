"""A failing mail server: retried with backoff for two hours, then failed, for an officer."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from notifications.rules import GIVE_UP_AFTER, retry_delay, should_give_up
from notifications.services import deliver, queue_email
from notifications.tasks import send_pending_notifications

from ..conftest import assert_constant_queries, client_for
from ..factories import FailedNotificationFactory, NotificationFactory

BROKEN = "tests.notifications.test_outbox.BrokenMailBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 0), (1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (20, 60)],
)
def test_the_wait_doubles_up_to_an_hour(attempts, minutes):
    assert retry_delay(attempts) == timedelta(minutes=minutes)


def test_it_gives_up_only_after_two_hours_of_failing():
    start = timezone.now()
    assert not should_give_up(first_attempt_at=start, now=start + timedelta(minutes=119))
    assert should_give_up(first_attempt_at=start, now=start + timedelta(hours=2))


def test_a_failing_message_is_retried_with_backoff_then_marked_failed(db, settings):
    settings.EMAIL_BACKEND = BROKEN
    notification = queue_email(to="a@example.org", subject="S", body_text="B", kind="k")
    start = timezone.now()
    attempts_at = []
    with time_machine.travel(start, tick=False) as clock:
        # Run the sweep every minute for three hours of a mail server that is down.
        for minute in range(0, 180):
            clock.move_to(start + timedelta(minutes=minute))
            if send_pending_notifications() or Notification.objects.get().attempts > len(
                attempts_at
            ):
                attempts_at.append(minute)
            if Notification.objects.get().status == Notification.Status.FAILED:
                break
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert attempts_at[:7] == [0, 1, 3, 7, 15, 31, 63]  # waits of 1, 2, 4, 8, 16, 32 minutes
    assert notification.failed_at - notification.first_failed_at >= GIVE_UP_AFTER
    assert mail.outbox == []


def test_a_message_is_not_retried_before_its_time(db, settings):
    settings.EMAIL_BACKEND = BROKEN
    notification = queue_email(to="a@example.org", subject="S", body_text="B", kind="k")
    deliver(notification.pk)
    settings.EMAIL_BACKEND = WORKING
    assert send_pending_notifications() == 0  # due in a minute, not now
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
        assert send_pending_notifications() == 1
    assert len(mail.outbox) == 1


def test_an_officer_sends_a_failed_email_again(world, django_capture_on_commit_callbacks):
    failed = FailedNotificationFactory(recipient="jo@example.org")
    client = client_for(world.officer)
    page = client.get(reverse("notifications:failed")).content.decode()
    assert "jo@example.org" in page and "Connection refused by mail server" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    event = AuditEvent.objects.get(action="notification.retried")
    assert (event.actor, event.from_state, event.to_state) == (world.officer, "failed", "pending")


def test_only_a_failed_email_can_be_retried(world):
    sent = NotificationFactory(status="sent", sent_at=timezone.now())
    client = client_for(world.officer)
    response = client.post(reverse("notifications:retry", args=[sent.pk]), follow=True)
    assert "Only a failed email can be retried." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Notification.Status.SENT


def test_people_see_their_own_emails_but_not_sign_in_links(world):
    NotificationFactory(
        recipient=world.org_a_admin.email,
        subject="About your application",
        body_text="Details here.",
    )
    NotificationFactory(
        recipient=world.org_a_admin.email.upper(),
        kind="account:password_reset_key",
        subject="Password reset",
        body_text="https://example.org/secret-reset-link",
    )
    NotificationFactory(recipient=world.org_b_admin.email, subject="For B only")
    html = client_for(world.org_a_admin).get(reverse("notifications:mine")).content.decode()
    assert "About your application" in html and "Details here." in html
    assert "Password reset" in html
    assert "secret-reset-link" not in html
    assert "For B only" not in html


def test_the_email_lists_run_the_same_queries_for_1_and_50_rows(world):
    client = client_for(world.org_a_admin)
    mine = assert_constant_queries(
        lambda n: NotificationFactory.create_batch(n, recipient=world.org_a_admin.email),
        lambda: client.get(reverse("notifications:mine")),
    )
    # session, user, count for the paginator, the page of emails.
    assert mine == 4
    officer = client_for(world.officer)
    failed = assert_constant_queries(
        lambda n: FailedNotificationFactory.create_batch(n),
        lambda: officer.get(reverse("notifications:failed")),
    )
    # session, user, TOTP check, count, the page of failed emails.
    assert failed == 5
