"""Open data downloads: 360Giving (JSON and CSV) and the Transparency Code CSV."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .exports import csv_response
from .open_data import (
    GRANTS_CSV_HEADER,
    TRANSPARENCY_HEADER,
    awards,
    grants_csv_rows,
    grants_package,
    transparency_rows,
)
from .permissions import require_manager
from .selectors import budget_years
from .views import asked_year


def _stem(name: str, year: int | None) -> str:
    return f"{name}-{year}" if year else name


@login_required
@require_GET
def open_data(request):
    require_manager(request.user)
    return render(request, "reports/open_data.html", {"years": budget_years()})


@login_required
@require_GET
def grants_360_json(request):
    require_manager(request.user)
    year = asked_year(request)
    # Compact: a year of a city scheme is thousands of grants.
    body = json.dumps(grants_package(awards(year).iterator(chunk_size=2000)))
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_stem("360giving", year)}.json"'
    return response


@login_required
@require_GET
def grants_360_csv(request):
    require_manager(request.user)
    year = asked_year(request)
    rows = grants_csv_rows(awards(year).iterator(chunk_size=2000))
    return csv_response(_stem("360giving", year), GRANTS_CSV_HEADER, rows)


@login_required
@require_GET
def transparency_csv(request):
    require_manager(request.user)
    year = asked_year(request)
    rows = transparency_rows(awards(year).iterator(chunk_size=2000))
    return csv_response(_stem("transparency-code-grants", year), TRANSPARENCY_HEADER, rows)
