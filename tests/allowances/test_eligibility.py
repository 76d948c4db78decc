"""The eligibility decision that agreeing checks, and its admin page."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.models import EligibilityDecision
from diagnostics.selectors import eligibility_on

from ..conftest import client_for
from ..factories import EligibilityDecisionFactory, OrganisationFactory, StaffFactory


def test_eligibility_on_reads_the_latest_decision(db):
    organisation = OrganisationFactory(name="Org")
    assert (
        "has no eligibility decision yet" in eligibility_on(organisation, date(2025, 1, 1)).reason
    )
    EligibilityDecisionFactory(
        organisation=organisation, valid_from=date(2024, 1, 1), valid_until=date(2026, 12, 31)
    )
    assert eligibility_on(organisation, date(2026, 12, 31))
    assert "expired on 31 December 2026" in eligibility_on(organisation, date(2027, 1, 1)).reason


def test_a_superuser_records_a_decision_in_the_admin_and_it_is_audited(db):
    admin_user = StaffFactory(is_superuser=True, is_staff=True)
    organisation = OrganisationFactory()
    today = timezone.localdate()
    response = client_for(admin_user).post(
        reverse("admin:diagnostics_eligibilitydecision_add"),
        {
            "organisation": organisation.pk,
            "outcome": "eligible",
            "valid_from": today.isoformat(),
            "valid_until": "",
            "reasons": "Meets every criterion.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = EligibilityDecision.objects.get()
    assert decision.decided_by == admin_user
    assert decision.valid_until >= today + timedelta(days=3 * 365 - 2)
    assert AuditEvent.objects.filter(action="eligibility.decided").exists()
