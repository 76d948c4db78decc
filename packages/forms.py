"""Input shape and layout only; the rules live in services."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukForm

from .models import Package, Strand
from .money import MoneyField


def submitted(request):
    """The posted data, or None on GET. Not `request.POST or None`: an empty
    submission must still be validated, so that it gets its error messages."""
    return request.POST if request.method == "POST" else None


def show_refusal(form, exc) -> None:
    """A service's refusal on the form: each of `exc.problems` on its field (or above the
    form when it names no field of this form), else `exc.reason` above the form."""
    for name, message in exc.problems.items():
        form.add_error(name if name in form.fields else None, message)
    if not exc.problems:
        form.add_error(None, exc.reason)


class PackageForm(forms.ModelForm, GovukForm):
    required_messages = {
        "name": "Enter the name of the package",
        "summary": "Enter a one-line summary of the package",
        "what_you_get": "Describe what the organisation gets",
        "outcomes": "Describe the outcomes the package should achieve",
        "typical_duration": "Enter how long the package typically takes, like 3 to 6 months",
        "value": "Enter the value of the package",
        "strand": "Select the budget strand the package draws on",
    }

    value = MoneyField(
        what="the value of the package",
        label="Value (£)",
        help_text="What the council pays the provider for one package, in pounds and pence. "
        "Changing it does not change packages already agreed.",
    )

    class Meta:
        model = Package
        fields = [
            "name",
            "summary",
            "what_you_get",
            "outcomes",
            "typical_duration",
            "value",
            "strand",
        ]
        labels = {
            "name": "Name",
            "summary": "Summary",
            "what_you_get": "What the organisation gets",
            "outcomes": "Outcomes",
            "typical_duration": "Typical duration",
            "strand": "Which budget strand does it draw on?",
        }
        help_texts = {"summary": "One sentence, shown on the menu."}
        widgets = {
            "what_you_get": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "strand": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strand"].choices = Strand.choices
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("summary"),
            Field.textarea("what_you_get", rows=4),
            Field.textarea("outcomes", rows=4),
            Field.text("typical_duration", field_width=20),
            Field.text("value", field_width=10),
            Field.radios("strand", legend_size=Size.SMALL),
        )

    def validate_unique(self):
        name = self.cleaned_data.get("name")
        if name:
            clash = Package.objects.filter(name__iexact=name.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", f"A package called {name} is already on the menu")
        # Slugs are set by the service, not typed, so skip the model's own check.
