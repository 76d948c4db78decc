"""Council officers: the claim queue and decisions, disputes, ratings.

The finance system's CSV of approved claims is `reports:claims_csv`, beside the other exports.

Each view reads top to bottom: authorise and fetch, validate, change, redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allowances.services import AllowanceError
from organisations.listing import name_contains, page_of, path_maker, search_term
from organisations.permissions import require_staff
from packages.forms import submitted

from .filters import ClaimQueueFilter
from .forms import ApproveClaimForm, HideCommentForm, RejectClaimForm, ResolveDisputeForm
from .permissions import get_claim_for_officer, get_dispute_for_officer, get_rating_for_officer
from .selectors import claim_queue, journey_for, open_disputes
from .services import (
    approve_claim as approve,
)
from .services import (
    hide_rating_comment,
)
from .services import (
    reject_claim as reject,
)
from .services import (
    resolve_dispute as resolve,
)


@login_required
@require_GET
def claims(request):
    """Claims waiting for a decision (or any status), oldest first, a page at a time.
    Queries: the count, the page of claims with their providers, packages and organisations."""
    require_staff(request.user)
    queue = ClaimQueueFilter(request.GET or None, queryset=claim_queue())
    page = page_of(request, queue.qs)
    detail = path_maker("delivery:claim_detail")
    return render(
        request,
        "delivery/officer/claims.html",
        {"filter": queue, "page": page, "rows": [(c, detail(c.pk)) for c in page]},
    )


def _claim_page(request, claim, *, approve_form=None, reject_form=None):
    return render(
        request,
        "delivery/officer/claim_detail.html",
        {
            "claim": claim,
            # Read with the claim (select_related); None when no invoice was attached.
            "invoice": getattr(claim, "invoice", None),
            "agreed": claim.agreed_package,
            "journey": journey_for(claim.agreed_package),
            "approve_form": approve_form or ApproveClaimForm(initial={"amount": claim.amount}),
            "reject_form": reject_form or RejectClaimForm(),
        },
    )


@login_required
@require_GET
def claim_detail(request, pk):
    return _claim_page(request, get_claim_for_officer(request.user, pk))


@login_required
@require_POST
def approve_claim(request, pk):
    claim = get_claim_for_officer(request.user, pk)
    form = ApproveClaimForm(request.POST)
    if form.is_valid():
        try:
            approve(
                claim,
                by=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("delivery:claim_approved", pk=claim.pk)
    return _claim_page(request, claim, approve_form=form)


@login_required
@require_POST
def reject_claim(request, pk):
    claim = get_claim_for_officer(request.user, pk)
    form = RejectClaimForm(request.POST)
    if form.is_valid():
        try:
            reject(claim, by=request.user, reason=form.cleaned_data["reason"])
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request, f"Claim {claim.reference} rejected. The provider has been told."
            )
            return redirect("delivery:claims")
    return _claim_page(request, claim, reject_form=form)


@login_required
@require_GET
def disputes(request):
    """Open disputes, oldest first, a page at a time; searchable by the provider's or the
    organisation's name. Queries: the count, the page with both names and the package."""
    require_staff(request.user)
    term = search_term(request)
    disputes = open_disputes()
    if term:
        disputes = disputes.filter(
            name_contains(
                term, "request__provider__name", "request__agreed_package__organisation__name"
            )
        )
    page = page_of(request, disputes)
    resolve_path = path_maker("delivery:resolve_dispute")
    return render(
        request,
        "delivery/officer/disputes.html",
        {"page": page, "term": term, "rows": [(d, resolve_path(d.pk)) for d in page]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolve_dispute(request, pk):
    dispute = get_dispute_for_officer(request.user, pk)
    form = ResolveDisputeForm(submitted(request))
    if dispute.is_open and request.method == "POST" and form.is_valid():
        try:
            resolve(dispute, by=request.user, **form.cleaned_data)
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request, "The dispute is resolved. The organisation and provider have been told."
            )
            return redirect("delivery:disputes")
    agreed = dispute.request.agreed_package
    return render(
        request,
        "delivery/officer/resolve_dispute.html",
        {"dispute": dispute, "agreed": agreed, "journey": journey_for(agreed), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide_rating(request, pk):
    rating = get_rating_for_officer(request.user, pk)
    form = HideCommentForm(submitted(request))
    if not rating.is_hidden and request.method == "POST" and form.is_valid():
        try:
            hide_rating_comment(rating, by=request.user, reason=form.cleaned_data["reason"])
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "The comment is hidden. The score still counts.")
            return redirect("delivery:package", pk=rating.request.agreed_package_id)
    return render(request, "delivery/officer/hide_rating.html", {"rating": rating, "form": form})
