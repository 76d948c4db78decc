"""Concerns about a representative: the organisation responds; an officer records the outcome.

The organisation sees what happened and the reference, never who raised it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from organisations.permissions import get_own_organisation, require_staff
from packages.forms import show_refusal, submitted

from .. import concern_rules as moves
from ..concern_forms import OutcomeForm, ResponseForm
from ..concern_selectors import concerns_of, concerns_to_review
from ..concern_services import ConcernError, decide_concern, respond_to_concern
from ..permissions import get_concern_for_representative, get_concern_for_staff
from ..voice_selectors import verdict_behind


@login_required
@require_GET
def my_concerns(request):
    """The organisation's concerns as a representative. Queries: the membership, the count and
    the page with each one's community and round."""
    organisation, membership = get_own_organisation(request.user)
    return render(
        request,
        "grants/concerns/mine.html",
        {
            "organisation": organisation,
            "page": page_of(request, concerns_of(organisation)),
            "is_admin": membership.is_admin,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_respond(request, pk):
    """What happened, and the response form while the concern waits for one."""
    concern = get_concern_for_representative(request.user, pk)
    can_respond = concern.status == moves.AWAITING_RESPONSE
    form = ResponseForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            respond_to_concern(
                concern=concern, by=request.user, response=form.cleaned_data["response"]
            )
        except ConcernError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"Your response to {concern.reference} has been sent to the council.",
            )
            return redirect("grants:my_concerns")
    return render(
        request,
        "grants/concerns/respond.html",
        {
            "concern": concern,
            "form": form,
            "can_respond": can_respond,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def concern_queue(request):
    """Concerns an officer may decide now. Queries: the count, and the page with each one's
    organisation, community and round."""
    require_staff(request.user)
    today = timezone.localdate()
    return render(
        request,
        "grants/concerns/queue.html",
        {"page": page_of(request, concerns_to_review(today)), "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_review(request, pk):
    """The concern, the representative's response, and the outcome form once it may be decided."""
    concern = get_concern_for_staff(request.user, pk)
    today = timezone.localdate()
    review = moves.may_review(status=concern.status, respond_by=concern.respond_by, today=today)
    verdict = verdict_behind(concern)  # a review the community's verdict opened: nobody to tell
    form = OutcomeForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decide_concern(
                concern=concern,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
            )
        except ConcernError as exc:
            show_refusal(form, exc)
        else:
            told = "" if verdict else " The person who raised it has been told."
            messages.success(request, f"Outcome recorded for {concern.reference}.{told}")
            return redirect("grants:concern_queue")
    return render(
        request,
        "grants/concerns/review.html",
        {"concern": concern, "form": form, "review": review, "today": today, "verdict": verdict},
    )
