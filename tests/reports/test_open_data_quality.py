"""Issue 17's quality bar: the demo's public files, checked as 360Giving's tools check them.

The demo world (seed_demo) is published through the services as a manager
would (prepare, then publish) and its public files are downloaded as anyone
would. The 360Giving JSON must be valid against the standard's schema and pass
the checks of 360Giving's Data Quality Tool (DQT), re-implemented here as plain
assertions from its published rules (ThreeSixtyGiving/dataquality,
lib360dataquality: the "quality/accuracy" and "usefulness" test classes). No
accuracy check may fail; of the usefulness checks, only the two inherent to
unregistered groups may, and only on their grants: a recipient identifier that
starts "360G-" and no charity or company number.

The demo has no grant to a group run from someone's home, so one is agreed for
Aylestone Meadows Friends, and a phone number is added to an organisation: the
personal-data search must have something to miss.
"""

import csv
import io
import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from allowances.models import ENDED, AgreedPackage
from organisations.models import Organisation, User
from packages.models import Package, Strand
from providers.models import Provider
from reports import open_data_files
from reports.open_data import grant_identifier
from reports.open_data_releases import prepare_release, publish_release
from tests.conftest import client_for
from tests.factories import AgreedPackageFactory

SCHEMA = json.loads(
    (Path(settings.BASE_DIR) / "reports" / "schema" / "360-giving-package-schema.json").read_text()
)
FIXTURES = Path(settings.BASE_DIR) / "tests" / "organisations" / "fixtures"
HOME = "Aylestone Meadows Friends"
PHONE = "0116 496 0123"

# The org-id.guide registers the files draw on ("360G" for the publisher's own).
ORG_ID_PREFIXES = ("GB-CHC-", "GB-COH-", "GB-SC-", "GB-NIC-", "GB-LAE-", "360G-")
# The 360Giving geoCodeType codelist, by the ONS entity its codes belong to.
GEO_CODE_TYPES = {"E05": "WD", "E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB"}
EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")  # the DQT's LooksLikeEmail
POSTCODE = re.compile(r"^\s*[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\s*$", re.IGNORECASE)
SHORTEST_DESCRIPTION = 50  # characters: more than a title says


@pytest.fixture(params=["without the ONS lookup", "with the ONS lookup"])
def demo(request, db, settings, open_data_storage):
    """The demo world published for every year; returns the release."""
    settings.DEBUG = True  # seed_demo refuses to run in production
    call_command("seed_demo", stdout=io.StringIO())
    if request.param == "with the ONS lookup":
        call_command(
            "load_postcode_lookup",
            str(FIXTURES / "nspl_sample.csv"),
            "--ward-names",
            str(FIXTURES / "nspl_ward_names.csv"),
            stdout=io.StringIO(),
        )
    manager = User.objects.get(email="manager@example.org")
    officer = User.objects.get(email="officer@example.org")
    home = Organisation.objects.get(name=HOME)
    assert home.address_is_home
    AgreedPackageFactory(
        organisation=home, package=Package.objects.filter(strand=Strand.VCS_SUPPORT).first(),
        agreed_by=officer,
    )  # fmt: skip
    highfields = Organisation.objects.get(name="Highfields Community Association")
    highfields.contact_phone = PHONE
    highfields.save()
    release = prepare_release(by=manager, year=None)
    release.refresh_from_db()
    return publish_release(release, by=manager)


def download(filename: str) -> bytes:
    response = client_for(None).get(reverse("open_data:file", args=[filename]))
    assert response.status_code == 200, filename
    return b"".join(response.streaming_content)


def demo_grants() -> list[dict]:
    return json.loads(download("360giving.json"))["grants"]


# --- The Data Quality Tool's checks, grant by grant


def _dates(grant) -> dict[str, str]:
    planned = (grant.get("plannedDates") or [{}])[0]
    return {
        "awardDate": grant.get("awardDate"),
        "startDate": planned.get("startDate"),
        "endDate": planned.get("endDate"),
    }


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.split("T")[0])
    except (AttributeError, ValueError):
        return None


def _strings(value, key=""):
    """(path, text) for every string in a grant, as the DQT flattens it."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{key}/{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _strings(v, f"{key}/{n}")
    elif isinstance(value, str):
        yield key, value


def _charity_number_ok(number: str) -> bool:
    number = number[2:] if number[:2].isalpha() else number
    return number.isdigit() and len(number) in (6, 7)


def _org_id_ok(org_id: str) -> bool:
    if org_id.upper().startswith("GB-CHC-"):
        return _charity_number_ok(org_id[7:]) and org_id[7:].isdigit()
    if org_id.upper().startswith("GB-COH-"):
        return re.fullmatch(r"\w{8}", org_id[7:]) is not None
    return True


TODAY = timezone.localdate


def _years_from_today(years: int) -> date:
    today = TODAY()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year + years, day=28)


ACCURACY = {
    "a value of £0 (ZeroAmountTest; here: more than £0)": lambda g: not g["amountAwarded"] > 0,
    "Funding Org:Identifier not from a recognised register": lambda g: any(
        not o["id"].startswith(ORG_ID_PREFIXES) for o in g["fundingOrganization"]
    ),
    "Recipient Org:Identifier not from a recognised register": lambda g: any(
        not o["id"].startswith(ORG_ID_PREFIXES) for o in g["recipientOrganization"]
    ),
    "a charity number that does not look like one": lambda g: any(
        "charityNumber" in o and not _charity_number_ok(str(o["charityNumber"]))
        for o in g["recipientOrganization"]
    ),
    "a company number that does not look like one": lambda g: any(
        "companyNumber" in o and re.fullmatch(r"\w{8}", o["companyNumber"]) is None
        for o in g["recipientOrganization"]
    ),
    "an organisation identifier that might not be valid": lambda g: any(
        not _org_id_ok(o["id"]) for o in g["fundingOrganization"] + g["recipientOrganization"]
    ),
    "text that looks like an email address": lambda g: any(
        EMAIL.search(text) for path, text in _strings(g) if "email" not in path.lower()
    ),
    "dates that don't exist": lambda g: any(
        text is not None and _day(text) is None for text in _dates(g).values()
    ),
    "planned start after planned end": lambda g: (
        _day(_dates(g)["startDate"]) > _day(_dates(g)["endDate"])
    ),
    "planned dates over 12 years in the future": lambda g: any(
        _day(_dates(g)[k]) > _years_from_today(12) for k in ("startDate", "endDate")
    ),
    "dates over 25 years ago": lambda g: any(
        _day(text) < _years_from_today(-25) for text in _dates(g).values() if text
    ),
    "an award date in the future": lambda g: _day(g["awardDate"]) > TODAY(),
    "a grant to an individual (none here: individuals' checks do not apply)": lambda g: (
        "recipientIndividual" in g
    ),
    "a geographic code that looks like a postcode": lambda g: any(
        POSTCODE.match(place.get("geoCode") or "")
        for place in g["beneficiaryLocation"] + g["recipientOrganization"][0]["location"]
    ),
    "a geographic code type not on the codelist, or not the code's": lambda g: any(
        place.get("geoCode") and GEO_CODE_TYPES.get(place["geoCode"][:3]) != place["geoCodeType"]
        for place in g["beneficiaryLocation"] + g["recipientOrganization"][0]["location"]
    ),
}


def _has_geocode(place: dict) -> bool:
    return bool(place.get("geoCode") and place.get("geoCodeType"))


def _modified_ok(grant) -> bool:
    try:
        modified = datetime.fromisoformat(grant["dateModified"])
    except (KeyError, TypeError, ValueError):
        return False
    return (
        modified.tzinfo is not None
        and modified.date() >= date.fromisoformat(grant["awardDate"])
        and modified <= timezone.now() + timedelta(seconds=1)
    )


USEFULNESS = {
    # Inherent to unregistered groups (see ALLOWED below).
    "Recipient Org:Identifier that starts '360G-'": lambda g: any(
        o["id"].lower().startswith("360g") for o in g["recipientOrganization"]
    ),
    "no Recipient Org:Company Number or Charity Number": lambda g: any(
        not (o.get("companyNumber") or o.get("charityNumber")) for o in g["recipientOrganization"]
    ),
    # Every other one must pass.
    "Funding Org:Identifier that starts '360G-'": lambda g: any(
        o["id"].lower().startswith("360g") for o in g["fundingOrganization"]
    ),
    "no recipient organisation location (postal code, or geocode and its type)": lambda g: any(
        not (o.get("postalCode") or any(_has_geocode(p) for p in o.get("location") or []))
        for o in g["recipientOrganization"]
    ),
    "no recipient location with a geocode (the issue asks for both)": lambda g: any(
        not any(_has_geocode(p) for p in o.get("location") or [])
        for o in g["recipientOrganization"]
    ),
    "no Grant Programme": lambda g: not g.get("grantProgramme"),
    "no beneficiary location": lambda g: not g.get("beneficiaryLocation"),
    "a beneficiary location with a name but no geocode": lambda g: any(
        not _has_geocode(p) for p in g.get("beneficiaryLocation") or []
    ),
    "the same title and description": lambda g: g["title"] == g["description"],
    "a title longer than 140 characters": lambda g: len(g["title"]) > 140,
    f"a description under {SHORTEST_DESCRIPTION} characters": lambda g: (
        len(g["description"]) < SHORTEST_DESCRIPTION
    ),
    "no Last modified (dateModified), or one that is not a date-time after the award": (
        lambda g: not _modified_ok(g)
    ),
    "no Data Source, or not the open-data page": lambda g: (
        g.get("dataSource") != settings.SITE_URL.rstrip("/") + reverse("open_data:public")
    ),
    "no Planned Dates": lambda g: not (_dates(g)["startDate"] and _dates(g)["endDate"]),
}
INHERENT = (
    "Recipient Org:Identifier that starts '360G-'",
    "no Recipient Org:Company Number or Charity Number",
)


def failures(checks: dict, grants: list[dict]) -> dict[str, list[str]]:
    """Each check that fails, with the grants it fails on."""
    out = {}
    for name, fails in checks.items():
        failing = [g["id"] for g in grants if fails(g)]
        if failing:
            out[name] = failing
    return out


def unregistered_grants() -> set[str]:
    """The demo's grants to organisations with neither a charity nor a company number."""
    return {
        grant_identifier(pk)
        for pk in AgreedPackage.objects.exclude(status__in=ENDED)
        .filter(organisation__charity_number=None, organisation__company_number=None)
        .values_list("pk", flat=True)
    }


def test_the_demo_file_is_valid_against_the_360giving_schema(demo):
    package = json.loads(download("360giving.json"))
    jsonschema.validate(package, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert len(package["grants"]) == demo.files.get(kind="360giving_json", year=None).rows > 10


def test_no_accuracy_check_of_the_data_quality_tool_fails(demo):
    grants = demo_grants()
    assert failures(ACCURACY, grants) == {}
    # File-level checks: one funder (MoreThanOneFundingOrg), no grant twice.
    assert {o["id"] for g in grants for o in g["fundingOrganization"]} == {"GB-LAE-LCE"}
    assert [i for i, n in Counter(g["id"] for g in grants).items() if n > 1] == []


def test_only_the_usefulness_checks_inherent_to_unregistered_groups_fail_and_only_on_theirs(
    demo,
):
    grants = demo_grants()
    failed = failures(USEFULNESS, grants)
    unregistered = unregistered_grants()
    assert unregistered, "the demo should have a grant to an unregistered group"
    assert set(failed) <= set(INHERENT), {k: v for k, v in failed.items() if k not in INHERENT}
    for name in INHERENT:
        assert set(failed[name]) == unregistered, name
    # Not every recipient is one of the council's own identifiers.
    ids = {o["id"] for g in grants for o in g["recipientOrganization"]}
    assert any(not i.startswith("360G-") for i in ids)


def test_each_field_issue_17_adds_is_right_grant_by_grant(demo, request):
    with_lookup = "with the ONS lookup" in request.node.callspec.id
    everything = {g["id"]: g for g in demo_grants()}
    # Section B's representation grants: their own tests (tests/grants/test_award_open_data).
    grants = {gid: g for gid, g in everything.items() if "-VCS-GRA-" not in gid}
    assert [g["classifications"] for gid, g in everything.items() if gid not in grants]
    awards = AgreedPackage.objects.select_related("organisation", "strand", "package")
    live = {grant_identifier(a.pk): a for a in awards if a.status not in ENDED}
    ended = {grant_identifier(a.pk) for a in awards if a.status in ENDED}
    assert ended, "the demo should have cancelled or expired packages"
    assert set(grants) == set(live)  # every award, and nothing cancelled or expired
    council = {
        "name": settings.COUNCIL_AREA_NAME,
        "countryCode": "GB",
        "geoCode": settings.COUNCIL_LOCAL_AUTHORITY_CODE,
        "geoCodeType": "UA",
    }
    wards = {}
    for gid, grant in grants.items():
        award, org = live[gid], live[gid].organisation
        recipient = grant["recipientOrganization"][0]
        assert recipient["postalCode"] == org.published_postcode, gid
        if org.address_is_home:
            assert recipient["postalCode"] == org.postcode_district, gid
            assert recipient["location"] == [council], gid  # never placed by its ward
        place = recipient["location"][0]
        assert grant["beneficiaryLocation"] == [place], gid
        assert _has_geocode(place) and place["countryCode"] == "GB", gid
        if place["geoCodeType"] == "WD":
            wards[org.name] = (place["geoCode"], place["name"])
        else:
            assert place == council, gid
        assert grant["grantProgramme"] == [
            {
                "code": f"{settings.OPEN_DATA_PREFIX}-{award.strand.kind}",
                "title": f"{settings.SERVICE_NAME}: {Strand(award.strand.kind).label}",
            }
        ], gid
        assert _modified_ok(grant), gid
        assert datetime.fromisoformat(grant["dateModified"]) >= award.agreed_at.replace(
            microsecond=0
        ), gid
        assert grant["dataSource"] == f"{settings.SITE_URL.rstrip('/')}/open-data/", gid
        assert grant["amountAwarded"] == award.value and grant["awardDate"] == str(award.agreed_on)
        plan = grant["plannedDates"][0]
        assert plan["startDate"] <= plan["endDate"], gid
    # With the lookup, premises it holds are placed in their ward (the home is not).
    if with_lookup:
        expected = {
            org.name: ward
            for org in {a.organisation for a in live.values()}
            if not org.address_is_home and (ward := ONS_WARDS.get(org.postcode))
        }
        assert expected and wards == expected
        assert ONS_WARDS[Organisation.objects.get(name=HOME).postcode]  # the lookup has it
    else:
        assert not wards


def _ons_wards() -> dict[str, tuple[str, str]]:
    """The test lookup file's postcodes: {postcode: (ward code, ward name)}."""
    with open(FIXTURES / "nspl_ward_names.csv", encoding="utf-8-sig") as f:
        names = {row["WD25CD"]: row["WD25NM"] for row in csv.DictReader(f)}
    with open(FIXTURES / "nspl_sample.csv", encoding="utf-8-sig") as f:
        return {row["pcds"]: (row["ward"], names.get(row["ward"], "")) for row in csv.DictReader(f)}


ONS_WARDS = _ons_wards()


# --- No personal data in any public file


def _json_text(data: bytes) -> str:
    return "\n".join(text for _, text in _strings(json.loads(data)))


def _xlsx_text(data: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def _csv_text(data: bytes) -> str:
    return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))


READERS = {"json": _json_text, "xlsx": _xlsx_text, "csv": _csv_text}


def public_files(release) -> dict[str, str]:
    """Every file of the release, as text, by its public name."""
    out = {}
    for f in release.files.all():
        spec = open_data_files.KINDS[f.kind]
        filename = spec.filename(f.year)
        out[filename] = READERS[spec.extension](download(filename))
    return out


def personal_data() -> dict[str, str]:
    """What no public file may hold: {text: whose it is}."""
    found = {}
    for user in User.objects.all():
        found[user.email] = f"{user} (email)"
        if user.full_name:
            found[user.full_name] = f"{user.email} (name)"
    for org in Organisation.objects.all():
        for field in ("contact_name", "contact_email", "contact_phone", "address_line_1",
                      "address_line_2"):  # fmt: skip
            value = getattr(org, field)
            if value:
                found[value] = f"{org.name} ({field})"
        if org.contact_phone:
            found[org.contact_phone.replace(" ", "")] = f"{org.name} (contact_phone)"
    for provider in Provider.objects.all():
        for field in ("contact_email", "contact_phone", "declaration_name"):
            if getattr(provider, field):
                found[getattr(provider, field)] = f"{provider.name} ({field})"
    return found


def test_no_public_file_names_a_person_or_gives_their_contact_details_or_address(demo):
    files = public_files(demo)
    assert len(files) == 3 * (1 + len({f.year for f in demo.files.all()} - {None}))
    searched = personal_data()
    assert PHONE in searched and "org3@example.org" in searched and "Mark Manager" in searched
    # An organisation's name is published on purpose, and may hold its street's
    # name ("Saffron Lane Food Bank", at Saffron Lane): it is taken out first.
    names = sorted(Organisation.objects.values_list("name", flat=True), key=len, reverse=True)
    leaks = []
    for filename, text in files.items():
        assert any(name in text for name in names), filename  # the search can see
        without_names = text
        for name in names:
            without_names = without_names.replace(name, "")
        for value, whose in searched.items():
            if value.lower() in without_names.lower():
                leaks.append(f"{filename}: {whose}")
    assert leaks == []


def test_a_home_address_is_given_only_as_its_postcode_district(demo):
    homes = list(Organisation.objects.filter(address_is_home=True))
    assert HOME in {o.name for o in homes}
    files = public_files(demo)
    for home in homes:
        full, compact = home.postcode, home.postcode.replace(" ", "")
        for filename, text in files.items():
            flat = text.upper()
            assert full.upper() not in flat and compact.upper() not in flat, (home, filename)
    # The district is there, with the group's grant.
    grant = next(g for g in demo_grants() if g["recipientOrganization"][0]["name"] == HOME)
    assert grant["recipientOrganization"][0]["postalCode"] == "LE2"
