"""The awards that open data publishes, as plain rows: packages and representation grants.

Two queries for every award there is (`awards`), streamed in chunks so that a
city scheme's years of grants never sit in memory at once; `reports.open_data`
turns each row into a 360Giving grant or a CSV line. Agreed packages cancelled
or left to expire are never here, nor a representation grant released in full
with nothing paid (withdrawn).
"""

from decimal import Decimal
from itertools import chain

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from allowances.models import ENDED, AgreedPackage, LedgerEntry, LedgerKind, StrandAward
from delivery.models import ProviderRequest, RequestStatus

MONEY = DecimalField(max_digits=14, decimal_places=2)

# The columns of an award row: plain values, never model instances, so a year of
# a city scheme (thousands of grants) streams through the builders cheaply.
AWARD_COLUMNS = (
    "pk",
    "value",
    "agreed_on",
    "agreed_at",
    "delivery_started_on",
    "organisation_id",
    "organisation__name",
    "organisation__charity_number",
    "organisation__company_number",
    "organisation__town",
    "organisation__postcode",
    "organisation__postcode_district",
    "organisation__address_is_home",
    "organisation__updated_at",
    "package__name",
    "package__summary",
    "package__updated_at",
    "strand__kind",
)


def awards(year: int | None = None):
    """Every award, packages first then representation grants, as plain rows: two queries."""
    return chain(
        package_awards(year).iterator(chunk_size=2000),
        map(_grant_row, grant_awards(year).iterator(chunk_size=2000)),
    )


def grant_awards(year: int | None = None):
    """Representation grants on the ledger, with what has been paid: one query.

    The community of interest comes from the grant's decision (the grants app,
    read by its relation's name only); a grant released in full with nothing
    paid was withdrawn, and is left out, as is an agreement paying a provider.
    """
    paid = (
        LedgerEntry.objects.filter(award=OuterRef("pk"), kind=LedgerKind.SPEND)
        .order_by()
        .values("award")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    released = LedgerEntry.objects.filter(award=OuterRef("pk"), kind=LedgerKind.RELEASE)
    queryset = (
        StrandAward.objects.annotate(
            disbursed=Coalesce(
                Subquery(paid, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY
            ),
            last_entry=Subquery(
                LedgerEntry.objects.filter(award=OuterRef("pk"))
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
        )
        .exclude(Exists(released) & Q(disbursed=0))
        # An agreement with a named payee (the volunteer centre, a provider) is not a grant
        # to an organisation: 360Giving needs a recipient organisation, so it is left out.
        .filter(organisation__isnull=False)
        .order_by("created_at", "pk")
    )
    if year is not None:
        queryset = queryset.filter(strand__budget_year__start_year=year)
    return queryset.values(
        "pk",
        "reference",
        "title",
        "amount",
        "created_at",
        "starts_on",
        "ends_on",
        "strand__kind",
        "disbursed",
        "last_entry",
        *(c for c in AWARD_COLUMNS if c.startswith("organisation")),
        community=F("grant_decision__round_community__community__name"),
        characteristic=F("grant_decision__round_community__community__characteristic"),
    )


def _grant_row(row: dict) -> dict:
    """A representation grant's row in the shape of a package's (`package_awards`)."""
    return {
        **row,
        "value": row["amount"],
        "agreed_on": timezone.localtime(row["created_at"]).date(),
        "agreed_at": row["created_at"],
        "delivery_started_on": None,
        "package__name": row["title"],
        "package__summary": "",
        "package__updated_at": row["created_at"],
        "planned_start": row["starts_on"],
        "planned_end": row["ends_on"],
        "accepted_at": None,
    }


def package_awards(year: int | None = None):
    """Agreed packages that are awards, as plain rows with what has been paid: one query."""
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
        .annotate(
            disbursed=Coalesce(
                Subquery(spent, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY
            ),
            # The dates the provider planned when it accepted, where one has.
            planned_start=Subquery(accepted.values("planned_start")[:1]),
            planned_end=Subquery(accepted.values("planned_end")[:1]),
            accepted_at=Subquery(accepted.values("responded_at")[:1]),
            # The newest money moved on the grant: dateModified.
            last_entry=Subquery(
                LedgerEntry.objects.filter(agreed_package=OuterRef("pk"))
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
        )
        .order_by("agreed_on", "pk")
    )
    if year is not None:
        queryset = queryset.filter(Q(financial_year=year))
    return queryset.values(
        *AWARD_COLUMNS, "disbursed", "planned_start", "planned_end", "accepted_at", "last_entry"
    )
