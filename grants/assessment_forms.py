"""Assessing: input shape and layout only; the rules live in assessment_rules and the services."""

from django import forms

from govuk.forms import GovukForm

from . import assessment_rules as marking

YES, NO = "yes", "no"
OFFER, NO_AWARD = "offer", "no_award"


class PanelAddForm(GovukForm):
    required_messages = {"assessor": "Select who to add to the panel"}

    assessor = forms.TypedChoiceField(label="Who should assess this round?", coerce=int)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].error_messages["invalid_choice"] = "Select someone from the list"
        self.fields["assessor"].choices = [("", "Choose a member of staff")] + [
            (p.pk, f"{p.full_name or p.email} ({p.get_role_display()}, {p.email})") for p in people
        ]


class InterestForm(GovukForm):
    """An assessor's declaration of interests in one application."""

    required_messages = {
        "has_conflict": "Select yes if you have a conflict of interest with this application"
    }

    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with this application?",
        help_text=(
            "For example, you or someone close to you works for, volunteers with or is on the "
            "board of the organisation or a consortium member, or has a financial interest in it."
        ),
        choices=[(YES, "Yes"), (NO, "No")],
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label="If yes, describe the conflict",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "The description must be 2,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") == YES and not (data.get("details") or "").strip():
            self.add_error("details", "Describe the conflict of interest")
        return data


def _mark_choices(criterion, scale) -> list[tuple[str, str]]:
    if criterion.kind == marking.SCORED:
        return [(str(level.score), f"{level.score}: {level.label}") for level in scale]
    return [(str(marking.MET), "Met"), (str(marking.NOT_MET), "Not met")]


class _PerCriterionForm(GovukForm):
    """A mark (radios) and a text box for each criterion; `text_field` names the text box."""

    text_field = "comment"
    text_label = "Your comment on {title}"

    def __init__(self, *args, criteria=(), scale=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"mark_{criterion.pk}"] = forms.ChoiceField(
                label=(
                    f"Score for {criterion.title}"
                    if criterion.kind == marking.SCORED
                    else f"Is the must-have met: {criterion.title}?"
                ),
                choices=_mark_choices(criterion, scale),
                widget=forms.RadioSelect,
                required=False,
                # A value outside the scale gets the sentence the services give.
                error_messages={
                    "invalid_choice": f"{marking.mark_problem(criterion.kind, 'x')} for "
                    f"{criterion.title}"
                },
            )
            self.fields[f"{self.text_field}_{criterion.pk}"] = forms.CharField(
                label=self.text_label.format(title=criterion.title),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
                error_messages={"max_length": "Keep this to 5,000 characters or fewer"},
            )

    def values(self) -> dict:
        """{criterion id: (mark or None, text)} from the cleaned data."""
        return {
            c.pk: (
                self.cleaned_data.get(f"mark_{c.pk}") or None,
                self.cleaned_data.get(f"{self.text_field}_{c.pk}", ""),
            )
            for c in self.criteria
        }

    def attach_to(self, rows) -> None:
        """Give each sheet row its criterion's two bound fields, for the template."""
        for row in rows:
            row.mark_field = self[f"mark_{row.criterion.pk}"]
            row.text_field = self[f"{self.text_field}_{row.criterion.pk}"]

    def add_problems(self, problems: dict) -> None:
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class MarkingForm(_PerCriterionForm):
    text_field = "comment"
    text_label = "Your comment on {title}"


class ModerationForm(_PerCriterionForm):
    text_field = "reason"
    text_label = "Reason for the moderated score on {title}"


class DecisionForm(GovukForm):
    required_messages = {
        "choice": "Select whether to offer the award or make no award",
        "reasons": "Enter the reasons for the decision",
    }

    choice = forms.ChoiceField(label="What is your decision?", widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="These are kept in the record and given to the applicants with their scores.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"max_length": "The reasons must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, best=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if best is not None:
            choices.append(
                (OFFER, f"Offer the award to {best.organisation.name} ({best.reference})")
            )
        choices.append((NO_AWARD, "Make no award for this community in this round"))
        self.fields["choice"].choices = choices


class AcceptOfferForm(GovukForm):
    required_messages = {
        "confirm": "Confirm that your organisation accepts the grant agreement's terms",
        "full_name": "Enter your full name",
    }
    confirm = forms.BooleanField(
        label="I accept the grant and the grant agreement's terms on behalf of my "
        "organisation, and I am authorised to do so"
    )
    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Your name must be 150 characters or fewer"},
    )
