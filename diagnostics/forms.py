"""Input shape and layout only; the rules live in rules.py and the services."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from govuk.forms import GovukDateField, GovukForm
from organisations.rules import postcode_in_area
from organisations.validators import normalise_postcode

from .models import AnswerType, CheckKind, Criterion
from .rules import SCALE, session_held_on, session_needs_confirming

SCORE_CHOICES = [
    Choice(str(n), f"{n} – {label[0].upper()}{label[1:]}") for n, label in SCALE.items()
]


# --- The organisation's application


class AnswerForm(GovukForm):
    """One eligibility question, built from its criterion."""

    def __init__(self, *args, criterion: Criterion, area_table: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.area_table = area_table
        help_text = criterion.help_text
        if criterion.answer_type in (AnswerType.YES_NO, AnswerType.CHOICE):
            self.fields["value"] = forms.ChoiceField(
                label=criterion.question,
                help_text=help_text,
                choices=criterion.choice_list(),
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select an answer",
                    "invalid_choice": "Select one of the answers shown",
                },
            )
            value = Field.radios("value", legend_size=Size.LARGE, legend_tag="h1")
        elif criterion.answer_type == AnswerType.POSTCODE:
            self.fields["value"] = forms.CharField(
                label=criterion.question,
                help_text=help_text,
                max_length=10,
                error_messages={"required": "Enter the postcode"},
                widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
            )
            value = Field.text("value", label_size=Size.LARGE, label_tag="h1", field_width=10)
        else:
            self.fields["value"] = forms.CharField(
                label=criterion.question,
                help_text=help_text,
                max_length=300,
                error_messages={"required": "Enter your answer"},
            )
            value = Field.text("value", label_size=Size.LARGE, label_tag="h1")
        layout = [value]
        if criterion.detail_prompt:
            self.fields["detail"] = forms.CharField(
                label=criterion.detail_prompt,
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=3000,
                error_messages={"required": f"{criterion.detail_prompt}"},
            )
            layout.append(Field.textarea("detail"))
        self.helper.layout = Layout(*layout)

    def clean_value(self):
        value = self.cleaned_data["value"]
        if self.criterion.answer_type != AnswerType.POSTCODE:
            return value
        postcode = normalise_postcode(value)
        if self.criterion.check_kind == CheckKind.POSTCODE_IN_AREA and not postcode_in_area(
            postcode, self.area_table
        ):
            raise ValidationError(
                f"{postcode} is outside the {settings.COUNCIL_NAME} area. Enter the postcode "
                "of a place in the city where your organisation is based or mainly works"
            )
        return postcode


class EvidenceForm(GovukForm):
    def __init__(self, *args, kind_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = forms.FileField(
            label=f"Upload your {kind_label.lower()}",
            help_text="A PDF, PNG, JPEG or Word (DOCX) file, smaller than 10MB.",
            error_messages={
                "required": f"Select the {kind_label.lower()}",
                "empty": "The selected file is empty",
                "invalid": f"Select the {kind_label.lower()}",
            },
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
        )
        self.helper.layout = Layout(Field("file", label_size=Size.MEDIUM))


class DeclarationForm(GovukForm):
    required_messages = {
        "confirm": "Confirm that the information you have given is correct",
        "full_name": "Enter your full name",
    }
    confirm = forms.BooleanField(
        label="I confirm that the information in this application is correct and complete, "
        "and that I am authorised to apply for my organisation"
    )
    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.checkbox("confirm"), Field.text("full_name"))


# --- The officer's decision


class DecisionForm(GovukForm):
    ELIGIBLE, NOT_ELIGIBLE, MORE_INFO = "eligible", "not_eligible", "more_info"
    required_messages = {"decision": "Select your decision"}

    decision = forms.ChoiceField(
        label="What is your decision?",
        widget=forms.RadioSelect,
        choices=[
            Choice(ELIGIBLE, "Eligible"),
            Choice(NOT_ELIGIBLE, "Not eligible", hint="Give the reasons below."),
            Choice(
                MORE_INFO,
                "More information needed",
                hint="The application goes back to the organisation with its answers kept.",
            ),
        ],
    )
    valid_until = GovukDateField(
        what="the date eligibility ends",
        label="If eligible: the last day eligibility holds (optional)",
        hint="Leave empty for the standard period from today. For example, {example}",
        required=False,
        require_all_fields=False,
    )
    message = forms.CharField(
        label="Reasons, or what the organisation needs to add",
        help_text="Required if not eligible or more information is needed. "
        "The organisation reads this word for word.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field("valid_until"),
            Field.textarea("message"),
        )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in (self.NOT_ELIGIBLE, self.MORE_INFO) and not cleaned.get("message", ""):
            self.add_error(
                "message",
                "Enter the reasons the organisation is not eligible"
                if decision == self.NOT_ELIGIBLE
                else "Enter what the organisation needs to add or change",
            )
        valid_until = cleaned.get("valid_until")
        if decision == self.ELIGIBLE and valid_until and valid_until < self.today:
            self.add_error("valid_until", "The date eligibility ends must be today or later")
        return cleaned


# --- Managers: criteria


class CriterionForm(forms.ModelForm, GovukForm):
    required_messages = {
        "title": "Enter a short name for the criterion",
        "question": "Enter the question",
        "check_kind": "Select how the criterion is checked",
    }

    class Meta:
        model = Criterion
        fields = ["title", "question", "help_text", "detail_prompt", "check_kind", "fail_reason"]
        labels = {
            "question": "Question the organisation answers",
            "help_text": "Hint (optional)",
            "detail_prompt": "Ask for details too (optional)",
            "check_kind": "How is it checked?",
            "fail_reason": "Reason shown when the automatic check fails (optional)",
        }
        widgets = {
            "check_kind": forms.RadioSelect,
            "help_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_kind"].choices = CheckKind.choices
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("question"),
            Field.textarea("help_text"),
            Field.text("detail_prompt"),
            Field.radios("check_kind", legend_size=Size.SMALL),
            Field.text("fail_reason"),
        )


# --- The diagnostic


def _score_field(statement, *, required=True, label=None):
    return forms.TypedChoiceField(
        label=label or statement.text,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        required=required,
        error_messages={
            "required": f"Select a score for “{statement.text}”",
            "invalid_choice": "Select a score from 1 to 4",
        },
    )


class ThemeForm(GovukForm):
    """One theme's statements, each scored 1 to 4, and whether it is a priority."""

    def __init__(self, *args, theme, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        layout = []
        for statement in statements:
            name = f"statement_{statement.pk}"
            self.fields[name] = _score_field(statement)
            layout.append(Field.radios(name, legend_size=Size.SMALL))
        self.fields["is_priority"] = forms.BooleanField(
            label=f"Improving {theme.name.lower()} is one of our priorities",
            required=False,
        )
        layout.append(Field.checkbox("is_priority"))
        self.helper.layout = Layout(*layout)

    def scores(self) -> dict[int, int]:
        return {s.pk: self.cleaned_data[f"statement_{s.pk}"] for s in self.statements}


class SessionForm(GovukForm):
    required_messages = {"date": "Enter the date of the session", "time": "Enter the time"}
    HOW = [Choice("in_person", "In person"), Choice("online", "Online")]

    date = GovukDateField(what="the date of the session", label="Date", require_all_fields=False)
    time = forms.TimeField(
        label="Time",
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={"invalid": "Enter the time in the 24-hour clock, like 14:30"},
    )
    how = forms.ChoiceField(
        label="How will the session take place?",
        choices=HOW,
        widget=forms.RadioSelect,
        error_messages={"required": "Select in person or online"},
    )
    place = forms.CharField(
        label="Where, or the link to join",
        max_length=200,
        error_messages={"required": "Enter where the session is, or how to join it"},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper.layout = Layout(
            Field("date"),
            Field.text("time", field_width=5),
            Field.radios("how", legend_size=Size.SMALL, inline=True),
            Field.text("place"),
        )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value < self.today:
            raise ValidationError("The date of the session must be today or in the future")
        return value


class AdjustThemeForm(GovukForm):
    """The officer's score for each statement of one theme; a changed score needs a note."""

    def __init__(self, *args, statements, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        self.scores = scores
        layout = []
        for statement in statements:
            score = scores[statement.pk]
            name = f"score_{statement.pk}"
            self.fields[name] = _score_field(statement, required=True)
            self.fields[name].initial = str(score.final) if score.final else None
            self.fields[f"note_{statement.pk}"] = forms.CharField(
                label=f"Note on “{statement.short}” (needed if you change the score)",
                required=False,
                initial=score.officer_note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout += [
                Field.radios(name, legend_size=Size.SMALL),
                Field.textarea(f"note_{statement.pk}"),
            ]
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        for statement in self.statements:
            value = cleaned.get(f"score_{statement.pk}")
            note = cleaned.get(f"note_{statement.pk}", "").strip()
            if value is not None and value != self.scores[statement.pk].final and not note:
                self.add_error(
                    f"note_{statement.pk}",
                    f"Enter a note saying why the score for “{statement.short}” changed",
                )
        return cleaned

    def changes(self) -> list[tuple[int, int, str]]:
        """(statement id, new score, note) for each changed score or note."""
        out = []
        for statement in self.statements:
            score = self.scores[statement.pk]
            value = self.cleaned_data[f"score_{statement.pk}"]
            note = self.cleaned_data[f"note_{statement.pk}"].strip()
            if value != score.final or (note and note != score.officer_note):
                out.append((statement.pk, value, note))
        return out


class CompleteForm(GovukForm):
    """The officer's notes. Completing before the booked session's day also asks the
    officer to confirm the session took place, and on what date (`booked_for`)."""

    required_messages = {
        "notes": "Enter your notes from the session",
        "took_place": "Confirm that the diagnostic session has taken place",
    }
    notes = forms.CharField(
        label="Overall notes from the session",
        help_text="The organisation sees these in its report.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )

    def __init__(self, *args, booked_for=None, today, started_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.booked_for, self.today, self.started_on = booked_for, today, started_on
        self.confirms_session = session_needs_confirming(booked_for, today)
        layout = []
        if self.confirms_session:
            self.fields["took_place"] = forms.BooleanField(
                label="The diagnostic session has taken place",
                error_messages={"required": self.required_messages["took_place"]},
            )
            self.fields["held_on"] = GovukDateField(
                what="the date the session took place",
                when="past",
                label="What date did the session take place?",
                require_all_fields=False,
            )
            self.fields["held_on"].set_example(today)
            layout = [Field.checkbox("took_place"), Field("held_on")]
        self.helper.layout = Layout(*layout, Field.textarea("notes"))

    def clean_held_on(self):
        held_on, reason = session_held_on(
            booked_for=self.booked_for,
            given=self.cleaned_data["held_on"],
            today=self.today,
            started_on=self.started_on,
        )
        if held_on is None:
            raise ValidationError(reason)
        return held_on


class AddRecommendationForm(GovukForm):
    required_messages = {
        "package": "Select the package to recommend",
        "reason": "Enter why you are recommending this package",
    }
    package = forms.ChoiceField(label="Which package?", widget=forms.RadioSelect, choices=())
    reason = forms.CharField(
        label="Why are you recommending it?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.packages = {str(p.pk): p for p in packages}
        self.fields["package"].choices = [
            Choice(str(p.pk), p.name, hint=p.summary) for p in packages
        ]
        self.fields["package"].error_messages["invalid_choice"] = "Select a package from the list"
        self.helper.layout = Layout(
            Field.radios("package", legend_size=Size.MEDIUM), Field.textarea("reason")
        )

    def clean_package(self):
        return self.packages[self.cleaned_data["package"]]


class RemoveRecommendationForm(GovukForm):
    required_messages = {"reason": "Enter why you are removing this recommendation"}
    reason = forms.CharField(
        label="Why are you removing it?",
        help_text="This is recorded with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
