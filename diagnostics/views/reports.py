"""The diagnostic report, distance travelled for an organisation, and the managers' list."""

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, F
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from organisations.listing import name_contains, page_of, path_maker, search_term
from organisations.models import Organisation
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
    """Every organisation with two or more completed diagnostics: first against latest,
    a page of organisations at a time, searchable by name.

    Queries are fixed whatever the number of organisations: the count, the page
    of organisations, their completed diagnostics, the questionnaires' themes,
    the mean scores.
    """
    require_manager(request.user)
    term = search_term(request)
    completed = Diagnostic.objects.filter(status=Diagnostic.Status.COMPLETED)
    repeat = (
        completed.values("organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("organisation_id")
    )
    organisations = Organisation.objects.filter(pk__in=repeat)
    if term:
        organisations = organisations.filter(name_contains(term, "name"))
    page = page_of(request, organisations.order_by("name", "pk"))
    diagnostics = list(
        completed.filter(organisation__in=list(page))
        .select_related("questionnaire")
        .prefetch_related("questionnaire__themes")
        .order_by("completed_at", "pk")
    )
    by_org: dict[int, list] = {}
    for d in diagnostics:
        by_org.setdefault(d.organisation_id, []).append(d)
    means = theme_averages([d.pk for ds in by_org.values() for d in (ds[0], ds[-1])])
    names = theme_names(diagnostics)
    report = path_maker("diagnostics:diagnostic_report")
    rows = []
    for organisation in page:
        if organisation.pk not in by_org:  # its diagnostics were removed since the count
            continue
        first, last = by_org[organisation.pk][0], by_org[organisation.pk][-1]
        changes = distance_travelled(means.get(first.pk, {}), means.get(last.pk, {}), names)
        rows.append(
            (organisation, report(last.pk), first, last, summarise_changes(changes), changes)
        )
    return render(
        request,
        "diagnostics/distance_travelled.html",
        {"page": page, "term": term, "rows": rows},
    )
