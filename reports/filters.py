"""Filters for the breakdowns and the ledger-entries page (django-filter).

Both filter ledger entries, so a figure on a breakdown and the list of entries
behind it are the same filter with one more condition: the link from a figure
carries its breakdown's filters plus the row's own (a package, a district …).
"""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from allowances.models import AgreedStatus, LedgerKind
from allowances.rules import fy_label
from delivery.models import ProviderRequest, RequestStatus
from govuk.forms import GovukForm
from organisations.listing import MAX_TERM, name_contains
from organisations.models import IncomeBand, LegalForm, PriorityTheme
from packages.models import Package, Strand
from providers.models import Provider

# "Committed" on every page is commitments less releases, so its entries are
# both kinds; "spent" is the spend entries.
FIGURES = [
    ("committed", "Committed (commitments and releases)"),
    ("spent", "Spent"),
]
FIGURE_KINDS = {
    "committed": [LedgerKind.COMMITMENT, LedgerKind.RELEASE],
    "spent": [LedgerKind.SPEND],
}
ALL_YEARS = "all"


class ReportFilterForm(GovukForm):
    pass


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class BreakdownFilter(django_filters.FilterSet):
    """Budget year (this year's by default), strand and a date range of the entries."""

    year = django_filters.ChoiceFilter(
        label="Budget year", choices=(), method="filter_year", empty_label=None
    )
    strand = django_filters.ChoiceFilter(
        field_name="strand__kind", choices=Strand.choices, empty_label="Any strand", label="Strand"
    )
    date_from = django_filters.DateFilter(
        label="Entries from",
        method="filter_from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the money was committed, released or spent.",
    )
    date_to = django_filters.DateFilter(
        label="Entries up to and including",
        method="filter_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        form = ReportFilterForm
        fields = ["year", "strand", "date_from", "date_to"]

    def __init__(self, data=None, *args, years=(), default_year=None, **kwargs):
        """`years`: the budget years' start years, newest first; `default_year` when none asked."""
        if data is not None and "year" not in data and default_year is not None:
            data = data.copy()
            data["year"] = str(default_year)
        super().__init__(data, *args, **kwargs)
        self.filters["year"].extra["choices"] = [(str(y), fy_label(y)) for y in years] + [
            (ALL_YEARS, "All years")
        ]

    def filter_year(self, queryset, name, value):
        if value == ALL_YEARS:
            return queryset
        return queryset.filter(strand__budget_year__start_year=int(value))

    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_day_start(value + timedelta(days=1)))

    @property
    def chosen_year(self) -> int | None:
        """The budget year asked for, or None for all years."""
        value = self.form.cleaned_data.get("year") if self.form.is_valid() else None
        return int(value) if value and value != ALL_YEARS else None

    def params(self) -> dict:
        """The valid filters as query parameters, to carry into links and downloads."""
        if not self.form.is_valid():
            return {}
        out = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            out[name] = (
                value.slug if isinstance(value, PriorityTheme) else getattr(value, "pk", value)
            )
        return out


class LedgerFilter(BreakdownFilter):
    """The breakdown filters plus every dimension a figure can be broken down by."""

    figure = django_filters.ChoiceFilter(
        choices=FIGURES, method="filter_figure", empty_label="Every entry", label="Figure"
    )
    kind = django_filters.ChoiceFilter(
        choices=LedgerKind.choices, empty_label="Any kind", label="Kind of entry"
    )
    status = django_filters.ChoiceFilter(
        field_name="agreed_package__status",
        choices=AgreedStatus.choices,
        empty_label="Any status",
        label="Agreed package's status now",
    )
    package = django_filters.ModelChoiceFilter(
        field_name="agreed_package__package",
        queryset=Package.objects.order_by("name"),
        empty_label="Any package",
        label="Package",
    )
    district = django_filters.CharFilter(
        field_name="organisation__postcode_district",
        label="Postcode district",
        help_text="For example, LE2.",
        method="filter_district",
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="organisation__priority_themes",
        queryset=PriorityTheme.objects.all(),
        to_field_name="slug",
        empty_label="Any theme",
        label="Council priority theme",
    )
    legal_form = django_filters.ChoiceFilter(
        field_name="organisation__legal_form",
        choices=LegalForm.choices,
        empty_label="Any legal form",
        label="Legal form",
    )
    income_band = django_filters.ChoiceFilter(
        field_name="organisation__income_band",
        choices=IncomeBand.choices,
        empty_label="Any income band",
        label="Income band",
    )
    # A text field, not a drop-down of every provider on the register (hundreds):
    # the entries of packages whose accepted provider's name contains what is typed.
    provider_name = django_filters.CharFilter(
        label="Provider who accepted",
        help_text="All or part of the provider's name",
        method="filter_provider_name",
        max_length=MAX_TERM,
    )
    # One provider exactly, by id: what a figure's link carries (breakdown by
    # provider, the providers report). Hidden, and named on the page instead.
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.all(),
        method="filter_provider",
        widget=forms.HiddenInput,
        label="Provider who accepted",
    )
    no_provider = django_filters.BooleanFilter(
        method="filter_no_provider",
        widget=forms.HiddenInput,
        label="Packages no provider has accepted",
    )
    awards = django_filters.BooleanFilter(
        field_name="award",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.HiddenInput,
        label="Grant awards (section B), not packages",
    )
    no_theme = django_filters.BooleanFilter(
        field_name="organisation__priority_themes",
        lookup_expr="isnull",
        widget=forms.HiddenInput,
        label="Organisations with no priority theme",
    )

    class Meta(BreakdownFilter.Meta):
        fields = [
            *BreakdownFilter.Meta.fields,
            "figure",
            "kind",
            "status",
            "package",
            "district",
            "theme",
            "legal_form",
            "income_band",
            "provider_name",
            "provider",
            "no_provider",
            "no_theme",
            "awards",
        ]

    def filter_district(self, queryset, name, value):
        # Districts are stored as written on the register ("LE2"): "le2 " finds them too.
        return queryset.filter(**{name: value.strip().upper()})

    def filter_provider(self, queryset, name, value):
        # One filter() call, so both conditions apply to the same request row.
        return queryset.filter(
            agreed_package__provider_requests__provider=value,
            agreed_package__provider_requests__status=RequestStatus.ACCEPTED,
        )

    def filter_provider_name(self, queryset, name, value):
        accepted_by = ProviderRequest.objects.filter(
            name_contains(" ".join(value.split()), "provider__name"),
            agreed_package=OuterRef("agreed_package"),
            status=RequestStatus.ACCEPTED,
        )
        return queryset.filter(Exists(accepted_by))

    def filter_no_provider(self, queryset, name, value):
        accepted = ProviderRequest.objects.filter(
            agreed_package=OuterRef("agreed_package"), status=RequestStatus.ACCEPTED
        )
        return queryset.exclude(Exists(accepted)) if value else queryset.filter(Exists(accepted))

    def filter_figure(self, queryset, name, value):
        return queryset.filter(kind__in=FIGURE_KINDS[value])
