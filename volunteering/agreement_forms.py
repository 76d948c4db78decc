"""The volunteer centre's agreement and reports: input shape and layout only. What an
agreement must be and what a report needs to be sent are agreement_rules, checked by the
services."""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from allowances.instalment_models import PaymentSchedule
from govuk.forms import GovukDateField, GovukForm
from packages.money import MoneyField
from providers.models import Provider

TEXT_LIMIT = 10_000


class AgreementForm(GovukForm):
    """Who the centre is, the amount, the period and how it is paid."""

    required_messages = {
        "provider": "Select the provider that runs the volunteer centre",
        "amount": "Enter the amount of the agreement",
        "schedule": "Select how the agreement is paid",
    }

    provider = forms.ModelChoiceField(
        label="Which provider runs the volunteer centre?",
        queryset=Provider.objects.none(),
        widget=forms.RadioSelect,
        help_text="Only providers whose people hold the broker role are listed: they write "
        "the centre's reports. Grant the role first if the provider is not here.",
    )
    amount = MoneyField(
        what="the amount of the agreement",
        label="Amount (£)",
        help_text="Committed in full on the volunteering support budget of the year the "
        "agreement starts.",
    )
    starts_on = GovukDateField(what="the date the agreement starts", label="Starts")
    ends_on = GovukDateField(what="the date the agreement ends", label="Ends")
    schedule = forms.ChoiceField(
        label="How is the agreement paid?",
        widget=forms.RadioSelect,
        choices=PaymentSchedule.choices,
        initial=PaymentSchedule.QUARTERLY,
        help_text="Each instalment is paid when the centre's monitoring report for its period "
        "is accepted.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (
            Provider.objects.filter(brokers__isnull=False, brokers__revoked_at__isnull=True)
            .distinct()
            .order_by("name")
        )
        self.fields["provider"].error_messages["invalid_choice"] = self.required_messages[
            "provider"
        ]
        self.helper.layout = Layout(
            Field.radios("provider", legend_size=Size.SMALL),
            Field.text("amount", field_width=10),
            Fieldset(
                Field("starts_on"),
                Field("ends_on"),
                legend="The agreement's period",
                legend_size=Size.SMALL,
            ),
            Field.radios("schedule", legend_size=Size.SMALL),
        )


def _text(label: str, hint: str, what: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": f"{what} must be {TEXT_LIMIT:,} characters or fewer"},
    )


class CentreReportForm(GovukForm):
    """The centre's report. Any answer may be empty in a draft; the service asks for the
    required ones when it is sent."""

    work_done = _text(
        "What the volunteer centre did",
        "Brokerage, advice and guidance, support for organisations, and training and "
        "networking for volunteer managers in this period.",
        "What the centre did",
    )
    outcomes = _text(
        "What difference it made",
        "For volunteers, organisations and volunteer managers. The service's own figures for "
        "the period are shown above and sent with the report.",
        "What difference it made",
    )
    difficulties = _text(
        "What was difficult (optional)",
        "Anything that held the work back, and what you are doing about it.",
        "What was difficult",
    )
    next_period = _text(
        "What you plan for the next period",
        "What you will focus on, and anything you need from the council.",
        "What you plan",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            *(Field.textarea(name, rows=6, label_size=Size.SMALL) for name in self.fields)
        )

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class EndAgreementForm(GovukForm):
    """Why a manager ends the agreement early: the centre is emailed it."""

    required_messages = {"reason": "Enter why the agreement is ending early"}

    reason = forms.CharField(
        label="Why is the agreement ending early?",
        help_text="The volunteer centre's brokers are emailed this, and it is kept with the "
        "agreement.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", rows=4, label_size=Size.SMALL))
