"""The officer's queue of eligibility applications, filtered with django-filter."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone

from govuk.forms import GovukForm
from organisations.listing import MAX_TERM, name_contains
from organisations.models import PostcodePrefix, PriorityTheme

from .models import EligibilityApplication

Status = EligibilityApplication.Status
AGES = [
    ("7", "Waiting more than 7 days"),
    ("14", "Waiting more than 14 days"),
    ("28", "Waiting more than 28 days"),
]


class QueueFilterForm(GovukForm):
    pass


class ApplicationQueueFilter(django_filters.FilterSet):
    """The organisation's name, status (submitted by default), age, postcode district and
    council priority theme."""

    q = django_filters.CharFilter(
        label="Organisation",
        help_text="All or part of its name",
        method="filter_name",
        max_length=MAX_TERM,
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in Status.choices if c[0] != Status.DRAFT],
        empty_label="Any status except draft",
        label="Status",
    )
    age = django_filters.ChoiceFilter(
        choices=AGES, method="filter_age", empty_label="Any age", label="Waiting"
    )
    district = django_filters.ChoiceFilter(
        field_name="organisation__postcode_district",
        choices=(),
        empty_label="Any district",
        label="Postcode district",
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="organisation__priority_themes",
        queryset=PriorityTheme.objects.all(),
        empty_label="Any theme",
        label="Council priority theme",
    )
    # One organisation's applications, by id: what the officer's view of an
    # organisation links to. Hidden, so the other filters keep it.
    organisation = django_filters.NumberFilter(
        field_name="organisation", widget=forms.HiddenInput, label="One organisation"
    )

    class Meta:
        model = EligibilityApplication
        fields = ["q", "status", "age", "district", "theme", "organisation"]
        form = QueueFilterForm

    def __init__(self, data=None, *args, districts=(), **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = Status.SUBMITTED
        super().__init__(data, *args, **kwargs)
        self.filters["district"].extra["choices"] = [(d, d) for d in districts]

    @property
    def qs(self):
        queryset = super().qs.exclude(status=Status.DRAFT)
        if self.form.is_valid() and self.form.cleaned_data.get("theme"):
            queryset = queryset.distinct()
        return queryset

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_contains(" ".join(value.split()), "organisation__name"))

    def filter_age(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=timezone.now() - timedelta(days=int(value)))


def district_choices(area: str) -> list[str]:
    """The area's postcode districts, for the filter: LE1, LE2 ... (sectors left out)."""
    prefixes = PostcodePrefix.objects.filter(area=area, in_area=True).values_list(
        "prefix", flat=True
    )
    districts = {p.split(" ")[0] for p in prefixes}
    return sorted(districts, key=lambda d: (len(d), d))
