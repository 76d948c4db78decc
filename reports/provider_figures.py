"""The providers' market: requests, answers, delivery, ratings and share of spend.

Three grouped queries whatever the number of providers: the counts and ratings
per provider, the medians per provider (PostgreSQL only), and the year's spend
per provider. The median is PERCENTILE_CONT(0.5), an ordered-set aggregate
that SQLite does not have: there the page says the medians are not available
rather than working them out in Python.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DecimalField,
    DurationField,
    F,
    FilteredRelation,
    Q,
    Sum,
)

from allowances.models import LedgerEntry, LedgerKind
from delivery.models import ProviderRequest, RequestStatus
from providers.models import Provider

from .rules import percent

MONEY = DecimalField(max_digits=14, decimal_places=2)


class Median(Aggregate):
    """PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY …): PostgreSQL's exact median."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def medians_available() -> bool:
    return connection.vendor == "postgresql"


def accepted_provider(prefix: str = "agreed_package__"):
    """The provider who accepted the package: at most one request per package is accepted."""
    return FilteredRelation(
        f"{prefix}provider_requests",
        condition=Q(**{f"{prefix}provider_requests__status": RequestStatus.ACCEPTED}),
    )


@dataclass(frozen=True)
class ProviderRow:
    pk: int
    name: str
    requested: int
    accepted: int
    declined: int
    delivered: int
    median_days_to_accept: float | None
    median_days_to_deliver: float | None
    average_rating: float | None
    ratings: int
    spent: Decimal
    share: Decimal | None


def _days(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def provider_rows(year: int | None) -> tuple[list[ProviderRow], Decimal]:
    """Every provider asked for a package agreed in `year` (None: any year)."""
    in_year = Q(requests__agreed_package__financial_year=year) if year else Q()
    counts = (
        Provider.objects.filter(in_year)
        .values("pk", "name")
        .annotate(
            requested=Count("requests", filter=in_year, distinct=True),
            accepted=Count(
                "requests", filter=in_year & Q(requests__status=RequestStatus.ACCEPTED),
                distinct=True,
            ),
            declined=Count(
                "requests", filter=in_year & Q(requests__status=RequestStatus.DECLINED),
                distinct=True,
            ),
            delivered=Count(
                "requests", filter=in_year & Q(requests__delivered_at__isnull=False), distinct=True
            ),
            average_rating=Avg(
                "requests__rating__score",
                filter=in_year & Q(requests__rating__hidden_at__isnull=True),
            ),
            ratings=Count(
                "requests__rating",
                filter=in_year & Q(requests__rating__hidden_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by()
    )  # fmt: skip
    medians = {}
    if medians_available():
        requests = ProviderRequest.objects.filter(status=RequestStatus.ACCEPTED)
        if year:
            requests = requests.filter(agreed_package__financial_year=year)
        medians = {
            row["provider_id"]: row
            for row in requests.order_by()
            .values("provider_id")
            .annotate(
                to_accept=Median(F("responded_at") - F("requested_at")),
                to_deliver=Median(
                    F("delivered_at") - F("responded_at"), filter=Q(delivered_at__isnull=False)
                ),
            )
        }
    spend = LedgerEntry.objects.filter(kind=LedgerKind.SPEND)
    if year:
        spend = spend.filter(strand__budget_year__start_year=year)
    by_provider = {
        row["accepted__provider_id"]: row["total"]
        for row in spend.annotate(accepted=accepted_provider())
        .order_by()
        .values("accepted__provider_id")
        .annotate(total=Sum("amount"))
    }
    # Spend on packages with no accepted request (made before the provider
    # journey existed) counts in the total under None.
    total_spent = sum(by_provider.values(), Decimal("0.00"))
    rows = []
    for c in counts:
        m = medians.get(c["pk"], {})
        spent = by_provider.get(c["pk"], Decimal("0.00"))
        rows.append(
            ProviderRow(
                pk=c["pk"],
                name=c["name"],
                requested=c["requested"],
                accepted=c["accepted"],
                declined=c["declined"],
                delivered=c["delivered"],
                median_days_to_accept=_days(m.get("to_accept")),
                median_days_to_deliver=_days(m.get("to_deliver")),
                average_rating=round(c["average_rating"], 1) if c["average_rating"] else None,
                ratings=c["ratings"],
                spent=spent,
                share=percent(spent, total_spent),
            )
        )
    rows.sort(key=lambda r: (-r.spent, -r.requested, r.name))
    return rows, total_spent


def concentration(rows: list[ProviderRow], top: int = 5) -> Decimal | None:
    """The share of the spend that went to the `top` providers with the most."""
    shares = [r.share for r in rows if r.share is not None]
    return sum(sorted(shares, reverse=True)[:top], Decimal("0.0")) if shares else None
