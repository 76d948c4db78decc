"""Monitoring reports: input shape and layout only. What sending needs is in
monitoring_rules.sending_problems, checked by the service."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from govuk.forms import GovukForm

from .fields import WholeNumberField, range_messages

MOST_PEOPLE = 10_000_000
TEXT_LIMIT = 10_000


def _text(label: str, hint: str, what: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": f"{what} must be {TEXT_LIMIT:,} characters or fewer"},
    )


class ReportForm(GovukForm):
    """The report's five answers. Every one may be empty in a draft; the service asks for
    them all when the report is sent."""

    engagement_activities = _text(
        "Engagement activities",
        "What you did to hear from the community in this period: meetings, events, surveys, "
        "visits, online discussion. Say when and where.",
        "The engagement activities",
    )
    people_reached = WholeNumberField(
        what="the number of people reached",
        example="120",
        label="People reached",
        help_text="How many people took part in or were reached by your engagement, as a "
        "whole number. Enter 0 if none.",
        required=False,
        min_value=0,
        max_value=MOST_PEOPLE,
    )
    issues_raised = _text(
        "Issues taken to the council",
        "The community's issues you raised with the council, and where (which meeting or officer).",
        "The issues taken to the council",
    )
    feedback_given = _text(
        "Feedback given to the community",
        "What you told the community about the council's responses, and through which channels.",
        "The feedback given to the community",
    )
    community_views = _text(
        "Changes in the community's views",
        "How the community's views or concerns have changed in this period, and how you know.",
        "The changes in the community's views",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        range_messages(
            self.fields["people_reached"], "the number of people reached", 0, MOST_PEOPLE
        )
        self.helper.layout = Layout(
            Field.textarea("engagement_activities", rows=6, label_size=Size.SMALL),
            Field.text("people_reached", field_width=10, label_size=Size.SMALL),
            Field.textarea("issues_raised", rows=6, label_size=Size.SMALL),
            Field.textarea("feedback_given", rows=6, label_size=Size.SMALL),
            Field.textarea("community_views", rows=6, label_size=Size.SMALL),
        )

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}
