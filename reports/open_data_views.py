"""Open data: the page, asking for a file to be built, and the downloads from storage.

No request builds a file: the page and the downloads read what the background
task built (reports.open_data_files); the build button only queues one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST

from allowances.rules import fy_label

from . import figures_cache
from .models import OpenDataKind
from .open_data_files import (
    KINDS,
    BuildNotStarted,
    file_states,
    fingerprint,
    newest_file,
    printed_settings,
    queue_build,
    storage,
)
from .permissions import require_manager
from .selectors import budget_years
from .views import asked_year

DOWNLOAD_URLS = {
    OpenDataKind.GRANTS_JSON: "reports:grants_360_json",
    OpenDataKind.GRANTS_CSV: "reports:grants_360_csv",
    OpenDataKind.GRANTS_XLSX: "reports:grants_360_xlsx",
    OpenDataKind.TRANSPARENCY_CSV: "reports:transparency_csv",
}


def _file_rows(years, states) -> dict[str, list[dict]]:
    """Each kind's rows for the page, every year first, with links worked out here."""
    rows = {}
    for kind in OpenDataKind:
        url = reverse(DOWNLOAD_URLS[kind])
        rows[kind.value] = [
            {
                "state": states[kind.value, year],
                "label": label,
                "year": year or "",
                "anchor": f"{kind.value}-{year or 'all'}",
                "url": f"{url}?year={year}" if year else url,
                "name": f"{kind.label} for {label if year else 'every year'}",
            }
            for year, label in [(None, "Every year"), *((y.start_year, y.label) for y in years)]
        ]
    return rows


def _current_fingerprint() -> str:
    """The page's check of which files are current, kept until the data changes.

    Builds and the nightly job read `fingerprint()` afresh.
    """
    return figures_cache.figures("open-data-fingerprint", printed_settings(), fingerprint)


@login_required
@require_GET
def open_data(request):
    require_manager(request.user)
    years = budget_years()
    states = file_states([y.start_year for y in years], _current_fingerprint())
    files = _file_rows(years, states)
    return render(
        request,
        "reports/open_data.html",
        {
            "grants_json": files[OpenDataKind.GRANTS_JSON],
            "grants_csv": files[OpenDataKind.GRANTS_CSV],
            "grants_xlsx": files[OpenDataKind.GRANTS_XLSX],
            "transparency_csv": files[OpenDataKind.TRANSPARENCY_CSV],
            "out_of_date": any(s.needs_build for s in states.values()),
            "pending": any(s.pending for s in states.values()),
        },
    )


def _asked_file(request) -> tuple[str, int | None]:
    """The kind and year named in the build form; 404 for anything the page never offers."""
    kind, asked = request.POST.get("kind", ""), request.POST.get("year", "")
    if kind not in OpenDataKind.values:
        raise Http404("No such open-data file")
    if not asked:
        return kind, None
    year = int(asked) if len(asked) == 4 and asked.isascii() and asked.isdigit() else None
    if year not in {y.start_year for y in budget_years()}:
        raise Http404("No such budget year")
    return kind, year


@login_required
@require_POST
def build_file(request):
    """Queue a build of one file, or of every file out of date ("everything")."""
    require_manager(request.user)
    if request.POST.get("everything"):
        years = budget_years()
        states = file_states([y.start_year for y in years], fingerprint())
        wanted = [key for key, state in states.items() if state.needs_build]
    else:
        wanted = [_asked_file(request)]
    try:
        for kind, year in wanted:
            queue_build(kind, year)
    except BuildNotStarted:
        messages.error(
            request,
            "The file could not be built because the job queue is not answering. "
            "Try again in a few minutes.",
        )
        return redirect("reports:open_data")
    if len(wanted) == 1:
        kind, year = wanted[0]
        which = f"for {fy_label(year)}" if year else "for every year"
        messages.success(request, f"The {OpenDataKind(kind).label} {which} is being built.")
    elif wanted:
        messages.success(request, f"{len(wanted)} files are being built.")
    else:
        messages.info(request, "Every file is up to date or already being built.")
    return redirect("reports:open_data")


def _serve(request, kind: str):
    """The newest built file from storage, with ETag and Last-Modified; 304 when unchanged."""
    require_manager(request.user)
    year = asked_year(request)
    built = newest_file(kind, year)
    if built is None:
        messages.info(request, "That file has not been built yet. Build it from this page.")
        return redirect("reports:open_data")
    response = stored_file(request, built, built.built_at, KINDS[kind], year)
    if response is None:
        messages.error(request, "That file is missing from storage. Build it again.")
        return redirect("reports:open_data")
    return response


def stored_file(request, file, modified_at, spec, year):
    """A file from the open-data storage (a build's or a release's), with its SHA-256 as
    the ETag and `modified_at` as Last-Modified; 304 when the asker has it already;
    None when the file is missing from storage."""
    etag, modified = f'"{file.sha256}"', int(modified_at.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified)
    if unchanged is not None:
        return unchanged
    try:
        body = storage().open(file.name, "rb")
    except FileNotFoundError:
        return None
    response = FileResponse(
        body, as_attachment=True, filename=spec.filename(year), content_type=spec.content_type
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response


@login_required
@require_GET
def grants_360_json(request):
    return _serve(request, OpenDataKind.GRANTS_JSON)


@login_required
@require_GET
def grants_360_csv(request):
    return _serve(request, OpenDataKind.GRANTS_CSV)


@login_required
@require_GET
def grants_360_xlsx(request):
    return _serve(request, OpenDataKind.GRANTS_XLSX)


@login_required
@require_GET
def transparency_csv(request):
    return _serve(request, OpenDataKind.TRANSPARENCY_CSV)
