"""A real Celery worker, on the local Redis, sends what the web process queues."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from notifications.models import Notification
from notifications.services import queue_email

from ..brokers import broker_at

BROKER = "redis://127.0.0.1:6379/12"  # a database of its own, emptied first


@pytest.fixture
def worker(tmp_path):
    redis.Redis.from_url(BROKER).flushdb()
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "vcs_support.settings",
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-" + "w" * 60,
        "ALLOWED_HOSTS": "localhost",
        # The test database this test writes to, and committed rows only.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "vcs_support",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, tmp_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_queued_notification(worker):
    process, mail_dir = worker
    with broker_at(BROKER), transaction.atomic():
        notification = queue_email(
            to="jo@example.org",
            subject="Your package is agreed",
            body_text="Hello Jo.",
            kind="test",
        )
    # The task was published after commit; the worker picks it up and sends it.
    sent = wait_for(lambda: Notification.objects.get(pk=notification.pk).status == "sent")
    if not sent:
        process.terminate()
        pytest.fail("The worker did not send the email. Its log:\n" + process.communicate()[0])
    files = list(Path(mail_dir).iterdir())
    assert len(files) == 1
    message = files[0].read_text()
    assert "Subject: Your package is agreed" in message
    assert "To: jo@example.org" in message
    # Sent once: a second delivery attempt finds nothing pending.
    assert Notification.objects.get(pk=notification.pk).attempts == 1
