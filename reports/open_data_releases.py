"""Publishing open data: a manager prepares a release, checks what changed, and publishes it.

Preparing records a PREPARING release and hands its id to a Celery task
(`reports.tasks.prepare_open_data_release`), which calls `write_release`: it
reads the data's fingerprint first, writes every file of the release into the
"open_data" storage under releases/<id>/ (the 360Giving JSON and spreadsheet
and the Transparency Code CSV, for the year asked for, or for every year and
each year), and beside each 360Giving JSON the grants' ids with a digest of
each. It then compares those digests with the newest published release that
has the same file: grants added, changed (any published field other than
dateModified and dataSource) and withdrawn (cancelled, or left to expire,
since: they are simply no longer in the file). Only then is the release READY
for a manager to check and publish (`publish_release`, an audit event). Files
never change once written; the public page serves, for each file, the one in
the newest published release that has it, so a correction appears in the next
release. The moves are RELEASE_MOVES in reports.models.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import OperationalError

from audit.services import record

from .models import (
    RELEASE_MOVES,
    OpenDataKind,
    OpenDataRelease,
    OpenDataReleaseFile,
    ReleaseStatus,
)
from .open_data_files import KINDS, BuildNotStarted, fingerprint, storage, write_file

logger = logging.getLogger(__name__)

# The files a release holds, in the order the public page lists them.
RELEASE_KINDS = (
    OpenDataKind.GRANTS_JSON,
    OpenDataKind.GRANTS_XLSX,
    OpenDataKind.TRANSPARENCY_CSV,
)
# A release still preparing after this long is taken to be lost (a worker died).
PREPARING_FOR_AT_MOST = timedelta(minutes=30)
EXAMPLES = 10  # of each of added, changed and withdrawn, on the check page


class ReleaseBusy(Exception):
    """Another release is being prepared: wait for it, so the next compares with it."""

    reason = "Another release is being prepared. Wait for it to be ready, then prepare this one."

    def __init__(self, reason: str | None = None):
        self.reason = reason or self.reason
        super().__init__(self.reason)


class ReleaseNotReady(Exception):
    """The release cannot make this move from where it is (RELEASE_MOVES)."""


def _move(release: OpenDataRelease, to: str) -> None:
    if to not in RELEASE_MOVES[release.status]:
        raise ReleaseNotReady(
            f"A release that is {release.get_status_display().lower()} cannot be "
            f"{ReleaseStatus(to).label.lower()}."
        )
    release.status = to


def preparing_now():
    """The release being prepared, if one is (and not lost): one query."""
    return OpenDataRelease.objects.filter(
        status=ReleaseStatus.PREPARING,
        prepared_at__gt=timezone.now() - PREPARING_FOR_AT_MOST,
    ).first()


def prepare_release(*, by, year: int | None) -> OpenDataRelease:
    """Ask a worker to write a release's files; never writes them here.

    Raises ReleaseBusy while another is being prepared, and BuildNotStarted
    (leaving nothing behind) when the job queue does not take the task.
    """
    from .tasks import prepare_open_data_release

    # Only one release is prepared at a time, so each compares with the one before.
    # Checking first is not enough: two managers pressing the button at the same
    # moment would both find none and both insert. The partial unique constraint
    # (models.ONE_PREPARING) makes the second insert wait for the first
    # to commit and then fail, which is turned into the same refusal.
    try:
        with transaction.atomic():
            _give_up_lost()
            if preparing_now() is not None:
                raise ReleaseBusy
            release = OpenDataRelease.objects.create(year=year, prepared_by=by)
    except IntegrityError as exc:
        # The constraint's name is in PostgreSQL's message, not SQLite's: look again.
        if preparing_now() is None:
            raise
        raise ReleaseBusy from exc
    try:
        prepare_open_data_release.delay(release.pk)
    except OperationalError as exc:
        release.delete()
        logger.warning("Could not queue the preparation of release %s: %s", release.pk, exc)
        raise BuildNotStarted from exc
    return release


def _give_up_lost() -> None:
    """A release preparing for longer than PREPARING_FOR_AT_MOST is FAILED: its worker died.

    Without this, a lost release would hold the one place for a release being prepared
    for ever; its task, should it ever run, finds it no longer PREPARING and does nothing.
    """
    OpenDataRelease.objects.filter(
        status=ReleaseStatus.PREPARING,
        prepared_at__lte=timezone.now() - PREPARING_FOR_AT_MOST,
    ).update(
        status=ReleaseStatus.FAILED,
        error="No worker finished preparing it in time (it was lost): prepare it again.",
    )


def release_years(release: OpenDataRelease, budget_years: list[int]) -> list[int | None]:
    """The years a release has files for: None (every year) and each year, or the one asked."""
    return [release.year] if release.year is not None else [None, *budget_years]


def _file_name(release: OpenDataRelease, kind: str, year: int | None) -> str:
    return f"releases/{release.pk}/{KINDS[kind].filename(year)}"


def write_release(release_id: int, budget_years: list[int]) -> OpenDataRelease | None:
    """Write the release's files and what changed since the last published one: READY or FAILED."""
    release = OpenDataRelease.objects.filter(pk=release_id, status=ReleaseStatus.PREPARING).first()
    if release is None:
        return None
    written: list[str] = []
    try:
        current = fingerprint()  # before the rows, so the release is never newer than it says
        files, digests = [], {}
        for year in release_years(release, budget_years):
            for kind in RELEASE_KINDS:
                seen = {} if kind == OpenDataKind.GRANTS_JSON else None
                name, size, sha256, rows = write_file(
                    kind, year, _file_name(release, kind, year), seen=seen
                )
                written.append(name)
                file = OpenDataReleaseFile(
                    release=release, kind=kind, year=year, name=name, size=size,
                    sha256=sha256, rows=rows,
                )  # fmt: skip
                if seen is not None:
                    file.digests_name = _save_digests(release, year, seen)
                    written.append(file.digests_name)
                    digests[year] = seen
                files.append(file)
        key = release.year  # the file the comparison is made on: the year's, or every year's
        previous = _newest_published_with(OpenDataKind.GRANTS_JSON, key)
        changes = _changes(_read_digests(previous), digests[key])
    except Exception as exc:
        OpenDataRelease.objects.filter(pk=release.pk, status=ReleaseStatus.PREPARING).update(
            status=ReleaseStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        transaction.on_commit(lambda: _delete(written))
        raise
    with transaction.atomic():
        locked = OpenDataRelease.objects.select_for_update().get(pk=release.pk)
        _move(locked, ReleaseStatus.READY)
        OpenDataReleaseFile.objects.bulk_create(files)
        locked.fingerprint, locked.ready_at = current, timezone.now()
        locked.compared_with = previous.release if previous else None
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save()
    return locked


def _save_digests(release, year, seen: dict) -> str:
    lines = "".join(f"{gid}\t{digest}\t{title}\n" for gid, (digest, title) in sorted(seen.items()))
    name = f"releases/{release.pk}/grant-digests-{year or 'all'}.tsv"
    return storage().save(name, ContentFile(lines.encode("utf-8")))


def _read_digests(file: OpenDataReleaseFile | None) -> dict:
    if file is None or not file.digests_name:
        return {}
    with storage().open(file.digests_name, "rb") as f:
        out = {}
        for line in f.read().decode("utf-8").splitlines():
            gid, digest, title = line.split("\t", 2)
            out[gid] = (digest, title)
        return out


def _changes(before: dict, after: dict) -> dict:
    added = sorted(set(after) - set(before))
    withdrawn = sorted(set(before) - set(after))
    changed = sorted(g for g in set(after) & set(before) if after[g][0] != before[g][0])
    return {
        "added": len(added),
        "changed": len(changed),
        "withdrawn": len(withdrawn),
        "examples": {
            "added": [[g, after[g][1]] for g in added[:EXAMPLES]],
            "changed": [[g, after[g][1]] for g in changed[:EXAMPLES]],
            "withdrawn": [[g, before[g][1]] for g in withdrawn[:EXAMPLES]],
        },
    }


def _delete(names: list[str]) -> None:
    for name in names:
        try:
            storage().delete(name)
        except OSError:
            logger.exception("Could not delete %s", name)


def _newest_published_with(kind: str, year: int | None) -> OpenDataReleaseFile | None:
    return (
        OpenDataReleaseFile.objects.filter(
            kind=kind, year=year, release__status=ReleaseStatus.PUBLISHED
        )
        .select_related("release")
        .order_by("-release__published_at", "-release_id")
        .first()
    )


@transaction.atomic
def publish_release(release: OpenDataRelease, *, by) -> OpenDataRelease:
    """Make a READY release the one the public page serves: an audit event."""
    locked = OpenDataRelease.objects.select_for_update().get(pk=release.pk)
    before = locked.status
    _move(locked, ReleaseStatus.PUBLISHED)
    locked.published_by, locked.published_at = by, timezone.now()
    locked.save(update_fields=["status", "published_by", "published_at"])
    record(
        actor=by,
        action="open_data_release.published",
        obj=locked,
        from_state=before,
        to_state=locked.status,
        data={
            "year": locked.year,
            "added": locked.added,
            "changed": locked.changed,
            "withdrawn": locked.withdrawn,
        },
    )
    return locked


@transaction.atomic
def discard_release(release: OpenDataRelease, *, by) -> OpenDataRelease:
    """Set a READY release aside unpublished; its files are deleted."""
    locked = OpenDataRelease.objects.select_for_update().get(pk=release.pk)
    before = locked.status
    _move(locked, ReleaseStatus.DISCARDED)
    locked.save(update_fields=["status"])
    names = [n for pair in locked.files.values_list("name", "digests_name") for n in pair if n]
    locked.files.all().delete()
    record(
        actor=by,
        action="open_data_release.discarded",
        obj=locked,
        from_state=before,
        to_state=locked.status,
    )
    transaction.on_commit(lambda: _delete(names))
    return locked


def published_files() -> dict[tuple[str, int | None], OpenDataReleaseFile]:
    """For each file, the one in the newest published release that has it: one query."""
    key = Coalesce("year", Value(0))  # every year's files have no year; NULL = NULL is never true
    newest = (
        OpenDataReleaseFile.objects.annotate(key=key)
        .filter(
            kind=OuterRef("kind"),
            key=Coalesce(OuterRef("year"), Value(0)),
            release__status=ReleaseStatus.PUBLISHED,
        )
        .order_by("-release__published_at", "-release_id")
        .values("pk")[:1]
    )
    files = OpenDataReleaseFile.objects.filter(
        release__status=ReleaseStatus.PUBLISHED, pk=Subquery(newest)
    ).select_related("release")
    return {(f.kind, f.year): f for f in files}
