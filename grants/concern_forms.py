"""Concerns about representatives: input shape and layout only; the rules live in concern_rules."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukForm

from . import concern_rules as moves
from .accountability_models import ConcernOutcome

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


class ConcernForm(GovukForm):
    """What happened, and the email address the link goes to; a name if they wish."""

    required_messages = {
        "what_happened": "Describe what happened",
        "email": "Enter your email address",
    }

    what_happened = forms.CharField(
        label="What happened?",
        help_text=(
            "Say how the organisation has not represented you or your community, when and "
            "where, and what you would like to happen."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    name = forms.CharField(
        label="Your name (optional)",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Your name must be 150 characters or fewer"},
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We will send you a link to confirm your concern, and tell you the outcome.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": EMAIL_FORMAT,
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK's character count, counting words: without JavaScript it says the
        # limit; the limit itself is checked here, on the server.
        self.helper.layout = Layout(
            Field.textarea(
                "what_happened",
                label_size=Size.MEDIUM,
                rows=10,
                max_words=moves.WHAT_HAPPENED_WORDS,
            ),
            Field.text("name", field_width=20),
            Field.text("email", field_width=20),
        )

    def clean_what_happened(self):
        text = self.cleaned_data["what_happened"].strip()
        problem = moves.word_limit_problem(text, moves.WHAT_HAPPENED_WORDS, "What happened")
        if problem:
            raise forms.ValidationError(problem)
        return text


class ResponseForm(GovukForm):
    required_messages = {"response": "Enter your response to the concern"}

    response = forms.CharField(
        label="Your response",
        help_text=(
            "What you did, or will do, about it. The council reads it with the concern before "
            "deciding the outcome."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea(
                "response", label_size=Size.MEDIUM, rows=8, max_words=moves.RESPONSE_WORDS
            )
        )

    def clean_response(self):
        text = self.cleaned_data["response"].strip()
        problem = moves.word_limit_problem(text, moves.RESPONSE_WORDS, "Your response")
        if problem:
            raise forms.ValidationError(problem)
        return text


class OutcomeForm(GovukForm):
    required_messages = {
        "outcome": "Select the outcome",
        "reasons": "Enter the reasons for the outcome",
    }

    outcome = forms.ChoiceField(
        label="What is the outcome?",
        choices=ConcernOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the outcome"},
    )
    reasons = forms.CharField(
        label="Reasons for the outcome",
        help_text=(
            "The person who raised the concern is sent the outcome and these reasons, without "
            "your name."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"max_length": "The reasons must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("reasons", label_size=Size.MEDIUM, rows=6),
        )
