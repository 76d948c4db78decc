"""The essentials' forms: insurance certificates, policies and the declarations.

Input shape and layout only; the rules live in essentials.py and rules.py.
"""

import re

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Q

from govuk.forms import GovukDateField, GovukForm
from organisations.models import Organisation
from packages.money import MoneyField

from .essentials import EXCLUSION_GROUNDS, INSURANCE_NAMES
from .rules import certificate_problems


def _file_field(what: str) -> forms.FileField:
    return forms.FileField(
        label=f"Upload your {what}",
        help_text="A PDF, PNG, JPEG or Word (DOCX) file, smaller than 10MB.",
        error_messages={
            "required": f"Select your {what}",
            "empty": "The selected file is empty",
            "invalid": f"Select your {what}",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )


class CertificateForm(GovukForm):
    """One insurance certificate: its cover, its end date and the file."""

    def __init__(self, *args, kind: str, minimum, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.name, self.minimum, self.today = INSURANCE_NAMES[kind], minimum, today
        name = self.name
        self.fields["cover"] = MoneyField(
            what=f"the amount of {name} cover",
            label="How much cover does the certificate give, in pounds?",
            help_text=f"The council needs at least £{minimum:,.0f}.",
            min_value=1,
            error_messages={
                "required": f"Enter the amount of {name} cover",
                "invalid": "Enter the cover as an amount in pounds, like 1000000",
                "min_value": "Enter an amount of cover greater than 0",
                "max_digits": "Enter an amount of cover less than £10,000,000,000",
                "max_whole_digits": "Enter an amount of cover less than £10,000,000,000",
                "max_value": "Enter an amount of cover less than £10,000,000,000",
                "max_decimal_places": "Enter the cover in pounds and pence, like 1000000.00",
            },
        )
        self.fields["expires_on"] = GovukDateField(
            what=f"the date your {name} ends",
            label=f"When does your {name} end?",
            hint="The last day of cover on the certificate, for example {example}.",
        )
        self.fields["file"] = _file_field(f"{name} certificate")
        self.helper.layout = Layout(
            Field.text("cover", field_width=10),
            Field("expires_on", legend_size=Size.SMALL),
            Field("file", label_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        problems = certificate_problems(
            name=self.name,
            cover=cleaned.get("cover"),
            expires_on=cleaned.get("expires_on"),
            minimum=self.minimum,
            today=self.today,
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return cleaned


class PolicyForm(GovukForm):
    def __init__(self, *args, kind_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field(kind_label.lower())
        self.helper.layout = Layout(Field("file", label_size=Size.MEDIUM))


class ExclusionsForm(GovukForm):
    """Yes or no to each exclusion ground."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        for slug, asks, called in EXCLUSION_GROUNDS:
            self.fields[slug] = forms.ChoiceField(
                label=f"In the last 5 years, has your organisation, or anyone who runs it, {asks}?",
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Select yes or no for {called}"},
            )
            fields.append(Field.radios(slug, legend_size=Size.SMALL, inline=True))
        self.helper.layout = Layout(*fields)


class ConflictsForm(GovukForm):
    """The conflicts of interest declaration, with the Leicester organisations it names."""

    required_messages = {"answer": "Select whether you have any conflicts of interest"}

    answer = forms.ChoiceField(
        label="Do you have any conflicts of interest with organisations in Leicester?",
        help_text="For example: you are a trustee, director or employee of an organisation that "
        "might choose you, a close relative runs one, or you share its registration number.",
        choices=[
            Choice("no", "No"),
            Choice("yes", "Yes"),
        ],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label="If yes: describe each conflict of interest",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )
    organisations = forms.CharField(
        label="If yes: the Leicester organisations you are linked to (optional)",
        help_text="One a line: each organisation's charity number, company number or exact "
        "registered name. Organisations will not be able to choose you.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("answer", legend_size=Size.MEDIUM),
            Field.textarea("statement"),
            Field.textarea("organisations"),
        )

    def clean_organisations(self):
        """The organisations each line names; an unknown line is an error naming it."""
        found, unknown = [], []
        for line in (self.cleaned_data.get("organisations") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            compact = re.sub(r"\s+", "", line).upper()
            match = Organisation.objects.filter(
                Q(name__iexact=line)
                | Q(charity_number=compact)
                | Q(company_number=compact.zfill(8) if compact.isdigit() else compact)
            ).first()
            if match is None:
                unknown.append(line)
            elif match not in found:
                found.append(match)
        if unknown:
            raise forms.ValidationError(
                "We could not find "
                + ", ".join(f"‘{u}’" for u in unknown)
                + ". Enter a registered Leicester organisation's charity number, company "
                "number or exact name, one a line"
            )
        return found

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("answer") == "yes"
            and not (cleaned.get("statement") or "").strip()
            and "statement" not in self.errors
        ):
            self.add_error("statement", "Describe your conflicts of interest")
        return cleaned


class DeclarationForm(GovukForm):
    required_messages = {
        "confirm": "Confirm that the information you have given is correct",
        "full_name": "Enter your full name",
    }
    confirm = forms.BooleanField(
        label="I confirm that the information I have given is correct and complete, and that I "
        "am authorised to apply for this provider"
    )
    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.checkbox("confirm"), Field.text("full_name"))
