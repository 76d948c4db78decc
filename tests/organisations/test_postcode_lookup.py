"""The ONS postcode lookup: loading the council's download, and reading geocodes from it.

fixtures/nspl_sample.csv has the NSPL's real columns (May 2025 edition) and 21
rows: 17 Leicester postcodes (those the demo, the factories and these tests
use, one terminated), 3 elsewhere in England and one in Guernsey, whose codes
are the ONS pseudo-code L99999999. The codes have the real shape; which ward
each postcode is given is illustrative, not copied from the ONS file.
"""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from organisations.geography import (
    Geocode,
    PostcodeLookup,
    PostcodeLookupFile,
    current_lookup,
    geocodes_for,
    lookup_loaded,
)
from organisations.ons_lookup import LookupFileError, load_postcode_lookup

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "nspl_sample.csv"
WARD_NAMES = FIXTURES / "nspl_ward_names.csv"
LEICESTER = "E06000016"

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_postcode_lookup", *map(str, args), stdout=out)
    return out.getvalue()


def sample_lines() -> list[str]:
    return SAMPLE.read_text().splitlines()


def write(tmp_path, lines: list[str], name="NSPL_TEST_UK.csv") -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def with_field(line: str, column: str, value: str) -> str:
    """A sample row with one field changed (every field of the sample is quoted)."""
    header = [name.strip('"') for name in sample_lines()[0].split(",")]
    fields = line.split(",")
    fields[header.index(column)] = f'"{value}"'
    return ",".join(fields)


# --- Loading


def test_it_loads_the_nspl_with_terminated_postcodes_and_says_what_it_loaded():
    output = load(SAMPLE)
    assert PostcodeLookup.objects.count() == 21
    highfields = PostcodeLookup.objects.get(postcode="LE2 0DS")
    assert (highfields.la_code, highfields.ward_code, highfields.ward_name) == (
        LEICESTER,
        "E05010475",
        "",
    )
    assert highfields.terminated is False
    assert PostcodeLookup.objects.get(postcode="LE1 9ZZ").terminated is True
    assert PostcodeLookup.objects.get(postcode="GY1 1AA").la_code == "L99999999"
    loaded = PostcodeLookupFile.objects.get()
    assert (loaded.file_name, loaded.source, loaded.rows, loaded.rows_read) == (
        "nspl_sample.csv",
        "NSPL (pcds, laua, ward)",
        21,
        21,
    )
    assert loaded.only_la_code == ""
    assert "Loaded 21 postcodes from nspl_sample.csv" in output


def test_a_second_load_replaces_the_first_and_only_area_keeps_the_councils(settings):
    load(SAMPLE)
    first = PostcodeLookupFile.objects.get()
    load(SAMPLE, "--only-area")
    assert PostcodeLookup.objects.count() == 17
    assert set(PostcodeLookup.objects.values_list("la_code", flat=True)) == {LEICESTER}
    assert not PostcodeLookup.objects.filter(postcode="NG1 1AA").exists()
    loaded = PostcodeLookupFile.objects.get()  # one record: the file in use
    assert loaded.pk != first.pk
    assert (loaded.rows, loaded.rows_read, loaded.only_la_code) == (17, 21, LEICESTER)


def test_only_area_follows_the_setting(settings):
    settings.COUNCIL_LOCAL_AUTHORITY_CODE = "E06000018"  # Nottingham
    output = load(SAMPLE, "--only-area")
    assert list(PostcodeLookup.objects.values_list("postcode", flat=True)) == ["NG1 1AA"]
    assert "Loaded 1 postcodes in E06000018" in output


def test_ward_names_come_from_the_nspl_names_file():
    load(SAMPLE, "--ward-names", WARD_NAMES)
    assert PostcodeLookup.objects.get(postcode="LE2 0DS").ward_name == "Wycliffe"
    assert PostcodeLookup.objects.get(postcode="NG1 1AA").ward_name == ""  # not in the names


def test_it_reads_the_onspd_columns(tmp_path):
    path = write(
        tmp_path,
        [
            "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish",
            "LE1  6ZG,LE1  6ZG,LE1 6ZG,198001,,E99999999,E99999999,E06000016,E05010460,E43000001",
        ],
        "ONSPD_MAY_2025_UK.csv",
    )
    load(path)
    assert PostcodeLookup.objects.get().ward_code == "E05010460"
    assert PostcodeLookupFile.objects.get().source == "ONSPD (pcds, oslaua, osward)"


def test_it_reads_the_2025_columns_in_capitals_with_ward_names(tmp_path):
    path = write(
        tmp_path,
        [
            "PCD7,PCD8,PCDS,DOINTR,DOTERM,LAD25CD,WD25CD,WD25NM",
            '"LE2 0DS","LE2  0DS","LE2 0DS","198001","","E06000016","E05010475","Wycliffe"',
        ],
        "ONSPD_AUG_2025_UK.csv",
    )
    load(path)
    assert geocodes_for(["LE2 0DS"]) == {"LE2 0DS": Geocode(LEICESTER, "E05010475", "Wycliffe")}
    assert PostcodeLookupFile.objects.get().source == "ONSPD (PCDS, LAD25CD, WD25CD)"


def test_it_reads_the_download_still_zipped(tmp_path):
    path = tmp_path / "NSPL_MAY_2025.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Documents/readme.txt", "User guide")
        archive.writestr("Data/NSPL_MAY_2025_UK.csv", SAMPLE.read_bytes())
        archive.writestr("Data/multi_csv/NSPL_MAY_2025_UK_LE.csv", SAMPLE.read_bytes())
    load(path)
    assert PostcodeLookup.objects.count() == 21
    assert PostcodeLookupFile.objects.get().file_name == "NSPL_MAY_2025.zip"


# --- A malformed file names the line and the column and loads nothing


def _header_without_ward():
    lines = sample_lines()
    return [lines[0].replace('"ward"', '"wards"'), *lines[1:]]


def _replace(line_number: int, column: str, value: str):
    def change():
        lines = sample_lines()
        lines[line_number - 1] = with_field(lines[line_number - 1], column, value)
        return lines

    return change


def _append(line: str):
    return lambda: [*sample_lines(), line]


MALFORMED = [
    pytest.param(
        _header_without_ward,
        "Line 1: there is no ward code column (looked for ward or osward or wd25cd).",
        id="no-ward-column",
    ),
    pytest.param(lambda: [], "Line 1: the file is empty.", id="empty-file"),
    pytest.param(
        _replace(5, "pcds", "LE2 XXX"),
        "Line 5, column pcds: 'LE2 XXX' is not a postcode.",
        id="bad-postcode",
    ),
    pytest.param(
        _replace(6, "pcds", " "), "Line 6, column pcds: the postcode is empty.", id="no-postcode"
    ),
    pytest.param(
        _replace(7, "laua", "E0600016"),
        "Line 7, column laua: 'E0600016' is not a local-authority code. "
        "It must be a letter and 8 digits, like E06000016.",
        id="bad-la-code",
    ),
    pytest.param(
        _replace(20, "ward", "X05012277"),
        "Line 20, column ward: 'X05012277' is not a ward code.",
        id="bad-ward-outside-the-area-too",
    ),
    pytest.param(
        _replace(4, "ward", ""), "Line 4, column ward: the ward code is empty.", id="no-ward"
    ),
    pytest.param(
        _append('"LE9 9ZZ","LE9  9ZZ","LE9 9ZZ","198001"'),
        "Line 23, column laua: the row has 4 columns, but the first line names 35.",
        id="short-row",
    ),
    pytest.param(
        _append(
            '"LE9 9ZZ","LE9  9ZZ","LE9 9ZZ","198001","","0","458000","0304000","1","E00069000",'
            '"E99999999","E99999999","E06000016","E05010460","E40000011","E92000001"'
        ),
        "Line 23, column rgn: the row has 16 columns, but the first line names 35.",
        id="short-row-with-the-codes",
    ),
    pytest.param(
        _append(sample_lines()[1]),
        "Line 23, column pcds: LE1 6ZG is also on line 2.",
        id="postcode-twice",
    ),
]


@pytest.mark.parametrize(("lines", "message"), MALFORMED)
def test_a_malformed_file_names_the_line_and_column_and_keeps_the_previous_lookup(
    tmp_path, lines, message
):
    load(SAMPLE, "--only-area")
    before = PostcodeLookupFile.objects.get()
    path = write(tmp_path, lines())
    with pytest.raises(CommandError) as raised:
        load(path, "--only-area")  # rows it would leave out are checked too
    assert message in str(raised.value)
    assert "Nothing was loaded; the previous lookup is kept." in str(raised.value)
    assert PostcodeLookup.objects.count() == 17
    assert PostcodeLookupFile.objects.get() == before
    assert PostcodeLookupFile.objects.get().rows == 17


def test_a_postcode_repeated_in_a_later_batch_is_refused_too(tmp_path):
    path = write(tmp_path, [*sample_lines(), sample_lines()[3]])  # LE3 1LF, line 4 again
    with pytest.raises(LookupFileError, match=r"^Line 23, column pcds: LE3 1LF is also on an"):
        load_postcode_lookup(path, batch_size=2)
    assert not lookup_loaded()


def test_a_file_that_is_not_utf8_or_not_there_is_refused(tmp_path):
    path = tmp_path / "NSPL.csv"
    path.write_bytes(SAMPLE.read_bytes() + b'"LE1 1\xff"\r\n')
    with pytest.raises(CommandError, match="Line 23: the file is not UTF-8 text"):
        load(path)
    with pytest.raises(CommandError, match="There is no file at .*missing.csv"):
        load(tmp_path / "missing.csv")
    assert not lookup_loaded()


def test_the_database_refuses_a_code_of_the_wrong_shape():
    with pytest.raises(IntegrityError):
        PostcodeLookup.objects.create(postcode="LE1 6ZG", la_code="E06000016", ward_code="Castle")


# --- Reading it


def test_geocodes_for_answers_in_one_query_by_normalised_postcode(django_assert_num_queries):
    load(SAMPLE, "--ward-names", WARD_NAMES)
    asked = ["le2 0ds", "LE3 1LF", "LE2  0DS", "NG1 1AA", "LE9 9ZZ", "not a postcode", ""]
    with django_assert_num_queries(1):
        found = geocodes_for(asked)
    assert found == {
        "LE2 0DS": Geocode(LEICESTER, "E05010475", "Wycliffe"),
        "LE3 1LF": Geocode(LEICESTER, "E05010459", "Braunstone Park and Rowley Fields"),
        "NG1 1AA": Geocode("E06000018", "E05012277", ""),
    }
    with django_assert_num_queries(0):
        assert geocodes_for(["nowhere"]) == {}


def test_lookup_loaded_and_current_lookup_say_whether_and_which(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert lookup_loaded() is False
        assert current_lookup() is None
    load(SAMPLE)
    assert lookup_loaded() is True
    assert current_lookup().file_name == "nspl_sample.csv"
    assert geocodes_for(["LE4 6LF"])["LE4 6LF"].la_code == LEICESTER


# --- The setting


def test_a_local_authority_code_of_the_wrong_shape_stops_start_up():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "vcs_support.settings",
            "COUNCIL_LOCAL_AUTHORITY_CODE": "Leicester",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "COUNCIL_LOCAL_AUTHORITY_CODE must be an ONS local-authority code" in result.stderr
