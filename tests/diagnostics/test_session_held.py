"""Completing a diagnostic records the day its session took place; before the booked
day, the officer must confirm the session happened and give the real date."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.diagnostic_services import DiagnosticError, complete_diagnostic
from diagnostics.rules import session_held_on, session_needs_confirming

from ..conftest import client_for
from ..factories import DiagnosticFactory, EligibilityDecisionFactory

TODAY = date(2026, 6, 10)
STARTED = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("booked_for", "given", "held", "reason"),
    [
        (None, None, TODAY, ""),  # no booking: the session is today's
        (date(2026, 6, 3), None, date(2026, 6, 3), ""),  # the booked day has come
        (TODAY, None, TODAY, ""),
        (date(2026, 6, 12), None, None, "The session was booked for 12 June 2026, which has"),
        (date(2026, 6, 12), date(2026, 6, 9), date(2026, 6, 9), ""),
        (date(2026, 6, 12), date(2026, 6, 11), None, "must be today or in the past"),
        (date(2026, 6, 12), date(2026, 4, 30), None, "on or after 1 May 2026"),
    ],
)
def test_the_session_day_is_the_booked_one_unless_completing_early(booked_for, given, held, reason):
    day, why = session_held_on(booked_for=booked_for, given=given, today=TODAY, started_on=STARTED)
    assert day == held
    assert reason in why
    assert bool(why) is (held is None)
    assert session_needs_confirming(booked_for, TODAY) is bool(booked_for and booked_for > TODAY)


@pytest.fixture
def booked(world):
    EligibilityDecisionFactory(organisation=world.org_a)
    return DiagnosticFactory(
        organisation=world.org_a,
        status="session_booked",
        score=3,
        started_at=timezone.now() - timedelta(days=30),
        session_date=timezone.localdate() + timedelta(days=5),
    )


def test_the_service_will_not_complete_early_without_the_real_date(world, booked):
    with pytest.raises(DiagnosticError, match="which has not come yet"):
        complete_diagnostic(diagnostic=booked, by=world.officer, notes="Notes.")
    booked.refresh_from_db()
    assert booked.status == "session_booked"


def test_completing_on_time_records_the_booked_day(world, booked):
    past = timezone.localdate() - timedelta(days=1)
    booked.session_date = past
    booked.save()
    complete_diagnostic(diagnostic=booked, by=world.officer, notes="Notes.")
    booked.refresh_from_db()
    assert booked.session_held_on == past


def test_completing_early_asks_for_confirmation_and_the_date(world, booked):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_diagnostic_complete", args=[booked.pk])
    page = client.get(url).content.decode()
    assert "The diagnostic session has taken place" in page
    assert "What date did the session take place?" in page

    response = client.post(url, {"notes": "A good session."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirm that the diagnostic session has taken place" in html
    assert "Enter the date the session took place" in html
    assert "A good session." in html  # nothing typed is lost

    held = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url,
        {
            "notes": "A good session.",
            "took_place": "on",
            "held_on_0": str(held.day),
            "held_on_1": str(held.month),
            "held_on_2": str(held.year),
        },
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.session_held_on) == ("completed", held)
    event = AuditEvent.objects.get(action="diagnostic.completed")
    assert event.data["session_held_on"] == held.isoformat()
    # Reports date the diagnostic by the day the session took place.
    report = client.get(reverse("diagnostics:diagnostic_report", args=[booked.pk]))
    assert f"{held.day} {held:%B %Y}" in report.content.decode()


def test_a_date_still_to_come_is_refused(world, booked):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_diagnostic_complete", args=[booked.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url,
        {
            "notes": "Notes.",
            "took_place": "on",
            "held_on_0": str(tomorrow.day),
            "held_on_1": str(tomorrow.month),
            "held_on_2": str(tomorrow.year),
        },
    )
    assert "The date the session took place must be today or in the past" in (
        response.content.decode()
    )
    booked.refresh_from_db()
    assert booked.status == "session_booked"


def test_completing_on_or_after_the_booked_day_asks_nothing_more(world, booked):
    booked.session_date = timezone.localdate()
    booked.save()
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_diagnostic_complete", args=[booked.pk])
    assert "What date did the session take place?" not in client.get(url).content.decode()
    assert client.post(url, {"notes": "Notes."}).status_code == 302
    booked.refresh_from_db()
    assert booked.session_held_on == timezone.localdate()


def test_a_date_before_the_diagnostic_started_is_refused(world, booked):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_diagnostic_complete", args=[booked.pk])
    before = timezone.localdate() - timedelta(days=31)
    response = client.post(
        url,
        {
            "notes": "Notes.",
            "took_place": "on",
            "held_on_0": str(before.day),
            "held_on_1": str(before.month),
            "held_on_2": str(before.year),
        },
    )
    assert "The date the session took place must be on or after" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "session_booked"
