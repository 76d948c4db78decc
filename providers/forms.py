from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from organisations.forms import GovukForm
from organisations.validators import normalise_charity_number, normalise_company_number

from .models import Provider


class ProviderForm(forms.ModelForm, GovukForm):
    required_messages = {
        "name": "Enter the name of your business or organisation",
        "provider_type": "Select the type of provider",
        "description": "Describe the support you offer",
        "contact_email": "Enter the contact email address",
    }

    website = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Website (optional)",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://www.example.org"
        },
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
            "is_local_vcs",
        ]
        labels = {"name": "Name of your business or organisation"}
        widgets = {
            "provider_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_type"].choices = Provider.Type.choices
        self.fields["contact_email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("provider_type", legend_size=Size.SMALL),
            Field.text("charity_number", field_width=10),
            Field.text("company_number", field_width=10),
            Field.textarea("description"),
            Field.text("contact_email"),
            Field.text("contact_phone", field_width=20),
            Field.text("website"),
            Field.checkbox("is_local_vcs"),
        )

    def clean_charity_number(self):
        value = self.cleaned_data.get("charity_number") or ""
        return normalise_charity_number(value) if value.strip() else None

    def clean_company_number(self):
        value = self.cleaned_data.get("company_number") or ""
        return normalise_company_number(value) if value.strip() else None
