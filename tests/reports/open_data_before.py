"""The open-data builders as they were before issue 15, kept as the reference.

The views used to build each file inside the request from model instances
(this module, copied unchanged from reports/open_data.py, and `view_bytes`
below, what the three views did with it). The background task must write the
very same bytes from plain rows: tests/reports/test_open_data_files.py compares
the two on the hand-worked ledger and on the demo world. Do not "fix" this
copy: when the files are meant to change, bump
reports.open_data_files.FORMAT_VERSION and say in the comparison what differs.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from allowances.models import ENDED, AgreedPackage, LedgerEntry, LedgerKind
from delivery.models import ProviderRequest, RequestStatus
from notifications.deadlines import COMPLETE_DELIVERY, deadline
from notifications.rules import MONTHS, Period

MONEY = DecimalField(max_digits=14, decimal_places=2)


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


def delivery_period() -> Period:
    """How long delivery may take from agreement: the managers' deadline (6 months by default)."""
    return deadline(COMPLETE_DELIVERY).period


# The seeded default of the managers' delivery deadline (notifications migration 0006).
DEFAULT_DELIVERY = Period(6, MONTHS)


def planned_end(start: date, within: Period = DEFAULT_DELIVERY) -> date:
    """The last day of the delivery period from `start` (when no provider has planned dates)."""
    return within.after(start) - timedelta(days=1)


def awards(year: int | None = None):
    """Agreed packages that are awards, with what has been paid: one query."""
    spent = (
        LedgerEntry.objects.filter(agreed_package=OuterRef("pk"), kind=LedgerKind.SPEND)
        .order_by()
        .values("agreed_package")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    accepted = ProviderRequest.objects.filter(
        agreed_package=OuterRef("pk"), status=RequestStatus.ACCEPTED
    )
    queryset = (
        AgreedPackage.objects.exclude(status__in=ENDED)
        .select_related("organisation", "package", "strand__budget_year")
        .annotate(
            disbursed=Coalesce(
                Subquery(spent, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY
            ),
            # The dates the provider planned when it accepted, where one has.
            planned_start=Subquery(accepted.values("planned_start")[:1]),
            planned_end=Subquery(accepted.values("planned_end")[:1]),
        )
        .order_by("agreed_on", "pk")
    )
    if year is not None:
        queryset = queryset.filter(Q(financial_year=year))
    return queryset


def _amount(value: Decimal):
    """A JSON number that prints exactly: money is Decimal until this last step."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Award:
    """One award as both exports see it, built from an annotated agreed package."""

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
    programme_code: str
    programme_title: str

    @classmethod
    def of(cls, agreed, within: Period) -> "Award":
        org, package = agreed.organisation, agreed.package
        start = agreed.planned_start or agreed.delivery_started_on or agreed.agreed_on
        end = agreed.planned_end or planned_end(start, within)
        return cls(
            identifier=grant_identifier(agreed.pk),
            title=f"{package.name} for {org.name}"[:140],
            description=(
                f"{package.summary} A support package given in kind: the council pays an "
                "approved provider to deliver it."
            ),
            amount=agreed.value,
            disbursed=agreed.disbursed,
            awarded_on=agreed.agreed_on,
            starts_on=start,
            ends_on=end,
            recipient_id=org_identifier(
                charity_number=org.charity_number, company_number=org.company_number, pk=org.pk
            ),
            recipient_name=org.name,
            charity_number=org.charity_number or "",
            company_number=org.company_number or "",
            town=org.town,
            district=org.postcode_district,
            programme_code=f"{settings.OPEN_DATA_PREFIX}-{agreed.strand.kind}",
            programme_title=f"{settings.SERVICE_NAME}: {agreed.strand.get_kind_display()}",
        )


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
    }
    if award.district:
        grant["beneficiaryLocation"] = [
            {"name": f"{award.town} {award.district}".strip(), "countryCode": "GB"}
        ]
    return grant


def grants_package(awards_iterable) -> dict:
    within = delivery_period()
    return {"grants": [grant_json(Award.of(a, within)) for a in awards_iterable]}


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
    "Recipient Org:Country",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "From An Open Call?",
]


def grants_csv_rows(awards_iterable):
    f, within = funder(), delivery_period()
    for agreed in awards_iterable:
        a = Award.of(agreed, within)
        yield [
            a.identifier, a.title, a.description, "GBP", a.amount, a.disbursed,
            a.awarded_on, a.starts_on, a.ends_on, a.recipient_id, a.recipient_name,
            a.charity_number, a.company_number, a.town, "United Kingdom",
            f"{a.town} {a.district}".strip() if a.district else "", "GB" if a.district else "",
            f["id"], f["name"], f["department"], a.programme_code, a.programme_title, "Yes",
        ]  # fmt: skip


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


def transparency_rows(awards_iterable):
    within = delivery_period()
    for agreed in awards_iterable:
        a = Award.of(agreed, within)
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
            f"{agreed.package.name} (support in kind): {agreed.package.summary}",
            a.amount,
        ]


def view_bytes(kind: str, year: int | None) -> bytes:
    """What the old download view sent for `kind` and `year`, as bytes."""
    import json

    from reports.exports import csv_response

    rows = awards(year).iterator(chunk_size=2000)
    if kind == "360giving_json":
        return json.dumps(grants_package(rows)).encode("utf-8")
    if kind == "360giving_csv":
        response = csv_response("360giving", GRANTS_CSV_HEADER, grants_csv_rows(rows))
    else:
        response = csv_response(
            "transparency-code-grants", TRANSPARENCY_HEADER, transparency_rows(rows)
        )
    return b"".join(response.streaming_content)
