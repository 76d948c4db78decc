"""What the delivery journey does when something below it changes."""

from django.dispatch import receiver
from django.utils import timezone

from allowances.services import package_ended
from audit.services import record
from providers.selectors import people_of

from .emails import context_for, email_people
from .models import ProviderRequest, RequestStatus


@receiver(package_ended)
def close_requests_of_ended_package(sender, *, agreed, by, reason, **kwargs):
    """A cancelled package: a request still waiting is withdrawn, and the provider told.

    Runs in the cancelling transaction, after the package row is locked.
    """
    for request in (
        ProviderRequest.objects.live()
        .select_for_update(of=("self",))
        .select_related("agreed_package__organisation", "agreed_package__package", "provider")
        .filter(agreed_package=agreed)
    ):
        if request.status == RequestStatus.PENDING:
            request.status = RequestStatus.WITHDRAWN
            request.responded_at = timezone.now()
            request.responded_by = by
            request.save(update_fields=["status", "responded_at", "responded_by"])
            record(
                actor=by,
                action="provider_request.withdrawn",
                obj=request,
                from_state=RequestStatus.PENDING,
                to_state=RequestStatus.WITHDRAWN,
                reason=f"The package was {agreed.get_status_display().lower()}: {reason}",
            )
        email_people(
            people_of(request.provider),
            template="package_cancelled_provider",
            context=context_for(request, reason=reason),
            kind="package_cancelled_provider",
        )
