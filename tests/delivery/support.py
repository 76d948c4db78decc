"""Helpers for the delivery tests: an approved, insured provider and a journey walker.

`Journey` walks an agreed package forward through the REAL `delivery.services`
(request → accept → log a session → mark delivered → confirm → claim →
approve), so a test can start from any state without faking rows.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from allowances.models import AgreedPackage, AgreedStatus
from delivery import services
from delivery.models import Claim, DeliverySession, Dispute, ProviderRequest, RequestStatus
from providers.models import (
    NEED_MESSAGE,
    ApplicationStatus,
    InsuranceCertificate,
    PackageApplication,
    required_insurance,
)

S = AgreedStatus
COVER = Decimal("10000000.00")  # above every configured minimum


def insure(provider, *, by, until=None, kinds=None):
    """Give `provider` every certificate it needs, in force until `until` (a year by default)."""
    until = until or timezone.localdate() + timedelta(days=365)
    for kind in kinds or required_insurance(provider.employs_staff):
        InsuranceCertificate.objects.update_or_create(
            provider=provider,
            kind=kind,
            defaults={
                "cover": COVER,
                "expires_on": until,
                "original_name": f"{kind}-certificate.pdf",
                "stored_name": secrets.token_hex(24),
                "content_type": "application/pdf",
                "size": 100,
                "sha256": "0" * 64,
                "uploaded_by": by,
            },
        )


def approve_for(provider, package, *, by, status=ApplicationStatus.APPROVED):
    """An officer's approval of `provider` for `package` (or a row in another `status`)."""
    now = timezone.now()
    approved = status in (ApplicationStatus.APPROVED, ApplicationStatus.SUSPENDED)
    return PackageApplication.objects.create(
        provider=provider,
        package=package,
        status=status,
        experience="Ten years of governance reviews for small charities.",
        approach="Two workshops and a written plan.",
        example_1="A review for a lunch club.",
        example_2="A review for a youth project.",
        created_by=by,
        submitted_at=None if status == ApplicationStatus.DRAFT else now,
        submitted_by=None if status == ApplicationStatus.DRAFT else by,
        approved_at=now if approved else None,
        decided_at=now if approved else None,
        decided_by=None,
        officer_message="Stated in the test." if status in NEED_MESSAGE else "",
    )


def make_ready(provider, package, *, by, officer):
    """Join the register, insure and approve `provider` for `package`: choosable."""
    provider.register_submitted_at = timezone.now()
    provider.register_submitted_by = by
    provider.declaration_name = by.full_name or "Test Person"
    provider.save(
        update_fields=["register_submitted_at", "register_submitted_by", "declaration_name"]
    )
    insure(provider, by=by)
    approve_for(provider, package, by=officer)
    return provider


def session_data(**overrides) -> dict:
    """What `log_session` takes from the form: a session held today."""
    return {
        "held_on": timezone.localdate(),
        "hours": Decimal("3.0"),
        "mode": "in_person",
        "topics": "Trustee roles and the annual return.",
        "attendees": "Three trustees and the coordinator.",
        "notes": "",
        **overrides,
    }


class Journey:
    """Walks one agreed package forward through the real services.

    Each method walks from wherever the package is now to its state and returns
    the object that step made: `requested()`/`accepted()`/`delivered()` the
    ProviderRequest, `in_delivery()` the latest DeliverySession, `confirmed()`
    the Rating (None when an officer confirmed it by resolving a dispute),
    `disputed()` the Dispute, `claimed()`/`paid()` the Claim. Going back is
    refused, except from DISPUTED, which an officer can send back to delivery.
    """

    ORDER = [S.AGREED, S.PROVIDER_REQUESTED, S.ACCEPTED, S.IN_DELIVERY, S.DELIVERED]
    AFTER_DELIVERY = [S.CONFIRMED, S.CLAIMED, S.PAID]

    def __init__(self, agreed, *, org_admin, provider, provider_user, officer):
        self.agreed_pk = agreed.pk
        self.org_admin = org_admin
        self.provider = provider
        self.provider_user = provider_user
        self.officer = officer

    # -------------------------------------------------------------- reading

    @property
    def agreed(self) -> AgreedPackage:
        return AgreedPackage.objects.select_related("organisation", "package", "strand").get(
            pk=self.agreed_pk
        )

    @property
    def status(self) -> str:
        return AgreedPackage.objects.values_list("status", flat=True).get(pk=self.agreed_pk)

    @property
    def request(self) -> ProviderRequest | None:
        """The live request (pending or accepted), if there is one."""
        return (
            ProviderRequest.objects.live()
            .select_related("agreed_package", "provider")
            .filter(agreed_package_id=self.agreed_pk)
            .first()
        )

    # -------------------------------------------------------------- walking

    def _rank(self, status) -> int:
        if status in self.ORDER:
            return self.ORDER.index(status)
        if status == S.DISPUTED:
            return len(self.ORDER)
        return len(self.ORDER) + 1 + self.AFTER_DELIVERY.index(status)

    def _walk(self, target, **options) -> None:
        while (status := self.status) != target:
            self._step(status, target, **options)

    def _step(self, status, target, **options) -> None:
        if status == S.DISPUTED:
            if target in (S.IN_DELIVERY, S.DELIVERED):
                self._resolve("back_to_delivery")
            elif target in self.AFTER_DELIVERY:
                self._resolve("confirmed")
            else:
                raise ValueError(f"Cannot walk from {status} to {target}")
            return
        if status == S.DELIVERED and target == S.DISPUTED:
            services.dispute_delivery(
                self.agreed, by=self.org_admin, reason=options.get("reason", "Only one session.")
            )
            return
        if status in (S.CANCELLED, S.EXPIRED) or self._rank(target) <= self._rank(status):
            raise ValueError(f"Cannot walk from {status} to {target}")
        step = {
            S.AGREED: self._request,
            S.PROVIDER_REQUESTED: self._accept,
            S.ACCEPTED: self._log_session,
            S.IN_DELIVERY: self._mark_delivered,
            S.DELIVERED: self._confirm,
            S.CONFIRMED: self._claim,
            S.CLAIMED: self._approve,
        }[status]
        step(**options)

    def _request(self, message="Please help us with our governance.", **_):
        services.request_provider(
            self.agreed, provider=self.provider, message=message, by=self.org_admin
        )

    def _accept(self, planned_start=None, planned_end=None, **_):
        today = timezone.localdate()
        services.accept_request(
            self.request,
            by=self.provider_user,
            planned_start=planned_start or today,
            planned_end=planned_end or today + timedelta(days=30),
        )

    def _log_session(self, **_):
        services.log_session(self.request, by=self.provider_user, data=session_data())

    def _mark_delivered(self, outcome_summary="A governance plan the trustees adopted.", **_):
        request = self.request
        if not request.sessions.exists():
            self._log_session()
        services.mark_delivered(request, by=self.provider_user, outcome_summary=outcome_summary)

    def _confirm(self, score=4, comment="Clear and practical.", **_):
        services.confirm_delivery(self.agreed, by=self.org_admin, score=score, comment=comment)

    def _claim(self, amount=None, note="", invoice_reference="INV-2026-001", invoice=None, **_):
        agreed = self.agreed
        services.submit_claim(
            agreed,
            by=self.provider_user,
            amount=agreed.value if amount is None else amount,
            invoice_reference=invoice_reference,
            note=note,
            invoice=invoice,
        )

    def _approve(self, approver=None, **_):
        services.approve_claim(self.live_claim(), by=approver or self.officer)

    def _resolve(self, outcome):
        dispute = Dispute.objects.get(request__agreed_package_id=self.agreed_pk, outcome="")
        services.resolve_dispute(
            dispute, by=self.officer, outcome=outcome, resolution="Decided after a call with both."
        )

    def live_claim(self) -> Claim | None:
        return (
            Claim.objects.filter(agreed_package_id=self.agreed_pk)
            .exclude(status="rejected")
            .first()
        )

    # -------------------------------------------------------------- the states

    def requested(self, **options) -> ProviderRequest:
        self._walk(S.PROVIDER_REQUESTED, **options)
        return self.request

    def accepted(self, **options) -> ProviderRequest:
        self._walk(S.ACCEPTED, **options)
        return self.request

    def in_delivery(self, **options) -> DeliverySession:
        self._walk(S.IN_DELIVERY, **options)
        return DeliverySession.objects.filter(request=self.request).order_by("-id").first()

    def delivered(self, **options) -> ProviderRequest:
        self._walk(S.DELIVERED, **options)
        return self.request

    def confirmed(self, **options):
        self._walk(S.CONFIRMED, **options)
        request = ProviderRequest.objects.get(
            agreed_package_id=self.agreed_pk, status=RequestStatus.ACCEPTED
        )
        return getattr(request, "rating", None)

    def disputed(self, **options) -> Dispute:
        self._walk(S.DISPUTED, **options)
        return Dispute.objects.get(request__agreed_package_id=self.agreed_pk, outcome="")

    def claimed(self, **options) -> Claim:
        self._walk(S.CLAIMED, **options)
        return self.live_claim()

    def paid(self, **options) -> Claim:
        self._walk(S.PAID, **options)
        return self.live_claim()


def package_at(w, status) -> AgreedPackage:
    """Organisation A's package at `status`, its provider the world's: for the permission
    matrix, whose rows are built again and again. Found if there is one, else agreed (a
    manager's override keeps the caps out of the way) and walked there through the services."""
    found = AgreedPackage.objects.filter(organisation=w.org_a, status=status)
    if status != S.AGREED:
        found = found.filter(provider_requests__provider=w.provider)
    else:
        found = found.filter(package__provider_applications__provider=w.provider)
    agreed = found.first()
    if agreed is None:
        journey = _new_journey(w)
        journey._walk(status)
        agreed = journey.agreed
    return agreed


def _new_journey(w) -> Journey:
    """A new package for organisation A (agreed with a manager's override, which keeps the
    caps out of the way) that the world's provider may take, ready to walk."""
    from tests.factories import AgreedPackageFactory, PackageFactory

    package = PackageFactory()
    make_ready(w.provider, package, by=w.provider_user, officer=w.officer)
    type(w.provider).objects.filter(pk=w.provider.pk).update(capacity=100)
    w.provider.refresh_from_db()
    agreed = AgreedPackageFactory(
        organisation=w.org_a,
        package=package,
        agreed_by=w.manager,
        override_reason="For the permission matrix",
    )
    return Journey(
        agreed,
        org_admin=w.org_a_admin,
        provider=w.provider,
        provider_user=w.provider_user,
        officer=w.officer,
    )


def invoice_upload(name="invoice.pdf", content=None):
    """An invoice as the claim form's file field receives it: a real PDF by default."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PDF_BYTES

    return SimpleUploadedFile(name, content or PDF_BYTES, content_type="application/pdf")


def claim_with_invoice(w) -> Claim:
    """A claim from the world's provider with its invoice attached through the real service:
    for the permission matrix (made once per world)."""
    found = Claim.objects.filter(request__provider=w.provider, invoice__isnull=False).first()
    return found or _new_journey(w).claimed(invoice=invoice_upload())
