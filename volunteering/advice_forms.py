"""Advice and guidance: input shape and layout only.

What a question, an answer or a closure must say is in advice_rules.py and applied by the
services, whose refusals are put on these forms field by field (packages.forms.show_refusal);
so every field here is optional and keeps what was typed.
"""

import django_filters
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukDateField, GovukForm

from . import advice_rules as rules
from .advice_selectors import ORGANISATIONS, VOLUNTEERS
from .models import AdviceRequest, AdviceStatus, AdviceTopic, ReplyBy

ANSWER, CLOSE = "answer", "close"


def _choice(label, choices, *, invalid, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": invalid},
    )


def _text(label, *, rows=None, help_text="", **attrs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, help_text=help_text, widget=widget)


def _minutes(label, help_text):
    return _text(label, help_text=help_text, inputmode="numeric", spellcheck="false")


class AskForm(GovukForm):
    """A short question to the volunteer centre, and how to reply."""

    question = _text(
        _("What would you like advice about?"),
        rows=6,
        help_text=_(
            "Keep it short, up to 1,000 characters: a broker contacts you for the details. "
            "Do not include anyone else's personal details."
        ),
    )
    topic = _choice(
        _("What is your question about?"),
        AdviceTopic.choices,
        invalid=_("Select what your question is about"),
    )
    reply_by = _choice(
        _("How would you like the answer?"),
        ReplyBy.choices,
        invalid=_("Select how you would like the answer"),
    )
    phone = _text(
        _("Telephone number (only if you would like a call)"),
        help_text=_("For example, 0116 454 1000"),
        autocomplete="tel",
        type="tel",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("question", label_size=Size.MEDIUM, rows=6),
            Field.radios("topic", legend_size=Size.SMALL),
            Field.radios("reply_by", legend_size=Size.SMALL),
            Field.text("phone", field_width=20),
        )

    def answers(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("question", "topic", "reply_by", "phone")
        }


class AnswerForm(GovukForm):
    """A broker's answer: what to tell the asker, what it was about, how long it took."""

    answer = _text(
        _("Your answer"),
        rows=8,
        help_text=_("The person who asked is emailed this, and their organisation can read it."),
    )
    topic = _choice(
        _("What was the request about?"),
        AdviceTopic.choices,
        invalid=_("Select what the request was about"),
        help_text=_("Change it if the person chose a topic that does not fit."),
    )
    minutes = _minutes(
        _("Time spent, in minutes"),
        _("Including any call or research. For example, 20"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("answer", label_size=Size.SMALL, rows=8),
            Field.radios("topic", legend_size=Size.SMALL),
            Field.text("minutes", field_width=4),
        )

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in ("answer", "topic", "minutes")}


class CloseForm(GovukForm):
    """Closing a request: one never answered needs the reason, and may record time spent."""

    reason = _text(
        _("Why are you closing it without an answer?"),
        rows=3,
        help_text=_(
            "The person who asked is emailed this. For example, it is the same as request "
            "VCS-ADV-000012"
        ),
    )
    minutes = _minutes(
        _("Time spent, in minutes (optional)"), _("Leave it empty if you spent none")
    )

    def __init__(self, *args, answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if answered:
            # An answered request closes as it is: nothing more to say.
            del self.fields["reason"], self.fields["minutes"]
            self.helper.layout = Layout()
        else:
            self.helper.layout = Layout(
                Field.textarea("reason", label_size=Size.SMALL, rows=3),
                Field.text("minutes", field_width=4),
            )

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class AdviceFilterForm(GovukForm):
    pass


class AdviceQueueFilter(django_filters.FilterSet):
    """Waiting for an answer by default; or answered, closed, or any status; and a topic."""

    status = django_filters.ChoiceFilter(
        choices=AdviceStatus.choices,
        empty_label=_("Any status"),
        label=_("Status"),
    )
    topic = django_filters.ChoiceFilter(
        choices=AdviceTopic.choices, empty_label=_("Any topic"), label=_("Topic")
    )

    class Meta:
        model = AdviceRequest
        fields = ["status", "topic"]
        form = AdviceFilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "status" not in data:
            data = data.copy() if data is not None else {}
            data["status"] = rules.OPEN
        super().__init__(data, *args, **kwargs)

    @property
    def chosen_status(self) -> str:
        """The status asked for ("" for any): it picks the queue's order too."""
        return (self.form.cleaned_data.get("status") or "") if self.is_valid() else rules.OPEN


WHO = [
    ("", _("Anyone")),
    (ORGANISATIONS, _("Organisations")),
    (VOLUNTEERS, _("Volunteers")),
]


class AdviceReportForm(GovukForm):
    """The report's filters: the dates the requests were asked between, and who asked."""

    asked_from = GovukDateField(
        what="the first day", when="past", label=_("Asked from"), required=False
    )
    asked_to = GovukDateField(
        what="the last day", when="past", label=_("Asked up to and including"), required=False
    )
    who = forms.ChoiceField(
        label=_("Asked by"),
        choices=WHO,
        required=False,
        error_messages={"invalid_choice": _("Select who asked")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("asked_from"), Field("asked_to"), Field.select("who"))

    def clean(self):
        data = super().clean()
        # An optional date input reads a partly filled date as no date at all: say so
        # instead of showing every request as if nothing had been typed.
        for name in ("asked_from", "asked_to"):
            parts = [str(self.data.get(f"{name}_{i}", "")).strip() for i in range(3)]
            if any(parts) and not all(parts) and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["incomplete"])
        start, end = data.get("asked_from"), data.get("asked_to")
        if start and end and end < start:
            self.add_error("asked_to", _("The last day must be the same as or after the first day"))
        return data
