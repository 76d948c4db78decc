"""The organisation's and the officer's forms: input shape only; the rules are in the services."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukForm
from packages.money import MoneyField

from .models import DisputeOutcome

RATINGS = [
    Choice("5", "5 – excellent"),
    Choice("4", "4 – good"),
    Choice("3", "3 – satisfactory"),
    Choice("2", "2 – poor"),
    Choice("1", "1 – very poor"),
]


class RequestForm(GovukForm):
    required_messages = {"message": "Enter a message to the provider"}

    message = forms.CharField(
        label="Your message to the provider",
        help_text="Say what you need from the package and when suits you. The provider sees "
        "your organisation's name and contact details with this message.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


class ConfirmForm(GovukForm):
    required_messages = {"score": "Choose a rating from 1 to 5"}

    score = forms.TypedChoiceField(
        label="How would you rate the provider?",
        choices=[(c.value, c.label) for c in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment (optional)",
        help_text="Other organisations choosing a provider will see this. Do not include "
        "personal information.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].error_messages["invalid_choice"] = "Choose a rating from 1 to 5"
        self.fields["score"].choices = RATINGS
        self.helper.layout = Layout(
            Field.radios("score", legend_size=Size.MEDIUM), Field.textarea("comment")
        )


class DisputeForm(GovukForm):
    required_messages = {"reason": "Enter what was not delivered as agreed"}

    reason = forms.CharField(
        label="What was not delivered as agreed?",
        help_text="A council officer will look at this with the provider's record of the "
        "sessions and decide what happens next.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ApproveClaimForm(GovukForm):
    """Pay the amount claimed; a manager may pay more than the agreed value, with a reason."""

    required_messages = {"amount": "Enter the amount to pay"}

    amount = MoneyField(label="Amount to pay", what="the amount to pay")
    reason = forms.CharField(
        label="Reason (needed to pay more than was claimed)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectClaimForm(GovukForm):
    required_messages = {"reason": "Enter why the claim is being rejected"}

    reason = forms.CharField(
        label="Why are you rejecting the claim?",
        help_text="The provider will see this and may claim again.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        # Shown on the claim's page below ApproveClaimForm, which has a `reason`
        # too: its own ids keep the labels and the error summary's link on this one.
        kwargs.setdefault("auto_id", "id_reject_%s")
        super().__init__(*args, **kwargs)


class ResolveDisputeForm(GovukForm):
    required_messages = {
        "outcome": "Choose how the dispute is resolved",
        "resolution": "Enter the reason for your decision",
    }

    outcome = forms.ChoiceField(
        label="What happens now?", choices=DisputeOutcome.choices, widget=forms.RadioSelect
    )
    resolution = forms.CharField(
        label="Reason for your decision",
        help_text="The organisation and the provider will both see this.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM), Field.textarea("resolution")
        )


class HideCommentForm(GovukForm):
    required_messages = {"reason": "Enter why the comment is being hidden"}

    reason = forms.CharField(
        label="Why are you hiding this comment?",
        help_text="Recorded in the audit trail. The score still counts in the average.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
