"""Every change to organisations and their people goes through here."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from notifications.services import queue_templated_email

from .models import Invitation, Membership, Organisation
from .rules import can_accept_invitation


class OrganisationError(Exception):
    """A refused change; `.reason` is the sentence shown to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def register_organisation(*, user, data: dict, themes) -> Organisation:
    """Create an organisation with `user` as its first administrator."""
    if Membership.objects.filter(user=user).exists():
        raise OrganisationError("You already belong to an organisation.")
    organisation = Organisation.objects.create(**data)
    organisation.priority_themes.set(themes)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    record(actor=user, action="organisation.registered", obj=organisation)
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, by, data: dict, themes) -> Organisation:
    """Save profile changes and record which fields changed.

    Compares with the stored row, not `organisation`, which a ModelForm has
    already updated in memory while validating.
    """
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = sorted(k for k, v in data.items() if getattr(stored, k) != v)
    for field, value in data.items():
        setattr(stored, field, value)
    stored.save()
    stored.priority_themes.set(themes)
    record(actor=by, action="organisation.updated", obj=stored, data={"fields": changed})
    return stored


@transaction.atomic
def invite_member(*, organisation: Organisation, email: str, by, base_url: str) -> Invitation:
    """Invite `email` to join; the invitation expires after INVITATION_VALID_DAYS."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise OrganisationError(f"{email} is already a member of {organisation.name}.")
    if organisation.invitations.pending().filter(email__iexact=email).exists():
        raise OrganisationError(
            f"{email} already has an invitation waiting. Withdraw it first to send a new one."
        )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    record(actor=by, action="invitation.sent", obj=invitation, data={"email": email})
    queue_templated_email(
        to=email,
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": organisation,
            "invited_by": by,
            "url": base_url + reverse("organisations:invitation_accept", args=[invitation.token]),
        },
        kind="organisation:invitation",
    )
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.cancelled_at:
        raise OrganisationError("This invitation can no longer be withdrawn.")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(actor=by, action="invitation.withdrawn", obj=invitation)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """Join the organisation; only the invited address, only once, only before expiry."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    existing = Membership.objects.select_related("organisation").filter(user=user).first()
    decision = can_accept_invitation(
        invited_email=invitation.email,
        user_email=user.email,
        expires_at=invitation.expires_at,
        now=timezone.now(),
        accepted=invitation.accepted_at is not None,
        cancelled=invitation.cancelled_at is not None,
        already_member_of=existing.organisation.name if existing else None,
    )
    if not decision:
        raise OrganisationError(decision.reason)
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=Membership.Role.MEMBER
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(actor=user, action="invitation.accepted", obj=invitation)
    return membership
