"""Input shape and layout only; rules live in validators, rules and services."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from govuk.forms import GovukForm

from .models import Organisation, PriorityTheme
from .rules import postcode_in_area, registered_address_decision, required_registration_numbers
from .validators import normalise_charity_number, normalise_company_number, normalise_postcode


class SignupExtraForm(forms.Form):
    """Extra question on allauth's sign-up form."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class OrganisationForm(forms.ModelForm, GovukForm):
    """The organisation's details. `area_table` is the council's postcode table
    (PostcodePrefix.objects.table()): an address outside the area is asked why,
    in a box that appears once such a postcode is given (no script needed)."""

    required_messages = {
        "name": "Enter your organisation's name",
        "legal_form": "Select the legal form of your organisation",
        "address_line_1": "Enter the first line of the address",
        "town": "Enter the town or city",
        "postcode": "Enter the postcode",
        "contact_name": "Enter the name of the main contact",
        "contact_email": "Enter the contact email address",
        "main_activities": "Describe what your organisation does",
        "beneficiaries": "Describe who your organisation serves",
        "income_band": "Select your organisation's annual income",
        "staff_count": "Enter the number of paid staff, or 0",
        "volunteer_count": "Enter the number of volunteers, or 0",
        "priority_themes": "Select at least one council priority your organisation contributes to",
    }

    priority_themes = forms.ModelMultipleChoiceField(
        queryset=PriorityTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Which council priorities does your organisation contribute to?",
        help_text="Select all that apply.",
    )

    # Asked so the council's open data never gives a home's full postcode
    # (rules.published_postcode): a small group's address is often a volunteer's.
    address_is_home = forms.TypedChoiceField(
        label="Is this address someone's home?",
        help_text="For example, a volunteer's or a trustee's home. If it is, the council's "
        "open data gives only the first half of the postcode (the postcode district, like "
        "LE2), never the street or the full postcode.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if this address is someone's home"},
    )

    website = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Website (optional)",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://www.example.org"
        },
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "charity_number",
            "company_number",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "outside_area_note",
            "address_is_home",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "main_activities",
            "beneficiaries",
            "income_band",
            "staff_count",
            "volunteer_count",
            "priority_themes",
        ]
        labels = {"name": "Organisation name", "legal_form": "Legal form"}
        help_texts = {
            "charity_number": "If registered with the Charity Commission, OSCR or CCNI.",
            "company_number": "If registered at Companies House.",
        }
        widgets = {
            "legal_form": forms.RadioSelect,
            "income_band": forms.RadioSelect,
            "main_activities": forms.Textarea(attrs={"rows": 4}),
            "beneficiaries": forms.Textarea(attrs={"rows": 3}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "outside_area_note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, area_table: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_table = area_table
        if self.instance.pk:
            self.initial["address_is_home"] = "yes" if self.instance.address_is_home else "no"
        area = settings.COUNCIL_AREA_NAME
        note = self.fields["outside_area_note"]
        note.label = f"Why should your organisation be registered in {area}?"
        note.help_text = (
            f"Your postcode is outside {area}. For example, most of the people you work with "
            f"live in {area}, or you run your activities at a place in the city. "
            "A council officer reads this."
        )
        self.fields["legal_form"].choices = Organisation.LegalForm.choices
        self.fields["income_band"].choices = Organisation.IncomeBand.choices
        for name in ("staff_count", "volunteer_count"):
            self.fields[name].error_messages["invalid"] = "Enter a whole number, like 3"
            self.fields[name].error_messages["min_value"] = "Enter a number that is 0 or more"
        self.fields["contact_email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("legal_form", legend_size=Size.SMALL),
            Field.text("charity_number", field_width=10),
            Field.text("company_number", field_width=10),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                *([Field.textarea("outside_area_note")] if self._asks_why_outside() else []),
                Field.radios("address_is_home", legend_size=Size.SMALL),
                legend="Address",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("contact_name"),
                Field.text("contact_email"),
                Field.text("contact_phone", field_width=20),
                Field.text("website"),
                legend="Contact details",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("main_activities"),
            Field.textarea("beneficiaries"),
            Field.radios("income_band", legend_size=Size.SMALL),
            Field.text("staff_count", field_width=4),
            Field.text("volunteer_count", field_width=4),
            Field.checkboxes("priority_themes", legend_size=Size.SMALL),
        )

    def clean_charity_number(self):
        value = self.cleaned_data.get("charity_number") or ""
        return normalise_charity_number(value) if value.strip() else None

    def clean_company_number(self):
        value = self.cleaned_data.get("company_number") or ""
        return normalise_company_number(value) if value.strip() else None

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data.get("postcode", ""))

    def _asks_why_outside(self) -> bool:
        """Show the box when the organisation has a note, or the postcode sent is outside."""
        if not self.is_bound:
            return bool(self.instance.outside_area_note)
        try:
            postcode = normalise_postcode(self.data.get(self.add_prefix("postcode"), ""))
        except ValidationError:
            return bool(self.data.get(self.add_prefix("outside_area_note"), "").strip())
        return not postcode_in_area(postcode, self.area_table)

    def _check_area(self, cleaned) -> None:
        postcode = cleaned.get("postcode")
        if not postcode:
            return
        if postcode_in_area(postcode, self.area_table):
            cleaned["outside_area_note"] = ""  # back inside: nothing left to explain
            return
        decision = registered_address_decision(
            postcode=postcode,
            note=cleaned.get("outside_area_note", ""),
            table=self.area_table,
            area_name=settings.COUNCIL_AREA_NAME,
        )
        if not decision:
            self.add_error("outside_area_note", decision.reason)

    def clean(self):
        cleaned = super().clean()
        self._check_area(cleaned)
        legal_form = cleaned.get("legal_form")
        labels = {"charity_number": "charity number", "company_number": "company number"}
        for field in required_registration_numbers(legal_form or ""):
            if not cleaned.get(field) and field not in self.errors:
                form_name = Organisation.LegalForm(legal_form).label.lower()
                self.add_error(field, f"Enter the {labels[field]} – a {form_name} must give one")
        return cleaned

    def validate_unique(self):
        # Say plainly that the organisation exists and how to join it, instead
        # of Django's generic "already exists" message.
        for field, label in (("charity_number", "charity"), ("company_number", "company")):
            value = self.cleaned_data.get(field)
            if not value:
                continue
            clash = Organisation.objects.filter(**{field: value})
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    field,
                    f"An organisation with {label} number {value} is already registered. "
                    "Ask one of its administrators to invite you to join it.",
                )
        super().validate_unique()


class InvitationForm(GovukForm):
    """Whom to invite: to an organisation, or (through providers) to act for a provider."""

    required_messages = {"email": "Enter the email address of the person to invite"}

    email = forms.EmailField(
        label="Email address",
        help_text="We will email them a link to join. The link works for that address only.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
