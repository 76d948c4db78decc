"""Recording eligibility decisions. The application flow will call this."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record

from .models import EligibilityDecision


def default_valid_until(valid_from: date) -> date:
    """The last day of the configured period (3 years by default) from `valid_from`."""
    years = getattr(settings, "ELIGIBILITY_VALID_YEARS", 3)
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February into a year that has none
        end = valid_from.replace(year=valid_from.year + years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)


@transaction.atomic
def record_eligibility_decision(
    *,
    organisation,
    outcome: str,
    decided_by,
    reasons: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
    application=None,
) -> EligibilityDecision:
    """Record an officer's decision; an eligible one lasts the configured period by default."""
    if not decided_by.is_officer:
        raise PermissionError("Only council officers decide eligibility.")
    valid_from = valid_from or timezone.localdate()
    if outcome == EligibilityDecision.Outcome.ELIGIBLE:
        valid_until = valid_until or default_valid_until(valid_from)
    else:
        valid_until = None
    decision = EligibilityDecision.objects.create(
        organisation=organisation,
        outcome=outcome,
        decided_by=decided_by,
        valid_from=valid_from,
        valid_until=valid_until,
        reasons=reasons,
        application=application,
    )
    record(
        actor=decided_by,
        action="eligibility.decided",
        obj=organisation,
        to_state=outcome,
        reason=reasons,
        data={
            "decision": decision.pk,
            "valid_from": str(valid_from),
            "valid_until": str(valid_until),
        },
    )
    return decision
