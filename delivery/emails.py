"""Who hears about each step of the delivery journey, and what every email is told.

Used by `services` (each move's email) and `reminders` (deadlines), so both
name the same people and pass the same context to the templates.
"""

from django.urls import reverse

from notifications.services import absolute_url, queue_templated_email
from organisations.models import Membership, User
from providers.models import ProviderMembership

from .models import ProviderRequest


def email_people(users, *, template: str, context: dict, kind: str) -> None:
    """One email to each person, in the caller's transaction (the outbox)."""
    for user in users:
        queue_templated_email(
            to=user.email,
            template=template,
            context={**context, "recipient": user},
            kind=f"delivery:{kind}",
        )


def organisation_admins(organisation) -> list:
    return [m.user for m in Membership.objects.admins_of(organisation)]


def provider_people(provider) -> list:
    """Everyone who acts for the provider."""
    return [
        m.user for m in ProviderMembership.objects.filter(provider=provider).select_related("user")
    ]


def officers():
    return User.objects.officers()


def context_for(request: ProviderRequest, **more) -> dict:
    """What every delivery email can name: the request, package, organisation and provider."""
    agreed = request.agreed_package
    return {
        "request": request,
        "agreed": agreed,
        "organisation": agreed.organisation,
        "package": agreed.package,
        "provider": request.provider,
        **more,
    }


def link_to(name: str, pk: int) -> str:
    """The full address of a page about one object, for an email."""
    return absolute_url(reverse(name, kwargs={"pk": pk}))
