"""Loading the ONS postcode lookup (NSPL or ONSPD) from the CSV the council downloads.

The file is large (about 2.7 million rows, 1 GB), so it is read a row at a
time and written in batches; nothing holds the whole file. A load replaces the
previous lookup in one transaction: a file with one bad row loads nothing, and
the lookup already there stays in use. Every refusal names the line and the
column, so whoever runs the load can look at the row.

Columns, matched without regard to case (ArcGIS downloads use capitals):
- the postcode: `pcds` (one space, "LE1 6ZG"), or `pcd`/`pcd2`/`pcd7`/`pcd8`;
- the local authority: `laua` (NSPL), `oslaua` (ONSPD), or `lad25cd` and the like
  (the NSPL and ONSPD from 2025 name the year of the boundaries);
- the ward: `ward` (NSPL), `osward` (ONSPD), or `wd25cd` and the like;
- optional: `doterm` (date terminated; terminated postcodes are kept and marked),
  and a ward name `wd25nm` (or from the NSPL's own ward names file, `--ward-names`).
"""

import csv
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .geography import GSS_CODE, PostcodeLookup, PostcodeLookupFile
from .validators import normalise_postcode

BATCH_SIZE = 5000
PROGRESS_EVERY = 100_000
CODE = re.compile(GSS_CODE, re.ASCII)

# Which column holds what, most preferred first. A pattern names a family of
# columns that carry the year of the boundaries (lad25cd, wd24cd ...).
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8")
LA_COLUMNS = ("laua", "oslaua", re.compile(r"lad\d{2}cd"))
WARD_COLUMNS = ("ward", "osward", re.compile(r"wd\d{2}cd"))
WARD_NAME_COLUMNS = (re.compile(r"wd\d{2}nm"),)
TERMINATED_COLUMNS = ("doterm",)


class LookupFileError(Exception):
    """The file cannot be loaded; the message names the line and the column."""


@dataclass(frozen=True)
class Columns:
    """Where each thing is in a row: the column's position and its name as in the file."""

    postcode: tuple[int, str]
    la_code: tuple[int, str]
    ward_code: tuple[int, str]
    ward_name: tuple[int, str] | None
    terminated: tuple[int, str] | None
    names: tuple[str, ...]
    source: str

    @property
    def count(self) -> int:
        return len(self.names)


def _find(names: list[str], candidates) -> tuple[int, str] | None:
    """The first candidate's position and name as the file spells it (PCDS or pcds)."""
    lowered = [name.strip().lower() for name in names]
    for candidate in candidates:
        for index, name in enumerate(lowered):
            if (
                candidate.fullmatch(name)
                if isinstance(candidate, re.Pattern)
                else name == candidate
            ):
                return index, names[index].strip()
    return None


def _describe(candidates) -> str:
    return " or ".join(
        c.pattern.replace(r"\d{2}", "25") if isinstance(c, re.Pattern) else c for c in candidates
    )


def read_header(row: list[str] | None, file_name: str = "") -> Columns:
    """The columns of the lookup, from the file's first line, or LookupFileError."""
    if not row:
        raise LookupFileError(
            "Line 1: the file is empty. Choose the ONS postcode lookup's CSV file (NSPL or ONSPD)."
        )
    names = list(row)
    found = {}
    for key, candidates, what in (
        ("postcode", POSTCODE_COLUMNS, "postcode"),
        ("la_code", LA_COLUMNS, "local-authority code"),
        ("ward_code", WARD_COLUMNS, "ward code"),
    ):
        found[key] = _find(names, candidates)
        if found[key] is None:
            raise LookupFileError(
                f"Line 1: there is no {what} column (looked for {_describe(candidates)}). "
                "The first line of the ONS postcode lookup (NSPL or ONSPD) names its columns."
            )
    la_name = found["la_code"][1]
    kind = {"laua": "NSPL", "oslaua": "ONSPD"}.get(la_name.lower())
    if kind is None:
        upper = file_name.upper()
        kind = next((k for k in ("NSPL", "ONSPD") if upper.startswith(k)), "ONS postcode lookup")
    return Columns(
        **found,
        ward_name=_find(names, WARD_NAME_COLUMNS),
        terminated=_find(names, TERMINATED_COLUMNS),
        names=tuple(name.strip() for name in names),
        source=f"{kind} ({found['postcode'][1]}, {la_name}, {found['ward_code'][1]})",
    )


def _code(row: list[str], column: tuple[int, str], line: int, what: str, example: str) -> str:
    value = row[column[0]].strip().upper()
    if not value:
        raise LookupFileError(f"Line {line}, column {column[1]}: the {what} is empty.")
    if not CODE.match(value):
        raise LookupFileError(
            f"Line {line}, column {column[1]}: {value!r} is not a {what}. "
            f"It must be a letter and 8 digits, like {example}."
        )
    return value


def parse_row(row: list[str], columns: Columns, line: int, ward_names: dict[str, str]):
    """One row as a PostcodeLookup (unsaved), or LookupFileError naming line and column."""
    if len(row) < columns.count:
        needed = (columns.postcode, columns.la_code, columns.ward_code)
        missing = next((c[1] for c in needed if c[0] >= len(row)), columns.names[len(row)])
        raise LookupFileError(
            f"Line {line}, column {missing}: the row has {len(row)} columns, "
            f"but the first line names {columns.count}."
        )
    index, name = columns.postcode
    if not row[index].strip():
        raise LookupFileError(f"Line {line}, column {name}: the postcode is empty.")
    try:
        postcode = normalise_postcode(row[index])
    except ValidationError:
        raise LookupFileError(
            f"Line {line}, column {name}: {row[index].strip()!r} is not a postcode."
        ) from None
    ward_code = _code(row, columns.ward_code, line, "ward code", "E05010495")
    ward_name = row[columns.ward_name[0]].strip() if columns.ward_name else ""
    return PostcodeLookup(
        postcode=postcode,
        la_code=_code(row, columns.la_code, line, "local-authority code", "E06000016"),
        ward_code=ward_code,
        ward_name=(ward_name or ward_names.get(ward_code, ""))[:100],
        terminated=bool(columns.terminated and row[columns.terminated[0]].strip()),
    )


def read_ward_names(path: str | Path) -> dict[str, str]:
    """Ward code to name, from a names file (the NSPL's Documents folder has one:
    "Ward names and codes UK as at ...csv", columns like WD25CD and WD25NM)."""
    with open_csv(path) as text:
        reader = csv.reader(text)
        names = next(reader, None) or []
        code = _find(names, WARD_COLUMNS)
        name = _find(names, WARD_NAME_COLUMNS)
        if code is None or name is None:
            raise LookupFileError(
                "Line 1 of the ward names file: it needs a ward code column and a ward "
                "name column, like WD25CD and WD25NM."
            )
        return {
            row[code[0]].strip().upper(): row[name[0]].strip()
            for row in reader
            if len(row) > max(code[0], name[0])
        }


@contextmanager
def open_csv(path: str | Path) -> Iterator[Iterator[str]]:
    """The CSV's lines as text, read as they are needed. A .zip (the download as
    it comes) is opened in place: its one CSV under Data/ not split by area."""
    path = Path(path)
    if not path.is_file():
        raise LookupFileError(f"There is no file at {path}.")
    if path.suffix.lower() != ".zip":
        with open(path, "rb") as raw:
            yield _text_lines(raw)
        return
    with zipfile.ZipFile(path) as archive:
        members = [
            m
            for m in archive.namelist()
            if m.lower().endswith(".csv") and "/data/" in f"/{m.lower()}" and "multi_csv" not in m
        ]
        if len(members) != 1:
            raise LookupFileError(
                f"{path.name} should hold one CSV file under Data/, but holds {len(members)}. "
                "Unzip it and give the path of the CSV file."
            )
        with archive.open(members[0]) as raw:
            yield _text_lines(raw)


def _text_lines(raw: Iterable[bytes]) -> Iterator[str]:
    """Each line decoded as UTF-8 on its own, so a bad byte is reported on its line."""
    for number, line in enumerate(raw, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise LookupFileError(
                f"Line {number}: the file is not UTF-8 text. Give the CSV file as the ONS "
                "publishes it."
            ) from None


def _insert(batch: list[PostcodeLookup], lines: list[int], column: str) -> None:
    """Write one batch; a postcode given twice is refused with its line."""
    seen: dict[str, int] = {}
    for item, line in zip(batch, lines, strict=True):
        if item.postcode in seen:
            raise _twice(column, item.postcode, line, seen[item.postcode])
        seen[item.postcode] = line
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives to report
            PostcodeLookup.objects.bulk_create(batch)
    except IntegrityError:
        earlier = set(
            PostcodeLookup.objects.filter(postcode__in=seen).values_list("postcode", flat=True)
        )
        first = min((seen[p], p) for p in earlier) if earlier else (lines[0], batch[0].postcode)
        raise _twice(column, first[1], first[0], None) from None


def _twice(column: str, postcode: str, line: int, earlier: int | None) -> LookupFileError:
    where = f"line {earlier}" if earlier else "an earlier line"
    return LookupFileError(f"Line {line}, column {column}: {postcode} is also on {where}.")


def _lock_and_empty() -> None:
    """Take the table, so two loads at once take turns while the open data goes on
    reading the old lookup until this one commits, and empty it.

    One DELETE statement: the ORM's delete() would load every row (millions)
    to send post_delete signals, which the reports' figures cache listens for.
    """
    table = connection.ops.quote_name(PostcodeLookup._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the table's own name


def load_postcode_lookup(
    path: str | Path,
    *,
    only_la_code: str = "",
    ward_names: dict[str, str] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> PostcodeLookupFile:
    """Replace the lookup with the file's postcodes (only `only_la_code`'s, if given)
    in one transaction, or raise LookupFileError and change nothing.

    `progress(rows_read, rows_written)` is called every PROGRESS_EVERY rows.
    """
    path = Path(path)
    ward_names = ward_names or {}
    with open_csv(path) as text, transaction.atomic():
        reader = csv.reader(text)
        try:
            columns = read_header(next(reader, None), path.name)
            _lock_and_empty()
            PostcodeLookupFile.objects.all().delete()
            read = kept = 0
            batch, lines = [], []
            for row in reader:
                if not any(field.strip() for field in row):
                    continue  # a blank line, often the last
                read += 1
                if progress and read % PROGRESS_EVERY == 0:
                    progress(read, kept)
                item = parse_row(row, columns, reader.line_num, ward_names)
                if only_la_code and item.la_code != only_la_code:
                    continue
                batch.append(item)
                lines.append(reader.line_num)
                if len(batch) >= batch_size:
                    _insert(batch, lines, columns.postcode[1])
                    kept += len(batch)
                    batch, lines = [], []
            if batch:
                _insert(batch, lines, columns.postcode[1])
                kept += len(batch)
        except csv.Error as error:
            raise LookupFileError(
                f"Line {reader.line_num}: the row is not valid CSV ({error})."
            ) from None
        return PostcodeLookupFile.objects.create(
            file_name=path.name,
            source=columns.source,
            rows=kept,
            rows_read=read,
            only_la_code=only_la_code,
            loaded_at=timezone.now(),
        )
