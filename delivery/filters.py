"""The organisation's list of providers for an agreed package, and the officer's claim
queue, filtered with django-filter."""

import re

import django_filters
from django import forms
from django.db.models import Q

from govuk.forms import GovukForm
from organisations.listing import MAX_TERM, name_contains
from providers.models import Area, Language, Provider

from .models import Claim


class DirectoryFilterForm(GovukForm):
    pass


class ProviderDirectoryFilter(django_filters.FilterSet):
    """The provider's name, type, area of the city, language, and whether it is a local VCS
    organisation."""

    q = django_filters.CharFilter(
        label="Provider's name",
        help_text="All or part of it",
        method="filter_name",
        max_length=MAX_TERM,
    )
    provider_type = django_filters.ChoiceFilter(
        choices=Provider.Type.choices, empty_label="Any type", label="Type of provider"
    )
    area = django_filters.ModelChoiceFilter(
        field_name="areas",
        queryset=Area.objects.all(),
        empty_label="Any area",
        label="Works in",
        distinct=True,
    )
    language = django_filters.ModelChoiceFilter(
        field_name="languages",
        queryset=Language.objects.all(),
        empty_label="Any language",
        label="Works in the language",
        distinct=True,
    )
    # A single GOV.UK checkbox: ticked keeps local VCS organisations only, unticked
    # (absent from the query string, which the widget reads as False) filters nothing.
    local_vcs = django_filters.BooleanFilter(
        label="Local voluntary or community organisations only",
        method="filter_local_vcs",
        widget=forms.CheckboxInput(),
    )

    class Meta:
        model = Provider
        fields = ["q", "provider_type", "area", "language", "local_vcs"]
        form = DirectoryFilterForm

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_contains(" ".join(value.split()), "name"))

    def filter_local_vcs(self, queryset, name, value):
        return queryset.filter(is_local_vcs=True) if value else queryset


# A claim's reference as the finance system and the provider quote it, or its number alone.
CLAIM_REFERENCE = re.compile(r"^(?:VCS-?CLM-?)?0*(\d{1,12})$", re.IGNORECASE | re.ASCII)


class ClaimQueueFilter(django_filters.FilterSet):
    """Waiting for a decision by default; or approved, rejected, or any. Searchable by the
    claim's reference, the provider's invoice reference, the provider's name or the
    organisation's."""

    q = django_filters.CharFilter(
        label="Search claims",
        help_text="A reference (VCS-CLM-000123), the provider's invoice reference, or the "
        "provider's or organisation's name",
        method="filter_search",
        max_length=MAX_TERM,
    )
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, empty_label="Any status", label="Status"
    )
    # One organisation's claims, by id: what the officer's view of an organisation
    # links to. Hidden, so the other filters keep it.
    organisation = django_filters.NumberFilter(
        field_name="agreed_package__organisation",
        widget=forms.HiddenInput,
        label="One organisation",
    )

    class Meta:
        model = Claim
        fields = ["q", "status", "organisation"]
        form = DirectoryFilterForm

    def filter_search(self, queryset, name, value):
        term = " ".join(value.split())
        matches = name_contains(
            term, "request__provider__name", "agreed_package__organisation__name"
        )
        matches |= Q(invoice_reference__iexact=term)
        reference = CLAIM_REFERENCE.match(term.replace(" ", ""))
        if reference:
            matches |= Q(pk=int(reference.group(1)))
        return queryset.filter(matches)

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "status" not in data:
            data = data.copy() if data is not None else {}
            data["status"] = Claim.Status.SUBMITTED
        super().__init__(data, *args, **kwargs)
