"""Managers: a round's report (applications per community, must-have failures, score
spreads, conflicts declared, time from closing to the decision), on a page and as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .. import rules
from ..permissions import get_round_for_manager
from ..round_report import CSV_HEADER, csv_rows, read_round_report


@login_required
@require_GET
def round_report(request, pk):
    """Queries: the round, then read_round_report's nine, whatever the number of applications."""
    grant_round = get_round_for_manager(request.user, pk)
    report = read_round_report(grant_round)
    return render(
        request,
        "grants/round_report.html",
        {
            "round": grant_round,
            "report": report,
            "closed": grant_round.phase() == rules.CLOSED,
        },
    )


@login_required
@require_GET
def round_report_csv(request, pk):
    """The same figures as one spreadsheet: each row names its section."""
    grant_round = get_round_for_manager(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(grant_round.name) or "round"
    response["Content-Disposition"] = f'attachment; filename="{name}-report.csv"'
    response.write("\ufeff")  # so Excel reads it as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(read_round_report(grant_round)))
    return response
