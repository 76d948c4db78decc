"""The diagnostic report, distance travelled for an organisation, and the managers' list."""

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, F
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from organisations.permissions import get_own_organisation, require_manager

from ..models import Diagnostic, Score
from ..permissions import get_diagnostic_for_user
from ..rules import distance_travelled, summarise_changes
from .diagnostic import _scored_themes


@login_required
@require_http_methods(["GET"])
def diagnostic_report(request, pk):
    diagnostic = get_diagnostic_for_user(request.user, pk)
    recommendations = diagnostic.recommendations.filter(removed_at__isnull=True).select_related(
        "package"
    )
    return render(
        request,
        "diagnostics/diagnostic_report.html",
        {
            "diagnostic": diagnostic,
            "organisation": diagnostic.organisation,
            "themes": _scored_themes(diagnostic),
            "recommendations": recommendations,
            "is_staff_view": request.user.is_officer,
        },
    )


def theme_averages(diagnostic_ids) -> dict[int, dict[str, float]]:
    """{diagnostic id: {theme slug: mean final score}} in one query."""
    rows = (
        Score.objects.filter(diagnostic_id__in=diagnostic_ids)
        .values("diagnostic_id", slug=F("statement__theme__slug"))
        .annotate(mean=Avg(Coalesce("officer_score", "self_score")))
    )
    out: dict[int, dict[str, float]] = {}
    for row in rows:
        mean = round(float(row["mean"]), 1) if row["mean"] is not None else None
        out.setdefault(row["diagnostic_id"], {})[row["slug"]] = mean
    return out


def theme_names(diagnostics) -> dict[str, str]:
    names = {}
    for d in diagnostics:
        for theme in d.questionnaire.themes.all():
            names.setdefault(theme.slug, theme.name)
    return names


@login_required
@require_http_methods(["GET"])
def diagnostic_compare(request):
    organisation, _ = get_own_organisation(request.user)
    completed = list(
        Diagnostic.objects.filter(organisation=organisation, status=Diagnostic.Status.COMPLETED)
        .select_related("questionnaire")
        .prefetch_related("questionnaire__themes")
        .order_by("completed_at")
    )
    changes, first, last = [], None, None
    if len(completed) >= 2:
        first, last = completed[0], completed[-1]
        means = theme_averages([first.pk, last.pk])
        changes = distance_travelled(
            means.get(first.pk, {}), means.get(last.pk, {}), theme_names([first, last])
        )
    return render(
        request,
        "diagnostics/diagnostic_compare.html",
        {"organisation": organisation, "first": first, "last": last, "changes": changes},
    )


@login_required
@require_http_methods(["GET"])
def distance_travelled_list(request):
    """Every organisation with two or more completed diagnostics: first against latest.

    Queries are fixed whatever the number of organisations: the organisations,
    their completed diagnostics, the questionnaires' themes, the mean scores.
    """
    require_manager(request.user)
    completed = Diagnostic.objects.filter(status=Diagnostic.Status.COMPLETED)
    repeat = (
        completed.values("organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("organisation_id")
    )
    diagnostics = list(
        completed.filter(organisation_id__in=repeat)
        .select_related("organisation", "questionnaire")
        .prefetch_related("questionnaire__themes")
        .order_by("organisation__name", "organisation_id", "completed_at")
    )
    by_org: dict[int, list] = {}
    for d in diagnostics:
        by_org.setdefault(d.organisation_id, []).append(d)
    pairs = [(ds[0], ds[-1]) for ds in by_org.values()]
    means = theme_averages([d.pk for pair in pairs for d in pair])
    names = theme_names(diagnostics)
    rows = []
    for first, last in pairs:
        changes = distance_travelled(means.get(first.pk, {}), means.get(last.pk, {}), names)
        rows.append((first.organisation, first, last, summarise_changes(changes), changes))
    return render(request, "diagnostics/distance_travelled.html", {"rows": rows})
