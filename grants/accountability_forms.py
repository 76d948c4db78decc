"""Appeals and collective issues: input shape and layout only.

The rules (word limits, who may appeal or review, at least two representatives,
a meeting not in the future) live in appeal_rules and collective_rules, and
the services check them again; the forms give the same sentences at the field.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukDateField, GovukForm

from . import appeal_rules, collective_rules


def _text(label, *, rows=6, what, max_length=20000, help_text="", required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
        required=required,
        error_messages={"max_length": f"{what} must be {max_length:,} characters or fewer"},
    )


# --------------------------------------------------------------- appeals


class AppealForm(GovukForm):
    required_messages = {"grounds": "Enter the grounds for your appeal"}

    grounds = _text(
        "Why do you think the decision was wrong?",
        rows=10,
        what="The grounds",
        help_text=(
            "For example, the panel did not consider evidence you sent, the criteria were not "
            f"applied as published, or the process was unfair. Up to "
            f"{appeal_rules.GROUNDS_WORD_LIMIT} words."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea(
                "grounds",
                label_size=Size.MEDIUM,
                rows=10,
                max_words=appeal_rules.GROUNDS_WORD_LIMIT,
            )
        )

    def clean_grounds(self):
        text = self.cleaned_data["grounds"].strip()
        problem = appeal_rules.grounds_problem(text)
        if problem:
            raise forms.ValidationError(problem)
        return text


class AppealReviewForm(GovukForm):
    required_messages = {
        "outcome": "Select whether the appeal is upheld or not upheld",
        "reasons": "Enter the reasons for the outcome",
    }

    outcome = forms.ChoiceField(
        label="What is the outcome of the appeal?",
        choices=[
            Choice(
                appeal_rules.UPHELD,
                "Upheld",
                hint="The decision for the community will be made again. The managers are told.",
            ),
            Choice(appeal_rules.NOT_UPHELD, "Not upheld", hint="The decision stands."),
        ],
        widget=forms.RadioSelect,
    )
    reasons = _text(
        "Reasons for the outcome",
        what="The reasons",
        help_text="The applicant is sent these word for word.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["invalid_choice"] = self.required_messages["outcome"]
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=6),
        )


# --------------------------------------------------------------- collective issues


class MeetingForm(GovukForm):
    required_messages = {
        "title": "Enter the title of the meeting",
        "summary": "Enter a summary of the meeting",
    }

    title = forms.CharField(
        label="Title of the meeting",
        help_text="For example, Representatives' forum, spring 2026.",
        max_length=200,
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )
    held_on = GovukDateField(
        what="the date of the meeting", when="past", label="Date of the meeting"
    )
    summary = _text(
        "Summary of the meeting",
        what="The summary",
        help_text=("Who came, what was discussed and what was agreed. Representatives read this."),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper.layout = Layout(
            Field.text("title"),
            Field("held_on", legend_size=Size.SMALL),
            Field.textarea("summary", label_size=Size.SMALL, rows=6),
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        problem = collective_rules.meeting_date_problem(held_on, self.today)
        if problem:
            raise forms.ValidationError(problem)
        return held_on


class IssueForm(GovukForm):
    required_messages = {
        "title": "Enter the title of the issue",
        "description": "Enter a description of the issue",
        "raised_by": collective_rules.TOO_FEW_REPRESENTATIVES,
    }

    title = forms.CharField(
        label="Title of the issue",
        max_length=200,
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )
    description = _text(
        "Description of the issue",
        what="The description",
        help_text="What the representatives raised, and what their communities told them.",
    )
    raised_by = forms.TypedMultipleChoiceField(
        label="Which representatives raised it?",
        help_text="Select at least two: an issue raised by one representative is theirs to "
        "take up with the council.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting = forms.TypedChoiceField(
        label="Was it raised at a meeting? (optional)",
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, representatives=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].choices = [
            Choice(
                d.pk,
                d.application.organisation.name,
                hint=f"{d.round_community.community.name}, {d.round_community.round.name}",
            )
            for d in representatives
        ]
        self.fields["raised_by"].error_messages["invalid_choice"] = (
            "Select representatives from the list"
        )
        self.fields["meeting"].choices = [("", "Not raised at a recorded meeting")] + [
            (m.pk, f"{m.title} ({m.held_on:%-d %B %Y})") for m in meetings
        ]
        self.fields["meeting"].error_messages["invalid_choice"] = "Select a meeting from the list"
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("description", label_size=Size.SMALL, rows=6),
            Field.checkboxes("raised_by", legend_size=Size.SMALL),
            Field.select("meeting", label_size=Size.SMALL),
        )

    def clean_raised_by(self):
        chosen = self.cleaned_data["raised_by"]
        problem = collective_rules.raised_by_problem(len(set(chosen)))
        if problem:
            raise forms.ValidationError(problem)
        return chosen


class ResponseForm(GovukForm):
    required_messages = {"response": "Enter the council's response"}

    response = _text(
        "The council's response",
        rows=8,
        what="The response",
        help_text="Every representative can read this, with the issue.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("response", label_size=Size.MEDIUM, rows=8))
