"""The organisation's list of providers for an agreed package, filtered with django-filter."""

import django_filters

from organisations.forms import GovukForm
from providers.models import Area, Language, Provider

from .models import Claim


class DirectoryFilterForm(GovukForm):
    pass


class ProviderDirectoryFilter(django_filters.FilterSet):
    """Type, area of the city, language, and whether it is a local VCS organisation."""

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
    local_vcs = django_filters.BooleanFilter(
        field_name="is_local_vcs",
        label="Local voluntary or community organisations only",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Provider
        fields = ["provider_type", "area", "language", "local_vcs"]
        form = DirectoryFilterForm


class ClaimQueueFilter(django_filters.FilterSet):
    """Waiting for a decision by default; or approved, rejected, or any."""

    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, empty_label="Any status", label="Status"
    )

    class Meta:
        model = Claim
        fields = ["status"]
        form = DirectoryFilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "status" not in data:
            data = data.copy() if data is not None else {}
            data["status"] = Claim.Status.SUBMITTED
        super().__init__(data, *args, **kwargs)
