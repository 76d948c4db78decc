"""Managers' questionnaire forms: input shape and layout only (questionnaire_services decides)."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Q

from govuk.forms import GovukForm
from packages.models import Package

from .models import Statement, Theme


class PackageChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_active else f"{obj.name} (withdrawn)"


class ThemeForm(forms.ModelForm, GovukForm):
    required_messages = {
        "name": "Enter the theme's name",
        "packages": "Select at least one package that addresses this theme",
    }

    packages = PackageChoiceField(
        label="Packages that address this theme",
        help_text="They are recommended when an organisation scores low on this theme.",
        queryset=Package.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Theme
        fields = ["name", "description", "packages"]
        labels = {"name": "Theme name", "description": "Description (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active packages, and any withdrawn one the theme already has, so that
        # saving the form never drops a mapping without the manager seeing it.
        self.fields["packages"].queryset = Package.objects.filter(
            Q(status=Package.Status.ACTIVE) | Q(pk__in=self.instance.packages.all())
        ).order_by("name")
        self.helper.layout = Layout(
            Field.text("name"),
            Field.textarea("description", rows=2),
            Field.checkboxes("packages", legend_size=Size.SMALL),
        )


class StatementForm(forms.ModelForm, GovukForm):
    required_messages = {
        "text": "Enter the statement",
        "short": "Enter a short name for the statement",
    }

    class Meta:
        model = Statement
        fields = ["text", "short"]
        labels = {"text": "Statement", "short": "Short name"}
        help_texts = {
            "text": "Organisations score it from 1 (not in place) to 4 (embedded and reviewed).",
            "short": "Used in the reasons for recommendations, for example "
            "“cash-flow forecasting” in “cash-flow forecasting not in place”.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("text"), Field.text("short", field_width=20))
