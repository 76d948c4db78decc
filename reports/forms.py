"""Input shape and layout only: the moves are reports.open_data_releases' services."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukForm

EVERY_YEAR = "all"


class PrepareReleaseForm(GovukForm):
    """Which years a release is for: every year (and each on its own), or one budget year."""

    required_messages = {"scope": "Select which years the release is for"}

    scope = forms.ChoiceField(
        label="Which years should the release be for?", widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, years, **kwargs):
        """`years`: the budget years (start_year, label), newest first, as offered."""
        super().__init__(*args, **kwargs)
        self.years = {str(y.start_year): y.start_year for y in years}
        self.fields["scope"].choices = [
            Choice(
                EVERY_YEAR,
                "Every year",
                hint="One file of every grant, and one for each budget year",
            ),
            *(Choice(str(y.start_year), f"{y.label} only") for y in years),
        ]
        self.fields["scope"].error_messages["invalid_choice"] = (
            "Select every year, or one of the budget years listed"
        )
        self.helper.layout = Layout(Field.radios("scope", legend_size=Size.MEDIUM, legend_tag="h2"))

    def clean_scope(self) -> int | None:
        """The year asked for, or None for every year."""
        scope = self.cleaned_data["scope"]
        return None if scope == EVERY_YEAR else self.years[scope]
