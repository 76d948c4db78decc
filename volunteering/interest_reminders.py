"""The daily reminder to organisations about interest they have not answered in 5 working
days (issue 14). The brokers see the same interest on their queue (`unanswered`).

Each interest is reminded once (`reminded_at`), in its own transaction with its row
locked and skipped if another worker holds it, so two workers at once send one email;
the outbox's key makes a re-run after a crash send nothing twice.
"""

import logging
from datetime import date, datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.calendar import subtract_working_days
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership

from . import volunteer_rules as vr
from .models import Interest
from .volunteer_services import KIND

log = logging.getLogger(__name__)


def due_before(today: date) -> datetime:
    """Interest sent before the start of this day has waited 5 working days by today."""
    day = subtract_working_days(today, vr.ANSWER_WITHIN_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(day, time.min))


def remind_unanswered(today: date) -> int:
    """Remind each organisation of interest waiting 5 working days; how many were reminded."""
    waiting = Interest.objects.filter(
        status=vr.SENT,
        volunteer__isnull=False,
        reminded_at__isnull=True,
        created_at__lt=due_before(today),
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(waiting.order_by("created_at", "id")[:5000]):
        try:
            reminded += _remind(pk)
        except Exception:  # one organisation's failure must not stop the rest
            log.exception("Reminding about interest %s failed", pk)
    return reminded


@transaction.atomic
def _remind(pk: int) -> int:
    interest = (
        Interest.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("opportunity__organisation")
        .filter(pk=pk, status=vr.SENT, reminded_at__isnull=True)
        .first()
    )
    if interest is None:  # answered, reminded or being reminded meanwhile
        return 0
    opportunity = interest.opportunity
    queue_for_each(
        Membership.objects.admin_users(opportunity.organisation),
        template="interest_reminder",
        context={
            "organisation": opportunity.organisation,
            "opportunity_title": opportunity.title,
            "sent_on": interest.created_at.date(),
            "link": absolute_url(reverse("volunteering:interest", args=[interest.pk])),
        },
        kind=KIND,
        key=f"interest_reminder:{interest.pk}",
    )
    interest.reminded_at = timezone.now()
    interest.save(update_fields=["reminded_at"])
    return 1
