"""Section C's forms: input shape and layout only.

What an opportunity must say before a broker sees it, and every other rule, is in
rules.py and applied by the services; these forms only turn what was typed into
values. Every answer is optional here, so that saving a half-written draft keeps
all of it: the service says what is still missing when it is submitted.
"""

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukDateField, GovukForm
from organisations.models import PriorityTheme

from . import rules
from .models import Schedule

APPROVE, SEND_BACK = "approve", "send_back"
AGES = [(16, _("16")), (17, _("17")), (18, _("18"))]


def _text(label, *, rows=None, help_text="", max_length=4000):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "max_length": _("This answer must be %(n)s characters or fewer") % {"n": max_length}
        },
    )


class OpportunityForm(GovukForm):
    """An opportunity's answers, every one optional so that a draft keeps what was typed."""

    title = _text(
        _("Title"),
        max_length=rules.TITLE_LENGTH,
        help_text=_("For example, Befriender for older people"),
    )
    description = _text(_("What will the volunteer do?"), rows=5)
    skills_wanted = _text(_("Skills wanted (optional)"), rows=3)
    skills_gained = _text(_("Skills the volunteer will gain (optional)"), rows=3)
    theme = forms.ModelChoiceField(
        label=_("Which priority theme does it support?"),
        queryset=PriorityTheme.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    remote = forms.BooleanField(label=_("The role can be done remotely"), required=False)
    venue_postcode = _text(
        _("Venue postcode"),
        max_length=8,
        help_text=_("Leave it empty if the role is only done remotely"),
    )
    schedule = forms.ChoiceField(
        label=_("When is the volunteer needed?"),
        choices=Schedule.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    one_off_date = GovukDateField(
        what="the date of the opportunity",
        label=_("Date of a one-off opportunity"),
        required=False,
    )
    hours_a_week = forms.DecimalField(
        label=_("Hours a week, for a regular role"),
        required=False,
        help_text=_("For example, 2.5"),
        error_messages={"invalid": _("Enter the hours a week as a number, like 2.5")},
    )
    starts_on = GovukDateField(
        what="the date it starts", label=_("Start date (optional)"), required=False
    )
    ends_on = GovukDateField(
        what="the closing date",
        label=_("Closing date"),
        required=False,
        hint="The opportunity closes after this day. For example, {example}",
    )
    places = forms.IntegerField(
        label=_("How many volunteers do you need?"),
        required=False,
        error_messages={"invalid": _("Enter how many volunteers you need as a number, like 3")},
    )
    minimum_age = forms.TypedChoiceField(
        label=_("Minimum age"),
        choices=AGES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Under-18s only where the role suits them and you have a safeguarding policy"),
    )
    suitable_for_under_18 = forms.BooleanField(
        label=_("The role is suitable for 16 and 17 year olds"), required=False
    )
    safeguarding_policy = forms.BooleanField(
        label=_("The organisation has a safeguarding policy"), required=False
    )
    dbs_needed = forms.BooleanField(label=_("A DBS check is needed"), required=False)
    accessibility = _text(_("Accessibility of the role and venue (optional)"), rows=3)
    expenses_paid = forms.BooleanField(label=_("Volunteers' expenses are paid"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(
                Field.text("title"),
                Field.textarea("description", rows=5),
                Field.textarea("skills_wanted", rows=3),
                Field.textarea("skills_gained", rows=3),
                legend=_("The role"),
                legend_size=Size.MEDIUM,
            ),
            Field.radios("theme", legend_size=Size.SMALL),
            Fieldset(
                Field.checkbox("remote"),
                Field.text("venue_postcode", field_width=10),
                legend=_("Where"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("schedule", legend_size=Size.SMALL),
                Field("one_off_date"),
                Field.text("hours_a_week", field_width=5),
                Field("starts_on"),
                Field("ends_on"),
                legend=_("When"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("places", field_width=4),
                Field.radios("minimum_age", legend_size=Size.SMALL, inline=True),
                Field.checkbox("suitable_for_under_18"),
                Field.checkbox("safeguarding_policy"),
                Field.checkbox("dbs_needed"),
                Field.textarea("accessibility", rows=3),
                Field.checkbox("expenses_paid"),
                legend=_("Who, and what you offer"),
                legend_size=Size.MEDIUM,
            ),
        )

    def answers(self) -> dict:
        """The cleaned answers, as services.save_draft takes them."""
        return {name: self.cleaned_data.get(name) for name in rules.FIELDS}


class CheckForm(GovukForm):
    """A broker's check of one opportunity: publish it, or send it back with what to change."""

    required_messages = {"decision": _("Select whether to publish it or send it back")}

    decision = forms.ChoiceField(
        label=_("What is your decision?"),
        choices=[
            (APPROVE, _("Publish it: the public can find it")),
            (SEND_BACK, _("Send it back to the organisation to change")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select whether to publish it or send it back")},
    )
    reason = forms.CharField(
        label=_("What does the organisation need to change? (only if you send it back)"),
        help_text=_("The organisation's administrators are emailed this."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("What to change must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, rows=4),
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == SEND_BACK and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter what the organisation needs to change"))
        return data


class GrantBrokerForm(GovukForm):
    """A manager names a provider's person, by email address, to make a broker."""

    required_messages = {"email": _("Enter the email address of the person")}

    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("They must already act for a provider, such as the volunteer centre."),
        error_messages={"invalid": _("Enter an email address, like name@example.org")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("email", field_width=20))
