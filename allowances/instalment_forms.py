"""The council's review of any award's monitoring report: input shape and layout only."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukForm

ACCEPT, MORE = "accept", "more"


class ReviewForm(GovukForm):
    """The officer's review: accept (and pay) or ask for more, saying what. `holder` names
    who sent the report ("the representative", "the volunteer centre")."""

    required_messages = {
        "outcome": "Select whether to accept the report or ask for more information",
    }

    outcome = forms.ChoiceField(
        label="What is your decision on this report?", widget=forms.RadioSelect
    )
    more_needed = forms.CharField(
        help_text="They see this and are emailed it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "What is needed must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, amount_words: str, holder: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.holder = holder
        self.fields["outcome"].choices = [
            (ACCEPT, f"Accept the report and pay the instalment of {amount_words}"),
            (MORE, f"Ask {holder} for more information"),
        ]
        self.fields["outcome"].error_messages["invalid_choice"] = self.required_messages["outcome"]
        self.fields[
            "more_needed"
        ].label = f"If you are asking for more, what does {holder} need to tell you?"
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("more_needed", rows=5, label_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == MORE and not (cleaned.get("more_needed") or "").strip():
            self.add_error("more_needed", f"Enter what more {self.holder} needs to tell you")
        return cleaned
