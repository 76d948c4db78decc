"""The provider journey's deadlines: a reminder before each, and its consequence when missed.

- provider_respond: a pending request is answered within 10 working days of
  being sent. The provider's people are reminded before; when it is missed they
  are told once more, and so are the organisation's admins, who may withdraw the
  request and choose again.
- complete_delivery: accepted work is marked delivered by its planned end date,
  and at most 6 months from agreement, whichever is earlier. The provider's
  people are reminded before; when it is missed they are told, and so are
  officers, once, by email (as for an expired package in allowances): a late
  delivery is news for them to follow up, not a queue of their own work, and
  there is no page listing late deliveries for a digest section to link to.
- confirm_delivery: the organisation confirms and rates within 4 weeks of the
  provider marking the work delivered. Its admins are reminded before, and once
  when it is missed.
- officer_review: claims waiting longer than 10 working days are a section of
  the officers' daily email (`claims_waiting_section`).

The numbers are the managers' (notifications.deadlines). Every email carries
an idempotency key per kind, request, deadline date and recipient, unique in
the outbox: the job can run twice, or on two workers at once, and each goes
out once. The deadline date is in the key, so work sent back to delivery by a
dispute and delivered again is reminded again for its new deadline.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from allowances.models import AgreedStatus
from diagnostics.rules import long_date
from notifications.deadlines import (
    COMPLETE_DELIVERY,
    CONFIRM_DELIVERY,
    OFFICER_REVIEW,
    PROVIDER_RESPOND,
    deadline,
    deadlines,
)
from notifications.digest import MOST_LINES, DigestLine, DigestSection
from notifications.rules import DeadlineRule, latest_start_missed
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership, User
from packages.money import format_money
from providers.selectors import people_of

from .emails import context_for, link_to
from .models import Claim, ClaimStatus, ProviderRequest, RequestStatus

# The work still to do at each step: the request's and the package's states agree.
WAITING_FOR_ANSWER = {
    "status": RequestStatus.PENDING,
    "agreed_package__status": AgreedStatus.PROVIDER_REQUESTED,
}
BEING_DELIVERED = {
    "status": RequestStatus.ACCEPTED,
    "delivered_at__isnull": True,
    "agreed_package__status__in": [AgreedStatus.ACCEPTED, AgreedStatus.IN_DELIVERY],
}
WAITING_FOR_CONFIRMATION = {
    "status": RequestStatus.ACCEPTED,
    "delivered_at__isnull": False,
    "agreed_package__status": AgreedStatus.DELIVERED,
}


@dataclass(frozen=True)
class StepRun:
    reminded: int = 0  # requests whose reminder this run found due
    missed: int = 0  # requests whose missed notice this run found due


# ---------------------------------------------------------------- when each is due


def respond_by(request: ProviderRequest, rule: DeadlineRule) -> date:
    """The last day to answer: the period counted from the London date the request was sent."""
    return rule.due_on(timezone.localdate(request.requested_at))


def deliver_by(request: ProviderRequest, rule: DeadlineRule) -> date:
    """The planned end date, or the latest the managers allow from agreement if earlier
    (a manager may shorten it after the provider chose its dates)."""
    return min(request.planned_end, rule.due_on(request.agreed_package.agreed_on))


def confirm_by(request: ProviderRequest, rule: DeadlineRule) -> date:
    return rule.due_on(timezone.localdate(request.delivered_at))


def requests_due(
    waiting: dict, due_on, rule: DeadlineRule, today: date
) -> tuple[list[int], list[int]]:
    """Ids of requests at one step: (to remind, missed), oldest deadline first.

    Every request at the step is read (a handful of columns): at most one live
    request per package, and a deadline in working days or months has no SQL
    equivalent. A missed one stays listed while it is at the step; its key
    makes sure the notice goes out once.
    """
    rows = (
        ProviderRequest.objects.filter(**waiting)
        .select_related("agreed_package")
        .only("pk", "requested_at", "planned_end", "delivered_at", "agreed_package__agreed_on")
    )
    remind, missed = [], []
    for request in rows:
        due = due_on(request, rule)
        if rule.is_missed(due, today):
            missed.append((due, request.pk))
        elif rule.reminder_due(due, today):
            remind.append((due, request.pk))
    return [pk for _, pk in sorted(remind)], [pk for _, pk in sorted(missed)]


def _load(request_id: int, waiting: dict) -> ProviderRequest | None:
    """The request with what the emails name, if it is still at the step."""
    return (
        ProviderRequest.objects.filter(pk=request_id, **waiting)
        .select_related("agreed_package__organisation", "agreed_package__package", "provider")
        .first()
    )


def _dates(due: date, today: date, **more) -> dict:
    return {"last_day": long_date(due), "days_left": (due - today).days, **more}


# ---------------------------------------------------------------- the provider answers


def remind_to_respond(request_id: int, rule: DeadlineRule, today: date) -> bool:
    """Remind everyone acting for the provider to answer. True if the reminder is due."""
    request = _load(request_id, WAITING_FOR_ANSWER)
    if request is None:
        return False
    due = respond_by(request, rule)
    if not rule.reminder_due(due, today):
        return False
    queue_for_each(
        people_of(request.provider),
        template="provider_respond_reminder",
        context=context_for(
            request,
            **_dates(due, today, requested_on=long_date(timezone.localdate(request.requested_at))),
            link=link_to("delivery:provider_request", request.pk),
        ),
        kind="delivery:provider_respond_reminder",
        key=f"provider-respond:{request.pk}:{due.isoformat()}",
    )
    return True


def tell_respond_missed(request_id: int, rule: DeadlineRule, today: date) -> bool:
    """The deadline to answer has passed: tell the provider, and the organisation's admins
    that they may withdraw the request and choose again. One transaction for both."""
    request = _load(request_id, WAITING_FOR_ANSWER)
    if request is None:
        return False
    due = respond_by(request, rule)
    if not rule.is_missed(due, today):
        return False
    context = context_for(
        request,
        **_dates(due, today, requested_on=long_date(timezone.localdate(request.requested_at))),
        period=rule.period,
    )
    with transaction.atomic():
        queue_for_each(
            people_of(request.provider),
            template="provider_respond_missed",
            context={**context, "link": link_to("delivery:provider_request", request.pk)},
            kind="delivery:provider_respond_missed",
            key=f"provider-respond-missed:{request.pk}:{due.isoformat()}",
        )
        queue_for_each(
            Membership.objects.admin_users(request.agreed_package.organisation),
            template="provider_respond_missed_organisation",
            context={**context, "link": link_to("delivery:package", request.agreed_package_id)},
            kind="delivery:provider_respond_missed_organisation",
            key=f"provider-respond-missed-org:{request.pk}:{due.isoformat()}",
        )
    return True


# ---------------------------------------------------------------- the provider delivers


def _delivery_context(request: ProviderRequest, rule: DeadlineRule, due: date, today: date):
    return context_for(
        request,
        **_dates(due, today),
        # Which limit sets the date, in words for the email.
        why=(
            "the planned end date given when the request was accepted"
            if due == request.planned_end
            else f"{rule.period} after the package was agreed on "
            f"{long_date(request.agreed_package.agreed_on)}"
        ),
    )


def remind_to_deliver(request_id: int, rule: DeadlineRule, today: date) -> bool:
    """Remind the provider's people to finish and mark the work delivered by its deadline."""
    request = _load(request_id, BEING_DELIVERED)
    if request is None:
        return False
    due = deliver_by(request, rule)
    if not rule.reminder_due(due, today):
        return False
    queue_for_each(
        people_of(request.provider),
        template="complete_delivery_reminder",
        context={
            **_delivery_context(request, rule, due, today),
            "link": link_to("delivery:provider_request", request.pk),
        },
        kind="delivery:complete_delivery_reminder",
        key=f"complete-delivery:{request.pk}:{due.isoformat()}",
    )
    return True


def tell_delivery_missed(request_id: int, rule: DeadlineRule, today: date) -> bool:
    """The work was not marked delivered in time: tell the provider's people and officers."""
    request = _load(request_id, BEING_DELIVERED)
    if request is None:
        return False
    due = deliver_by(request, rule)
    if not rule.is_missed(due, today):
        return False
    context = _delivery_context(request, rule, due, today)
    with transaction.atomic():
        queue_for_each(
            people_of(request.provider),
            template="complete_delivery_missed",
            context={**context, "link": link_to("delivery:provider_request", request.pk)},
            kind="delivery:complete_delivery_missed",
            key=f"complete-delivery-missed:{request.pk}:{due.isoformat()}",
        )
        queue_for_each(
            User.objects.officers(),
            template="complete_delivery_missed_officer",
            context={**context, "link": link_to("delivery:package", request.agreed_package_id)},
            kind="delivery:complete_delivery_missed_officer",
            key=f"complete-delivery-missed-officer:{request.pk}:{due.isoformat()}",
        )
    return True


# ---------------------------------------------------------------- the organisation confirms


def _confirm_context(request: ProviderRequest, due: date, today: date) -> dict:
    return context_for(
        request,
        **_dates(due, today, delivered_on=long_date(timezone.localdate(request.delivered_at))),
        link=link_to("delivery:confirm", request.agreed_package_id),
    )


def remind_to_confirm(request_id: int, rule: DeadlineRule, today: date) -> bool:
    """Remind the organisation's admins to confirm delivery and rate the provider."""
    request = _load(request_id, WAITING_FOR_CONFIRMATION)
    if request is None:
        return False
    due = confirm_by(request, rule)
    if not rule.reminder_due(due, today):
        return False
    queue_for_each(
        Membership.objects.admin_users(request.agreed_package.organisation),
        template="confirm_delivery_reminder",
        context=_confirm_context(request, due, today),
        kind="delivery:confirm_delivery_reminder",
        key=f"confirm-delivery:{request.pk}:{due.isoformat()}",
    )
    return True


def tell_confirm_missed(request_id: int, rule: DeadlineRule, today: date) -> bool:
    """The organisation has not confirmed in time: tell its admins once more."""
    request = _load(request_id, WAITING_FOR_CONFIRMATION)
    if request is None:
        return False
    due = confirm_by(request, rule)
    if not rule.is_missed(due, today):
        return False
    queue_for_each(
        Membership.objects.admin_users(request.agreed_package.organisation),
        template="confirm_delivery_missed",
        context=_confirm_context(request, due, today),
        kind="delivery:confirm_delivery_missed",
        key=f"confirm-delivery-missed:{request.pk}:{due.isoformat()}",
    )
    return True


# ---------------------------------------------------------------- the daily run

# code -> (the requests at the step, their deadline, the reminder, the missed notice)
STEPS = {
    PROVIDER_RESPOND: (WAITING_FOR_ANSWER, respond_by, remind_to_respond, tell_respond_missed),
    COMPLETE_DELIVERY: (BEING_DELIVERED, deliver_by, remind_to_deliver, tell_delivery_missed),
    CONFIRM_DELIVERY: (
        WAITING_FOR_CONFIRMATION,
        confirm_by,
        remind_to_confirm,
        tell_confirm_missed,
    ),
}


def run_delivery_deadlines(today: date) -> dict[str, StepRun]:
    """Remind, and tell of missed deadlines, at every step. Each request in its own transaction."""
    rules = deadlines(*STEPS)
    runs = {}
    for code, (waiting, due_on, remind, tell_missed) in STEPS.items():
        rule = rules[code]
        to_remind, missed = requests_due(waiting, due_on, rule, today)
        runs[code] = StepRun(
            reminded=sum(remind(pk, rule, today) for pk in to_remind),
            missed=sum(tell_missed(pk, rule, today) for pk in missed),
        )
    return runs


# ---------------------------------------------------------------- the officers' digest


def claims_waiting_section(today: date) -> DigestSection | None:
    """Claims waiting for an officer's decision longer than the review deadline, oldest first.

    For the officers' daily email (vcs_support.officer_digest). Counted, like
    eligibility applications, from the London date the claim was submitted.
    """
    rule = deadline(OFFICER_REVIEW)
    latest_day = latest_start_missed(rule, today)
    submitted_before = timezone.make_aware(
        datetime.combine(latest_day + timedelta(days=1), time.min)
    )
    waiting = Claim.objects.filter(status=ClaimStatus.SUBMITTED, submitted_at__lt=submitted_before)
    total = waiting.count()
    if not total:
        return None
    oldest = waiting.select_related(
        "request__provider", "agreed_package__organisation", "agreed_package__package"
    ).order_by("submitted_at", "pk")[:MOST_LINES]
    lines = tuple(
        DigestLine(
            text=(
                f"{claim.reference}: {claim.provider.name} for "
                f"{claim.agreed_package.organisation.name}, {claim.agreed_package.package.name}, "
                f"{format_money(claim.amount)}, submitted "
                f"{long_date(timezone.localtime(claim.submitted_at).date())}"
            ),
            link=absolute_url(reverse("delivery:claim_detail", args=[claim.pk])),
        )
        for claim in oldest
    )
    return DigestSection(
        title=f"Payment claims waiting more than {rule.period}",
        total=total,
        lines=lines,
        link=absolute_url(reverse("delivery:claims")),
    )
