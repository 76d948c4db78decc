"""Council staff and the community's voice: the moderator's page of a consultation, setting a
response aside (or counting it again), the officers' comment checks, assisted responses, and
the approved comments assessors read.

Staff never see a person's email address or name: only the choice, the postcode district,
how it was taken, any flag, and (once checked) the comment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from organisations.permissions import require_staff
from packages.forms import show_refusal, submitted

from .. import voice_rules, voice_selectors
from ..assisted_voice_services import record_assisted
from ..permissions import (
    get_application_for_backing,
    get_consultation_for_manager,
    get_consultation_for_staff,
    get_voice_comment_for_staff,
    get_voice_for_manager,
)
from ..voice_moderation_services import (
    ModerationError,
    approve_comment,
    moderation_window,
    reinstate_voice,
    set_aside_voice,
    withhold_comment,
)
from ..voice_services import VoiceError
from ..voice_staff_forms import APPROVE, WITHHOLD, AssistedForm, CommentCheckForm, ReasonForm

# Consultations open now, listed on the officers' page for assisted responses: one per
# community at most, so few; capped all the same.
OPEN_LISTED = 50
# Comments run to 200 words: fewer to a page than the usual list.
COMMENTS_PER_PAGE = 20


def _may_moderate(consultation):
    decided = consultation.is_backing and voice_selectors.is_decided(
        consultation.round_community_id
    )
    return moderation_window(
        is_backing=consultation.is_backing,
        decided=decided,
        closed=consultation.closed_at is not None,
    )


@login_required
@require_GET
def consultation_moderation(request, pk):
    """The moderator's page of one consultation: totals per applicant, the community's size,
    and the flagged and set-aside responses (paginated). Queries do not grow with them."""
    consultation = get_consultation_for_manager(request.user, pk)
    community = consultation.round_community.community
    context = {
        "consultation": consultation,
        "community": community,
        "page": page_of(request, voice_selectors.voices_to_moderate(consultation)),
        "window": _may_moderate(consultation),
        "now": timezone.now(),
    }
    if consultation.is_backing:
        context["totals"] = voice_selectors.staff_totals(consultation)
    else:
        context["result"] = voice_selectors.verdict_result(consultation)
    return render(request, "grants/voices_staff/consultation.html", context)


def _comments_for(request, consultation):
    """The applicant whose comments are asked for in ?applicant= (an id; "none", or nothing,
    for "none of these"), or 404."""
    asked = request.GET.get("applicant", "")
    if asked in ("", "none"):
        return None, _("None of these")
    totals = voice_selectors.staff_totals(consultation, with_comments=False)
    for total in totals:
        if total.application and str(total.application.pk) == asked:
            return total.application, total.application.organisation.name
    raise Http404


@login_required
@require_GET
def consultation_comments(request, pk):
    """Every approved comment for one applicant (or "none of these"), paginated: managers."""
    consultation = get_consultation_for_manager(request.user, pk)
    if not consultation.is_backing:
        raise Http404
    application, who = _comments_for(request, consultation)
    comments = voice_selectors.approved_comments(
        consultation, application.pk if application else None
    )
    return render(
        request,
        "grants/voices_staff/comments.html",
        {
            "consultation": consultation,
            "who": who,
            "page": page_of(request, comments, COMMENTS_PER_PAGE),
            "back": ("grants:consultation_moderation", consultation.pk),
        },
    )


@login_required
@require_GET
def application_comments(request, pk):
    """Every approved comment backing one application, paginated: its assessors (no conflict
    declared) and the moderator."""
    application = get_application_for_backing(request.user, pk)
    backing = voice_selectors.backing_for_panel(application, [])
    if backing is None:
        raise Http404
    return render(
        request,
        "grants/voices_staff/comments.html",
        {
            "consultation": backing.consultation,
            "who": application.organisation.name,
            "application": application,
            "page": page_of(
                request,
                voice_selectors.approved_comments(backing.consultation, application.pk),
                COMMENTS_PER_PAGE,
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def voice_moderate(request, pk):
    """One confirmed response: set it aside with a reason, or count it again."""
    voice = get_voice_for_manager(request.user, pk)
    consultation = voice.consultation
    setting_aside = voice.status == voice_rules.COUNTED
    if setting_aside:
        wording = {
            "label": _("Why are you setting this response aside?"),
            "help_text": _(
                "This is recorded. While the window is open the person is emailed this reason, "
                "without your name."
            ),
            "missing": _("Enter why the response is set aside"),
        }
    else:
        wording = {
            "label": _("Why are you counting this response again?"),
            "help_text": _("This is recorded."),
            "missing": _("Enter why the response is counted again"),
        }
    window = _may_moderate(consultation)
    form = ReasonForm(submitted(request), **wording)
    if request.method == "POST" and window and form.is_valid():
        move = set_aside_voice if setting_aside else reinstate_voice
        try:
            move(voice=voice, by=request.user, reason=form.cleaned_data["reason"])
        except ModerationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The response has been set aside.")
                if setting_aside
                else _("The response is counted again."),
            )
            return redirect("grants:consultation_moderation", consultation.pk)
    return render(
        request,
        "grants/voices_staff/voice.html",
        {
            "voice": voice,
            "consultation": consultation,
            "form": form,
            "window": window,
            "setting_aside": setting_aside,
        },
    )


@login_required
@require_GET
def comment_queue(request):
    """Comments waiting for an officer's check (paginated), and the consultations open now,
    where an officer may record a response taken on the phone or at an event."""
    require_staff(request.user)
    now = timezone.now()
    return render(
        request,
        "grants/voices_staff/queue.html",
        {
            "page": page_of(request, voice_selectors.comments_waiting()),
            "open_now": list(voice_selectors.open_now(now)[:OPEN_LISTED]),
        },
    )


def _allowed_checks(status: str) -> list[str]:
    moves = voice_rules.COMMENT_TRANSITIONS.get(status, set())
    return [
        name
        for name, to in ((APPROVE, voice_rules.APPROVED), (WITHHOLD, voice_rules.WITHHELD))
        if to in moves
    ]


@login_required
@require_http_methods(["GET", "POST"])
def comment_check(request, pk):
    """One comment: approve it for assessors, or withhold it with a reason."""
    voice = get_voice_comment_for_staff(request.user, pk)
    form = CommentCheckForm(submitted(request), allowed=_allowed_checks(voice.comment_status))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == APPROVE:
                approve_comment(voice=voice, by=request.user)
            else:
                withhold_comment(voice=voice, by=request.user, reason=form.cleaned_data["reason"])
        except ModerationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The comment is approved: assessors can now read it.")
                if form.cleaned_data["decision"] == APPROVE
                else _("The comment is withheld."),
            )
            return redirect("grants:voice_comments")
    return render(
        request,
        "grants/voices_staff/comment.html",
        {"voice": voice, "consultation": voice.consultation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assisted_response(request, pk):
    """An officer records a response taken on the phone or at an event, while the window is
    open: counted at once, one per person (by email address, or by name and postcode)."""
    consultation = get_consultation_for_staff(request.user, pk)
    now = timezone.now()
    window = voice_rules.window_decision(
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        closed=consultation.closed_at is not None,
        now=now,
    )
    applicants = list(voice_selectors.applicants(consultation)) if consultation.is_backing else []
    form = AssistedForm(
        submitted(request), applicants=applicants, is_backing=consultation.is_backing
    )
    if request.method == "POST" and window and form.is_valid():
        try:
            record_assisted(consultation=consultation, by=request.user, **form.service_fields())
        except VoiceError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The response has been recorded and counted. You can record another."),
            )
            return redirect("grants:assisted_response", consultation.pk)
    return render(
        request,
        "grants/voices_staff/assisted.html",
        {"consultation": consultation, "form": form, "window": window},
    )
