"""The round's criteria and its scoring scale, as a manager sets them: input shape and
layout only (the rules live in rules.py and the services)."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from govuk.forms import GovukForm

from . import rules
from .fields import WholeNumberField, range_messages
from .models import (
    MAX_WORD_LIMIT,
    CriterionKind,
    CriterionSection,
)


class CriterionForm(GovukForm):
    """One criterion. A check the service makes itself stays a must-have: no kind or weight."""

    required_messages = {
        "section": "Select which part of the application the criterion is in",
        "kind": "Select whether the criterion is a must-have or scored",
        "title": "Enter a short title for the criterion",
        "question": "Enter the question applicants answer",
        "word_limit": "Enter the most words an answer may have",
    }

    section = forms.ChoiceField(
        label="Which part of the application is it in?",
        widget=forms.RadioSelect,
        choices=CriterionSection.choices,
    )
    kind = forms.ChoiceField(
        label="How is it judged?", widget=forms.RadioSelect, choices=CriterionKind.choices
    )
    title = forms.CharField(label="Short title", max_length=150)
    question = forms.CharField(
        label="Question applicants answer", widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance = forms.CharField(
        label="Guidance (optional)",
        help_text="What a good answer shows, and the evidence to attach.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    word_limit = WholeNumberField(
        what="the word limit",
        example="500",
        label="Word limit",
        min_value=1,
        max_value=MAX_WORD_LIMIT,
    )
    weight = WholeNumberField(
        what="the weight",
        example="2",
        label="Weight (scored criteria only)",
        help_text="A criterion of weight 2 counts twice as much as one of weight 1.",
        required=False,
        min_value=1,
        max_value=100,
    )
    minimum_score = WholeNumberField(
        what="the minimum score",
        example="2",
        label="Minimum score to be awarded (optional, scored criteria only)",
        help_text=f"From {rules.SCALE_MIN} to {rules.SCALE_MAX}. Leave empty for no minimum.",
        required=False,
        min_value=rules.SCALE_MIN,
        max_value=rules.SCALE_MAX,
    )

    def __init__(self, *args, automatic_check: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.automatic = bool(automatic_check)
        self.fields["section"].error_messages["invalid_choice"] = (
            "Select a part of the application from the list"
        )
        self.fields["kind"].error_messages["invalid_choice"] = (
            "Select whether the criterion is a must-have or scored"
        )
        range_messages(self.fields["word_limit"], "the word limit", 1, MAX_WORD_LIMIT)
        range_messages(self.fields["weight"], "the weight", 1, 100)
        range_messages(
            self.fields["minimum_score"], "the minimum score", rules.SCALE_MIN, rules.SCALE_MAX
        )
        self.fields["title"].error_messages["max_length"] = (
            "The title must be 150 characters or fewer"
        )
        judged = [
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("weight", field_width=3),
            Field.text("minimum_score", field_width=2),
        ]
        if self.automatic:
            for name in ("kind", "weight", "minimum_score"):
                del self.fields[name]
            judged = []
        self.helper.layout = Layout(
            Field.radios("section", legend_size=Size.SMALL),
            Field.text("title"),
            Field.textarea("question", rows=3),
            Field.textarea("guidance", rows=4),
            Field.text("word_limit", field_width=4),
            *judged,
        )

    def clean(self):
        cleaned = super().clean()
        if self.automatic:
            cleaned["kind"] = CriterionKind.MUST_HAVE
        elif cleaned.get("kind") == CriterionKind.SCORED:
            if cleaned.get("weight") is None and "weight" not in self.errors:
                self.add_error("weight", "Enter the weight of a scored criterion, like 1 or 2")
        else:
            cleaned["weight"] = cleaned["minimum_score"] = None
        return cleaned


def criterion_initial(criterion) -> dict:
    return {
        name: getattr(criterion, name)
        for name in (
            "section",
            "kind",
            "title",
            "question",
            "guidance",
            "word_limit",
            "weight",
            "minimum_score",
        )
    }


class ScaleForm(GovukForm):
    """What each score from 0 to 4 means: a short label and a descriptor for each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sets = []
        for score in rules.SCALE:
            self.fields[f"label_{score}"] = forms.CharField(
                label="Label",
                max_length=40,
                error_messages={
                    "required": f"Enter a label for a score of {score}",
                    "max_length": f"The label for a score of {score} must be 40 characters "
                    "or fewer",
                },
            )
            self.fields[f"descriptor_{score}"] = forms.CharField(
                label="What it means",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=1000,
                error_messages={
                    "required": f"Describe what a score of {score} means",
                    "max_length": f"The description of a score of {score} must be 1,000 "
                    "characters or fewer",
                },
            )
            sets.append(
                Fieldset(
                    Field.text(f"label_{score}", field_width=20),
                    Field.textarea(f"descriptor_{score}", rows=2),
                    legend=f"A score of {score}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper.layout = Layout(*sets)

    def levels(self) -> dict[int, tuple[str, str]]:
        return {
            s: (self.cleaned_data[f"label_{s}"], self.cleaned_data[f"descriptor_{s}"])
            for s in rules.SCALE
        }
