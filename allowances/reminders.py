"""Choosing a provider in time: the reminder before the deadline, and expiry after it.

The deadline is the manager's `choose_provider` (default: 8 weeks from
agreement, reminded 2 weeks before). A package still in AGREED (no provider
asked; PROVIDER_REQUESTED and later mean one was) is reminded once, and from
the day after the deadline it expires through `services.expire_agreed_package`,
which releases its slot and budget and tells the organisation; officers are
told too.

Safe to run twice or on two workers at once: each reminder carries an
idempotency key (package, deadline, recipient) unique in the outbox, and the
expiry service locks the package, so the second worker finds it expired and
gets IllegalTransition, which here means "already done".
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse

from diagnostics.rules import long_date
from notifications.deadlines import CHOOSE_PROVIDER, deadline
from notifications.rules import DeadlineRule
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership, User

from .models import AgreedPackage, AgreedStatus
from .services import IllegalTransition, expire_agreed_package


@dataclass(frozen=True)
class DeadlineRun:
    reminded: int = 0  # packages whose organisation was reminded by this run
    expired: int = 0  # packages this run expired


def packages_due(rule: DeadlineRule, today: date) -> tuple[list[int], list[int]]:
    """Ids of packages still waiting for a provider: (to remind, to expire), oldest first.

    The dates are worked out once per agreement date, not per package: a
    deadline in working days or months has no SQL equivalent, and there are
    far fewer dates than packages.
    """
    waiting = AgreedPackage.objects.filter(status=AgreedStatus.AGREED, agreed_on__lt=today)
    dates = waiting.order_by().values_list("agreed_on", flat=True).distinct()
    remind, expire = [], []
    for agreed_on in dates:
        due = rule.due_on(agreed_on)
        if rule.is_missed(due, today):
            expire.append(agreed_on)
        elif rule.reminder_due(due, today):
            remind.append(agreed_on)

    def ids(on_dates):
        if not on_dates:
            return []
        return list(
            waiting.filter(agreed_on__in=on_dates)
            .order_by("agreed_on", "pk")
            .values_list("pk", flat=True)
        )

    return ids(remind), ids(expire)


def _load(agreed_id: int) -> AgreedPackage:
    return AgreedPackage.objects.select_related("organisation", "package").get(pk=agreed_id)


def remind_to_choose_provider(agreed_id: int, rule: DeadlineRule, today: date) -> bool:
    """Email the organisation's admins that a provider must be chosen by the deadline.

    True if the reminder is due (whether queued now or by an earlier run).
    """
    agreed = _load(agreed_id)
    due = rule.due_on(agreed.agreed_on)
    if agreed.status != AgreedStatus.AGREED or not rule.reminder_due(due, today):
        return False
    admins = [m.user for m in Membership.objects.admins_of(agreed.organisation)]
    queue_for_each(
        admins,
        template="choose_provider_reminder",
        context={
            "organisation": agreed.organisation,
            "package": agreed.package,
            "agreed_on": long_date(agreed.agreed_on),
            "last_day": long_date(due),
            "days_left": (due - today).days,
            "link": absolute_url(reverse("allowances:agreed_package_detail", args=[agreed.pk])),
        },
        kind="allowances:choose_provider_reminder",
        key=f"choose-provider:{agreed.pk}:{due.isoformat()}",
    )
    return True


def expire_if_no_provider(agreed_id: int, rule: DeadlineRule, today: date) -> bool:
    """Expire a package whose deadline to choose a provider has passed; tell officers.

    True if this call expired it. False if it is not due, or another worker
    (or a provider request) got there first.
    """
    agreed = _load(agreed_id)
    due = rule.due_on(agreed.agreed_on)
    if agreed.status != AgreedStatus.AGREED or not rule.is_missed(due, today):
        return False
    reason = (
        f"No provider was chosen by {long_date(due)}, {rule.period} after the package was agreed."
    )
    try:
        # One transaction: the officers' notice commits with the expiry or not at all.
        with transaction.atomic():
            agreed = expire_agreed_package(agreed, reason=reason)
            queue_for_each(
                User.objects.officers(),
                template="package_expired_officer",
                context={
                    "agreed": agreed,
                    "organisation": agreed.organisation,
                    "package": agreed.package,
                    "agreed_on": long_date(agreed.agreed_on),
                    "last_day": long_date(due),
                    "link": absolute_url(
                        reverse("allowances:agreed_package_detail", args=[agreed.pk])
                    ),
                },
                kind="allowances:package_expired_officer",
                key=f"package-expired:{agreed.pk}",
            )
    except IllegalTransition:
        # The row lock made us wait for whoever moved it first (another run
        # expiring it, or the organisation asking a provider): nothing to do.
        return False
    return True


def run_choose_provider_deadlines(today: date) -> DeadlineRun:
    """Remind, then expire, every package due today. Each package in its own transaction."""
    rule = deadline(CHOOSE_PROVIDER)
    remind, expire = packages_due(rule, today)
    reminded = sum(remind_to_choose_provider(pk, rule, today) for pk in remind)
    expired = sum(expire_if_no_provider(pk, rule, today) for pk in expire)
    return DeadlineRun(reminded=reminded, expired=expired)
