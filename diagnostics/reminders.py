"""Reminders: eligibility running out and a diagnostic session coming (to organisations),
and eligibility applications waiting too long (a section of the officers' daily email).

How long before, and how long is too long, are the managers' deadlines
(notifications.deadlines). Each email carries an idempotency key per kind,
object, deadline and recipient, unique in the outbox: the daily job can run
twice, or on two workers at once, and each reminder goes out once.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from notifications.deadlines import (
    DIAGNOSTIC_SESSION,
    ELIGIBILITY_FINAL_REMINDER,
    ELIGIBILITY_FIRST_REMINDER,
    OFFICER_REVIEW,
    deadline,
    deadlines,
)
from notifications.digest import MOST_LINES, DigestLine, DigestSection
from notifications.rules import DeadlineRule, latest_start_missed
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership

from .models import Diagnostic, EligibilityApplication, EligibilityDecision
from .rules import expiry_reminder_due, long_date


def eligibility_reminder_rules() -> tuple[DeadlineRule, DeadlineRule]:
    rules = deadlines(ELIGIBILITY_FIRST_REMINDER, ELIGIBILITY_FINAL_REMINDER)
    return rules[ELIGIBILITY_FIRST_REMINDER], rules[ELIGIBILITY_FINAL_REMINDER]


def _reminder_days(valid_until: date, rules) -> tuple[int, ...]:
    """Each reminder as a number of days before `valid_until` (60 and 14 by default)."""
    return tuple((valid_until - rule.remind_on(valid_until)).days for rule in rules)


def expiring_decision_ids(today: date, rules=None) -> list[int]:
    """Eligible decisions still in force (each organisation's latest) near enough to end."""
    rules = rules or eligibility_reminder_rules()
    longest = max(rule.longest_reminder_in_days() for rule in rules)
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
            valid_until__lte=today + timedelta(days=longest),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def remind_eligibility_expiring(decision_id: int, today: date, rules=None) -> int | None:
    """Email the organisation's admins the reminder now due for this decision; return it.

    The reminder is named by how many days before the end it falls (60, 14),
    which is part of its idempotency key.
    """
    rules = rules or eligibility_reminder_rules()
    decision = EligibilityDecision.objects.select_related("organisation").get(pk=decision_id)
    days = expiry_reminder_due(
        (decision.valid_until - today).days, _reminder_days(decision.valid_until, rules)
    )
    if days is None or decision.outcome != EligibilityDecision.Outcome.ELIGIBLE:
        return None
    organisation = decision.organisation
    queue_for_each(
        Membership.objects.admin_users(organisation),
        template="eligibility_expiring",
        context={
            "organisation": organisation,
            "last_day": long_date(decision.valid_until),
            "days_left": (decision.valid_until - today).days,
            "link": absolute_url(reverse("diagnostics:eligibility")),
        },
        kind="diagnostics:eligibility_expiring",
        key=f"eligibility-expiring:{decision.pk}:{days}",
    )
    return days


def sessions_to_remind_ids(today: date, rule: DeadlineRule | None = None) -> list[int]:
    """Booked sessions after today whose reminder date (1 day before by default) has come."""
    rule = rule or deadline(DIAGNOSTIC_SESSION)
    horizon = today + timedelta(days=rule.longest_reminder_in_days())
    candidates = Diagnostic.objects.filter(
        status=Diagnostic.Status.SESSION_BOOKED,
        session_date__gt=today,
        session_date__lte=horizon,
    ).order_by("session_date", "pk")
    return [
        pk
        for pk, session_date in candidates.values_list("pk", "session_date")
        if rule.reminder_due(session_date, today)
    ]


def remind_session(diagnostic_id: int, today: date, rule: DeadlineRule | None = None) -> bool:
    """Email the organisation's admins that their diagnostic session is coming up."""
    rule = rule or deadline(DIAGNOSTIC_SESSION)
    diagnostic = Diagnostic.objects.select_related("organisation").get(pk=diagnostic_id)
    if (
        diagnostic.status != Diagnostic.Status.SESSION_BOOKED
        or diagnostic.session_date <= today
        or not rule.reminder_due(diagnostic.session_date, today)
    ):
        return False
    queue_for_each(
        Membership.objects.admin_users(diagnostic.organisation),
        template="diagnostic_session_tomorrow",
        context={
            "organisation": diagnostic.organisation,
            "diagnostic": diagnostic,
            "session_date": long_date(diagnostic.session_date),
            "is_tomorrow": diagnostic.session_date == today + timedelta(days=1),
            "link": absolute_url(reverse("diagnostics:diagnostic")),
        },
        kind="diagnostics:session_tomorrow",
        key=f"diagnostic-session:{diagnostic.pk}:{diagnostic.session_date.isoformat()}",
    )
    return True


def applications_waiting(today: date) -> DigestSection | None:
    """Submitted applications waiting longer than the officers' review deadline, oldest first.

    For the officers' daily email (vcs_support.officer_digest). "Longer than 10
    working days" counts from the day it was submitted, in London time.
    """
    rule = deadline(OFFICER_REVIEW)
    latest_day = latest_start_missed(rule, today)
    submitted_before = timezone.make_aware(
        datetime.combine(latest_day + timedelta(days=1), time.min)
    )
    waiting = EligibilityApplication.objects.filter(
        status=EligibilityApplication.Status.SUBMITTED, submitted_at__lt=submitted_before
    )
    total = waiting.count()
    if not total:
        return None
    oldest = waiting.select_related("organisation").order_by("submitted_at", "pk")[:MOST_LINES]
    lines = tuple(
        DigestLine(
            text=(
                f"{application.organisation.name}, submitted "
                f"{long_date(timezone.localtime(application.submitted_at).date())}"
            ),
            link=absolute_url(
                reverse("diagnostics:officer_application_detail", args=[application.pk])
            ),
        )
        for application in oldest
    )
    return DigestSection(
        title=f"Eligibility applications waiting more than {rule.period}",
        total=total,
        lines=lines,
        link=absolute_url(reverse("diagnostics:officer_applications")),
    )
