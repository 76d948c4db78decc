"""Open-data files built in the background, kept in storage and served from there.

A manager (or the nightly job) asks for a file: `queue_build` records a QUEUED
build and hands its id to a Celery task, which calls `build`. The build reads
the awards as plain rows (`reports.open_data.awards`), streams them through the
builders into a scratch file, saves that to the "open_data" storage under a
name no record points to yet, and only then marks the build BUILT with the
file's name, size and SHA-256, in one transaction. A file is therefore served
whole or not at all. Older builds of the same file are deleted once that
commits. The download views serve the newest BUILT file of each kind and year,
current or not; the page says which.

Whether a file is current is decided by `fingerprint()`, read before the rows
(see its docstring for what it covers and why).
"""

import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from allowances.models import ENDED, AgreedPackage, LedgerEntry
from delivery.models import ProviderRequest, RequestStatus
from notifications.models import Deadline
from organisations.geography import PostcodeLookupFile
from organisations.models import Organisation
from packages.models import Package

from .exports import XLSX_TYPE, write_xlsx
from .models import BuildStatus, OpenDataBuild, OpenDataKind
from .open_data import (
    GRANTS_CSV_HEADER,
    TRANSPARENCY_HEADER,
    awards,
    csv_chunks,
    grants_csv_rows,
    grants_json_chunks,
    transparency_rows,
)

logger = logging.getLogger(__name__)

# Bump when a builder changes what it writes, so every file is out of date at once.
# 2: recipient postal code and location, geocodes, dateModified, dataSource (issue 17).
FORMAT_VERSION = 2
# A queued build not finished in this long is taken to be lost (a worker died):
# the page offers to build the file again.
QUEUED_FOR_AT_MOST = timedelta(minutes=30)
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class FileKind:
    """How one kind of file is named and written."""

    stem: str
    extension: str
    content_type: str
    # Writes the file from the rows of `awards()` to a binary file.
    write: Callable[[Iterable[dict], BinaryIO], None]

    def filename(self, year: int | None) -> str:
        """The name a download is saved as, as before issue 15: 360giving-2025.json."""
        return f"{self.stem}-{year}.{self.extension}" if year else f"{self.stem}.{self.extension}"


def _text(chunks: Callable[[Iterable[dict]], Iterator[str]]):
    def write(rows, out):
        for chunk in chunks(rows):
            out.write(chunk.encode("utf-8"))

    return write


def _grants_csv(rows):
    return csv_chunks(GRANTS_CSV_HEADER, grants_csv_rows(rows))


def _transparency_csv(rows):
    return csv_chunks(TRANSPARENCY_HEADER, transparency_rows(rows))


def _grants_xlsx(rows, out):
    """The 360Giving spreadsheet: one sheet named "grants" with the standard's column titles."""
    write_xlsx(out, "grants", GRANTS_CSV_HEADER, grants_csv_rows(rows))


KINDS = {
    OpenDataKind.GRANTS_JSON: FileKind(
        "360giving", "json", "application/json", _text(grants_json_chunks)
    ),
    OpenDataKind.GRANTS_CSV: FileKind("360giving", "csv", CSV_TYPE, _text(_grants_csv)),
    OpenDataKind.GRANTS_XLSX: FileKind("360giving", "xlsx", XLSX_TYPE, _grants_xlsx),
    OpenDataKind.TRANSPARENCY_CSV: FileKind(
        "transparency-code-grants", "csv", CSV_TYPE, _text(_transparency_csv)
    ),
}


def storage():
    return storages["open_data"]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def printed_settings() -> tuple:
    """The settings the files print: a file built under others is out of date."""
    return (
        settings.OPEN_DATA_PREFIX,
        settings.COUNCIL_ORG_ID,
        settings.COUNCIL_NAME,
        settings.COUNCIL_DEPARTMENT,
        settings.SERVICE_NAME,
        settings.COUNCIL_LOCAL_AUTHORITY_CODE,
        settings.COUNCIL_AREA_NAME,
        settings.SITE_URL,
    )


def fingerprint() -> str:
    """What every open-data file is built from, summed up: one query, no row read twice.

    A file is current while this is what it was when the file's rows were read.
    It changes whenever anything the files show may have changed:

    - the number of ledger entries. The ledger is append-only (a database
      trigger refuses UPDATE and DELETE), so the count moves with every entry
      committed, in whatever order transactions commit (the newest id would
      miss an entry with a lower id committed late). Agreeing a package writes
      a commitment, cancelling or expiring one a release, paying a claim a
      spend: new grants, withdrawn grants and amountDisbursed.
    - agreed packages ended (cancelled or expired: terminal, so the count only
      grows) and those with delivery started (the start date when no provider
      has planned dates): a second guard on the awards and their dates that
      does not rely on the services writing to the ledger.
    - provider requests accepted (terminal too): the planned dates.
    - the newest change to an organisation (name, numbers, town, postcode,
      whether its address is a home), a menu package (name, summary) and a
      deadline (the delivery period): each saves `updated_at`; and the newest
      postcode lookup loaded (the geocodes).
    - the settings the files print (prefix, org-id, names) and FORMAT_VERSION.

    It is read before the rows, so a change committed in between makes the
    file look older than it is (it is built again), never newer. One change it
    can miss: an edit saved with an `updated_at` older than the newest one
    already committed, committing after a build read the fingerprint (two
    edits racing a build); the next change of any kind marks the file out of
    date. Cost at city scale (52k ledger entries, 20k packages): about 6 ms.
    """
    sql = f"""
        SELECT ledger.entries, agreed.ended, agreed.started, requests.accepted,
               (SELECT MAX(updated_at) FROM {_table(Organisation)}),
               (SELECT MAX(updated_at) FROM {_table(Package)}),
               (SELECT MAX(updated_at) FROM {_table(Deadline)}),
               (SELECT MAX(loaded_at) FROM {_table(PostcodeLookupFile)})
        FROM (SELECT COUNT(*) AS entries FROM {_table(LedgerEntry)}) AS ledger,
             (SELECT COUNT(*) FILTER (WHERE status IN ({", ".join(["%s"] * len(ENDED))}))
                         AS ended,
                     COUNT(delivery_started_on) AS started
                FROM {_table(AgreedPackage)}) AS agreed,
             (SELECT COUNT(*) AS accepted FROM {_table(ProviderRequest)} WHERE status = %s)
                AS requests
    """  # noqa: S608 - table names from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ENDED, RequestStatus.ACCEPTED])
        figures = cursor.fetchone()
    text = "|".join(str(part) for part in (FORMAT_VERSION, *figures, *printed_settings()))
    return hashlib.sha256(text.encode()).hexdigest()


# --- What the page shows


@dataclass(frozen=True)
class FileState:
    """One file as the open-data page shows it."""

    kind: str
    year: int | None
    built: OpenDataBuild | None  # the newest file, current or not
    current: bool
    pending: bool  # a build was asked for and has not finished
    failed: OpenDataBuild | None  # the last build, when it failed

    @property
    def stale(self) -> bool:
        return self.built is not None and not self.current

    @property
    def needs_build(self) -> bool:
        return not self.current and not self.pending


FileKey = tuple[str, int | None]  # (kind, year); None for every year


def file_states(years: list[int], current: str, now=None) -> dict[FileKey, FileState]:
    """Every file's state by (kind, year): one query (old builds go as new ones land)."""
    now = now or timezone.now()
    builds: dict[FileKey, list[OpenDataBuild]] = {}
    for build in OpenDataBuild.objects.all():  # newest first within a file (Meta.ordering)
        builds.setdefault((build.kind, build.year), []).append(build)
    states = {}
    for kind in OpenDataKind.values:
        for year in [None, *years]:
            mine = builds.get((kind, year), [])
            built = next((b for b in mine if b.status == BuildStatus.BUILT), None)
            newest = mine[0] if mine else None
            states[kind, year] = FileState(
                kind=kind,
                year=year,
                built=built,
                current=built is not None and built.fingerprint == current,
                pending=any(
                    b.status == BuildStatus.QUEUED and b.queued_at > now - QUEUED_FOR_AT_MOST
                    for b in mine
                ),
                failed=newest if newest and newest.status == BuildStatus.FAILED else None,
            )
    return states


def newest_file(kind: str, year: int | None) -> OpenDataBuild | None:
    """The newest built file of this kind and year, current or not: one query."""
    return (
        OpenDataBuild.objects.filter(kind=kind, year=year, status=BuildStatus.BUILT)
        .order_by("-built_at", "-id")
        .first()
    )


# --- Asking for a build


class BuildNotStarted(Exception):
    """The job queue did not take the build (the broker is down)."""


def queue_build(kind: str, year: int | None) -> OpenDataBuild:
    """Ask a worker to build one file; never builds it here. Returns the queued build.

    A build of the same file asked for in the last QUEUED_FOR_AT_MOST and not
    yet finished is returned instead of asking twice. The row is saved (the
    caller is not in a transaction) before the task is sent, so the worker
    always finds it. Raises BuildNotStarted, leaving nothing queued, when the
    broker refuses the task.
    """
    from .tasks import build_open_data_file

    waiting = (
        OpenDataBuild.objects.filter(
            kind=kind,
            year=year,
            status=BuildStatus.QUEUED,
            queued_at__gt=timezone.now() - QUEUED_FOR_AT_MOST,
        )
        .order_by("-queued_at")
        .first()
    )
    if waiting is not None:
        return waiting
    build = OpenDataBuild.objects.create(kind=kind, year=year)
    try:
        build_open_data_file.delay(build.pk)
    except OperationalError as exc:
        build.delete()
        logger.warning("Could not queue the build of %s %s: %s", kind, year, exc)
        raise BuildNotStarted from exc
    return build


# --- Building


class _Counted:
    """Passes rows through, counting them."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def build(build_id: int) -> OpenDataBuild | None:
    """Build the file a queued build asks for: whole in storage and recorded, or FAILED.

    Returns the build, or None when there was nothing to do (it was done or
    superseded already, or a file built from the same data exists).
    """
    queued = OpenDataBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).first()
    if queued is None:
        return None
    current = fingerprint()  # before the rows, so the file is never newer than it says
    done = OpenDataBuild.objects.filter(
        kind=queued.kind, year=queued.year, status=BuildStatus.BUILT, fingerprint=current
    )
    if done.exists():
        queued.delete()
        return None
    try:
        name, size, sha256, rows = _write(queued)
    except Exception as exc:
        OpenDataBuild.objects.filter(pk=queued.pk, status=BuildStatus.QUEUED).update(
            status=BuildStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    return _record(queued.pk, current, name=name, size=size, sha256=sha256, rows=rows)


def _write(queued: OpenDataBuild) -> tuple[str, int, str, int]:
    """Write the file to storage under a name nothing serves yet: (name, size, sha256, rows)."""
    kind = KINDS[queued.kind]
    stem = kind.filename(queued.year).removesuffix(f".{kind.extension}")
    # The build's id makes the name unique; storage adds a suffix if it is not.
    return write_file(queued.kind, queued.year, f"{stem}-{queued.pk}.{kind.extension}")


def write_file(
    kind: str, year: int | None, name: str, seen: dict | None = None
) -> tuple[str, int, str, int]:
    """Build one file from the awards into storage as `name`: (name saved, size, sha256, rows).

    `seen`, for the 360Giving JSON, is filled with each grant's id: (digest, title).
    """
    rows = _Counted(awards(year))
    write = KINDS[kind].write
    if seen is not None:
        write = _text(lambda rows: grants_json_chunks(rows, seen=seen))
    with tempfile.TemporaryFile() as scratch:
        write(rows, scratch)
        size, digest = scratch.tell(), hashlib.sha256()
        scratch.seek(0)
        while block := scratch.read(1 << 20):
            digest.update(block)
        scratch.seek(0)
        saved = storage().save(name, File(scratch))
    return saved, size, digest.hexdigest(), rows.count


def _record(build_id: int, current: str, **file) -> OpenDataBuild | None:
    """Mark the build BUILT and drop what it replaces, in one transaction."""
    with transaction.atomic():
        build = (
            OpenDataBuild.objects.select_for_update()
            .filter(pk=build_id, status=BuildStatus.QUEUED)
            .first()
        )
        if build is None:  # a newer build of the same file finished first and replaced it
            transaction.on_commit(lambda: _delete_files([file["name"]]))
            return None
        for field, value in file.items():
            setattr(build, field, value)
        build.status, build.fingerprint, build.built_at = BuildStatus.BUILT, current, timezone.now()
        build.save(
            update_fields=["status", "fingerprint", "built_at", "name", "size", "sha256", "rows"]
        )
        # Every other finished build of this file, and any still queued that were
        # asked for before this one (this file answers them).
        replaced = OpenDataBuild.objects.filter(kind=build.kind, year=build.year).exclude(
            pk=build.pk
        )
        replaced = replaced.filter(
            Q(status__in=[BuildStatus.BUILT, BuildStatus.FAILED])
            | Q(status=BuildStatus.QUEUED, queued_at__lte=build.queued_at)
        )
        names = [n for n in replaced.values_list("name", flat=True) if n]
        replaced.delete()
        # Files go once the rows are gone for good; a download already reading
        # one keeps its open file.
        transaction.on_commit(lambda: _delete_files(names))
    return build


def _delete_files(names: list[str]) -> None:
    for name in names:
        storage().delete(name)


def build_here(kind: str, year: int | None) -> OpenDataBuild | None:
    """Build one file in this process, now: for a worker's own jobs and the bench, never a view."""
    return build(OpenDataBuild.objects.create(kind=kind, year=year).pk)


def rebuild_out_of_date(years: list[int]) -> int:
    """Build, one after another, every file out of date or never built: the nightly job."""
    built = 0
    for (kind, year), state in file_states(years, fingerprint()).items():
        if state.current:
            continue
        try:
            built += build_here(kind, year) is not None
        except Exception:  # one file failing must not stop the others
            logger.exception("Building %s for %s failed", kind, year or "every year")
    return built
