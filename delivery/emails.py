"""What every delivery email is told, and how it is queued.

Used by `services` (each move's email) and `reminders` (deadlines), so both
pass the same context to the templates.
"""

from django.urls import reverse

from notifications.services import absolute_url, queue_for_each

from .models import ProviderRequest


def email_people(users, *, template: str, context: dict, kind: str) -> None:
    """One email to each person, in the caller's transaction (the outbox)."""
    queue_for_each(users, template=template, context=context, kind=f"delivery:{kind}")


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
