"""The events' forms: input shape and layout only. The rules (a future start, a venue or
a link, places no fewer than those booked, a rating from 1 to 5) are in events_rules.py
and applied by the services, whose refusals show on these forms field by field."""

from datetime import datetime

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk.forms import GovukDateField, GovukForm

from . import events_rules as rules
from .models import EventKind

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I.%M%p", "%I%p", "%I:%M %p", "%I %p"]


def _time(label):
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        help_text=_("Use the 24-hour clock, for example 09:30 or 14:00"),
        error_messages={
            "required": _("Enter the time, like 09:30 or 14:00"),
            "invalid": _("Enter a real time, like 09:30 or 14:00"),
        },
    )


class EventForm(GovukForm):
    """An event's details: the day and times are put together in the council's time zone."""

    required_messages = {
        "kind": _("Select whether it is a training or a networking event"),
        "title": _("Enter a title for the event"),
        "description": _("Enter what the event is about"),
        "capacity": _("Enter how many places there are"),
    }

    kind = forms.ChoiceField(
        label=_("What kind of event is it?"),
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Select whether it is a training or a networking event")
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=rules.TITLE_LENGTH,
        help_text=_("For example, Recruiting and keeping volunteers"),
        error_messages={
            "max_length": _("The title must be %(n)s characters or fewer")
            % {"n": rules.TITLE_LENGTH}
        },
    )
    description = forms.CharField(
        label=_("What is the event about?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("The description must be 4,000 characters or fewer")},
    )
    day = GovukDateField(what="the date of the event", label=_("Date"))
    start_time = _time(_("Start time"))
    end_time = _time(_("End time"))
    online = forms.BooleanField(label=_("The event is online"), required=False)
    venue = forms.CharField(
        label=_("Venue's address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave it empty if the event is online"),
        error_messages={"max_length": _("The address must be 500 characters or fewer")},
    )
    joining_link = forms.URLField(
        label=_("Link to join online"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Only people with a place see it, on the event's page and in their emails"),
        error_messages={
            "invalid": _("Enter the link as a web address, like https://meet.example.org/abc")
        },
    )
    capacity = forms.IntegerField(
        label=_("How many places are there?"),
        error_messages={"invalid": _("Enter how many places there are as a number, like 20")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title"),
            Field.textarea("description", rows=5),
            Fieldset(
                Field("day"),
                Field.text("start_time", field_width=5),
                Field.text("end_time", field_width=5),
                legend=_("When"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkbox("online"),
                Field.textarea("venue", rows=3),
                Field.text("joining_link"),
                legend=_("Where"),
                legend_size=Size.MEDIUM,
            ),
            Field.text("capacity", field_width=4),
        )

    @staticmethod
    def initial_for(event) -> dict:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "day": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0),
            "online": event.online,
            "venue": event.venue,
            "joining_link": event.joining_link,
            "capacity": event.capacity,
        }

    def answers(self) -> dict:
        """The cleaned answers as events_services.save_event takes them."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        day = data["day"]
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "starts_at": datetime.combine(day, data["start_time"], tzinfo=zone),
            "ends_at": datetime.combine(day, data["end_time"], tzinfo=zone),
            "online": data["online"],
            "venue": data["venue"],
            "joining_link": data["joining_link"],
            "capacity": data["capacity"],
        }


class CancelEventForm(GovukForm):
    required_messages = {"reason": _("Enter why the event is cancelled")}

    reason = forms.CharField(
        label=_("Why is the event cancelled?"),
        help_text=_("Everyone with a place or on the waiting list is emailed this."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The reason must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.MEDIUM, rows=4))


class FeedbackForm(GovukForm):
    required_messages = {"rating": _("Select a rating from 1 to 5")}

    rating = forms.TypedChoiceField(
        label=_("How useful was the event?"),
        help_text=_("1 is not useful at all, 5 is very useful"),
        choices=[(n, str(n)) for n in range(rules.MIN_RATING, rules.MAX_RATING + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select a rating from 1 to 5")},
    )
    comment = forms.CharField(
        label=_("Tell us what you thought (optional)"),
        required=False,
        max_length=rules.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Your comment must be 2,000 characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM, inline=True),
            Field.textarea("comment", label_size=Size.SMALL, rows=4),
        )


class AttendanceForm(GovukForm):
    """The register: tick each person who came. Everyone with a place is listed."""

    present = forms.TypedMultipleChoiceField(
        label=_("Who attended?"),
        help_text=_("Select everyone who came. Anyone not selected is recorded as not attending."),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select people from the list of bookings")},
    )

    def __init__(self, *args, bookings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (booking.pk, f"{booking.user} ({booking.organisation.name})") for booking in bookings
        ]
        self.helper.layout = Layout(Field.checkboxes("present", legend_size=Size.MEDIUM))
