"""Open data: agreed packages as grants in kind, and section B's representation grants, for
360Giving and the Transparency Code.

Each award is an agreed package that was not cancelled or left to expire (the
council pays an approved provider to deliver the support, so the organisation
receives it in kind), or a representation grant accepted and committed on the
ledger (allowances.StrandAward), with its community of interest as a
classification; one withdrawn before anything was paid is left out. Neither
export names a person, gives a street address or a full postcode, or says
anything from equality monitoring: only the organisation's name, registration
numbers, town and postcode district.
"""

import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.conf import settings

from notifications.deadlines import COMPLETE_DELIVERY, deadline
from notifications.rules import MONTHS, Period
from organisations.geography import geocodes_for
from organisations.rules import published_postcode
from packages.models import Strand

# The award rows live in open_data_rows; `awards` is re-exported for the file builders.
# The same cell rules as every other CSV download (formula-safe text, exact money).
from .exports import _csv_cell as csv_cell
from .open_data_places import Place, data_source, last_modified, places
from .open_data_rows import AWARD_COLUMNS, awards, grant_awards, package_awards  # noqa: F401


def org_identifier(*, charity_number: str | None, company_number: str | None, pk: int) -> str:
    """The recipient's org-id: its charity or company number where it has one.

    Charities in Scotland (SC…) and Northern Ireland (NIC…) have their own
    registers; everything else with a charity number is on the Charity
    Commission's register for England and Wales. An organisation with neither
    gets an identifier under the council's own 360Giving prefix.
    """
    charity = (charity_number or "").strip().upper().replace(" ", "")
    company = (company_number or "").strip().upper().replace(" ", "")
    if charity.startswith("SC"):
        return f"GB-SC-{charity}"
    if charity.startswith("NIC"):
        return f"GB-NIC-{charity.removeprefix('NIC')}"
    if charity:
        return f"GB-CHC-{charity}"
    if company:
        return f"GB-COH-{company}"
    return f"{settings.OPEN_DATA_PREFIX}-ORG-{pk}"


def grant_identifier(pk: int) -> str:
    return f"{settings.OPEN_DATA_PREFIX}-AP-{pk}"


def award_identifier(reference: str) -> str:
    """A representation grant's id: the prefix and the reference its recipient quotes."""
    return f"{settings.OPEN_DATA_PREFIX}-{reference}"


def delivery_period() -> Period:
    """How long delivery may take from agreement: the managers' deadline (6 months by default)."""
    return deadline(COMPLETE_DELIVERY).period


# The seeded default of the managers' delivery deadline (notifications migration 0006).
DEFAULT_DELIVERY = Period(6, MONTHS)


def planned_end(start: date, within: Period = DEFAULT_DELIVERY) -> date:
    """The last day of the delivery period from `start` (when no provider has planned dates)."""
    return within.after(start) - timedelta(days=1)


def _amount(value: Decimal):
    """A JSON number that prints exactly: money is Decimal until this last step."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Award:
    """One award as every export sees it, built from a plain row of `awards()`."""

    identifier: str
    title: str
    description: str
    amount: Decimal
    disbursed: Decimal
    awarded_on: date
    starts_on: date
    ends_on: date
    recipient_id: str
    recipient_name: str
    charity_number: str
    company_number: str
    town: str
    district: str
    postal_code: str  # in full, or only the district when the address is someone's home
    recipient_location: Place
    beneficiary_location: Place
    last_modified: datetime
    programme_code: str
    programme_title: str
    package_name: str
    package_summary: str
    # A representation grant's community of interest: (characteristic, community).
    classification: tuple[str, str] | None = None

    @property
    def in_kind(self) -> bool:
        return self.classification is None

    @classmethod
    def of(cls, row: dict, within: Period, geocodes: dict | None = None) -> "Award":
        """The award in one row of `awards()`; `geocodes` from the postcode lookup, if loaded."""
        start = row["planned_start"] or row["delivery_started_on"] or row["agreed_on"]
        end = row["planned_end"] or planned_end(start, within)
        name, package = row["organisation__name"], row["package__name"]
        kind = row["strand__kind"]
        reference = row.get("reference")
        if reference:  # a representation grant (section B)
            identifier = award_identifier(reference)
            description = (
                f"A grant to {name} to represent the {row.get('community') or 'community'} "
                f"to {settings.COUNCIL_NAME}, chosen in a competitive round, and to feed back to "
                "the community."
            )
            classification = (row.get("characteristic") or "", row.get("community") or "")
        else:
            identifier = grant_identifier(row["pk"])
            description = (
                f"{row['package__summary']} A support package given in kind: the council pays "
                "an approved provider to deliver it."
            )
            classification = None
        return cls(
            identifier=identifier,
            title=f"{package} for {name}"[:140],
            description=description,
            amount=row["value"],
            disbursed=row["disbursed"],
            awarded_on=row["agreed_on"],
            starts_on=start,
            ends_on=end,
            recipient_id=org_identifier(
                charity_number=row["organisation__charity_number"],
                company_number=row["organisation__company_number"],
                pk=row["organisation_id"],
            ),
            recipient_name=name,
            charity_number=row["organisation__charity_number"] or "",
            company_number=row["organisation__company_number"] or "",
            town=row["organisation__town"],
            district=row["organisation__postcode_district"],
            postal_code=published_postcode(
                row["organisation__postcode"], is_home=row["organisation__address_is_home"]
            ),
            **places(row, geocodes or {}),
            last_modified=last_modified(row),
            programme_code=f"{settings.OPEN_DATA_PREFIX}-{kind}",
            programme_title=f"{settings.SERVICE_NAME}: {Strand(kind).label}",
            package_name=package,
            package_summary=row["package__summary"],
            classification=classification,
        )


def award_stream(rows, batch: int = 2000) -> Iterator[Award]:
    """Each row of `awards()` as an Award, with the lookup's geocodes read a batch at a time
    (one query for each `batch` rows, none when no lookup is loaded)."""
    within = delivery_period()
    rows = iter(rows)
    while chunk := list(islice(rows, batch)):
        geocodes = geocodes_for(r["organisation__postcode"] for r in chunk)
        for row in chunk:
            yield Award.of(row, within, geocodes)


def funder() -> dict:
    return {
        "id": settings.COUNCIL_ORG_ID,
        "name": settings.COUNCIL_NAME,
        "department": settings.COUNCIL_DEPARTMENT,
    }


def grant_json(award: Award) -> dict:
    """One grant in the 360Giving Data Standard's JSON shape."""
    recipient = {
        "id": award.recipient_id,
        "name": award.recipient_name,
        "addressLocality": award.town,
        "addressCountry": "United Kingdom",
    }
    if award.postal_code:
        recipient["postalCode"] = award.postal_code
    recipient["location"] = [award.recipient_location.as_json()]
    if award.charity_number:
        recipient["charityNumber"] = award.charity_number
    if award.company_number:
        recipient["companyNumber"] = award.company_number
    grant = {
        "id": award.identifier,
        "title": award.title,
        "description": award.description,
        "currency": "GBP",
        "amountAwarded": _amount(award.amount),
        "amountDisbursed": _amount(award.disbursed),
        "awardDate": award.awarded_on.isoformat(),
        "plannedDates": [
            {"startDate": award.starts_on.isoformat(), "endDate": award.ends_on.isoformat()}
        ],
        "recipientOrganization": [recipient],
        "fundingOrganization": [funder()],
        "grantProgramme": [{"code": award.programme_code, "title": award.programme_title}],
        "fromOpenCall": "Yes",
        "beneficiaryLocation": [award.beneficiary_location.as_json()],
        # The standard's "Last modified" (its Data Quality Tool reads dateModified).
        "dateModified": award.last_modified.isoformat(timespec="seconds"),
        "dataSource": data_source(),
    }
    if award.classification:
        characteristic, community = award.classification
        grant["classifications"] = [
            {
                "vocabulary": f"{settings.OPEN_DATA_PREFIX}-community-of-interest",
                "code": characteristic,
                "title": community,
            }
        ]
    return grant


def grants_json_chunks(rows, seen: dict | None = None) -> Iterator[str]:
    """The 360Giving package {"grants": [...]} as text, a grant at a time.

    Exactly what json.dumps({"grants": [grant, ...]}) writes (its default
    separators, ASCII escapes), without holding every grant in memory.
    `seen`, when given, is filled with each grant's id: (digest, title).
    """
    yield '{"grants": ['
    for n, award in enumerate(award_stream(rows)):
        grant = grant_json(award)
        if seen is not None:  # for a release: what changed since the last one
            seen[grant["id"]] = (grant_digest(grant), grant["title"])
        yield (", " if n else "") + json.dumps(grant)
    yield "]}"


def grant_digest(grant: dict) -> str:
    """What a reader sees of a grant, as a digest: all but when and where it was read."""
    shown = {k: v for k, v in grant.items() if k not in ("dateModified", "dataSource")}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:32]


# The 360Giving spreadsheet template's column titles for the same fields.
GRANTS_CSV_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Org:City",
    "Recipient Org:Postal Code",
    "Recipient Org:Country",
    "Recipient Org:Location:0:Geographic Code",
    "Recipient Org:Location:0:Geographic Code Type",
    "Recipient Org:Location:0:Name",
    "Beneficiary Location:0:Name",
    "Beneficiary Location:0:Country Code",
    "Beneficiary Location:0:Geographic Code",
    "Beneficiary Location:0:Geographic Code Type",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "From An Open Call?",
    "Last Modified",
    "Data Source",
    # A representation grant's community of interest (empty for a package).
    "Classifications:0:Vocabulary",
    "Classifications:0:Code",
    "Classifications:0:Title",
]


def grants_csv_rows(rows):
    f, source = funder(), data_source()
    for a in award_stream(rows):
        r, b = a.recipient_location, a.beneficiary_location
        yield [
            a.identifier, a.title, a.description, "GBP", a.amount, a.disbursed,
            a.awarded_on, a.starts_on, a.ends_on, a.recipient_id, a.recipient_name,
            a.charity_number, a.company_number, a.town, a.postal_code, "United Kingdom",
            r.code, r.code_type, r.name, b.name, "GB", b.code, b.code_type,
            f["id"], f["name"], f["department"], a.programme_code, a.programme_title, "Yes",
            a.last_modified.isoformat(timespec="seconds"), source,
            *(_classification_cells(a)),
        ]  # fmt: skip


def _classification_cells(award) -> list[str]:
    if not award.classification:
        return ["", "", ""]
    characteristic, community = award.classification
    return [f"{settings.OPEN_DATA_PREFIX}-community-of-interest", characteristic, community]


# Local Government Transparency Code 2015, "grants to voluntary, community and
# social enterprise organisations": the fields it asks for, in its order.
TRANSPARENCY_HEADER = [
    "Organisation name",
    "Grant identifier",
    "Date awarded",
    "Time period",
    "Department",
    "Beneficiary",
    "Beneficiary registration number",
    "Summary of purpose",
    "Amount",
]


def transparency_rows(rows):
    for a in award_stream(rows):
        registration = (
            f"Charity {a.charity_number}"
            if a.charity_number
            else (f"Company {a.company_number}" if a.company_number else "")
        )
        yield [
            settings.COUNCIL_NAME,
            a.identifier,
            a.awarded_on,
            f"{a.starts_on:%Y-%m-%d} to {a.ends_on:%Y-%m-%d}",
            settings.COUNCIL_DEPARTMENT,
            a.recipient_name,
            registration,
            f"{a.package_name} (support in kind): {a.package_summary}"
            if a.in_kind
            else a.description,
            a.amount,
        ]


class _Line:
    """A csv.writer target that hands back each line it is given."""

    def write(self, value):
        return value


def csv_chunks(header: Sequence[str], rows) -> Iterator[str]:
    """A CSV as text, a line at a time: the same bytes as reports.exports.csv_response."""
    writer = csv.writer(_Line())
    yield "\ufeff"  # so Excel reads the £ sign and accents as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])
