"""Input shape and layout only; the rules live in essentials.py, rules.py and the services."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from govuk.forms import GovukForm
from organisations.validators import normalise_charity_number, normalise_company_number

from .essentials import REGISTRATION_NUMBERS
from .models import Area, Language, Provider
from .rules import WORD_LIMIT, word_limit_problem

NUMBER_LABELS = {"charity_number": "charity number", "company_number": "company number"}


class ProviderForm(forms.ModelForm, GovukForm):
    """The provider's profile: used to register and to change it later."""

    required_messages = {
        "name": "Enter the name of your business or organisation",
        "provider_type": "Select the type of provider",
        "description": "Describe the support you offer",
        "contact_email": "Enter the contact email address",
        "areas": "Select at least one area of the city you work in",
        "languages": "Select at least one language you can work in",
        "capacity": "Enter how many packages you can deliver at once",
    }

    website = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Website (optional)",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://www.example.org"
        },
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Which areas of the city do you work in?",
        help_text="Select all that apply.",
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Which languages can you deliver support in?",
        help_text="Select all that apply.",
    )
    capacity = forms.IntegerField(
        label="How many packages can you deliver at once?",
        help_text="Organisations will not be offered you while you are delivering this many.",
        min_value=1,
        max_value=50,
        error_messages={
            "invalid": "Enter the number of packages as a whole number, like 3",
            "min_value": "Enter a number of packages that is 1 or more",
            "max_value": "Enter a number of packages that is 50 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    employs_staff = forms.TypedChoiceField(
        label="Do you employ staff?",
        help_text="If you do, you must hold employer's liability insurance.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you employ staff"},
    )

    class Meta:
        model = Provider
        fields = [
            "name",
            "provider_type",
            "charity_number",
            "company_number",
            "description",
            "contact_email",
            "contact_phone",
            "website",
            "areas",
            "languages",
            "venue_accessibility",
            "is_local_vcs",
            "capacity",
            "employs_staff",
        ]
        labels = {
            "name": "Name of your business or organisation",
            "charity_number": "Charity number",
            "company_number": "Company number",
            "contact_phone": "Contact phone number (optional)",
            "venue_accessibility": "How accessible are the venues you use? (optional)",
            "is_local_vcs": "We are a Leicester voluntary or community organisation",
        }
        help_texts = {
            "charity_number": "A voluntary or community organisation must give its charity "
            "or company number.",
            "company_number": "A private company must give its company number.",
            "venue_accessibility": "For example step-free access, hearing loops, accessible "
            "toilets, parking. Say if you can deliver online or at the organisation's premises.",
        }
        widgets = {
            "provider_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "venue_accessibility": forms.Textarea(attrs={"rows": 3}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_type"].choices = Provider.Type.choices
        if self.instance.pk:
            self.initial["employs_staff"] = "yes" if self.instance.employs_staff else "no"
        self.fields["contact_email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("provider_type", legend_size=Size.SMALL),
            Field.text("charity_number", field_width=10),
            Field.text("company_number", field_width=10),
            Field.textarea("description"),
            Fieldset(
                Field.text("contact_email"),
                Field.text("contact_phone", field_width=20),
                Field.text("website"),
                legend="Contact details",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("areas", legend_size=Size.SMALL),
            Field.checkboxes("languages", legend_size=Size.SMALL),
            Field.textarea("venue_accessibility"),
            Field.checkbox("is_local_vcs"),
            Field.text("capacity", field_width=4),
            Field.radios("employs_staff", legend_size=Size.SMALL, inline=True),
        )

    def clean_charity_number(self):
        value = self.cleaned_data.get("charity_number") or ""
        return normalise_charity_number(value) if value.strip() else None

    def clean_company_number(self):
        value = self.cleaned_data.get("company_number") or ""
        return normalise_company_number(value) if value.strip() else None

    def clean(self):
        cleaned = super().clean()
        provider_type = cleaned.get("provider_type") or ""
        needed = REGISTRATION_NUMBERS.get(provider_type, ())
        missing = needed and not any(cleaned.get(f) for f in needed)
        if missing and not set(needed) & set(self.errors):
            type_name = Provider.Type(provider_type).label.lower()
            words = " or ".join(NUMBER_LABELS[f] for f in needed)
            self.add_error(needed[-1], f"Enter your {words} – a {type_name} must give one")
        return cleaned

    def validate_unique(self):
        # Say plainly that the provider exists and how to join it, instead of
        # Django's generic "already exists" message.
        for name, label in (("charity_number", "charity"), ("company_number", "company")):
            value = self.cleaned_data.get(name)
            if not value:
                continue
            clash = Provider.objects.filter(**{name: value})
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    name,
                    f"A provider with {label} number {value} is already registered. "
                    "Ask one of the people who act for it to invite you to join it.",
                )
        super().validate_unique()

    def profile_data(self) -> tuple[dict, list, list]:
        """(fields for the model, areas, languages) from a valid form."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("areas", "languages")}
        return data, list(self.cleaned_data["areas"]), list(self.cleaned_data["languages"])


def _long_answer(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=f"{help_text} Use {WORD_LIMIT} words or fewer.",
        required=False,  # a draft may be saved part-done; sending checks every answer
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "Your answer must be 10,000 characters or fewer"},
    )


class PackageApplicationForm(GovukForm):
    """The long answers of a package application. Saving a draft may leave some empty."""

    experience = _long_answer(
        "Your relevant experience",
        "What you have done that shows you can deliver this package well.",
    )
    approach = _long_answer(
        "Your approach",
        "How you would deliver the package: the steps, who would do the work, how you "
        "would know it had helped.",
    )
    example_1 = _long_answer(
        "First example of similar work",
        "Who it was for, what you did and what changed. Do not name people.",
    )
    example_2 = _long_answer(
        "Second example of similar work",
        "A different piece of work from the first example.",
    )

    WHAT = {
        "experience": "relevant experience",
        "approach": "approach",
        "example_1": "first example",
        "example_2": "second example",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*(Field.textarea(name) for name in self.WHAT))

    def clean(self):
        cleaned = super().clean()
        for name, what in self.WHAT.items():
            problem = word_limit_problem(cleaned.get(name) or "", what=f"your {what}")
            if problem:
                self.add_error(name, problem)
        return cleaned


class AssessmentForm(GovukForm):
    """The officer's decision on a submitted package application."""

    APPROVE, REJECT, MORE_INFO = "approve", "reject", "ask_for_more_information"
    required_messages = {"decision": "Select your decision"}

    decision = forms.ChoiceField(
        label="What is your decision?",
        widget=forms.RadioSelect,
        choices=[
            Choice(APPROVE, "Approve", hint="The provider can be chosen for this package."),
            Choice(REJECT, "Reject", hint="Give the reasons below."),
            Choice(
                MORE_INFO,
                "Ask for more information",
                hint="The application goes back to the provider with its answers kept.",
            ),
        ],
    )
    message = forms.CharField(
        label="Reasons, or the information you need (the provider will read this)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The message must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("message")
        )

    def clean(self):
        cleaned = super().clean()
        messages = {
            self.REJECT: "Enter the reasons the application is rejected",
            self.MORE_INFO: "Enter the information you need from the provider",
        }
        decision = cleaned.get("decision")
        if decision in messages and not (cleaned.get("message") or "").strip():
            self.add_error("message", messages[decision])
        return cleaned


class ApprovalChangeForm(GovukForm):
    """Suspend, reinstate or remove an approval, with the reason."""

    SUSPEND, REINSTATE, REMOVE = "suspend", "reinstate", "remove"
    required_messages = {"action": "Select what to do with this approval"}

    action = forms.ChoiceField(label="What do you want to do?", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason (the provider will read this)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The reason must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if status == "approved":
            choices.append(
                Choice(self.SUSPEND, "Suspend", hint="For now: it can be reinstated later.")
            )
        if status == "suspended":
            choices.append(Choice(self.REINSTATE, "Reinstate the approval"))
        choices.append(
            Choice(self.REMOVE, "Remove from the register for this package", hint="For good.")
        )
        self.fields["action"].choices = choices
        self.helper.layout = Layout(
            Field.radios("action", legend_size=Size.MEDIUM), Field.textarea("reason")
        )

    def clean(self):
        cleaned = super().clean()
        messages = {
            self.SUSPEND: "Enter the reason for suspending the approval",
            self.REMOVE: "Enter the reason for removing the approval",
        }
        action = cleaned.get("action")
        if action in messages and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", messages[action])
        return cleaned
