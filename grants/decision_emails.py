"""Telling applicants about the decision for their community: the offer, and the outcome.

Queued in the deciding transaction (the outbox sends after it commits).
"""

from django.urls import reverse

from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership

from .application_models import Application, ApplicationStatus


def _email_admins(organisation, template: str, context: dict) -> None:
    queue_for_each(
        Membership.objects.admin_users(organisation),
        template=template,
        context={"organisation": organisation, **context},
        kind="grants:application",
    )


def email_offer(decision) -> None:
    """Tell the applicant's administrators they have been offered the award."""
    application = decision.application
    _email_admins(
        application.organisation,
        "grant_offer",
        {
            "grant_application": application,
            "decision": decision,
            "url": absolute_url(reverse("grants:offer", args=[application.pk])),
        },
    )


def tell_the_others(round_community, *, except_application=None) -> None:
    """Tell every other applicant for the community that theirs was not successful."""
    others = (
        Application.objects.filter(
            round_community=round_community, status=ApplicationStatus.SUBMITTED
        )
        .exclude(pk=getattr(except_application, "pk", None))
        .select_related("organisation", "round")
    )
    for application in others:
        _email_admins(application.organisation, "grant_outcome", {"grant_application": application})
