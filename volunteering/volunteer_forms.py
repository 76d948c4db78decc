"""Volunteers' forms, and the organisation's answers to them: input shape and layout only.
The rules (district format, hours in a day, who may answer) are in volunteer_rules and
applied by volunteer_services, whose refusals come back on these forms."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukDateField, GovukForm
from organisations.models import PriorityTheme
from organisations.validators import DISTRICT, compact_input

from . import volunteer_rules as vr
from .models import AgeBand, ContactBy
from .volunteer_services import PROFILE_FIELDS


class ProfileForm(GovukForm):
    required_messages = {
        "full_name": _("Enter your name"),
        "postcode_district": _("Enter the first part of your postcode, like LE2 or LE11"),
        "age_band": _("Select your age"),
        "contact_by": _("Select how you would like organisations to contact you"),
    }

    full_name = forms.CharField(
        label=_("Your name"),
        help_text=_("Organisations see it only when you tell them you are interested."),
        max_length=150,
        error_messages={"max_length": _("Your name must be 150 characters or fewer")},
    )
    postcode_district = forms.CharField(
        label=_("The first part of your postcode"),
        help_text=_("For example, LE2. We use it to suggest roles near you, never to find you."),
        max_length=8,
    )
    age_band = forms.ChoiceField(
        label=_("How old are you?"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        help_text=_("You need to be 16 or over. Some roles are for adults only."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("What would you like to help with? (optional)"),
        queryset=PriorityTheme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Your skills (optional)"),
        help_text=_("For example, cooking, driving, speaking Gujarati, spreadsheets"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Your skills must be 1,000 characters or fewer")},
    )
    weekday_daytimes = forms.BooleanField(label=_("Weekday daytimes"), required=False)
    weekday_evenings = forms.BooleanField(label=_("Weekday evenings"), required=False)
    weekends = forms.BooleanField(label=_("Weekends"), required=False)
    hours_a_week = forms.DecimalField(
        label=_("Hours a week you could give (optional)"),
        required=False,
        min_value=0.5,
        max_value=40,
        decimal_places=1,
        help_text=_("For example, 3"),
        error_messages={
            "invalid": _("Enter the hours a week as a number, like 3"),
            "min_value": _("Hours a week must be 0.5 or more"),
            "max_value": _("Hours a week must be 40 or fewer"),
            "max_decimal_places": _("Hours a week can have one decimal place, like 2.5"),
        },
    )
    contact_by = forms.ChoiceField(
        label=_("How would you like organisations to contact you?"),
        choices=ContactBy.choices,
        widget=forms.RadioSelect,
        initial=ContactBy.EMAIL,
    )
    phone = forms.CharField(
        label=_("Phone number (only if you would like a phone call)"),
        required=False,
        max_length=20,
        error_messages={"max_length": _("Phone number must be 20 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("full_name", field_width=20),
            Field.text("postcode_district", field_width=5),
            Field.radios("age_band", legend_size=Size.SMALL),
            Field.checkboxes("themes", legend_size=Size.SMALL),
            Field.textarea("skills", rows=3),
            Fieldset(
                Field.checkbox("weekday_daytimes"),
                Field.checkbox("weekday_evenings"),
                Field.checkbox("weekends"),
                legend=_("When could you volunteer? (optional)"),
                legend_size=Size.SMALL,
            ),
            Field.text("hours_a_week", field_width=4),
            Field.radios("contact_by", legend_size=Size.SMALL),
            Field.text("phone", field_width=20),
        )

    def clean_postcode_district(self) -> str:
        """Checked here too, so that every problem shows at once (the service checks again)."""
        district = compact_input(self.cleaned_data["postcode_district"])
        if not DISTRICT.match(district):
            raise forms.ValidationError(self.required_messages["postcode_district"])
        return district

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS}

    @classmethod
    def initial_for(cls, user, volunteer) -> dict:
        if volunteer is None:
            return {"full_name": user.full_name}
        return {
            "full_name": user.full_name,
            **{name: getattr(volunteer, name) for name in PROFILE_FIELDS},
            "themes": list(volunteer.themes.all()),
        }


def _choices(values):
    return [(value, _(value)) for value in values]


class EqualityForm(GovukForm):
    consent = forms.BooleanField(
        label=_("I agree that the council may keep these answers to check the service is fair"),
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("How would you describe your gender?"),
        choices=_choices(vr.GENDERS),
        widget=forms.RadioSelect,
        required=False,
    )
    ethnic_group = forms.ChoiceField(
        label=_("What is your ethnic group?"),
        choices=_choices(vr.ETHNIC_GROUPS),
        widget=forms.RadioSelect,
        required=False,
    )
    disabled = forms.ChoiceField(
        label=_("Do you consider yourself disabled?"),
        choices=_choices(vr.DISABLED),
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("gender", legend_size=Size.SMALL),
            Field.radios("ethnic_group", legend_size=Size.SMALL),
            Field.radios("disabled", legend_size=Size.SMALL),
            Field.checkbox("consent"),
        )

    def clean(self):
        data = super().clean()
        answered = any(data.get(name) for name in ("gender", "ethnic_group", "disabled"))
        if answered and not data.get("consent"):
            self.add_error(
                "consent",
                _("Tick the box to agree that we may keep your answers, or clear your answers"),
            )
        return data

    def answers(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("gender", "ethnic_group", "disabled")
        }


class InterestForm(GovukForm):
    message = forms.CharField(
        label=_("Message to the organisation (optional)"),
        help_text=_(
            "Say why you are interested, or ask a question. "
            "They will see your name and contact details."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Your message must be 1,000 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("message", rows=4))


ANSWERS = [
    (vr.ACCEPTED, _("Accept: the volunteer starts a placement")),
    (vr.TALKING, _("Ask to talk first")),
    (vr.DECLINED, _("Decline")),
]


class AnswerForm(GovukForm):
    required_messages = {"answer": _("Select your answer to the volunteer")}

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select your answer to the volunteer")},
    )
    reason = forms.CharField(
        label=_("Why are you declining? (only if you decline)"),
        help_text=_("The volunteer is emailed this."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The reason must be 1,000 characters or fewer")},
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["answer"].choices = [c for c in ANSWERS if c[0] in choices]
        self.helper.layout = Layout(
            Field.radios("answer", legend_size=Size.MEDIUM),
            Field.textarea("reason", rows=3),
        )

    def clean(self):
        data = super().clean()
        if data.get("answer") == vr.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter why you are declining, so the volunteer knows"))
        return data


class HoursForm(GovukForm):
    required_messages = {
        "on": _("Enter the date you volunteered"),
        "hours": _("Enter how many hours you volunteered"),
    }

    on = GovukDateField(what="the date you volunteered", label=_("Date"))
    hours = forms.DecimalField(
        label=_("Hours"),
        help_text=_("For example, 2.5"),
        max_digits=4,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter the hours as a number, like 2.5"),
            "max_digits": _("Hours must be 24 or fewer"),
            "max_whole_digits": _("Hours must be 24 or fewer"),
            "max_decimal_places": _("Hours can have up to two decimal places, like 1.25"),
        },
    )
    note = forms.CharField(
        label=_("What was done (optional)"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("What was done must be 200 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="hours", **kwargs)
        self.helper.layout = Layout(
            Field("on"), Field.text("hours", field_width=4), Field.text("note")
        )


class HoursAnswerForm(GovukForm):
    """Confirm or query an entry the other side logged."""

    required_messages = {"confirm": _("Select whether the hours are right")}

    confirm = forms.TypedChoiceField(
        label=_("Are these hours right?"),
        choices=[("yes", _("Yes, confirm them")), ("no", _("No, query them"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select whether the hours are right")},
    )
    reason = forms.CharField(
        label=_("What is wrong? (only if you query them)"),
        help_text=_("The other side sees this, and can log the hours again."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("What is wrong must be 200 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("confirm", legend_size=Size.MEDIUM, inline=True), Field.text("reason")
        )

    def clean(self):
        data = super().clean()
        if data.get("confirm") is False and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter what is wrong with these hours"))
        return data


class SuggestForm(GovukForm):
    """A broker picks one of the ranked matches (a role for a volunteer, or a volunteer for
    a role), with a note to the volunteer."""

    pick = forms.ChoiceField(label="", widget=forms.RadioSelect, choices=())
    note = forms.CharField(
        label=_("A note to the volunteer (optional)"),
        help_text=_("Say why you think it suits them. It goes in the email."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The note must be 500 characters or fewer")},
    )

    def __init__(self, *args, choices=(), legend="", missing="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pick"].choices = choices
        self.fields["pick"].label = legend
        self.fields["pick"].error_messages.update(required=missing, invalid_choice=missing)
        self.helper.layout = Layout(
            Field.radios("pick", legend_size=Size.MEDIUM), Field.textarea("note", rows=3)
        )
