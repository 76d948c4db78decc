"""A claim's own pages after a step: the two confirmations, and the invoice download.

The claim form is the provider's (`views_provider.claim`), the decisions the officer's
(`views_officer`); each POST redirects here, so a refresh sends nothing again.
Each page is authorised like the claim's other pages: the sent page through
`get_claim_for_provider`, the approved page through `get_claim_for_officer`.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from diagnostics import uploads
from diagnostics.rules import long_date
from notifications.deadlines import OFFICER_REVIEW, deadline
from packages.money import format_money

from .models import ClaimStatus
from .permissions import get_claim_for_officer, get_claim_for_provider, get_claim_invoice_for_user

CONFIRMATION = "includes/confirmation.html"


def _when_decided(claim) -> str:
    """When an officer decides the claim, by the managers' review deadline."""
    review = deadline(OFFICER_REVIEW)
    decide_by = review.due_on(timezone.localdate(claim.submitted_at))
    if review.is_missed(decide_by, timezone.localdate()):
        return (
            f"A council officer should have decided your claim by {long_date(decide_by)}. "
            "Officers are reminded every working day of claims waiting this long."
        )
    return (
        f"A council officer will check your claim and decide it within {review.period} "
        f"of receiving it, by {long_date(decide_by)}."
    )


@login_required
@require_GET
def claim_sent(request, pk):
    """The provider's confirmation; once the claim is decided, its request says how."""
    claim = get_claim_for_provider(request.user, pk)
    if claim.status != ClaimStatus.SUBMITTED:
        return redirect("delivery:provider_request", pk=claim.request_id)
    agreed = claim.agreed_package
    return render(
        request,
        CONFIRMATION,
        {
            "title": "Payment claim sent",
            "reference": claim.reference,
            "reference_label": "Your claim reference",
            "next_steps": [
                f"You have claimed {format_money(claim.amount)} for {agreed.package.name} "
                f"for {agreed.organisation.name}, with your invoice {claim.invoice_reference}.",
                _when_decided(claim),
                "We will email you when it has been decided. Quote your claim reference if you "
                "contact us about it.",
            ],
            "links": [
                (
                    "Back to the request",
                    reverse("delivery:provider_request", args=[claim.request_id]),
                ),
                ("See all your requests", reverse("delivery:provider_requests")),
            ],
        },
    )


def _quoting_invoice(claim) -> str:
    if claim.invoice_reference:
        return f"quoting the provider's invoice {claim.invoice_reference}"
    return "with no invoice reference, as it was sent before providers were asked for one"


@login_required
@require_GET
def claim_approved(request, pk):
    """The officer's confirmation; a claim not approved shows its own page instead."""
    claim = get_claim_for_officer(request.user, pk)
    if claim.status != ClaimStatus.APPROVED:
        return redirect("delivery:claim_detail", pk=claim.pk)
    return render(
        request,
        CONFIRMATION,
        {
            "title": "Claim approved",
            "reference": claim.reference,
            "reference_label": "Claim reference",
            "next_steps": [
                f"The payment of {format_money(claim.amount_paid)} to {claim.provider.name} "
                "is recorded as spend in the ledger.",
                f"We have emailed {claim.provider.name} to say the claim is approved.",
                "The claim is now in the approved claims for the finance system, "
                f"{_quoting_invoice(claim)}.",
            ],
            "links": [
                ("Back to payment claims", reverse("delivery:claims")),
                (
                    "Download approved claims for the finance system (CSV)",
                    reverse("reports:claims_csv"),
                ),
            ],
        },
    )


@login_required
@require_GET
def claim_invoice(request, pk):
    """A claim's invoice, served like eligibility evidence: as a download, never inline."""
    invoice = get_claim_invoice_for_user(request.user, pk)
    return uploads.download(
        invoice.stored_name, filename=invoice.original_name, content_type=invoice.content_type
    )
