"""Collective issues: officers record meetings across communities, the issues more than one
representative raised, and the council's response; every representative reads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from ..accountability_forms import IssueForm, MeetingForm, ResponseForm
from ..collective_selectors import (
    awarded_representatives,
    collective_issues,
    meetings_for_officers,
    recent_meetings,
)
from ..collective_services import CollectiveError, record_issue, record_meeting, respond_to_issue
from ..permissions import get_issue_for_staff, require_representative_or_staff, require_staff


@login_required
@require_GET
def issue_list(request):
    """Officers: every collective issue, newest first, and whether the council has responded.

    Queries: the count and the page of issues with their meetings and
    officers, and the representatives who raised them.
    """
    require_staff(request.user)
    page = page_of(request, collective_issues())
    return render(request, "grants/collective/issue_list.html", {"page": page})


@login_required
@require_GET
def meeting_list(request):
    """Officers: the meetings across communities, newest first, with how many issues each."""
    require_staff(request.user)
    page = page_of(request, meetings_for_officers().order_by("-held_on", "-pk"))
    return render(request, "grants/collective/meeting_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request):
    require_staff(request.user)
    today = timezone.localdate()
    form = MeetingForm(submitted(request), today=today)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = record_meeting(by=request.user, today=today, **form.cleaned_data)
        except CollectiveError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"The meeting \u201c{meeting.title}\u201d has been recorded. Record the issues "
                "more than one representative raised at it.",
            )
            return redirect("grants:collective_meetings")
    return render(request, "grants/collective/meeting_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def issue_add(request):
    require_staff(request.user)
    representatives = list(awarded_representatives())
    meetings = list(recent_meetings())
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = int(request.GET["meeting"])
    form = IssueForm(
        submitted(request), initial=initial, representatives=representatives, meetings=meetings
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["meeting"]
        meeting = next((m for m in meetings if m.pk == chosen), None) if chosen else None
        try:
            issue = record_issue(
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                raised_by=form.cleaned_data["raised_by"],
                meeting=meeting,
            )
        except CollectiveError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"The issue \u201c{issue.title}\u201d has been recorded. Every representative "
                "can now read it; add the council's response when there is one.",
            )
            return redirect("grants:collective_issues")
    return render(
        request,
        "grants/collective/issue_form.html",
        {"form": form, "enough": len(representatives) >= 2},
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_respond(request, pk):
    """The council's response to an issue: given once, dated, read by every representative."""
    issue = get_issue_for_staff(request.user, pk)
    form = None if issue.council_response else ResponseForm(submitted(request))
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            respond_to_issue(issue=issue, by=request.user, response=form.cleaned_data["response"])
        except CollectiveError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request, "The council's response has been recorded. Representatives can read it."
            )
            return redirect("grants:collective_issues")
    return render(request, "grants/collective/issue_respond.html", {"issue": issue, "form": form})


@login_required
@require_GET
def issues_for_representatives(request):
    """Representatives: every issue raised across communities, with the council's response.

    For the members of any organisation holding an accepted award, and staff;
    other organisations 404. Queries: whether the person is a representative,
    then the count and the page of issues, and who raised them.
    """
    require_representative_or_staff(request.user)
    page = page_of(request, collective_issues())
    return render(request, "grants/collective/issues_for_representatives.html", {"page": page})
