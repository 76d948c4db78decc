"""Caps in practice, reach and impact, and the officers' queues, against hand-made data."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import time_machine
from django.urls import reverse
from django.utils import timezone

from allowances.services import expire_agreed_package
from tests.conftest import client_for
from tests.factories import (
    AgreedPackageFactory,
    DiagnosticFactory,
    EligibilityApplicationFactory,
)

from .conftest import YEAR


def test_caps_in_practice_counts_organisations_overrides_and_expiries(hand_ledger):
    a, b, c, d = hand_ledger["orgs"]
    _, _, pc, _ = hand_ledger["agreed"]
    packages = hand_ledger["packages"]
    for day, reason in ((date(2025, 11, 3), ""), (date(2025, 12, 1), "Exceptional need")):
        with time_machine.travel(datetime(2025, 12, 2, 12, tzinfo=UTC), tick=False):
            AgreedPackageFactory(
                organisation=a, package=packages["governance"], agreed_by=hand_ledger["manager"],
                on=day, override_reason=reason or None,
            )  # fmt: skip
    expire_agreed_package(pc, reason="No provider chosen in time")
    response = client_for(hand_ledger["manager"]).get(reverse("reports:caps"), {"year": YEAR})
    figures = response.context["figures"]
    # A: 3 (one past the cap); B: cancelled before delivery; C: expired; D: 1.
    assert figures.year_counts == [
        ("0 packages", 2), ("1 package", 1), ("At the yearly cap of 2", 1),
    ]  # fmt: skip
    assert figures.at_period_cap == 0
    assert (figures.overrides, figures.cap_overrides, figures.budget_overrides) == (1, 1, 0)
    assert (figures.expired, figures.expired_value) == (1, Decimal("2000.00"))
    assert [o.override_reason for o in response.context["overrides"]] == ["Exceptional need"]
    assert [e.pk for e in response.context["expired"]] == [pc.pk]


def test_reach_counts_supported_organisations_by_theme_and_district(hand_ledger):
    response = client_for(hand_ledger["manager"]).get(reverse("reports:reach"), {"year": YEAR})
    reach = response.context["reach"]
    assert reach["total"] == 3  # B's only package was cancelled before delivery
    by_theme = {r["slug"]: r["organisations"] for r in reach["by_theme"]}
    assert by_theme == {"children": 2, "health": 1, "sport": 1}
    by_district = {r["postcode_district"]: r["organisations"] for r in reach["by_district"]}
    assert by_district == {"LE2": 2, "LE5": 1}


def test_impact_compares_first_and_latest_diagnostics(hand_ledger):
    a, b, c, _ = hand_ledger["orgs"]
    now = timezone.now()
    for org, before, after in ((a, 2, 3), (b, 3, 1)):
        DiagnosticFactory(organisation=org, status="completed", score=before,
                          completed_at=now - timedelta(days=400))  # fmt: skip
        DiagnosticFactory(organisation=org, status="completed", score=4,
                          completed_at=now - timedelta(days=200))  # fmt: skip
        DiagnosticFactory(organisation=org, status="completed", score=after, completed_at=now)
    DiagnosticFactory(organisation=c, status="completed", score=4)  # only one: left out
    response = client_for(hand_ledger["manager"]).get(reverse("reports:reach"), {"year": YEAR})
    impact = response.context["impact"]
    assert (impact["organisations"], impact["improved"], impact["worse"]) == (2, 1, 1)
    assert impact["mean_before"] == 2.5 and impact["mean_after"] == 2.0
    changes = response.context["changes"]
    assert changes and all((ch.before, ch.after) == (2.5, 2.0) for ch in changes)
    assert "Down 0.5" in response.content.decode()


def test_operations_shows_what_is_waiting_and_overdue(hand_ledger):
    old = EligibilityApplicationFactory(status="submitted", answered=True)
    old.submitted_at = timezone.now() - timedelta(days=40)
    old.save(update_fields=["submitted_at"])
    EligibilityApplicationFactory(status="submitted", answered=True)  # sent 3 days ago
    response = client_for(hand_ledger["officer"]).get(reverse("reports:operations"))
    ops = response.context["ops"]
    assert (ops["applications"].count, ops["applications"].overdue) == (2, 1)
    assert ops["applications"].oldest[0] == old
    # A, C and D are still waiting for a provider (in the hand ledger no provider
    # journey has started), all agreed in 2025: past the 8-week deadline.
    assert (ops["no_provider"].count, ops["no_provider"].overdue) == (3, 3)
    assert "past the deadline to choose one" in response.content.decode()


def test_the_money_given_back_by_expiries_links_to_its_releases(hand_ledger):
    _, _, pc, _ = hand_ledger["agreed"]
    expire_agreed_package(pc, reason="No provider chosen in time")
    client = client_for(hand_ledger["manager"])
    content = client.get(reverse("reports:caps"), {"year": YEAR}).content.decode()
    link = f"{reverse('reports:ledger')}?year={YEAR}&amp;status=expired&amp;kind=release"
    assert link in content
    response = client.get(reverse("reports:ledger"), {"year": YEAR, "status": "expired",
                                                       "kind": "release"})  # fmt: skip
    assert response.context["total"]["releases"] == Decimal("2000.00")
    assert [e.agreed_package_id for e in response.context["page"]] == [pc.pk]
