"""The bench's events and advice requests (reports.bench_support) are rows the database
accepts and the reports read: seeded small here, so `make bench` cannot fail on them."""

import io
import time

import pytest
from django.urls import reverse

from reports import bench_support
from volunteering.models import AdviceRequest, Booking, Event, Feedback

from ..conftest import client_for
from ..factories import ManagerFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_bench_seeds_events_bookings_feedback_and_advice_the_reports_read(monkeypatch):
    monkeypatch.setattr(bench_support, "EVENTS", 80)
    monkeypatch.setattr(bench_support, "ADVICE", 30)
    for n in range(25):
        UserFactory(email=f"bench-volunteer-{n}@example.org")
    orgs = [OrganisationFactory() for _ in range(3)]
    out = io.StringIO()
    bench_support.seed_support(
        scale=1, orgs=orgs, broker=ManagerFactory(), started=time.monotonic(), stdout=out
    )
    assert Event.objects.count() == 80 and Event.objects.filter(status="cancelled").count() == 4
    assert Booking.objects.count() == 76 * bench_support.PER_EVENT
    assert Booking.objects.filter(status="attended").exists() and Feedback.objects.exists()
    assert Booking.objects.filter(status="booked").exists()  # events still to come
    assert AdviceRequest.objects.count() == 30
    assert set(AdviceRequest.objects.values_list("status", flat=True)) == {
        "open",
        "answered",
        "closed",
    }
    assert "80 events" in out.getvalue()
    manager = client_for(ManagerFactory())
    for name in ("reports:volunteering_events", "reports:volunteering_advice"):
        assert manager.get(reverse(name)).status_code == 200
