"""The outbox: written with the change, sent after commit, never lost or sent twice."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import deliver, queue_email
from notifications.tasks import send_pending_notifications

from ..brokers import broker_at, closed_port, silent_server
from ..conftest import client_for


def test_an_email_is_sent_after_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = queue_email(to="a@example.org", subject="Hello", body_text="Hi", kind="test")
        assert mail.outbox == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_the_same_key_is_written_once(db):
    first = queue_email(to="a@example.org", subject="S", body_text="B", kind="k", key="reminder:1")
    second = queue_email(to="a@example.org", subject="S", body_text="B", kind="k", key="reminder:1")
    assert first is not None and second is None
    assert Notification.objects.filter(idempotency_key="reminder:1").count() == 1


def test_delivering_twice_sends_once(db):
    notification = queue_email(to="a@example.org", subject="S", body_text="B", kind="k")
    assert deliver(notification.pk) is True
    assert deliver(notification.pk) is False
    assert send_pending_notifications() == 0
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_keeps_the_message_for_later(db, settings):
    notification = queue_email(to="a@example.org", subject="S", body_text="B", kind="k")
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.BrokenMailBackend"
    assert deliver(notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert "mail server unavailable" in notification.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert send_pending_notifications() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unavailable")


@pytest.mark.parametrize("broker", ["stopped", "silent"])
@pytest.mark.django_db(transaction=True)
def test_a_broken_redis_neither_fails_nor_slows_the_request_and_loses_nothing(
    world, broker, caplog
):
    """The invitation is saved, the person is told, and the email waits for the sweep."""
    client = client_for(world.org_a_admin)
    with silent_server() as silent_port:
        port = closed_port() if broker == "stopped" else silent_port
        with broker_at(f"redis://127.0.0.1:{port}/0"):
            started = time.monotonic()
            response = client.post(reverse("organisations:people"), {"email": "jo@example.org"})
            elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3, f"the request took {elapsed:.1f}s"
    # The publish really went to the broken broker and failed there.
    expected = {"stopped": "Connection refused", "silent": "Timeout"}[broker]
    assert any(expected in r.getMessage() for r in caplog.records), caplog.text
    waiting = Notification.objects.get(recipient="jo@example.org")
    assert waiting.status == Notification.Status.PENDING
    assert mail.outbox == []

    # Redis is back: the periodic sweep sends it, once.
    assert send_pending_notifications() == 1
    assert send_pending_notifications() == 0
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]


def test_an_attachment_is_kept_with_the_message_and_sent_with_it(db):
    csv = "date,amount\r\n2027-04-01,100.00\r\n"
    notification = queue_email(
        to="a@example.org",
        subject="Report",
        body_text="Attached.",
        kind="test",
        attachments=[{"filename": "ledger.csv", "content": csv, "mimetype": "text/csv"}],
    )
    assert deliver(notification.pk) is True
    (message,) = mail.outbox
    assert message.attachments == [("ledger.csv", csv, "text/csv")]


def test_a_failure_is_logged_by_its_kind_and_codes_never_the_address_it_names():
    import smtplib

    from notifications.services import failure_words

    refused = smtplib.SMTPRecipientsRefused({"secret.person@example.org": (550, b"No such user")})
    assert failure_words(refused) == "SMTPRecipientsRefused (550)"
    assert failure_words(smtplib.SMTPDataError(554, b"to x@example.org")) == "SMTPDataError (554)"
    assert failure_words(ConnectionRefusedError("x@example.org")) == "ConnectionRefusedError"
