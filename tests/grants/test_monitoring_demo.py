"""The demo's monitoring: report 1 accepted and paid, report 2 waiting for review, the rest
due, once two periods have ended (grants.demo starts the period seven months back); run
twice, once; before two periods have ended, nothing."""

import pytest
from django.utils import timezone

from allowances.models import LedgerEntry
from grants.demo_monitoring import seed

from .monitoring import awarded, move_grant_period, reports_of

pytestmark = pytest.mark.django_db


def test_the_demo_grant_has_a_paid_report_one_waiting_and_the_rest_due(world):
    decision = awarded(world)
    today = timezone.localdate()
    assert reports_of(decision)[1].period_ends_on >= today  # the period starts in the future
    assert "has not ended yet" in seed(decision, world.officer)
    assert [r.status for r in reports_of(decision)] == ["due"] * 4
    move_grant_period(decision, today)
    line = seed(decision, world.officer)
    assert "report 1 accepted and paid, report 2 waiting for review" in line
    statuses = [r.status for r in reports_of(decision)]
    assert statuses == ["accepted", "sent", "due", "due"]
    first, second, third, _ = reports_of(decision)
    assert first.payment.amount == first.amount
    assert second.period_ends_on < today <= third.period_ends_on
    assert seed(decision, world.officer) == "Monitoring: already seeded"
    assert LedgerEntry.objects.filter(award=decision.award, kind="spend").count() == 1
