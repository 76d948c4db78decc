"""The 360Giving and Transparency Code exports: valid, complete, and free of personal data."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.urls import reverse

from diagnostics.models import EligibilityAnswer
from reports.open_data_files import queue_build
from tests.conftest import client_for
from tests.factories import EligibilityApplicationFactory

from .conftest import YEAR

SCHEMA = json.loads(
    (Path(settings.BASE_DIR) / "reports" / "schema" / "360-giving-package-schema.json").read_text()
)


KIND = {
    "reports:grants_360_json": "360giving_json",
    "reports:grants_360_csv": "360giving_csv",
    "reports:transparency_csv": "transparency_csv",
}


def download(hand_ledger, name, **params):
    """Build the file (the task runs at once in tests), then download it from storage."""
    asked = str(params.get("year", ""))
    year = int(asked) if len(asked) == 4 and asked.isascii() and asked.isdigit() else None
    queue_build(KIND[name], year)
    response = client_for(hand_ledger["manager"]).get(reverse(name), params)
    assert response.status_code == 200
    content = getattr(response, "content", None) if not response.streaming else None
    if content is None:
        content = b"".join(response.streaming_content)
    return content.decode("utf-8").removeprefix("\ufeff")


def grants(hand_ledger, **params):
    return json.loads(download(hand_ledger, "reports:grants_360_json", **params))


def test_the_360giving_json_validates_against_the_schema(hand_ledger):
    package = grants(hand_ledger)
    jsonschema.validate(package, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert len(package["grants"]) == 3  # the cancelled package is not an award


def test_the_schema_rejects_a_grant_missing_what_the_standard_requires(hand_ledger):
    grant = grants(hand_ledger)["grants"][0]
    for field in ("id", "awardDate", "amountAwarded", "fundingOrganization", "currency"):
        broken = {k: v for k, v in grant.items() if k != field}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"grants": [broken]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"grants": [{**grant, "amountAwarded": "2000.00"}]}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"grants": [{**grant, "awardDate": "10/05/2025"}]}, SCHEMA)


def test_each_grant_says_who_gave_what_to_whom(hand_ledger):
    a, b, c, d = hand_ledger["orgs"]
    pa, _, pc, pd = hand_ledger["agreed"]
    by_id = {g["id"]: g for g in grants(hand_ledger, year=YEAR)["grants"]}
    alpha = by_id[f"360G-LeicesterCC-AP-{pa.pk}"]
    assert alpha["currency"] == "GBP"
    assert alpha["amountAwarded"] == 2000
    assert alpha["amountDisbursed"] == 1800
    assert alpha["awardDate"] == "2025-05-10"
    assert alpha["plannedDates"] == [{"startDate": "2025-05-10", "endDate": "2025-11-09"}]
    assert alpha["recipientOrganization"][0]["id"] == "GB-CHC-1012345"
    assert alpha["recipientOrganization"][0]["charityNumber"] == "1012345"
    assert alpha["fundingOrganization"] == [
        {"id": "GB-LAE-LCE", "name": "Leicester City Council",
         "department": "Voluntary and community sector support"}
    ]  # fmt: skip
    assert alpha["grantProgramme"][0]["code"] == "360G-LeicesterCC-vcs_support"
    assert by_id[f"360G-LeicesterCC-AP-{pc.pk}"]["recipientOrganization"][0]["id"] == (
        "GB-COH-01234567"
    )
    assert by_id[f"360G-LeicesterCC-AP-{pd.pk}"]["recipientOrganization"][0]["id"] == (
        f"360G-LeicesterCC-ORG-{d.pk}"
    )
    assert grants(hand_ledger, year=YEAR + 1)["grants"] == []


def test_the_prefix_and_org_id_are_settings(hand_ledger, settings):
    settings.OPEN_DATA_PREFIX = "360G-ExampleBC"
    settings.COUNCIL_ORG_ID = "GB-LAE-XMP"
    grant = grants(hand_ledger)["grants"][0]
    assert grant["id"].startswith("360G-ExampleBC-AP-")
    assert grant["fundingOrganization"][0]["id"] == "GB-LAE-XMP"


def test_the_360giving_csv_has_the_template_columns(hand_ledger):
    rows = list(csv.DictReader(io.StringIO(download(hand_ledger, "reports:grants_360_csv"))))
    assert len(rows) == 3
    alpha = next(r for r in rows if r["Recipient Org:Name"] == "Alpha Trust")
    assert alpha["Recipient Org:Identifier"] == "GB-CHC-1012345"
    assert alpha["Amount Awarded"] == "2000.00"
    assert alpha["Award Date"] == "2025-05-10"
    assert alpha["Funding Org:Identifier"] == "GB-LAE-LCE"


def test_the_transparency_code_csv_has_its_fields(hand_ledger):
    rows = list(csv.DictReader(io.StringIO(download(hand_ledger, "reports:transparency_csv"))))
    assert list(rows[0]) == [
        "Organisation name", "Grant identifier", "Date awarded", "Time period", "Department",
        "Beneficiary", "Beneficiary registration number", "Summary of purpose", "Amount",
    ]  # fmt: skip
    gamma = next(r for r in rows if r["Beneficiary"] == "Gamma CIC")
    assert gamma["Date awarded"] == "2025-08-15"
    assert gamma["Time period"] == "2025-08-15 to 2026-02-14"
    assert gamma["Beneficiary registration number"] == "Company 01234567"
    assert gamma["Amount"] == "2000.00"
    assert gamma["Summary of purpose"].startswith("Finance (support in kind)")


def test_no_export_carries_personal_data_or_equality_answers(hand_ledger):
    """The street address never; the full postcode only of premises (issue 17)."""
    a = hand_ledger["orgs"][0]
    a.address_is_home = True  # Alpha Trust is run from a trustee's home
    a.save()
    application = EligibilityApplicationFactory(organisation=a, answered=True)
    EligibilityAnswer.objects.filter(application=application).update(
        detail="Equality monitoring: 40% of our trustees are disabled"
    )
    members = [m.user for m in a.memberships.all()]
    exports = [
        download(hand_ledger, name)
        for name in (
            "reports:grants_360_json",
            "reports:grants_360_csv",
            "reports:transparency_csv",
        )
    ]
    secrets = [
        a.contact_name, a.contact_email, a.contact_phone, a.address_line_1, a.postcode,
        "trustees are disabled", hand_ledger["officer"].email, hand_ledger["officer"].full_name,
        *[u.email for u in members],
    ]  # fmt: skip
    for export in exports:
        assert "Alpha Trust" in export  # the organisation itself is named
        for secret in filter(None, secrets):
            assert secret not in export
        assert "@" not in export
    # Gamma CIC's address is its premises: its full postcode is published;
    # Alpha Trust's is a home: only its district.
    grants = {g["recipientOrganization"][0]["name"]: g for g in json.loads(exports[0])["grants"]}
    assert grants["Gamma CIC"]["recipientOrganization"][0]["postalCode"] == "LE2 3CC"
    assert grants["Alpha Trust"]["recipientOrganization"][0]["postalCode"] == "LE2"


def test_planned_dates_are_the_providers_own_once_it_has_accepted(hand_ledger):
    from datetime import date

    from django.utils import timezone

    from delivery.models import ProviderRequest
    from tests.factories import ProviderMembershipFactory

    _, _, pc, _ = hand_ledger["agreed"]
    membership = ProviderMembershipFactory()
    ProviderRequest.objects.create(
        agreed_package=pc,
        provider=membership.provider,
        message="Please",
        requested_by=hand_ledger["manager"],
        status="accepted",
        responded_by=membership.user,
        responded_at=timezone.now(),
        planned_start=date(2025, 9, 1),
        planned_end=date(2025, 10, 15),
    )
    by_id = {g["id"]: g for g in grants(hand_ledger, year=YEAR)["grants"]}
    assert by_id[f"360G-LeicesterCC-AP-{pc.pk}"]["plannedDates"] == [
        {"startDate": "2025-09-01", "endDate": "2025-10-15"}
    ]


def test_a_year_that_is_not_a_year_gives_every_year_not_an_error(hand_ledger):
    every_year = grants(hand_ledger)["grants"]
    for asked in ("²", "２０２５", "20255"):
        assert grants(hand_ledger, year=asked)["grants"] == every_year
