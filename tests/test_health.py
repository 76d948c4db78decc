"""GET /healthz: 200 while the database answers, degraded without Redis, 503 without it."""

import time

from django.db import OperationalError
from django.urls import reverse

from .brokers import broker_at, closed_port, silent_server


def test_all_well(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_redis_stopped_is_degraded_not_down(client, db):
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "down"}


def test_a_redis_that_never_answers_does_not_hang_the_check(client, db):
    with silent_server() as port, broker_at(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - started
    assert response.json()["broker"] == "down"
    assert elapsed < 3, f"took {elapsed:.1f}s"


def test_database_down_is_503_without_a_stack_trace(client, db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "broker": "ok"}
    assert b"Traceback" not in response.content
    assert b"connection refused" not in response.content
