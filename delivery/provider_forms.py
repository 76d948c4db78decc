"""The provider's forms: input shape and layout only.

Where a form can say which answer is wrong it runs the same pure rule the
service runs (`delivery.rules`), so the message sits beside the field; the
service checks again, under its lock, and has the last word.
"""

from datetime import date
from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukDateField, GovukForm
from packages.money import MoneyField

from .models import DeliveryMode
from .rules import (
    INVOICE_REFERENCE_MAX_LENGTH,
    claim_amount_decision,
    planned_dates_decision,
    session_date_decision,
)

LONG_TEXT = 5000


def _text(label: str, *, help_text: str = "", rows: int = 5, required: bool = True, what: str):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG_TEXT,
        error_messages={"max_length": f"{what} must be {LONG_TEXT:,} characters or fewer"},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AcceptForm(GovukForm):
    planned_start = GovukDateField(
        what="the planned start date",
        label="When do you plan to start?",
        require_all_fields=False,
    )
    planned_end = GovukDateField(
        what="the planned end date",
        label="When do you plan to finish?",
        require_all_fields=False,
    )

    def __init__(self, *args, today: date, latest_end: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.latest_end = today, latest_end
        self.fields[
            "planned_end"
        ].help_text = f"The package must be delivered by {latest_end:%-d %B %Y}."
        self.helper.layout = Layout(
            Field("planned_start", legend_size=Size.SMALL),
            Field("planned_end", legend_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end:
            dates = planned_dates_decision(
                start=start, end=end, today=self.today, latest_end=self.latest_end
            )
            if not dates:
                self.add_error(
                    "planned_start" if start < self.today else "planned_end", dates.reason
                )
        return cleaned


class DeclineForm(GovukForm):
    required_messages = {"reason": "Enter why you are declining the request"}

    reason = _text(
        "Why are you declining this request?",
        help_text="The organisation will see this, so it can choose another provider.",
        what="Your reason",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.SMALL))


class SessionForm(GovukForm):
    required_messages = {
        "hours": "Enter how many hours the session lasted",
        "mode": "Select how the session was delivered",
        "topics": "Enter the topics the session covered",
        "attendees": "Enter who attended the session",
    }

    held_on = GovukDateField(
        what="the date of the session",
        when="past",
        label="Date of the session",
        require_all_fields=False,
    )
    hours = forms.DecimalField(
        label="How many hours did it last?",
        help_text="For example, 2 or 1.5",
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal("24"),
        error_messages={
            "invalid": "Enter the hours as a number, like 2 or 1.5",
            "max_decimal_places": "Enter the hours to one decimal place, like 1.5",
            "max_digits": "The session must be 24 hours or fewer",
            "max_whole_digits": "The session must be 24 hours or fewer",
            "min_value": "The session must be at least 0.1 hours",
            "max_value": "The session must be 24 hours or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    mode = forms.ChoiceField(
        label="How was it delivered?",
        choices=[Choice(value, label) for value, label in DeliveryMode.choices],
        widget=forms.RadioSelect,
    )
    topics = _text("What did the session cover?", rows=4, what="The topics")
    attendees = _text(
        "Who attended?",
        help_text="Their roles are enough, for example: the treasurer and two trustees.",
        rows=2,
        what="Who attended",
    )
    notes = _text("Notes (optional)", rows=3, required=False, what="The notes")
    attachment = forms.FileField(
        label="Attach a file (optional)",
        help_text="For example, slides or a plan you wrote together. "
        "A PDF, PNG, JPEG or Word (DOCX) file, smaller than 10MB.",
        required=False,
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "Select a file to attach",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )

    def __init__(self, *args, today: date, accepted_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.accepted_on = today, accepted_on
        self.fields["hours"].widget.attrs.pop("step", None)
        self.helper.layout = Layout(
            Field("held_on", legend_size=Size.SMALL),
            Field.text("hours", field_width=4),
            Field.radios("mode", legend_size=Size.SMALL),
            Field.textarea("topics", label_size=Size.SMALL),
            Field.textarea("attendees", label_size=Size.SMALL),
            Field.textarea("notes", label_size=Size.SMALL),
            Field("attachment", label_size=Size.SMALL),
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        when = session_date_decision(
            held_on=held_on, today=self.today, accepted_on=self.accepted_on
        )
        if not when:
            raise forms.ValidationError(when.reason)
        return held_on

    def session_data(self) -> dict:
        """What `delivery.services.log_session` records, without the file."""
        return {k: v for k, v in self.cleaned_data.items() if k != "attachment"}


class DeliveredForm(GovukForm):
    required_messages = {"outcome_summary": "Enter a summary of what the support achieved"}

    outcome_summary = _text(
        "What did the support achieve?",
        help_text="The organisation will see this when it confirms delivery, and the council "
        "uses it to report on the scheme. For example, what changed, and what the organisation "
        "now has or does that it did not before.",
        rows=6,
        what="The summary",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("outcome_summary", label_size=Size.SMALL))


class ReplyForm(GovukForm):
    required_messages = {"reply": "Enter your reply"}

    reply = _text(
        "Your reply",
        help_text="Anyone choosing a provider can read your reply beside the rating. "
        "You can only reply once.",
        what="Your reply",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reply", label_size=Size.SMALL))


class ClaimForm(GovukForm):
    required_messages = {
        "amount": "Enter the amount you are claiming",
        "invoice_reference": "Enter your invoice reference",
    }

    invoice_reference = forms.CharField(
        label="Your invoice reference",
        help_text="The number or reference on the invoice you are sending the council.",
        max_length=INVOICE_REFERENCE_MAX_LENGTH,
        error_messages={
            "max_length": "Your invoice reference must be "
            f"{INVOICE_REFERENCE_MAX_LENGTH} characters or fewer"
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    amount = MoneyField(what="the amount you are claiming", label="Amount you are claiming")
    note = _text(
        "Note (optional)",
        help_text="If you are claiming less than the agreed value, say why.",
        rows=3,
        required=False,
        what="The note",
    )
    invoice = forms.FileField(
        label="Attach your invoice (optional)",
        help_text="A PDF, PNG, JPEG or Word (DOCX) file, smaller than 10MB.",
        required=False,
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "Select your invoice to attach",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )

    def __init__(self, *args, value: Decimal, **kwargs):
        kwargs.setdefault("initial", {"amount": value})
        super().__init__(*args, **kwargs)
        self.value = value
        self.fields["amount"].help_text = f"No more than the agreed value, £{value:,.2f}."
        self.helper.layout = Layout(
            Field.text("invoice_reference", field_width=20),
            Field.text("amount", field_width=10),
            Field.textarea("note", label_size=Size.SMALL),
            Field("invoice", label_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is not None:
            note = cleaned.get("note", "")
            decision = claim_amount_decision(amount=amount, value=self.value, note=note)
            if not decision:
                self.add_error("amount" if amount > self.value else "note", decision.reason)
        return cleaned
