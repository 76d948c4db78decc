"""The public open-data page and its files: no account needed, addresses that never change.

Every file is the one in the newest published release that has it
(reports.open_data_releases.published_files): read from storage, never built
in a request, with an ETag and Last-Modified so that a harvester downloads
only what has changed.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from allowances.rules import fy_label

from .open_data_files import KINDS
from .open_data_releases import RELEASE_KINDS, published_files
from .open_data_views import stored_file


def _files_by_year(published) -> list[dict]:
    """Every year's files, newest year first, after every year's: links worked out here."""
    years = sorted({year for (_, year) in published if year is not None}, reverse=True)
    out = []
    for year in [None, *years]:
        files = []
        for kind in RELEASE_KINDS:
            file = published.get((kind, year))
            if file is None:
                continue
            filename = KINDS[kind].filename(year)
            files.append(
                {
                    "file": file,
                    "label": kind.label,
                    "filename": filename,
                    "url": reverse("open_data:file", args=[filename]),
                }
            )
        if files:
            out.append(
                {"year": year, "label": fy_label(year) if year else "Every year", "files": files}
            )
    return out


@require_safe
def open_data_public(request):
    """One query: the published files (with their releases)."""
    by_year = _files_by_year(published_files())
    return render(
        request,
        "reports/open_data_public.html",
        {
            "by_year": by_year,
            "licence_name": settings.OPEN_DATA_LICENCE_NAME,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "contact_email": settings.OPEN_DATA_CONTACT_EMAIL,
            "council_name": settings.COUNCIL_NAME,
            "council_org_id": settings.COUNCIL_ORG_ID,
            "prefix": settings.OPEN_DATA_PREFIX,
            "area_name": settings.COUNCIL_AREA_NAME,
        },
    )


def _kind_and_year(filename: str) -> tuple[str, int | None]:
    """The file a public address names (360giving-2025.json), or 404."""
    for kind in RELEASE_KINDS:
        spec = KINDS[kind]
        if filename == spec.filename(None):
            return kind, None
        stem, _, rest = filename.partition(f"{spec.stem}-")
        year, dot, extension = rest.partition(".")
        if (
            not stem
            and dot
            and extension == spec.extension
            and len(year) == 4
            and year.isascii()
            and year.isdigit()
        ):
            return kind, int(year)
    raise Http404("No such open-data file")


@require_safe
def public_file(request, filename):
    kind, year = _kind_and_year(filename)
    file = published_files().get((kind, year))
    if file is None:
        raise Http404("That file has not been published")
    response = stored_file(request, file, file.release.published_at, KINDS[kind], year)
    if response is None:
        raise Http404("That file is missing")
    return response
