"""Input shape and layout only; the rules live in rules.py and the services."""

from datetime import date

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from diagnostics.rules import long_date
from govuk.forms import GovukDateField, GovukForm
from packages.models import Strand
from packages.money import MoneyField, format_money

from .models import CapBasis
from .rules import financial_year_of, fy_end, fy_label, fy_start


class ChoosePackageForm(GovukForm):
    required_messages = {"package": "Select the package to agree"}

    package = forms.ChoiceField(
        label="Which package are you agreeing?", widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, packages, recommended=None, **kwargs):
        """`recommended` maps package ids to the diagnostic's reason; those come first."""
        super().__init__(*args, **kwargs)
        recommended = recommended or {}
        self.packages = {str(p.pk): p for p in packages}
        by_id = {p.pk: p for p in packages}
        first = [by_id[pk] for pk in recommended if pk in by_id]
        rest = [p for p in packages if p.pk not in recommended]
        choices = []
        for n, p in enumerate(first, start=1):
            extra = {"divider": "or"} if n == len(first) and rest else {}
            hint = f"Recommended by the diagnostic: {recommended[p.pk]}"
            choices.append(
                Choice(str(p.pk), f"{p.name} – {format_money(p.value)}", hint=hint, **extra)
            )
        choices += [
            Choice(str(p.pk), f"{p.name} – {format_money(p.value)}", hint=p.summary) for p in rest
        ]
        self.fields["package"].choices = choices
        if first:
            self.fields["package"].help_text = "Packages the diagnostic recommends come first."
        self.fields["package"].error_messages["invalid_choice"] = (
            "Select a package that is on the menu"
        )
        self.helper.layout = Layout(Field.radios("package", legend_size=Size.MEDIUM))

    def clean_package(self):
        return self.packages[self.cleaned_data["package"]]


class ConfirmAgreementForm(GovukForm):
    """Empty for an officer; a manager facing a refusal may give a reason to override."""

    required_messages = {
        "override_reason": "Enter the reason for agreeing past the cap or the budget"
    }

    def __init__(self, *args, offer_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if offer_override:
            self.fields["override_reason"] = forms.CharField(
                label="Why should this package be agreed anyway?",
                help_text="As a manager you can agree it past the cap or the budget. "
                "Your reason is recorded and appears on the overrides report.",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": self.required_messages["override_reason"]},
            )
            self.helper.layout = Layout(Field.textarea("override_reason", rows=3))


class CancelForm(GovukForm):
    required_messages = {"reason": "Enter why the package is being cancelled"}

    reason = forms.CharField(
        label="Why is the package being cancelled?",
        help_text="The organisation will see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["max_length"] = (
            "The reason must be 2,000 characters or fewer"
        )
        self.helper.layout = Layout(Field.textarea("reason", rows=3))


def strand_field(kind: str) -> str:
    return f"strand_{kind}"


class BudgetYearForm(GovukForm):
    """The year (when creating), the total and one amount per strand."""

    required_messages = {
        "start_year": "Select the financial year the budget is for",
        "total": "Enter the total budget for the year",
        **{strand_field(k): f"Enter the amount for {label.lower()}" for k, label in Strand.choices},
    }

    start_year = forms.TypedChoiceField(
        label="Which financial year is the budget for?", coerce=int, widget=forms.RadioSelect
    )
    total = MoneyField(what="the total budget", label="Total budget for the year (£)")

    def __init__(self, *args, creating=True, taken_years=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Strand.choices:
            self.fields[strand_field(kind)] = MoneyField(
                what=f"the amount for {label.lower()}", label=f"{label} (£)"
            )
            self.fields[strand_field(kind)].error_messages["required"] = self.required_messages[
                strand_field(kind)
            ]
        strands = [Field.text(strand_field(k), field_width=10) for k in Strand.values]
        if creating:
            this_year = financial_year_of(today)
            self.fields["start_year"].choices = [
                Choice(y, fy_label(y), hint=f"{long_date(fy_start(y))} to {long_date(fy_end(y))}")
                for y in range(this_year - 1, this_year + 3)
                if y not in taken_years
            ]
            self.fields["start_year"].error_messages["invalid_choice"] = (
                "Select a financial year that has no budget yet"
            )
            first = [Field.radios("start_year", legend_size=Size.SMALL)]
        else:
            del self.fields["start_year"]
            first = []
        self.helper.layout = Layout(
            *first,
            Field.text("total", field_width=10),
            Fieldset(
                *strands, legend="How the budget is split into strands", legend_size=Size.MEDIUM
            ),
        )

    def amounts(self) -> dict:
        return {k: self.cleaned_data[strand_field(k)] for k in Strand.values}


class CapPolicyForm(GovukForm):
    required_messages = {
        "effective_from": "Enter the date the rules take effect",
        "per_year": "Enter how many packages an organisation may have in a year",
        "per_period": "Enter how many packages an organisation may have in a period",
        "period_years": "Enter how many years a period lasts",
        "basis": "Select how years are counted",
    }

    effective_from = GovukDateField(
        what="the date the rules take effect",
        label="When do the new rules take effect?",
        hint="For example, {example}. Packages already agreed are not affected.",
    )
    # Text inputs, as GOV.UK advises for numbers; the field still checks the range.
    per_year = forms.IntegerField(
        label="Packages allowed in one year", min_value=1, max_value=20, widget=forms.TextInput
    )
    per_period = forms.IntegerField(
        label="Packages allowed in one period", min_value=1, max_value=50, widget=forms.TextInput
    )
    period_years = forms.IntegerField(
        label="How many years a period lasts", min_value=1, max_value=10, widget=forms.TextInput
    )
    basis = forms.ChoiceField(
        label="How are years counted?", widget=forms.RadioSelect, choices=CapBasis.choices
    )
    note = forms.CharField(
        label="Why are the rules changing? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = {
            "per_year": ("packages allowed in one year", 20),
            "per_period": ("packages allowed in one period", 50),
            "period_years": ("years in a period", 10),
        }
        for name, (what, most) in numbers.items():
            messages = self.fields[name].error_messages
            messages["invalid"] = f"Enter the number of {what} as a whole number, like 2"
            messages["min_value"] = f"The number of {what} must be 1 or more"
            messages["max_value"] = f"The number of {what} must be {most} or fewer"
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        self.fields["basis"].choices = [
            Choice(
                CapBasis.FINANCIAL_YEAR,
                CapBasis.FINANCIAL_YEAR.label,
                hint="A period is that many consecutive financial years.",
            ),
            Choice(
                CapBasis.ROLLING,
                CapBasis.ROLLING.label,
                hint="A period is that many times 365 days, counted back from each agreement.",
            ),
        ]
        self.helper.layout = Layout(
            Field("effective_from"),
            Field.text("per_year", field_width=2),
            Field.text("per_period", field_width=2),
            Field.text("period_years", field_width=2),
            Field.radios("basis", legend_size=Size.SMALL),
            Field.textarea("note", rows=3),
        )


class OverrideRequestForm(GovukForm):
    """The officer's case for agreeing a package past a cap or the budget."""

    required_messages = {"reason": "Enter why the package should be agreed anyway"}

    reason = forms.CharField(
        label="Why should this package be agreed anyway?",
        help_text="A manager reads this when deciding. Say what the organisation needs and "
        "why it cannot wait.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", rows=5))


class OverrideDecisionForm(GovukForm):
    """The manager agrees or refuses, with their own reason either way."""

    required_messages = {
        "decision": "Select whether to agree the package or refuse the request",
        "reason": "Enter the reason for your decision",
    }

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("agree", "Agree the package with an override"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Your reason",
        help_text="The officer sees it; if you agree, it is recorded on the overrides report, "
        "and if you refuse, the organisation is told it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reason", rows=4)
        )
