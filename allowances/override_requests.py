"""An officer refused by a cap or the budget asks a manager to agree the package anyway.

`ask_for_override` records the request (one waiting per organisation and
package) and emails the managers; `decide_override` lets one manager agree it,
through `agree_package` with the manager's reason as the override, or refuse it.
The request row is locked first, so when two managers decide at once the second
waits, then finds it decided and is told by whom. Every step is audited, and the
officer and the organisation hear the outcome.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from notifications.services import absolute_url, queue_for_each, queue_templated_email
from organisations.models import User

from .models import OverrideRequest, OverrideRequestStatus
from .selectors import preview_agreement
from .services import AgreementRefused, agree_package

REASON_MAX = 2000


class OverrideRequestRefused(AgreementRefused):
    """The request cannot be made or decided as asked; `reason` says why."""


def ask_for_override(*, organisation, package, by, reason: str, on: date) -> OverrideRequest:
    """Record an officer's request; only when a cap or the budget, nothing else, refuses them."""
    reason = (reason or "").strip()
    if not reason:
        raise OverrideRequestRefused("Enter why the package should be agreed anyway")
    if not by.is_officer:
        raise OverrideRequestRefused("Only council officers can ask for an override.")
    preview = preview_agreement(organisation, package, on)
    if not preview.needs_override:
        raise OverrideRequestRefused(
            " ".join(preview.problems)
            if preview.blocked
            else "No override is needed: the package can be agreed now."
        )
    try:
        with transaction.atomic():
            request = OverrideRequest.objects.create(
                organisation=organisation,
                package=package,
                requested_by=by,
                reason=reason,
                refusals="\n".join(preview.problems),
            )
            record(
                actor=by,
                action="override_request.sent",
                obj=request,
                reason=reason,
                data={"organisation": organisation.pk, "package": package.pk},
            )
            queue_for_each(
                User.objects.managers(),
                template="override_request_sent",
                context=_context(request),
                kind="allowances:override_request_sent",
                key=f"override-request:{request.pk}",
            )
    except IntegrityError:
        raise OverrideRequestRefused(
            f"A request to agree {package.name} for {organisation.name} is already waiting "
            "for a manager."
        ) from None
    return request


def decide_override(request_id: int, *, by, agree: bool, reason: str, on=None) -> OverrideRequest:
    """A manager agrees (with `reason` as the override's) or refuses a waiting request."""
    reason = (reason or "").strip()
    if not by.is_manager:
        raise OverrideRequestRefused("Only managers can decide override requests.")
    if not reason:
        raise OverrideRequestRefused("Enter the reason for your decision")
    on = on or timezone.localdate()
    with transaction.atomic():
        request = (
            OverrideRequest.objects.select_for_update(of=("self",))
            .select_related("organisation", "package", "requested_by", "decided_by")
            .get(pk=request_id)
        )
        if request.status != OverrideRequestStatus.WAITING:
            raise OverrideRequestRefused(
                f"{request.decided_by} already decided this request on "
                f"{timezone.localtime(request.decided_at):%-d %B %Y at %H:%M}: "
                f"{request.get_status_display().lower()}."
            )
        if agree:
            request.agreed_package = agree_package(
                organisation=request.organisation,
                package=request.package,
                agreed_by=by,
                on=on,
                override_reason=f"{reason} (override request {request.reference})",
            )
        request.status = OverrideRequestStatus.AGREED if agree else OverrideRequestStatus.REFUSED
        request.decided_by, request.decided_at = by, timezone.now()
        request.decision_reason = reason
        request.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_reason",
                "agreed_package",
            ]
        )
        record(
            actor=by,
            action="override_request.agreed" if agree else "override_request.refused",
            obj=request,
            reason=reason,
            data={"agreed_package": request.agreed_package_id},
        )
        context = _context(request)
        queue_templated_email(
            to=request.requested_by.email,
            template="override_request_decided",
            context={**context, "recipient": request.requested_by},
            kind="allowances:override_request_decided",
            key=f"override-decided:{request.pk}:officer",
        )
        if not agree:  # an agreement already tells the organisation, as every agreement does
            queue_templated_email(
                to=request.organisation.contact_email,
                template="override_request_refused_organisation",
                context=context,
                kind="allowances:override_request_refused",
                key=f"override-decided:{request.pk}:organisation",
            )
    return request


def _context(request: OverrideRequest) -> dict:
    return {
        "override_request": request,
        "organisation": request.organisation,
        "package": request.package,
        "link": absolute_url(reverse("allowances:override_request", args=[request.pk])),
    }
