"""Reminders to organisations: eligibility running out, a diagnostic session tomorrow.

Each email carries an idempotency key per kind, object, deadline and recipient,
unique in the outbox: the daily job can run twice, or on two workers at once,
and each reminder goes out once.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from notifications.services import absolute_url, queue_templated_email
from organisations.models import Membership

from .models import Diagnostic, EligibilityDecision
from .rules import EXPIRY_REMINDER_DAYS, expiry_reminder_due, long_date


def expiring_decision_ids(today: date) -> list[int]:
    """Eligible decisions still in force (each organisation's latest) ending within 60 days."""
    latest = (
        EligibilityDecision.objects.filter(organisation=OuterRef("organisation"))
        .order_by("-decided_at", "-id")
        .values("pk")[:1]
    )
    return list(
        EligibilityDecision.objects.filter(
            pk=Subquery(latest),
            outcome=EligibilityDecision.Outcome.ELIGIBLE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=max(EXPIRY_REMINDER_DAYS)),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def remind_eligibility_expiring(decision_id: int, today: date) -> int | None:
    """Email the organisation's admins the reminder now due for this decision; return it."""
    decision = EligibilityDecision.objects.select_related("organisation").get(pk=decision_id)
    days = expiry_reminder_due((decision.valid_until - today).days)
    if days is None or decision.outcome != EligibilityDecision.Outcome.ELIGIBLE:
        return None
    organisation = decision.organisation
    with transaction.atomic():
        for membership in Membership.objects.admins_of(organisation):
            queue_templated_email(
                to=membership.user.email,
                template="eligibility_expiring",
                context={
                    "organisation": organisation,
                    "recipient": membership.user,
                    "last_day": long_date(decision.valid_until),
                    "days_left": (decision.valid_until - today).days,
                    "link": absolute_url(reverse("diagnostics:eligibility")),
                },
                kind="diagnostics:eligibility_expiring",
                key=f"eligibility-expiring:{decision.pk}:{days}:{membership.user_id}",
            )
    return days


def sessions_tomorrow_ids(today: date) -> list[int]:
    return list(
        Diagnostic.objects.filter(
            status=Diagnostic.Status.SESSION_BOOKED, session_date=today + timedelta(days=1)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def remind_session_tomorrow(diagnostic_id: int, today: date) -> bool:
    """Email the organisation's admins that their diagnostic session is tomorrow."""
    diagnostic = Diagnostic.objects.select_related("organisation").get(pk=diagnostic_id)
    tomorrow = today + timedelta(days=1)
    if diagnostic.status != Diagnostic.Status.SESSION_BOOKED or diagnostic.session_date != tomorrow:
        return False
    with transaction.atomic():
        for membership in Membership.objects.admins_of(diagnostic.organisation):
            queue_templated_email(
                to=membership.user.email,
                template="diagnostic_session_tomorrow",
                context={
                    "organisation": diagnostic.organisation,
                    "recipient": membership.user,
                    "diagnostic": diagnostic,
                    "session_date": long_date(diagnostic.session_date),
                    "link": absolute_url(reverse("diagnostics:diagnostic")),
                },
                kind="diagnostics:session_tomorrow",
                key=(
                    f"diagnostic-session:{diagnostic.pk}:{diagnostic.session_date.isoformat()}"
                    f":{membership.user_id}"
                ),
            )
    return True
