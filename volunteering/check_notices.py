"""Brokers told that an opportunity is waiting for their check.

Sent when an organisation submits (or resubmits) an opportunity, through the outbox in
the submission's transaction: a refused or rolled-back submission tells nobody. Every
live broker is told, except those who belong to the organisation (another broker must
check it, services._require_broker). The key is per submission, so a resubmission after
it was sent back tells them again, and a replayed one never twice.
"""

from django.urls import reverse

from notifications.services import absolute_url, queue_for_each

from .models import Broker, Opportunity


def brokers_to_tell(opportunity: Opportunity) -> list:
    """The people with a live broker grant who may check this opportunity, oldest grant first."""
    grants = (
        Broker.objects.live()
        .exclude(user__membership__organisation_id=opportunity.organisation_id)
        .select_related("user")
        .order_by("granted_at", "pk")
    )
    return [grant.user for grant in grants]


def tell_brokers_to_check(opportunity: Opportunity) -> int:
    """Email each broker who may check it that `opportunity` is waiting. How many were queued."""
    return queue_for_each(
        brokers_to_tell(opportunity),
        template="opportunity_to_check",
        context={
            "organisation": opportunity.organisation,
            "opportunity_title": opportunity.title,
            "resubmitted": bool(opportunity.sent_back_reason),
            "link": absolute_url(reverse("volunteering:broker_check", args=[opportunity.pk])),
        },
        kind="volunteering:opportunity_to_check",
        key=f"opportunity_to_check:{opportunity.pk}:{opportunity.submitted_at.isoformat()}",
    )
