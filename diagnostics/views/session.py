"""Officers: the diagnostics to run, the session, score adjustments, completion, recommendations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import history_for
from organisations.listing import name_contains, page_of, path_maker, search_term
from packages.models import Package

from ..diagnostic_services import (
    DiagnosticError,
    add_recommendation,
    adjust_score,
    book_session,
    complete_diagnostic,
    remove_recommendation,
)
from ..forms import (
    AddRecommendationForm,
    AdjustThemeForm,
    CompleteForm,
    RemoveRecommendationForm,
    SessionForm,
)
from ..models import Diagnostic
from ..permissions import (
    get_diagnostic_for_staff,
    get_recommendation_for_staff,
    require_officer,
)
from .diagnostic import _scored_themes
from .posted import posted_data

Status = Diagnostic.Status
# The list's tabs: (slug, heading, statuses, order).
TABS = [
    (
        "waiting",
        "Waiting for a session or in a session",
        [Status.AWAITING_SESSION, Status.SESSION_BOOKED],
        ("started_at", "pk"),
    ),
    ("in_progress", "Self-assessment in progress", [Status.SELF_ASSESSMENT], ("started_at", "pk")),
    ("completed", "Completed", [Status.COMPLETED], ("-completed_at", "-pk")),
]


@login_required
@require_http_methods(["GET"])
def officer_diagnostics(request):
    """Diagnostics by where they are (a tab each), a page at a time, searchable by the
    organisation's name, or one organisation's (?organisation=<id>, what the officer's view
    of an organisation links to). Queries: every tab's count, the page's count, the page."""
    require_officer(request.user)
    term = search_term(request)
    diagnostics = Diagnostic.objects.all()
    if term:
        diagnostics = diagnostics.filter(name_contains(term, "organisation__name"))
    organisation = request.GET.get("organisation", "")
    keep_organisation = []
    if organisation.isascii() and organisation.isdigit() and len(organisation) <= 12:
        diagnostics = diagnostics.filter(organisation_id=int(organisation))
        keep_organisation = [("organisation", organisation)]
    counts = diagnostics.aggregate(
        **{slug: Count("pk", filter=Q(status__in=statuses)) for slug, _, statuses, _ in TABS}
    )
    shown = request.GET.get("show")
    slug, heading, statuses, order = next((t for t in TABS if t[0] == shown), TABS[0])
    page = page_of(
        request,
        diagnostics.filter(status__in=statuses).select_related("organisation").order_by(*order),
    )
    detail = path_maker("diagnostics:officer_diagnostic")
    return render(
        request,
        "diagnostics/officer_diagnostics.html",
        {
            "tabs": [(s, h, counts[s]) for s, h, _, _ in TABS],
            "shown": slug,
            "keep": [("show", slug), *keep_organisation],
            "heading": heading,
            "term": term,
            "page": page,
            "rows": [(d, detail(d.pk)) for d in page],
        },
    )


@login_required
@require_http_methods(["GET"])
def officer_diagnostic(request, pk):
    diagnostic = get_diagnostic_for_staff(request.user, pk)
    recommendations = diagnostic.recommendations.select_related(
        "package", "created_by", "removed_by"
    )
    is_open = diagnostic.status in (
        Diagnostic.Status.AWAITING_SESSION,
        Diagnostic.Status.SESSION_BOOKED,
    )
    scores = diagnostic.scores.select_related("statement__theme", "adjusted_by")
    return render(
        request,
        "diagnostics/officer_diagnostic.html",
        {
            "diagnostic": diagnostic,
            "organisation": diagnostic.organisation,
            "themes": _scored_themes(diagnostic),
            "scores": scores,
            "recommendations": recommendations,
            "history": history_for(diagnostic)[:30],
            "can_adjust": is_open,
            "can_book": diagnostic.status != Diagnostic.Status.COMPLETED,
            "can_complete": is_open,
            "can_recommend": diagnostic.status == Diagnostic.Status.COMPLETED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_diagnostic_session(request, pk):
    diagnostic = get_diagnostic_for_staff(request.user, pk)
    initial = None
    if diagnostic.session_date:
        initial = {
            "date": diagnostic.session_date,
            "time": diagnostic.session_time,
            "how": "online" if diagnostic.session_online else "in_person",
            "place": diagnostic.session_place,
        }
    form = SessionForm(posted_data(request), initial=initial, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            book_session(
                diagnostic=diagnostic,
                by=request.user,
                date=data["date"],
                time=data["time"],
                place=data["place"],
                online=data["how"] == "online",
            )
        except DiagnosticError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "The session is booked; the organisation has been told")
            return redirect("diagnostics:officer_diagnostic", pk=diagnostic.pk)
    return render(
        request, "diagnostics/officer_session.html", {"form": form, "diagnostic": diagnostic}
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_diagnostic_theme(request, pk, slug):
    diagnostic = get_diagnostic_for_staff(request.user, pk)
    theme = diagnostic.questionnaire.themes.filter(slug=slug).first()
    if theme is None:
        raise Http404
    statements = list(theme.statements.all())
    scores = {s.statement_id: s for s in diagnostic.scores.filter(statement__theme=theme)}
    form = AdjustThemeForm(posted_data(request), statements=statements, scores=scores)
    if request.method == "POST" and form.is_valid():
        try:
            # All the theme's changes or none: a refusal part-way leaves nothing saved.
            with transaction.atomic():
                for statement_id, value, note in form.changes():
                    adjust_score(
                        diagnostic=diagnostic,
                        statement_id=statement_id,
                        value=value,
                        note=note or scores[statement_id].officer_note,
                        by=request.user,
                    )
        except DiagnosticError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"Scores for {theme.name} saved")
            return redirect("diagnostics:officer_diagnostic", pk=diagnostic.pk)
    return render(
        request,
        "diagnostics/officer_theme.html",
        {"form": form, "diagnostic": diagnostic, "theme": theme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_diagnostic_complete(request, pk):
    diagnostic = get_diagnostic_for_staff(request.user, pk)
    form = CompleteForm(
        posted_data(request),
        initial={"notes": diagnostic.officer_notes},
        booked_for=diagnostic.session_date,
        today=timezone.localdate(),
        started_on=timezone.localtime(diagnostic.started_at).date(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            complete_diagnostic(
                diagnostic=diagnostic,
                by=request.user,
                notes=form.cleaned_data["notes"],
                held_on=form.cleaned_data.get("held_on"),
            )
        except DiagnosticError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "The diagnostic is completed and packages are recommended")
            return redirect("diagnostics:officer_diagnostic", pk=diagnostic.pk)
    return render(
        request, "diagnostics/officer_complete.html", {"form": form, "diagnostic": diagnostic}
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_recommendation_add(request, pk):
    diagnostic = get_diagnostic_for_staff(request.user, pk)
    live = diagnostic.recommendations.filter(removed_at__isnull=True).values("package_id")
    packages = Package.objects.active().exclude(pk__in=live)
    form = AddRecommendationForm(posted_data(request), packages=packages)
    if request.method == "POST" and form.is_valid():
        try:
            add_recommendation(
                diagnostic=diagnostic,
                package=form.cleaned_data["package"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DiagnosticError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{form.cleaned_data['package'].name} is recommended")
            return redirect("diagnostics:officer_diagnostic", pk=diagnostic.pk)
    return render(
        request,
        "diagnostics/officer_recommendation_add.html",
        {"form": form, "diagnostic": diagnostic},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_recommendation_remove(request, pk):
    recommendation = get_recommendation_for_staff(request.user, pk)
    form = RemoveRecommendationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            remove_recommendation(
                recommendation=recommendation, reason=form.cleaned_data["reason"], by=request.user
            )
        except DiagnosticError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{recommendation.package.name} is no longer recommended")
            return redirect("diagnostics:officer_diagnostic", pk=recommendation.diagnostic_id)
    return render(
        request,
        "diagnostics/officer_recommendation_remove.html",
        {"form": form, "recommendation": recommendation},
    )
