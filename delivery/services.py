"""The provider's part of an agreed package's journey: one function per move.

request → accept | decline | withdraw → sessions (the first starts delivery) →
delivered → confirmed (with a rating) | disputed → resolved → claim →
approved (spend in the ledger) | rejected.

Each function checks who is acting, moves the agreed package through
`allowances.services` (which locks strand → organisation → package and checks
the move against `allowances.models.TRANSITIONS`), then locks and writes its
own rows, records an audit event and queues emails, all in one transaction.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from allowances.models import AgreedStatus
from allowances.services import (
    AllowanceError,
    lock_agreed,
    lock_for_move,
    record_spend,
    start_delivery,
    transition,
)
from audit.services import record
from diagnostics import uploads
from organisations.models import Membership, User
from packages.money import format_money
from providers.models import Provider, ProviderMembership
from providers.selectors import people_of

from .emails import (
    context_for,
    email_people,
    link_to,
)
from .models import (
    CLAIM_TRANSITIONS,
    REQUEST_TRANSITIONS,
    Claim,
    ClaimInvoice,
    ClaimStatus,
    DeliverySession,
    Dispute,
    DisputeOutcome,
    ProviderRequest,
    Rating,
    RequestStatus,
)
from .rules import (
    claim_amount_decision,
    invoice_reference_decision,
    planned_dates_decision,
    session_date_decision,
)
from .selectors import delivery_deadline, provider_can_be_chosen


class DeliveryError(AllowanceError):
    """A refused step; `.reason` is the sentence shown to the person."""


class FieldRefused(DeliveryError):
    """A refusal about one answer: `.field` names the form field the view shows it beside."""

    def __init__(self, reason: str, *, field: str):
        super().__init__(reason)
        self.field = field


# A session logged again with all of these the same is the same session sent twice.
SESSION_IDENTITY = ("held_on", "hours", "mode", "topics", "attendees", "notes")


# ---------------------------------------------------------------- checks


def _require_organisation_admin(user, agreed) -> None:
    if not Membership.objects.filter(
        user=user, organisation_id=agreed.organisation_id, role=Membership.Role.ADMIN
    ).exists():
        raise DeliveryError(
            "Only an administrator of the organisation can choose a provider, confirm delivery "
            "or raise a dispute."
        )


def _require_provider_member(user, provider_id: int) -> None:
    if not ProviderMembership.objects.filter(user=user, provider_id=provider_id).exists():
        raise DeliveryError("Only people who act for the provider can do this.")


def _require_officer(user) -> None:
    if not user.is_officer:
        raise DeliveryError("Only council officers and managers can do this.")


def _locked_request(pk: int, *, status: str | None = None) -> ProviderRequest:
    request = (
        ProviderRequest.objects.select_for_update(of=("self",))
        .select_related("agreed_package__organisation", "agreed_package__package", "provider")
        .get(pk=pk)
    )
    if status is not None and request.status != status:
        raise DeliveryError(
            f"This request has already been {request.get_status_display().lower()}, so it "
            "cannot be changed now."
        )
    return request


def _pending_request(request: ProviderRequest) -> ProviderRequest:
    """Lock the package (strand → organisation → package), then the request, and check the
    request still waits for an answer: a second answer (a double submit, or the provider
    accepting just after the organisation withdrew) is told what happened to the request,
    rather than that the package cannot move."""
    lock_agreed(request.agreed_package)
    return _locked_request(request.pk, status=RequestStatus.PENDING)


def _accepted_request_for(agreed) -> ProviderRequest:
    request = (
        ProviderRequest.objects.select_for_update(of=("self",))
        .select_related("agreed_package__organisation", "agreed_package__package", "provider")
        .filter(agreed_package=agreed, status=RequestStatus.ACCEPTED)
        .first()
    )
    if request is None:
        raise DeliveryError("No provider has accepted this package.")
    return request


def _respond(request: ProviderRequest, to: str, *, by, **fields) -> None:
    if to not in REQUEST_TRANSITIONS[request.status]:
        raise DeliveryError(
            f"This request has already been {request.get_status_display().lower()}, so it "
            "cannot be changed now."
        )
    from_state = request.status
    request.status = to
    request.responded_by = by
    request.responded_at = timezone.now()
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    record(
        actor=by,
        action=f"provider_request.{to}",
        obj=request,
        from_state=from_state,
        to_state=to,
        reason=fields.get("decline_reason", ""),
    )


# ---------------------------------------------------------------- choosing


def request_provider(agreed_package, *, provider, message: str, by) -> ProviderRequest:
    """The organisation asks `provider` to deliver the package.

    Refused if the provider cannot be chosen now (not approved for the package,
    lapsed, linked to the organisation, or full), or if a request is already live
    — so a double-submitted form makes one request, not two.
    """
    message = (message or "").strip()
    if not message:
        raise DeliveryError("Enter a message to the provider")
    _require_organisation_admin(by, agreed_package)
    with transaction.atomic():
        agreed = lock_agreed(agreed_package)
        live = (
            ProviderRequest.objects.live()
            .filter(agreed_package=agreed)
            .select_related("provider")
            .first()
        )
        if live is not None:
            raise DeliveryError(
                f"You have already asked {live.provider} to deliver this package"
                + (
                    ", and they have accepted."
                    if live.status == RequestStatus.ACCEPTED
                    else ". Wait for their answer, or withdraw the request to choose again."
                )
            )
        agreed = lock_for_move(agreed, AgreedStatus.PROVIDER_REQUESTED)
        choosable = provider_can_be_chosen(provider, agreed, on=timezone.localdate())
        if not choosable:
            raise DeliveryError(choosable.reason)
        agreed = transition(
            agreed,
            AgreedStatus.PROVIDER_REQUESTED,
            by=by,
            action="agreed_package.provider_requested",
        )
        request = ProviderRequest.objects.create(
            agreed_package=agreed, provider=provider, message=message, requested_by=by
        )
        record(
            actor=by,
            action="provider_request.sent",
            obj=request,
            to_state=RequestStatus.PENDING,
            data={"provider": provider.pk, "agreed_package": agreed.pk},
        )
        email_people(
            people_of(provider),
            template="provider_requested",
            context=context_for(request, link=link_to("delivery:provider_request", request.pk)),
            kind="provider_requested",
        )
    return request


def withdraw_request(request: ProviderRequest, *, by) -> ProviderRequest:
    """The organisation withdraws a request the provider has not answered, to choose again."""
    _require_organisation_admin(by, request.agreed_package)
    with transaction.atomic():
        request = _pending_request(request)
        transition(
            request.agreed_package,
            AgreedStatus.AGREED,
            by=by,
            action="agreed_package.request_withdrawn",
        )
        _respond(request, RequestStatus.WITHDRAWN, by=by)
        email_people(
            people_of(request.provider),
            template="provider_request_withdrawn",
            context=context_for(request),
            kind="provider_request_withdrawn",
        )
    return request


def accept_request(
    request: ProviderRequest, *, by, planned_start: date, planned_end: date
) -> ProviderRequest:
    """The provider takes the work on, with the dates it plans to deliver it between."""
    _require_provider_member(by, request.provider_id)
    with transaction.atomic():
        request = _pending_request(request)
        agreed = transition(
            request.agreed_package, AgreedStatus.ACCEPTED, by=by, action="agreed_package.accepted"
        )
        dates = planned_dates_decision(
            start=planned_start,
            end=planned_end,
            today=timezone.localdate(),
            latest_end=delivery_deadline(agreed),
        )
        if not dates:
            raise DeliveryError(dates.reason)
        # Still approved, insured and with room: the provider row is locked (after the
        # package, keeping the order) so two acceptances cannot both take its last place.
        Provider.objects.select_for_update().get(pk=request.provider_id)
        can_take = provider_can_be_chosen(request.provider, agreed, on=timezone.localdate())
        if not can_take:
            raise DeliveryError(f"You cannot accept this request now. {can_take.reason}")
        _respond(
            request,
            RequestStatus.ACCEPTED,
            by=by,
            planned_start=planned_start,
            planned_end=planned_end,
        )
        email_people(
            Membership.objects.admin_users(agreed.organisation),
            template="provider_accepted",
            context=context_for(request, link=link_to("delivery:package", agreed.pk)),
            kind="provider_accepted",
        )
    return request


def decline_request(request: ProviderRequest, *, by, reason: str) -> ProviderRequest:
    """The provider says no, with a reason; the organisation chooses again."""
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError("Enter why you are declining the request")
    _require_provider_member(by, request.provider_id)
    with transaction.atomic():
        request = _pending_request(request)
        agreed = transition(
            request.agreed_package, AgreedStatus.AGREED, by=by, action="agreed_package.declined"
        )
        _respond(request, RequestStatus.DECLINED, by=by, decline_reason=reason)
        email_people(
            Membership.objects.admin_users(agreed.organisation),
            template="provider_declined",
            context=context_for(request, link=link_to("delivery:choose", agreed.pk)),
            kind="provider_declined",
        )
    return request


# ---------------------------------------------------------------- delivering


def log_session(request: ProviderRequest, *, by, data: dict, attachment=None) -> DeliverySession:
    """The provider records a session. The first one starts delivery (the package then counts
    towards the caps even if later cancelled). Refused unless the request was accepted and the
    package is accepted or being delivered."""
    _require_provider_member(by, request.provider_id)
    checked = None
    if attachment is not None:
        decision, checked = uploads.check_upload(attachment)
        if not decision:
            raise DeliveryError(decision.reason)
    with transaction.atomic():
        agreed = lock_agreed(request.agreed_package)
        if agreed.status not in (AgreedStatus.ACCEPTED, AgreedStatus.IN_DELIVERY):
            raise DeliveryError(
                f"This package is {agreed.get_status_display().lower()}, so delivery cannot be "
                "logged on it. You can log sessions once you have accepted the request and until "
                "you mark the work delivered."
            )
        request = _locked_request(request.pk)
        if request.status != RequestStatus.ACCEPTED:
            raise DeliveryError("You can only log delivery on a request you have accepted.")
        # A double-submitted form sends the same session twice; the request row is
        # locked, so the second waits here and finds the first.
        if request.sessions.filter(**{k: data[k] for k in SESSION_IDENTITY if k in data}).exists():
            raise DeliveryError(
                "You have already logged this session. To log another session on the same "
                "day, say in the notes how it was different"
            )
        when = session_date_decision(
            held_on=data["held_on"],
            today=timezone.localdate(),
            accepted_on=timezone.localdate(request.responded_at),
        )
        if not when:
            raise DeliveryError(when.reason)
        if agreed.status == AgreedStatus.ACCEPTED:
            start_delivery(agreed, by=by, on=data["held_on"])
        session = DeliverySession(request=request, logged_by=by, **data)
        if checked is not None:
            stored_name, _ = uploads.store(attachment)
            session.attachment_name = checked.original_name
            session.attachment_stored_name = stored_name
            session.attachment_content_type = checked.content_type
        try:
            with transaction.atomic():
                session.save()
                record(
                    actor=by,
                    action="delivery_session.logged",
                    obj=session,
                    data={"request": request.pk, "hours": str(session.hours)},
                )
        except Exception:
            # The row was not saved: don't leave its file behind.
            if session.attachment_stored_name:
                uploads.delete_stored(session.attachment_stored_name)
            raise
    return session


def mark_delivered(request: ProviderRequest, *, by, outcome_summary: str) -> ProviderRequest:
    """The provider says the work is done, with what it achieved."""
    outcome_summary = (outcome_summary or "").strip()
    if not outcome_summary:
        raise DeliveryError("Enter a summary of what the support achieved")
    _require_provider_member(by, request.provider_id)
    with transaction.atomic():
        agreed = lock_agreed(request.agreed_package)
        request = _locked_request(request.pk, status=RequestStatus.ACCEPTED)
        if request.delivered_at is not None:
            raise DeliveryError("You have already marked this work delivered.")
        if not request.sessions.exists():
            raise DeliveryError(
                "Log at least one delivery session before marking the work delivered"
            )
        agreed = transition(
            agreed, AgreedStatus.DELIVERED, by=by, action="agreed_package.delivered"
        )
        request.delivered_at = timezone.now()
        request.outcome_summary = outcome_summary
        request.save(update_fields=["delivered_at", "outcome_summary"])
        email_people(
            Membership.objects.admin_users(agreed.organisation),
            template="package_delivered",
            context=context_for(request, link=link_to("delivery:confirm", agreed.pk)),
            kind="package_delivered",
        )
    return request


# ---------------------------------------------------------------- confirming and rating


def confirm_delivery(agreed_package, *, by, score: int, comment: str = "") -> Rating:
    """The organisation confirms the work was delivered and rates the provider (1 to 5)."""
    if score not in range(1, 6):
        raise DeliveryError("Choose a rating from 1 to 5")
    _require_organisation_admin(by, agreed_package)
    with transaction.atomic():
        agreed = lock_agreed(agreed_package)
        request = _accepted_request_for(agreed)
        if Rating.objects.filter(request=request).exists():
            raise DeliveryError("This package has already been rated.")
        agreed = transition(
            agreed, AgreedStatus.CONFIRMED, by=by, action="agreed_package.confirmed"
        )
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    request=request, score=score, comment=(comment or "").strip(), rated_by=by
                )
        except IntegrityError:
            raise DeliveryError("This package has already been rated.") from None
        record(actor=by, action="rating.given", obj=rating, data={"score": score})
        email_people(
            people_of(request.provider),
            template="delivery_confirmed",
            context=context_for(
                request, rating=rating, link=link_to("delivery:provider_request", request.pk)
            ),
            kind="delivery_confirmed",
        )
    return rating


def dispute_delivery(agreed_package, *, by, reason: str) -> Dispute:
    """The organisation says the work was not delivered as agreed; an officer will decide."""
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError("Enter what was not delivered as agreed")
    _require_organisation_admin(by, agreed_package)
    with transaction.atomic():
        agreed = transition(
            agreed_package,
            AgreedStatus.DISPUTED,
            by=by,
            action="agreed_package.disputed",
            reason=reason,
        )
        request = _accepted_request_for(agreed)
        dispute = Dispute.objects.create(request=request, reason=reason, raised_by=by)
        record(actor=by, action="dispute.raised", obj=dispute, reason=reason)
        context = context_for(request, dispute=dispute)
        email_people(
            people_of(request.provider),
            template="delivery_disputed",
            context={**context, "link": link_to("delivery:provider_request", request.pk)},
            kind="delivery_disputed",
        )
        email_people(
            User.objects.officers(),
            template="dispute_raised",
            context={**context, "link": link_to("delivery:resolve_dispute", dispute.pk)},
            kind="dispute_raised",
        )
    return dispute


def resolve_dispute(dispute: Dispute, *, by, outcome: str, resolution: str) -> Dispute:
    """An officer decides: back to the provider to finish, or delivery confirmed."""
    resolution = (resolution or "").strip()
    if outcome not in DisputeOutcome.values:
        raise DeliveryError("Choose how the dispute is resolved")
    if not resolution:
        raise DeliveryError("Enter the reason for your decision")
    _require_officer(by)
    to = (
        AgreedStatus.IN_DELIVERY
        if outcome == DisputeOutcome.BACK_TO_DELIVERY
        else AgreedStatus.CONFIRMED
    )
    with transaction.atomic():
        # The package first (strand → organisation → package), then the dispute: a
        # second officer is told the dispute was resolved, not that the package can't move.
        lock_agreed(dispute.request.agreed_package)
        dispute = (
            Dispute.objects.select_for_update(of=("self",))
            .select_related("request__provider", "request__agreed_package")
            .get(pk=dispute.pk)
        )
        if not dispute.is_open:
            raise DeliveryError("This dispute has already been resolved.")
        agreed = transition(
            dispute.request.agreed_package,
            to,
            by=by,
            action="agreed_package.dispute_resolved",
            reason=resolution,
        )
        dispute.outcome = outcome
        dispute.resolution = resolution
        dispute.resolved_by = by
        dispute.resolved_at = timezone.now()
        dispute.save()
        if outcome == DisputeOutcome.BACK_TO_DELIVERY:
            # The provider marks it delivered again when the work is finished.
            ProviderRequest.objects.filter(pk=dispute.request_id).update(delivered_at=None)
        record(
            actor=by,
            action="dispute.resolved",
            obj=dispute,
            to_state=outcome,
            reason=resolution,
        )
        context = context_for(dispute.request, dispute=dispute)
        email_people(
            Membership.objects.admin_users(agreed.organisation)
            + people_of(dispute.request.provider),
            template="dispute_resolved",
            context=context,
            kind="dispute_resolved",
        )
    return dispute


def reply_to_rating(rating: Rating, *, by, reply: str) -> Rating:
    """The provider may reply to a rating once."""
    reply = (reply or "").strip()
    if not reply:
        raise DeliveryError("Enter your reply")
    with transaction.atomic():
        rating = Rating.objects.select_for_update().select_related("request").get(pk=rating.pk)
        _require_provider_member(by, rating.request.provider_id)
        if rating.replied_at is not None:
            raise DeliveryError("You have already replied to this rating. You can only reply once.")
        rating.reply = reply
        rating.replied_by = by
        rating.replied_at = timezone.now()
        rating.save(update_fields=["reply", "replied_by", "replied_at"])
        record(actor=by, action="rating.replied", obj=rating)
    return rating


def hide_rating_comment(rating: Rating, *, by, reason: str) -> Rating:
    """An officer hides an abusive comment, with a reason. The score still counts."""
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError("Enter why the comment is being hidden")
    _require_officer(by)
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if rating.is_hidden:
            raise DeliveryError("This comment is already hidden.")
        rating.hidden_reason = reason
        rating.hidden_by = by
        rating.hidden_at = timezone.now()
        rating.save(update_fields=["hidden_reason", "hidden_by", "hidden_at"])
        record(actor=by, action="rating.comment_hidden", obj=rating, reason=reason)
    return rating


# ---------------------------------------------------------------- being paid


def submit_claim(
    agreed_package,
    *,
    by,
    amount: Decimal | None,
    invoice_reference: str,
    note: str = "",
    invoice=None,
) -> Claim:
    """The provider claims payment for confirmed work: at most the agreed value, quoting its
    invoice reference, with its invoice attached if it chose to (checked like evidence)."""
    note = (note or "").strip()
    invoice_reference = (invoice_reference or "").strip()
    reference_ok = invoice_reference_decision(invoice_reference)
    if not reference_ok:
        raise FieldRefused(reference_ok.reason, field="invoice_reference")
    checked = None
    if invoice is not None:
        # Checked (and virus-scanned) before any lock is taken.
        decision, checked = uploads.check_upload(invoice)
        if not decision:
            raise FieldRefused(decision.reason, field="invoice")
    with transaction.atomic():
        agreed = lock_agreed(agreed_package)
        live = Claim.objects.filter(
            agreed_package=agreed, status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]
        ).first()
        if live is not None:
            raise DeliveryError(
                f"You have already claimed for this package: claim {live.reference} is "
                f"{live.get_status_display().lower()}."
            )
        agreed = lock_for_move(agreed, AgreedStatus.CLAIMED)
        request = _accepted_request_for(agreed)
        _require_provider_member(by, request.provider_id)
        amount_ok = claim_amount_decision(amount=amount, value=agreed.value, note=note)
        if not amount_ok:
            raise DeliveryError(amount_ok.reason)
        agreed = transition(agreed, AgreedStatus.CLAIMED, by=by, action="agreed_package.claimed")
        claim = Claim.objects.create(
            request=request,
            agreed_package=agreed,
            amount=amount,
            invoice_reference=invoice_reference,
            note=note,
            submitted_by=by,
        )
        data = {"amount": str(amount), "invoice_reference": invoice_reference}
        if checked is not None:
            data["invoice_sha256"] = _attach_invoice(claim, invoice, checked, by=by).sha256
        record(
            actor=by,
            action="claim.submitted",
            obj=claim,
            to_state=ClaimStatus.SUBMITTED,
            data=data,
        )
    return claim


def _attach_invoice(claim: Claim, upload, checked, *, by) -> ClaimInvoice:
    """Store an already-checked invoice under the evidence rules, as the claim's."""
    stored_name, sha256 = uploads.store(upload)
    try:
        with transaction.atomic():
            return ClaimInvoice.objects.create(
                claim=claim,
                original_name=checked.original_name,
                stored_name=stored_name,
                content_type=checked.content_type,
                size=upload.size,
                sha256=sha256,
                uploaded_by=by,
            )
    except Exception:
        # The row was not saved: don't leave its file behind.
        uploads.delete_stored(stored_name)
        raise


def _waiting_claim(claim: Claim) -> tuple:
    """Lock the package (strand → organisation → package), then the claim, and check the
    claim still waits for a decision. Returns (package, claim). A second decision, even by
    another officer at the same moment, waits here and is told what the first decided."""
    agreed = lock_agreed(claim.agreed_package)
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("request__provider")
        .get(pk=claim.pk)
    )
    if claim.status != ClaimStatus.SUBMITTED:
        raise DeliveryError(
            f"This claim has already been {claim.get_status_display().lower()}, so it cannot "
            "be decided again."
        )
    return agreed, claim


def _decide(claim: Claim, to: str, *, by, reason: str = "", amount_paid=None) -> Claim:
    if to not in CLAIM_TRANSITIONS[claim.status]:
        raise DeliveryError(
            f"This claim has already been {claim.get_status_display().lower()}, so it cannot be "
            "decided again."
        )
    from_state = claim.status
    claim.status = to
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.decision_reason = reason
    claim.amount_paid = amount_paid
    claim.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "amount_paid"]
    )
    record(
        actor=by,
        action=f"claim.{to}",
        obj=claim,
        from_state=from_state,
        to_state=to,
        reason=reason,
        data={"amount_paid": str(amount_paid)} if amount_paid is not None else {},
    )
    return claim


def approve_claim(claim: Claim, *, by, amount: Decimal | None = None, reason: str = "") -> Claim:
    """An officer approves: the commitment becomes spend in the ledger, once.

    Paying more than the agreed value needs a manager and a reason
    (`allowances.services.record_spend` enforces it). Two officers approving at
    once queue on the package row; the second finds it paid and is refused.
    """
    _require_officer(by)
    with transaction.atomic():
        agreed, claim = _waiting_claim(claim)
        paid = claim.amount if amount is None else amount
        reason = (reason or "").strip()
        if claim.amount < paid <= agreed.value and not (by.is_manager and reason):
            # Paying more than the provider asked for is a payment nobody claimed: like
            # paying past the agreed value (refused in record_spend), it needs a manager
            # and a written reason.
            then = (
                "Give the reason for paying more."
                if by.is_manager
                else "Only a manager can approve it."
            )
            raise DeliveryError(
                f"The payment of {format_money(paid)} is more than the "
                f"{format_money(claim.amount)} claimed. {then}"
            )
        record_spend(
            agreed, amount=paid, by=by, override_reason=reason if paid > agreed.value else None
        )
        _decide(claim, ClaimStatus.APPROVED, by=by, reason=reason, amount_paid=paid)
        email_people(
            people_of(claim.provider),
            template="claim_approved",
            context=context_for(claim.request, claim=claim),
            kind="claim_approved",
        )
    return claim


def reject_claim(claim: Claim, *, by, reason: str) -> Claim:
    """An officer rejects a claim with a reason; the provider may claim again."""
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError("Enter why the claim is being rejected")
    _require_officer(by)
    with transaction.atomic():
        agreed, claim = _waiting_claim(claim)
        transition(
            agreed,
            AgreedStatus.CONFIRMED,
            by=by,
            action="agreed_package.claim_rejected",
            reason=reason,
        )
        _decide(claim, ClaimStatus.REJECTED, by=by, reason=reason)
        email_people(
            people_of(claim.provider),
            template="claim_rejected",
            context=context_for(
                claim.request, claim=claim, link=link_to("delivery:claim", claim.request_id)
            ),
            kind="claim_rejected",
        )
    return claim
