"""The events and attendance report's filter (django-filter): kind, and the days the events
started between."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukForm

from .models import EventKind


class EventReportForm(GovukForm):
    pass


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class EventReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=EventKind.choices, empty_label=_("Any kind"), label=_("Kind of event")
    )
    date_from = django_filters.DateFilter(
        label=_("Events from"),
        method="filter_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Events up to and including"),
        method="filter_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        form = EventReportForm
        fields = ["kind", "date_from", "date_to"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + timedelta(days=1)))

    def params(self) -> str:
        """The valid filters as a query string, to carry into the download."""
        if not self.form.is_valid():
            return ""
        query = QueryDict(mutable=True)
        for name, value in self.form.cleaned_data.items():
            if value not in (None, ""):
                query[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return query.urlencode()
