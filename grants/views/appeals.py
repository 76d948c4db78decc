"""Appeals: the applicant lodges one against its community's final decision; a manager who
took no part in the decision reviews it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from .. import appeal_rules
from ..accountability_forms import AppealForm, AppealReviewForm
from ..appeal_selectors import appeal_position, appeals_for_managers, may_review
from ..appeal_services import AppealError, lodge_appeal, review_appeal
from ..assessment_selectors import applicant_outcome
from ..permissions import (
    ADMINS_ONLY,
    get_appeal_for_manager,
    get_application_for_member,
    require_manager,
)


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, pk):
    """The applicant's appeal: the form while it may appeal, else its appeal or why not.

    Exists only once the community's decision is final and went to another (or
    to no one): otherwise 404, as for anyone not of the organisation.
    """
    application, membership = get_application_for_member(request.user, pk)
    outcome = applicant_outcome(application)
    position = appeal_position(application, outcome, is_admin=membership.is_admin)
    if position is None:
        raise Http404("There is no decision to appeal.")
    form, refused = None, None
    if position.appeal is None and position.may_appeal:
        form = AppealForm(submitted(request))
    if request.method == "POST":
        if not membership.is_admin:
            raise PermissionDenied(ADMINS_ONLY)
        if form is None:
            # Sent from a form opened earlier: the window has closed, or an appeal was made.
            refused = position.may_appeal.reason or (
                "Your organisation has already appealed this decision. Nothing was changed."
            )
        elif form.is_valid():
            try:
                lodge_appeal(
                    application=application,
                    by=request.user,
                    grounds=form.cleaned_data["grounds"],
                )
            except AppealError as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    "Your appeal has been sent. A manager who took no part in the decision "
                    "will review it, and you will be emailed the outcome and the reasons.",
                )
                return redirect("grants:application", application.pk)
    return render(
        request,
        "grants/appeals/appeal.html",
        {
            "application": application,
            "outcome": outcome,
            "position": position,
            "form": form,
            "refused": refused,
            # Refused without a form (the window closed meanwhile): what they wrote, to keep.
            "typed": request.POST.get("grounds", "") if refused else "",
            "is_admin": membership.is_admin,
        },
    )


@login_required
@require_GET
def appeal_list(request):
    """Every appeal, those waiting for a review first.

    Queries: the count and the page of appeals with their applications,
    organisations, rounds, communities and reviewers.
    """
    require_manager(request.user)
    page = page_of(request, appeals_for_managers())
    for item in page:
        item.state_words = appeal_rules.STATE_WORDS[appeal_rules.appeal_state(item.outcome)]
    return render(request, "grants/appeals/appeal_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def appeal_review(request, pk):
    """The appeal beside the decision; the review form, for a manager who took no part."""
    item = get_appeal_for_manager(request.user, pk)
    allowed = may_review(request.user, item)
    waiting = appeal_rules.appeal_state(item.outcome) == appeal_rules.WAITING
    form = AppealReviewForm(submitted(request)) if allowed and waiting else None
    refused = None
    if request.method == "POST":
        if form is None:
            refused = allowed.reason if waiting else "This appeal has already been reviewed."
        elif form.is_valid():
            try:
                review_appeal(
                    appeal=item,
                    by=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                )
            except AppealError as exc:
                show_refusal(form, exc)
            else:
                words = (
                    "upheld"
                    if form.cleaned_data["outcome"] == appeal_rules.UPHELD
                    else ("not upheld")
                )
                messages.success(
                    request,
                    f"The appeal is {words}. The applicant has been emailed the outcome and "
                    "the reasons"
                    + (
                        "; the managers have been told the decision must be made again."
                        if words == "upheld"
                        else "."
                    ),
                )
                return redirect("grants:appeal_review", item.pk)
    application = item.application
    decision = item.decision
    return render(
        request,
        "grants/appeals/appeal_review.html",
        {
            "appeal": item,
            "application": application,
            "decision": decision,
            "form": form,
            "allowed": allowed,
            "waiting": waiting,
            "refused": refused,
        },
    )
