"""Every change to organisations and their people goes through here."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from notifications.services import queue_templated_email

from .models import Invitation, InvitationBase, Membership, Organisation, PostcodePrefix
from .permissions import acts_for_a_provider
from .rules import Decision, can_accept_invitation, registered_address_decision


class OrganisationError(Exception):
    """A refused change; `.reason` is the sentence shown to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_address(data: dict) -> None:
    """Refuse an address outside the council's area that comes without a note saying why."""
    decision = registered_address_decision(
        postcode=data["postcode"],
        note=data.get("outside_area_note", ""),
        table=PostcodePrefix.objects.table(),
        area_name=settings.COUNCIL_AREA_NAME,
    )
    if not decision:
        raise OrganisationError(decision.reason)


@transaction.atomic
def register_organisation(*, user, data: dict, themes) -> Organisation:
    """Create an organisation with `user` as its first administrator; an address
    outside the council's area needs a note saying why (flagged to officers)."""
    if Membership.objects.filter(user=user).exists():
        raise OrganisationError("You already belong to an organisation.")
    _check_address(data)
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
    _check_address(
        {"postcode": stored.postcode, "outside_area_note": stored.outside_area_note, **data}
    )
    changed = sorted(k for k, v in data.items() if getattr(stored, k) != v)
    for field, value in data.items():
        setattr(stored, field, value)
    stored.save()
    stored.priority_themes.set(themes)
    record(actor=by, action="organisation.updated", obj=stored, data={"fields": changed})
    return stored


# --- Invitations. Organisations and providers invite people the same way: the
# steps below take the `owner` (whatever the invitation is into, with
# `memberships` and `invitations` relations), the audit action to record and the
# error to refuse with, so providers.services uses them too.


def create_invitation(
    *,
    owner,
    email: str,
    by,
    already_in: str,
    audit_action: str,
    email_template: str,
    email_kind: str,
    accept_url: Callable[[str], str],
    error: type[Exception] = OrganisationError,
) -> InvitationBase:
    """Invite `email` into `owner` unless they belong to it or already have an
    invitation waiting; it expires after INVITATION_VALID_DAYS.

    `already_in` ends the refusal "<email> …" for someone who belongs already;
    `accept_url(token)` is the absolute link the email carries. Call inside the
    caller's transaction.
    """
    email = email.strip().lower()
    if owner.memberships.filter(user__email__iexact=email).exists():
        raise error(f"{email} {already_in}")
    if owner.invitations.pending().filter(email__iexact=email).exists():
        raise error(
            f"{email} already has an invitation waiting. Withdraw it first to send a new one."
        )
    invitation = owner.invitations.create(
        email=email,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    record(actor=by, action=audit_action, obj=invitation, data={"email": email})
    queue_templated_email(
        to=email,
        template=email_template,
        context={
            "invitation": invitation,
            invitation.owner_field: owner,
            "invited_by": by,
            "url": accept_url(invitation.token),
        },
        kind=email_kind,
    )
    return invitation


def cancel_invitation(
    *, invitation: InvitationBase, by, audit_action: str, error: type[Exception] = OrganisationError
) -> None:
    """Withdraw an invitation nobody has used; call inside the caller's transaction."""
    invitation = lock_invitation(invitation)
    if invitation.accepted_at or invitation.cancelled_at:
        raise error("This invitation can no longer be withdrawn.")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(actor=by, action=audit_action, obj=invitation)


def lock_invitation(invitation: InvitationBase) -> InvitationBase:
    """The invitation's row, locked, so two clicks cannot both use or withdraw it."""
    return type(invitation).objects.select_for_update().get(pk=invitation.pk)


def may_accept(invitation: InvitationBase, user, *, already_member_of: str | None) -> Decision:
    """rules.can_accept_invitation for this invitation and person, now."""
    return can_accept_invitation(
        invited_email=invitation.email,
        user_email=user.email,
        expires_at=invitation.expires_at,
        now=timezone.now(),
        accepted=invitation.accepted_at is not None,
        cancelled=invitation.cancelled_at is not None,
        already_member_of=already_member_of,
    )


def mark_accepted(invitation: InvitationBase, user, *, audit_action: str) -> None:
    """Use up a locked invitation once its membership exists."""
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(actor=user, action=audit_action, obj=invitation)


@transaction.atomic
def invite_member(*, organisation: Organisation, email: str, by, base_url: str) -> Invitation:
    """Invite `email` to join; the invitation expires after INVITATION_VALID_DAYS."""
    return create_invitation(
        owner=organisation,
        email=email,
        by=by,
        already_in=f"is already a member of {organisation.name}.",
        audit_action="invitation.sent",
        email_template="invitation",
        email_kind="organisation:invitation",
        accept_url=lambda token: (
            base_url + reverse("organisations:invitation_accept", args=[token])
        ),
    )


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> None:
    cancel_invitation(invitation=invitation, by=by, audit_action="invitation.withdrawn")


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """Join the organisation; only the invited address, only once, only before expiry."""
    invitation = lock_invitation(invitation)
    existing = Membership.objects.select_related("organisation").filter(user=user).first()
    decision = may_accept(
        invitation, user, already_member_of=existing.organisation.name if existing else None
    )
    if not decision:
        raise OrganisationError(decision.reason)
    if acts_for_a_provider(user):
        # A person acts for one organisation or one provider, never both (providers'
        # accept_invitation refuses the other way round).
        raise OrganisationError(
            "You act for a provider, so you cannot also join an organisation. "
            "Use a different account."
        )
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=Membership.Role.MEMBER
    )
    mark_accepted(invitation, user, audit_action="invitation.accepted")
    return membership
