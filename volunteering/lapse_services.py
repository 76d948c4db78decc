"""A published opportunity's closing date: the reminder before it, the lapse after it, and
the organisation extending it.

The daily job (tasks.check_closing_dates → run_closing_dates) finds what is due, then
handles each opportunity in a transaction of its own holding the opportunity's row lock,
and checks again under the lock what it found: the job can run twice, or on two
workers at once, or as a member extends the date, and each opportunity is closed once
and each reminder sent once. The reminder is recorded (LapseReminder, unique per
closing date) and its emails carry an idempotency key in the outbox as well.

Emails go to the organisation's administrators through the outbox, written in the same
transaction and sent after commit: Redis or the mail server being down delays them and
changes nothing else.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from diagnostics.rules import long_date
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership

from . import lapse_rules, rules, selectors
from .models import LapseReminder, Opportunity
from .services import KIND, VolunteeringError, _require_member, close_opportunity


@dataclass(frozen=True)
class ClosingDatesRun:
    closed: int = 0  # opportunities this run closed because their closing date had passed
    reminded: int = 0  # opportunities whose organisation this run reminded


def _tell_admins(opportunity: Opportunity, template: str, key: str, **context) -> int:
    return queue_for_each(
        Membership.objects.admin_users(opportunity.organisation),
        template=template,
        context={
            "organisation": opportunity.organisation,
            "opportunity_title": opportunity.title,
            "last_day": long_date(opportunity.ends_on),
            "link": absolute_url(reverse("volunteering:opportunity", args=[opportunity.pk])),
            **context,
        },
        kind=KIND,
        key=key,
    )


@transaction.atomic
def remind_closing_soon(opportunity_id: int, today: date) -> bool:
    """Remind the organisation's administrators, once per closing date, that a published
    opportunity closes within a week, with the link to extend it. True if this call did."""
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=opportunity_id)
        .first()
    )
    if opportunity is None:
        return False
    reminded = LapseReminder.objects.filter(
        opportunity=opportunity, ends_on=opportunity.ends_on
    ).exists()
    if not lapse_rules.reminder_due(
        status=opportunity.status, ends_on=opportunity.ends_on, today=today, reminded=reminded
    ):
        return False
    LapseReminder.objects.create(opportunity=opportunity, ends_on=opportunity.ends_on)
    record(
        actor=None,
        action="opportunity.lapse_reminded",
        obj=opportunity,
        data={"ends_on": opportunity.ends_on.isoformat()},
    )
    _tell_admins(
        opportunity,
        "opportunity_closing_soon",
        f"opportunity_closing_soon:{opportunity.pk}:{opportunity.ends_on.isoformat()}",
        days_left=(opportunity.ends_on - today).days,
        extend_link=absolute_url(reverse("volunteering:opportunity_extend", args=[opportunity.pk])),
    )
    return True


def lapse(opportunity_id: int) -> bool:
    """Close a published opportunity whose closing date has passed (audited as
    opportunity.closed, reason lapsed) and tell its organisation's administrators how to
    post it again. True if this call closed it; one closed, extended or filled meanwhile
    is left as it is."""
    try:
        with transaction.atomic():
            opportunity = close_opportunity(
                opportunity=Opportunity(pk=opportunity_id), reason=rules.LAPSED
            )
            _tell_admins(
                Opportunity.objects.select_related("organisation").get(pk=opportunity.pk),
                "opportunity_lapsed",
                f"opportunity_lapsed:{opportunity.pk}",
                post_link=absolute_url(reverse("volunteering:opportunity_create")),
            )
    except (VolunteeringError, Opportunity.DoesNotExist):
        return False
    return True


def run_closing_dates(today: date) -> ClosingDatesRun:
    """Close what has passed its closing date, then remind of what closes within a week.
    One transaction per opportunity, so one failure loses nothing already done."""
    due = list(selectors.lapsed(today).values_list("pk", flat=True))
    # Those already reminded of their closing date are not locked again every day.
    already = LapseReminder.objects.filter(opportunity=OuterRef("pk"), ends_on=OuterRef("ends_on"))
    soon = selectors.lapsing(today, lapse_rules.REMIND_DAYS).exclude(Exists(already))
    return ClosingDatesRun(
        closed=sum(lapse(pk) for pk in due),
        reminded=sum(remind_closing_soon(pk, today) for pk in soon.values_list("pk", flat=True)),
    )


# --------------------------------------------------------------- the organisation


@transaction.atomic
def extend_opportunity(*, opportunity: Opportunity, by, ends_on: date) -> Opportunity:
    """Move a published opportunity's closing date later (up to 12 months from today), for a
    member of its organisation; or refuse, changing nothing."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _require_member(by, opportunity.organisation_id)
    if problem := lapse_rules.extension_problem(
        ends_on,
        status=opportunity.status,
        ends_on=opportunity.ends_on,
        one_off_date=opportunity.one_off_date,
        today=timezone.localdate(),
    ):
        raise VolunteeringError(problem, {"ends_on": problem})
    was = opportunity.ends_on
    opportunity.ends_on = ends_on
    opportunity.save(update_fields=["ends_on", "updated_at"])
    record(
        actor=by,
        action="opportunity.extended",
        obj=opportunity,
        data={"from": was.isoformat(), "to": ends_on.isoformat()},
    )
    return opportunity
