"""Time one real Celery worker draining the outbox. Run by `make bench` after the reports.

Two backlogs of --count notifications, each written through
`notifications.services.queue_email` in one transaction, while the worker is
already up and idle:

- after commit: the normal path. The rows commit and queue_email's on-commit
  hook publishes one `send_notification` task per row.
- sweep: the backlog a Redis outage leaves. The rows commit with nothing
  published (queue_email's hand-off to the broker is switched off while they
  are written, as a refused publish would leave them); then the periodic sweep,
  `send_pending_notifications`, is published as many times as the backlog
  needs (it sends up to 500 a run), back to back rather than a beat tick apart.

The worker is the production one: `vcs_support.settings`, the solo pool and
INFO logging as in Procfile.dev, on a Redis database of its own (--broker,
emptied before and after), with Django's file email backend writing into a
temporary directory, so no mail server is needed (SMTP time is not measured).
The clock starts when the rows commit and stops when the last is marked sent;
every message must then be in the mail files exactly once.
"""

import contextlib
import ctypes
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from notifications.models import Notification
from notifications.services import queue_email
from notifications.tasks import send_pending_notifications
from vcs_support.celery import app

SWEEP_LIMIT = 500  # send_pending_notifications' default: what one beat tick sends
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # the file backend writes this after each message


def _die_with_parent():
    """Linux: the worker gets SIGTERM if this command dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so the `finally` stops the worker


class Command(BaseCommand):
    help = "Time one real Celery worker draining a backlog of pending notifications."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
        parser.add_argument("--poll", type=float, default=0.05, help="seconds between checks")
        parser.add_argument("--timeout", type=float, default=120, help="seconds per drain")

    def handle(self, *args, count, broker, poll, timeout, **options):
        self.count, self.poll, self.timeout = count, poll, timeout
        # This process publishes for real (settings_test makes tasks eager).
        app.conf.update(
            broker_url=broker,
            broker_write_url=broker,
            broker_read_url=broker,
            task_always_eager=False,
        )
        redis_db = redis.Redis.from_url(broker, socket_timeout=5)
        redis_db.flushdb()
        previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        self.worker = None
        with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
            self.mail_dir = Path(tmp, "mail")
            self.mail_dir.mkdir()
            self.log = Path(tmp, "worker.log")
            try:
                self.worker = self.start_worker(broker)
                self.wait_until_ready()
                self.drain("after-commit", "one send task per row, published after commit")
                self.drain("sweep", f"the sweep, {SWEEP_LIMIT} a run, as after a Redis outage")
            finally:
                if self.worker is not None:
                    self.stop(self.worker)
                signal.signal(signal.SIGTERM, previous_handler)
                with contextlib.suppress(redis.RedisError):
                    redis_db.flushdb()

    def start_worker(self, broker: str) -> subprocess.Popen:
        db = connection.settings_dict
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "vcs_support.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-outbox-" + "b" * 60,
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": broker,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "celery", "-A", "vcs_support", "worker"]
        command += ["--pool=solo", "--concurrency=1", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        with self.log.open("w") as log:
            return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )

    def wait_until_ready(self):
        deadline = time.monotonic() + 60
        while " ready." not in self.log.read_text(errors="replace"):
            if self.worker.poll() is not None or time.monotonic() > deadline:
                raise CommandError("The worker did not start. Its log:\n" + self.log_tail())
            time.sleep(0.1)

    def drain(self, mode: str, how: str):
        kind = f"bench:{mode}"
        for old in self.mail_dir.iterdir():
            old.unlink()
        queued_after_commit = mode == "after-commit"
        # Without a broker hand-off the rows are what an outage leaves behind.
        hand_off = (
            contextlib.nullcontext()
            if queued_after_commit
            else mock.patch("notifications.services.enqueue")
        )
        with hand_off, transaction.atomic():
            written = [
                queue_email(
                    to=f"organisation{i}@example.org",
                    subject=f"Your support package {i} is agreed",
                    body_text=f"Hello,\n\nYour package {i} is agreed.\n" + "Details.\n" * 20,
                    body_html=f"<p>Hello,</p><p>Your package {i} is agreed.</p>" * 5,
                    kind=kind,
                ).pk
                for i in range(self.count)
            ]
            started = time.perf_counter()  # the commit and any publishing count
        if not queued_after_commit:
            for _ in range(math.ceil(self.count / SWEEP_LIMIT)):
                send_pending_notifications.delay(limit=SWEEP_LIMIT)
        rows = Notification.objects.filter(pk__gte=min(written), pk__lte=max(written), kind=kind)
        deadline = time.monotonic() + self.timeout
        while rows.exclude(status=Notification.Status.SENT).exists():
            if rows.filter(status=Notification.Status.FAILED).exists():
                raise CommandError(f"{mode}: a send failed. Worker log:\n" + self.log_tail())
            if self.worker.poll() is not None or time.monotonic() > deadline:
                left = rows.exclude(status=Notification.Status.SENT).count()
                raise CommandError(
                    f"{mode}: {left} of {self.count} still not sent. Worker log:\n"
                    + self.log_tail()
                )
            time.sleep(self.poll)
        elapsed = time.perf_counter() - started
        messages = sum(path.read_bytes().count(SEPARATOR) for path in self.mail_dir.iterdir())
        attempts = sum(rows.values_list("attempts", flat=True))
        if messages != self.count or attempts != self.count:
            raise CommandError(
                f"{mode}: {messages} emails written and {attempts} attempts for {self.count} rows"
            )
        self.stdout.write(
            f"outbox: {self.count} notifications drained by one worker in {elapsed:.2f} s "
            f"({self.count / elapsed:.0f} per second) — {how}"
        )

    def stop(self, worker: subprocess.Popen):
        """Warm shutdown (SIGTERM); kill it if it has not gone in 15 seconds."""
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
