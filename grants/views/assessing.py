"""The assessment panel: the manager names it; each assessor declares, then scores.

An assessor sees an application's answers once they have declared no
conflict, gives a score and comment per criterion (saved as a draft until
sent), and sees the other assessors' scores only after sending their own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.listing import page_of
from packages.forms import submitted

from .. import assessment_rules as marking
from .. import voice_selectors
from ..assessment_forms import YES, InterestForm, MarkingForm, PanelAddForm
from ..assessment_models import Assessment
from ..assessment_selectors import (
    assessor_queue,
    live_decision,
    marking_sheet,
    panel_of,
    progress_words,
    staff_to_add,
)
from ..assessment_services import (
    AssessmentError,
    add_to_panel,
    declare_interest,
    remove_from_panel,
    save_marks,
)
from ..permissions import (
    get_application_for_assessor,
    get_panel_member_for_manager,
    get_round_for_manager,
)


@login_required
@require_http_methods(["GET", "POST"])
def round_panel(request, pk):
    """The round's assessment panel: who is on it, adding and taking people off."""
    grant_round = get_round_for_manager(request.user, pk)
    people = list(staff_to_add(grant_round)[:200])
    form = PanelAddForm(submitted(request), people=people)
    if request.method == "POST" and form.is_valid():
        chosen = next((p for p in people if p.pk == form.cleaned_data["assessor"]), None)
        try:
            if chosen is None:
                raise AssessmentError("Select someone from the list")
            add_to_panel(grant_round=grant_round, assessor=chosen, by=request.user)
        except AssessmentError as exc:
            form.add_error("assessor", exc.problems.get("assessor", exc.reason))
        else:
            messages.success(request, f"{chosen} added to the panel.")
            return redirect("grants:round_panel", grant_round.pk)
    return render(
        request,
        "grants/round_panel.html",
        {"round": grant_round, "panel": list(panel_of(grant_round)), "form": form},
    )


@login_required
@require_POST
def panel_remove(request, pk):
    member = get_panel_member_for_manager(request.user, pk)
    try:
        remove_from_panel(member=member, by=request.user)
    except AssessmentError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"{member.assessor} taken off the panel.")
    return redirect("grants:round_panel", member.round_id)


@login_required
@require_GET
def my_assessments(request):
    """Applications in closed rounds whose panel the person is on, and their next step."""
    if not request.user.is_officer:
        raise Http404
    page = page_of(request, assessor_queue(request.user))
    for application in page.object_list:
        application.progress, application.progress_tag = progress_words(application)
    return render(request, "grants/my_assessments.html", {"page": page})


def _own_assessment(application, user):
    return Assessment.objects.filter(application=application, assessor=user).first()


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, pk):
    """Declare interests first; then score each criterion, save as a draft or send.

    Queries do not grow with the number of assessors or criteria (marking_sheet).
    """
    application = get_application_for_assessor(request.user, pk)
    assessment = _own_assessment(application, request.user)
    decision = (
        live_decision(application.round_community_id) if application.round_community_id else None
    )
    declaring = "declare" in request.GET or "has_conflict" in request.POST
    if assessment is None or declaring:
        return _declare(request, application, assessment)
    allowed = marking.assessor_may_score(
        on_panel=True, declared=True, conflicted=assessment.has_conflict
    )
    if not allowed:
        return render(
            request,
            "grants/assess_conflicted.html",
            {"application": application, "assessment": assessment, "reason": allowed.reason},
        )
    rows = marking_sheet(application, assessment)
    scale = list(application.round.scale.all())
    initial = {}
    for row in rows:
        if row.own:
            initial[f"mark_{row.criterion.pk}"] = str(row.own.mark)
            initial[f"comment_{row.criterion.pk}"] = row.own.comment
    form = MarkingForm(
        submitted(request), initial=initial, criteria=[r.criterion for r in rows], scale=scale
    )
    if request.method == "POST" and not assessment.is_submitted and form.is_valid():
        send = "send" in request.POST
        try:
            save_marks(assessment=assessment, values=form.values(), by=request.user, send=send)
        except AssessmentError as exc:
            form.add_error(None, exc.reason)
            form.add_problems(exc.problems)
        else:
            messages.success(
                request,
                "Your scores have been sent. You can now see the other assessors' scores."
                if send
                else "Your scores have been saved as a draft. Send them when they are complete.",
            )
            return redirect("grants:assess", application.pk)
    form.attach_to(rows)
    return render(
        request,
        "grants/assess.html",
        {
            "application": application,
            "assessment": assessment,
            "rows": rows,
            "form": form,
            "decision": decision,
            "scale": scale,
            # The community's backing beside its criterion (never for a conflicted assessor:
            # they were sent to assess_conflicted above).
            "backing": voice_selectors.backing_for_panel(application, [r.criterion for r in rows]),
        },
    )


def _declare(request, application, assessment):
    if assessment is not None and (assessment.has_conflict or assessment.is_submitted):
        raise PermissionDenied("You have already declared your interests for this application.")
    form = InterestForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            declare_interest(
                application=application,
                by=request.user,
                has_conflict=form.cleaned_data["has_conflict"] == YES,
                details=form.cleaned_data["details"],
            )
        except AssessmentError as exc:
            form.add_error(
                "details" if "details" in exc.problems else None,
                exc.problems.get("details", exc.reason),
            )
        else:
            if form.cleaned_data["has_conflict"] == YES:
                messages.success(
                    request,
                    "Your conflict of interest is recorded. You will not see or give this "
                    "application's scores.",
                )
                return redirect("grants:my_assessments")
            return redirect("grants:assess", application.pk)
    return render(
        request,
        "grants/assess_declare.html",
        {"application": application, "form": form, "assessment": assessment},
    )
