"""Section C's report (managers and the volunteer centre's brokers), its equality
monitoring figures (small numbers hidden), and the value of an hour of volunteering
(managers set it, with its source)."""

from decimal import Decimal

import django_filters
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from govuk.forms import GovukForm
from organisations.listing import page_of
from organisations.models import PriorityTheme
from organisations.validators import DISTRICT, compact_input
from packages.forms import show_refusal, submitted
from volunteering.models import VolunteerHourValue
from volunteering.permissions import require_broker_or_manager
from volunteering.services import VolunteeringError, set_hour_value

from . import figures_cache
from .exports import FORMATS, download
from .filters import ReportFilterForm
from .permissions import require_manager
from .small_numbers import FEWER_THAN_5_SHORT, SMALL
from .volunteering_equality import GROUPS, equality_counts, table
from .volunteering_figures import BY, REMOTE, Period, breakdown, summary


class VolunteeringFilterForm(ReportFilterForm):
    def clean_district(self) -> str:
        district = compact_input(self.cleaned_data.get("district") or "")
        if district.lower() == REMOTE.lower():
            return REMOTE
        if district and not DISTRICT.match(district):
            raise forms.ValidationError(f"Enter a postcode district like LE2, or {REMOTE}")
        return district

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end of the period must be on or after its start")
        return data


class PeriodFilter(django_filters.FilterSet):
    """A period: from, and up to and including."""

    date_from = django_filters.DateFilter(
        label="From", widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    date_to = django_filters.DateFilter(
        label="Up to and including",
        widget=forms.DateInput(attrs={"type": "date"}),
        method="keep",
    )

    class Meta:
        form = VolunteeringFilterForm
        fields = ["date_from", "date_to"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.helper.layout = Layout(Field("date_from"), Field("date_to"))

    def keep(self, queryset, name, value):
        return queryset  # the figures read the period, not a queryset

    def period(self) -> Period:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return Period(
            starts=data.get("date_from"),
            ends=data.get("date_to"),
            theme=data.get("theme"),
            district=data.get("district") or "",
        )


class VolunteeringFilter(PeriodFilter):
    """The period, the opportunity's theme and district, and what the table is by."""

    theme = django_filters.ModelChoiceFilter(
        queryset=PriorityTheme.objects.all(), empty_label="Any theme", method="keep"
    )
    district = django_filters.CharFilter(
        label="Postcode district",
        help_text=f"Like LE2, or {REMOTE} for roles done from home",
        method="keep",
    )
    by = django_filters.ChoiceFilter(
        label="Table by", choices=list(BY.items()), empty_label=None, method="keep"
    )

    class Meta:
        form = VolunteeringFilterForm
        fields = ["date_from", "date_to", "theme", "district", "by"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.helper.layout = Layout(
            Field("date_from"),
            Field("date_to"),
            Field.select("theme"),
            Field.text("district", field_width=5),
            Field.select("by"),
        )

    def table_by(self) -> str:
        value = self.form.cleaned_data.get("by") if self.form.is_valid() else None
        return value if value in BY else "theme"


HEADER = ["Interest sent", "Accepted", "Placements started", "Confirmed hours"]


@login_required
@require_GET
def volunteering(request):
    """The headline figures and the table by theme or district, with downloads."""
    require_broker_or_manager(request.user)
    filterset = VolunteeringFilter(request.GET or None, queryset=PriorityTheme.objects.none())
    period, by = filterset.period(), filterset.table_by()
    today = timezone.localdate()
    key = {**period.key(), "by": by, "today": today}
    figures = figures_cache.figures(
        "volunteering",
        key,
        lambda: {"summary": summary(period, today), "rows": breakdown(period, by)},
    )
    value = figures["summary"]["hour_value"]
    rows = [
        {**row, "worth": (row["hours"] * value.value).quantize(Decimal("0.01")) if value else None}
        for row in figures["rows"]
    ]
    fmt = request.GET.get("download")
    if fmt in FORMATS:
        header = [BY[by], *HEADER] + (["Value of the hours (£)"] if value else [])
        body = (
            [r["label"], r["sent"], r["accepted"], r["placements"], r["hours"]]
            + ([r["worth"]] if value else [])
            for r in rows
        )
        return download(fmt, f"volunteering-by-{by}", header, body)
    return render(
        request,
        "reports/volunteering.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "figures": figures["summary"],
            "by_label": BY[by],
            "page": page_of(request, rows),
            "can_set_value": request.user.is_manager,
        },
    )


EQUALITY_HEADER = ["Question", "Answer", *GROUPS.values()]


@login_required
@require_GET
def equality(request):
    """How many volunteers gave each equality answer, small numbers hidden, with downloads."""
    require_broker_or_manager(request.user)
    filterset = PeriodFilter(request.GET or None, queryset=PriorityTheme.objects.none())
    period = filterset.period()
    key = {**period.key(), "today": timezone.localdate()}
    counts = figures_cache.figures("volunteering_equality", key, lambda: equality_counts(period))
    fmt = request.GET.get("download")
    if fmt in FORMATS:
        shown = table(counts, fewer=FEWER_THAN_5_SHORT)
        body = (
            [question["label"], row["answer"], *(row[group] for group in GROUPS)]
            for question in shown["questions"]
            for row in question["rows"]
        )
        return download(fmt, "volunteering-equality", EQUALITY_HEADER, body)
    return render(
        request,
        "reports/volunteering_equality.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "groups": GROUPS,
            "figures": table(counts),
            "small": SMALL,
        },
    )


class HourValueForm(GovukForm):
    required_messages = {
        "value": "Enter the value of an hour, like 12.50",
        "source": "Enter where the value comes from, so readers can check it",
    }

    value = forms.DecimalField(
        label="Value of an hour of volunteering (£)",
        help_text="For example, 12.50",
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the value of an hour as an amount of money, like 12.50",
            "max_digits": "The value of an hour must be £1,000 or less",
            "max_whole_digits": "The value of an hour must be £1,000 or less",
            "max_decimal_places": "Enter the value in pounds and pence, like 12.50",
        },
    )
    source = forms.CharField(
        label="Where the value comes from",
        help_text="For example, the National Living Wage from 1 April 2026, or a published "
        "study of the value of volunteering",
        max_length=300,
        error_messages={"max_length": "The source must be 300 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("value", field_width=5), Field.text("source"))


@login_required
@require_http_methods(["GET", "POST"])
def hour_value(request):
    """Managers set the value of an hour; earlier values are listed, newest first."""
    require_manager(request.user)
    form = HourValueForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            set_hour_value(
                by=request.user,
                value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "The value of an hour of volunteering is saved.")
            return redirect("reports:volunteering")
    history = VolunteerHourValue.objects.select_related("set_by")
    return render(
        request, "reports/hour_value.html", {"form": form, "page": page_of(request, history)}
    )
