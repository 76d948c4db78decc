"""The organisation's diagnostic: start, one theme per page, summary and send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from notifications.deadlines import OFFICER_REVIEW, deadline
from organisations.permissions import get_own_organisation

from ..diagnostic_services import (
    DiagnosticError,
    save_theme,
    start_diagnostic,
    submit_self_assessment,
    theme_results,
    themes_of,
)
from ..forms import ThemeForm
from ..models import Diagnostic
from ..rules import long_date
from ..selectors import eligibility_on
from .posted import posted_data


def _diagnostics_of(organisation):
    return (
        Diagnostic.objects.filter(organisation=organisation)
        .select_related("questionnaire", "session_booked_by")
        .order_by("-started_at", "-id")
    )


def _open_diagnostic(organisation):
    return _diagnostics_of(organisation).filter(status__in=Diagnostic.OPEN_STATUSES).first()


def _scored_themes(diagnostic):
    """[(theme, result, answered all)] for a diagnostic, with its scores prefetched."""
    themes = list(themes_of(diagnostic.questionnaire))
    diagnostic = Diagnostic.objects.prefetch_related("scores", "priority_themes").get(
        pk=diagnostic.pk
    )
    results = theme_results(diagnostic, themes)
    return [
        (theme, result, all(score is not None for _, score in result.statements))
        for theme, result in zip(themes, results, strict=True)
    ]


@login_required
@require_http_methods(["GET"])
def diagnostic(request):
    organisation, membership = get_own_organisation(request.user)
    diagnostics = list(_diagnostics_of(organisation))
    current = next((d for d in diagnostics if d.status in Diagnostic.OPEN_STATUSES), None)
    completed = [d for d in diagnostics if d.status == Diagnostic.Status.COMPLETED]
    eligible = eligibility_on(organisation, timezone.localdate())
    themes = _scored_themes(current) if current else []
    return render(
        request,
        "diagnostics/diagnostic_overview.html",
        {
            "organisation": organisation,
            "current": current,
            "themes": themes,
            "completed": completed,
            "eligible": eligible,
            "can_start": membership.is_admin and current is None and bool(eligible),
            "can_change": membership.is_admin,
            "can_compare": len(completed) >= 2,
        },
    )


@login_required
@require_POST
def diagnostic_start(request):
    organisation, _ = get_own_organisation(request.user, admin=True)
    try:
        start_diagnostic(organisation=organisation, by=request.user)
    except DiagnosticError as exc:
        messages.error(request, exc.reason)
    return redirect("diagnostics:diagnostic")


@login_required
@require_http_methods(["GET", "POST"])
def diagnostic_theme(request, slug):
    organisation, _ = get_own_organisation(request.user, admin=True)
    current = _open_diagnostic(organisation)
    if current is None or current.status != Diagnostic.Status.SELF_ASSESSMENT:
        return redirect("diagnostics:diagnostic")
    themes = list(current.questionnaire.themes.all())
    index = next((i for i, t in enumerate(themes) if t.slug == slug), None)
    if index is None:
        raise Http404
    theme = themes[index]
    statements = list(theme.statements.all())
    scores = {s.statement_id: s.self_score for s in current.scores.filter(statement__theme=theme)}
    initial = {f"statement_{pk}": str(v) for pk, v in scores.items() if v is not None}
    initial["is_priority"] = current.priority_themes.filter(pk=theme.pk).exists()
    form = ThemeForm(posted_data(request), initial=initial, theme=theme, statements=statements)
    if request.method == "POST" and form.is_valid():
        try:
            save_theme(
                diagnostic=current,
                theme=theme,
                scores=form.scores(),
                is_priority=form.cleaned_data["is_priority"],
                by=request.user,
            )
        except DiagnosticError as exc:
            form.add_error(None, exc.reason)
        else:
            if index + 1 < len(themes) and request.GET.get("from") != "summary":
                return redirect("diagnostics:diagnostic_theme", slug=themes[index + 1].slug)
            return redirect("diagnostics:diagnostic_summary")
    return render(
        request,
        "diagnostics/diagnostic_theme.html",
        {
            "form": form,
            "theme": theme,
            "number": index + 1,
            "total": len(themes),
            "back_slug": themes[index - 1].slug if index else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def diagnostic_summary(request):
    organisation, membership = get_own_organisation(request.user)
    current = _open_diagnostic(organisation)
    if current is None:
        return redirect("diagnostics:diagnostic")
    error = None
    if request.method == "POST":
        get_own_organisation(request.user, admin=True)  # 403 for members
        try:
            submit_self_assessment(diagnostic=current, by=request.user)
        except DiagnosticError as exc:
            error = exc.reason
        else:
            return redirect("diagnostics:self_assessment_sent")
    return render(
        request,
        "diagnostics/diagnostic_summary.html",
        {
            "diagnostic": current,
            "themes": _scored_themes(current),
            "error": error,
            "can_send": membership.is_admin and current.status == Diagnostic.Status.SELF_ASSESSMENT,
        },
        status=409 if error else 200,
    )


@login_required
@require_http_methods(["GET"])
def self_assessment_sent(request):
    """The confirmation once the self-assessment is sent, until the diagnostic is completed.

    Queries: the membership, the open diagnostic, the deadline and the days off.
    """
    organisation, _ = get_own_organisation(request.user)
    current = _open_diagnostic(organisation)
    if current is None or current.self_assessment_submitted_at is None:
        return redirect("diagnostics:diagnostic")
    if current.status == Diagnostic.Status.SESSION_BOOKED and current.session_date:
        session = (
            f"Your diagnostic session is booked for {long_date(current.session_date)} "
            f"at {current.session_time:%H:%M}."
            if current.session_time
            else f"Your diagnostic session is booked for {long_date(current.session_date)}."
        )
    else:
        review = deadline(OFFICER_REVIEW)
        sent_on = timezone.localtime(current.self_assessment_submitted_at).date()
        session = (
            "A council officer will contact you to book your diagnostic session within "
            f"{review.period}: by {long_date(review.due_on(sent_on))}."
        )
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": "Self-assessment sent",
            "next_steps": [
                session,
                "At the session the officer goes through your scores with you and may "
                "adjust them. They then complete your diagnostic, and the service "
                "recommends support packages for the themes that need them most.",
                "We will email your organisation's administrators when the diagnostic "
                "is completed.",
            ],
            "links": [
                ("See your self-assessment", reverse("diagnostics:diagnostic")),
                ("Go to your organisation's home page", reverse("organisation_home")),
            ],
        },
    )
