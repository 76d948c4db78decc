"""Publishing open data (managers): prepare a release, check what changed, publish it.

Each view is thin: the moves are reports.open_data_releases' services, and a
release is fetched and authorised by `_release_for_manager`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from allowances.rules import fy_label

from .forms import PrepareReleaseForm
from .models import OpenDataRelease, ReleaseStatus
from .open_data_files import KINDS, BuildNotStarted, fingerprint
from .open_data_releases import (
    ReleaseBusy,
    ReleaseNotReady,
    discard_release,
    prepare_release,
    preparing_now,
    publish_release,
)
from .open_data_views import stored_file
from .permissions import require_manager
from .selectors import budget_years

PAGE_SIZE = 20


def _release_for_manager(user, pk) -> OpenDataRelease:
    require_manager(user)
    return get_object_or_404(
        OpenDataRelease.objects.select_related("prepared_by", "published_by", "compared_with"),
        pk=pk,
    )


def _scope(year) -> str:
    return fy_label(year) if year else "Every year, and each year on its own"


def _refused(href: str, reason: str) -> dict:
    """A service's refusal, for the error summary: the reason, linking to what it is about."""
    return {"href": href, "reason": reason}


def _releases_page(request, form, refused=None, status=200):
    """Every release, newest first (paginated), and the form to prepare one."""
    page = Paginator(
        OpenDataRelease.objects.select_related("prepared_by", "published_by"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for release in page:
        release.scope = _scope(release.year)
        release.url = reverse("reports:open_data_release", args=[release.pk])
    return render(
        request,
        "reports/open_data_releases.html",
        {"page": page, "form": form, "preparing": preparing_now(), "refused": refused},
        status=status,
    )


@login_required
@require_GET
def releases(request):
    require_manager(request.user)
    return _releases_page(request, PrepareReleaseForm(years=budget_years()))


@login_required
@require_POST
def prepare(request):
    require_manager(request.user)
    form = PrepareReleaseForm(request.POST, years=budget_years())
    if not form.is_valid():
        return _releases_page(request, form)
    try:
        release = prepare_release(by=request.user, year=form.cleaned_data["scope"])
    except ReleaseBusy as exc:
        return _releases_page(request, form, refused=_refused("#preparing", exc.reason))
    except BuildNotStarted:
        messages.error(
            request,
            "The release could not be prepared because the job queue is not answering. "
            "Try again in a few minutes.",
        )
        return redirect("reports:open_data_releases")
    return redirect("reports:open_data_release", pk=release.pk)


def _release_page(request, release, refused=None):
    """Check answers: the scope, what changed since the last release, the files."""
    files = [
        {
            "file": f,
            "label": f"{KINDS[f.kind].filename(f.year)}",
            "kind": f.get_kind_display(),
            "year": fy_label(f.year) if f.year else "Every year",
            "url": reverse(
                "reports:open_data_release_file", args=[release.pk, KINDS[f.kind].filename(f.year)]
            ),
        }
        for f in release.files.all()
    ]
    moved = release.status == ReleaseStatus.READY and release.fingerprint != fingerprint()
    examples = release.examples or {}
    changes = [
        ("Grants added", release.added, examples.get("added", [])),
        ("Grants changed", release.changed, examples.get("changed", [])),
        ("Grants withdrawn", release.withdrawn, examples.get("withdrawn", [])),
    ]
    return render(
        request,
        "reports/open_data_release.html",
        {
            "release": release,
            "scope": _scope(release.year),
            "files": files,
            "changes": changes,
            "moved": moved,
            "ready": release.status == ReleaseStatus.READY,
            "preparing": release.status == ReleaseStatus.PREPARING,
            "refused": refused,
        },
    )


@login_required
@require_GET
def release(request, pk):
    return _release_page(request, _release_for_manager(request.user, pk))


def _moved(request, pk, service, done: str):
    """Publish or discard; a refusal (the release is not ready) is shown on the check page,
    which then shows the release as it is now."""
    release = _release_for_manager(request.user, pk)
    try:
        service(release, by=request.user)
    except ReleaseNotReady as exc:
        release = _release_for_manager(request.user, pk)
        return _release_page(request, release, refused=_refused("#status", str(exc)))
    messages.success(request, done)
    return redirect("reports:open_data_release", pk=release.pk)


@login_required
@require_POST
def publish(request, pk):
    return _moved(
        request, pk, publish_release, "Release published. Anyone can now download its files."
    )


@login_required
@require_POST
def discard(request, pk):
    return _moved(request, pk, discard_release, "Release discarded. Nothing was published.")


@login_required
@require_GET
def release_file(request, pk, filename):
    """One file of a release, for the manager to check before publishing."""
    release = _release_for_manager(request.user, pk)
    for file in release.files.all():
        spec = KINDS[file.kind]
        if spec.filename(file.year) == filename:
            response = stored_file(request, file, release.ready_at, spec, file.year)
            if response is not None:
                return response
    raise Http404("No such file in this release")
