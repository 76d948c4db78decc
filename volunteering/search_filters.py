"""The public search's filters (django-filter): keywords, theme, district, remote, when,
hours a week, suitable for 16 and 17-year-olds, no DBS check.

Every value comes from the address (a GET form, so that a search can be shared, kept in
the pagination links and used without JavaScript), so any of them may be anything: each
bad one gets its own GOV.UK message on the form, with what was typed kept in the box,
and the other filters still apply.
"""

import unicodedata

import django_filters
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukForm

from . import rules, search_rules
from .models import Opportunity, Schedule
from .search_selectors import matching


class TypedText(forms.CharField):
    """Text from the address with control characters dropped (a NUL would otherwise reach
    the database, which refuses it)."""

    def to_python(self, value):
        text = super().to_python(value)
        return "".join(c for c in text if unicodedata.category(c) != "Cc")


class TypedTextFilter(django_filters.CharFilter):
    field_class = TypedText


class SearchForm(GovukForm):
    """The filters' form: each value read by search_rules, in GOV.UK's words when wrong."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.checkboxes("theme", legend_size=Size.SMALL, small=True),
            Fieldset(
                Field.text("district", field_width=10, label_size=Size.SMALL),
                Field.checkbox("remote", small=True),
                legend=_("Where"),
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field.checkboxes("schedule", small=True),
                Field.text("hours", field_width=4, label_size=Size.SMALL),
                legend=_("When"),
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field.checkbox("under_18", small=True),
                Field.checkbox("no_dbs", small=True),
                legend=_("Who"),
                legend_size=Size.SMALL,
            ),
        )

    def clean_q(self):
        words = search_rules.keywords(self.cleaned_data.get("q") or "")
        if len(words) > search_rules.KEYWORDS_LENGTH:
            raise ValidationError(_("Keywords must be 100 characters or fewer"))
        return words

    def clean_district(self):
        typed = self.cleaned_data.get("district") or ""
        if not typed.strip():
            return ""
        district, problem = search_rules.district_of(typed)
        if problem:
            raise ValidationError(problem)
        return district

    def clean_hours(self):
        typed = self.cleaned_data.get("hours") or ""
        if not typed.strip():
            return None
        hours, problem = search_rules.hours_of(typed)
        if problem:
            raise ValidationError(problem)
        return hours


def _checkbox(label):
    # A single GOV.UK checkbox: ticked narrows the search; unticked (absent from the
    # address, which the widget reads as False) filters nothing.
    return django_filters.BooleanFilter(
        label=label, method="filter_ticked", widget=forms.CheckboxInput
    )


class OpportunitySearch(django_filters.FilterSet):
    """What the public may narrow published opportunities by (search_selectors.public_results)."""

    q = TypedTextFilter(
        label=_("Keywords"),
        help_text=_("What you would like to do, for example gardening or driving"),
        method="filter_keywords",
    )
    # The council's themes, read once by the view (choices set in __init__): by slug in
    # the address, so that a search can be read and shared.
    theme = django_filters.MultipleChoiceFilter(
        label=_("Theme"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        method="filter_theme",
        error_messages={"invalid_choice": _("Select themes from the list")},
    )
    district = TypedTextFilter(
        label=_("Postcode district"),
        help_text=_("For example, LE2, or your full postcode"),
        method="filter_district",
    )
    remote = _checkbox(_("Can be done remotely"))
    schedule = django_filters.MultipleChoiceFilter(
        label=_("How often"),
        choices=Schedule.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_schedule",
        error_messages={"invalid_choice": _("Select one-off, regular or flexible")},
    )
    hours = TypedTextFilter(
        label=_("Hours a week you can give, at most"),
        help_text=_("One-off and flexible roles are shown too. For example, 3"),
        method="filter_hours",
    )
    under_18 = _checkbox(_("Suitable for 16 and 17 year olds"))
    no_dbs = _checkbox(_("No DBS check needed"))

    class Meta:
        model = Opportunity
        fields = ["q", "theme", "district", "remote", "schedule", "hours", "under_18", "no_dbs"]
        form = SearchForm

    def __init__(self, data=None, *args, themes=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["theme"].extra["choices"] = [(theme.slug, theme.name) for theme in themes]
        self.theme_ids = {theme.slug: theme.pk for theme in themes}

    def filter_keywords(self, queryset, name, value):
        return matching(queryset, value)

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(theme_id__in=[self.theme_ids[slug] for slug in value])

    def filter_district(self, queryset, name, value):
        return queryset.filter(postcode_district=value) if value else queryset

    def filter_schedule(self, queryset, name, value):
        return queryset.filter(schedule__in=value) if value else queryset

    def filter_hours(self, queryset, name, value):
        # A regular role asks for hours every week; one-off and flexible roles do not.
        if value is None:
            return queryset
        return queryset.filter(~Q(schedule=rules.REGULAR) | Q(hours_a_week__lte=value))

    def filter_ticked(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            **{
                "remote": {"remote": True},
                "under_18": {"suitable_for_under_18": True, "minimum_age__lt": rules.ADULT},
                "no_dbs": {"dbs_needed": False},
            }[name]
        )

    @property
    def narrowed(self) -> bool:
        """Whether any filter but the keywords was given (the page then offers to clear
        them), a bad value included."""
        return any(self.data.get(name) for name in self.filters if name != "q")
