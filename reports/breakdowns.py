"""The breakdowns: ledger entries grouped by one dimension, each figure summed in SQL.

One grouped query per breakdown (plus one for the totals), whatever the number
of rows: every figure is a SUM ... FILTER (WHERE kind = ...) over the entries
the filters leave, grouped by the dimension's column.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from allowances.models import LedgerKind
from organisations.models import IncomeBand, LegalForm

from .provider_figures import accepted_provider
from .rules import percent

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _sum(kind: str):
    return Coalesce(Sum("amount", filter=Q(kind=kind)), ZERO, output_field=MONEY)


FIGURES = {
    "commitments": _sum(LedgerKind.COMMITMENT),
    "releases": _sum(LedgerKind.RELEASE),
    "spent": _sum(LedgerKind.SPEND),
    "packages": Count("agreed_package", distinct=True),
    "organisations": Count("organisation", distinct=True),
}


def month_params(key) -> dict:
    day = timezone.localtime(key).date() if hasattr(key, "tzinfo") else key
    last = calendar.monthrange(day.year, day.month)[1]
    return {"date_from": day.replace(day=1), "date_to": day.replace(day=last)}


def _month_label(key) -> str:
    day = timezone.localtime(key).date() if hasattr(key, "tzinfo") else key
    return day.strftime("%B %Y")


@dataclass(frozen=True)
class Dimension:
    slug: str
    title: str  # "By package"
    column: str  # the first column's heading
    key: object  # ORM path or expression to group by
    label: str | None = None  # ORM path of the row's label, when not the key
    labels: dict | None = None  # choices for the key
    none_label: str = "Not recorded"
    # The ledger filters that pick out one row's entries.
    params: Callable[[object], dict] | None = None
    note: str = ""
    # Annotations the key needs (the accepted provider, through a filtered join).
    annotations: Callable[[], dict] | None = None

    def label_for(self, key, label) -> str:
        if key is None:
            return self.none_label
        if self.labels is not None:
            return self.labels.get(key, key)
        if self.slug == "month":
            return _month_label(key)
        return str(label if label is not None else key)

    def params_for(self, key) -> dict:
        if self.params is not None:
            return self.params(key)
        return {self.slug: key}


DIMENSIONS = {
    d.slug: d
    for d in [
        Dimension(
            "package",
            "By package",
            "Package",
            key="agreed_package__package_id",
            label="agreed_package__package__name",
            none_label="Grant awards (section B), not packages",
            params=lambda key: {"package": key} if key is not None else {"awards": True},
        ),
        Dimension(
            "provider",
            "By provider",
            "Provider",
            key="accepted__provider_id",
            label="accepted__provider__name",
            none_label="No provider has accepted yet",
            params=lambda key: {"provider": key} if key is not None else {"no_provider": True},
            annotations=lambda: {"accepted": accepted_provider()},
            note="The provider who accepted the package. Money committed before a provider "
            "accepts is shown on its own row.",
        ),
        Dimension(
            "district",
            "By postcode district",
            "Postcode district",
            key="organisation__postcode_district",
            note="Wards are not recorded; the organisation's postcode district stands in for them.",
        ),
        Dimension(
            "theme",
            "By council priority theme",
            "Priority theme",
            key="organisation__priority_themes__slug",
            label="organisation__priority_themes__name",
            none_label="No priority theme given",
            params=lambda key: {"theme": key} if key is not None else {"no_theme": True},
            note="An organisation working on several themes is counted under each, so the rows "
            "add up to more than the total.",
        ),
        Dimension(
            "legal_form",
            "By legal form",
            "Legal form",
            key="organisation__legal_form",
            labels=dict(LegalForm.choices),
        ),
        Dimension(
            "income_band",
            "By income band",
            "Income band",
            key="organisation__income_band",
            labels=dict(IncomeBand.choices),
        ),
        Dimension(
            "month",
            "By month",
            "Month",
            key=TruncMonth("created_at"),
            params=month_params,
            note="The month the money was committed, released or spent.",
        ),
    ]
}


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    commitments: Decimal
    releases: Decimal
    spent: Decimal
    packages: int
    organisations: int
    share: Decimal | None  # of the total committed or spent

    @property
    def committed(self) -> Decimal:
        return self.commitments - self.releases

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent


def totals(entries) -> dict:
    """The figures over every entry the filters leave: one aggregate query."""
    figures = entries.aggregate(**FIGURES)
    figures["committed"] = figures["commitments"] - figures["releases"]
    figures["used"] = figures["committed"] + figures["spent"]
    return figures


def breakdown(dimension: Dimension, entries, total_used: Decimal) -> list[Row]:
    """One row per value of the dimension: one grouped query."""
    values = {"key": dimension.key if not isinstance(dimension.key, str) else F(dimension.key)}
    if dimension.label:
        values["row_label"] = F(dimension.label)
    if dimension.annotations is not None:
        entries = entries.annotate(**dimension.annotations())
    grouped = entries.order_by().values(**values).annotate(**FIGURES)
    rows = [
        Row(
            key=g["key"],
            label=dimension.label_for(g["key"], g.get("row_label")),
            commitments=g["commitments"],
            releases=g["releases"],
            spent=g["spent"],
            packages=g["packages"],
            organisations=g["organisations"],
            share=percent(g["commitments"] - g["releases"] + g["spent"], total_used),
        )
        for g in grouped
    ]
    if dimension.slug == "month":
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: (-r.used, r.label))
