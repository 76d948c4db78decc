"""Section C's models, one module per part of the strand.

- opportunities: the broker role and the opportunities brokers check.
- volunteers: volunteers, their interest, placements and hours.
- suggestions: a broker's suggestion of an opportunity to a volunteer.
- hour_value: the value of an hour of volunteering a manager set, for the reports.
- lapse: the reminder sent before a published opportunity's closing date.
- advice: requests for advice and guidance, and the brokers' answers.
- events: the volunteer centre's training and networking events, bookings and feedback.
- agreements: the volunteer centre's funding agreement and its quarterly reports.
"""

from .advice import AdviceRequest, AdviceStatus, AdviceTopic, ReplyBy
from .agreements import CentreAgreement, CentreReport
from .events import Booking, BookingStatus, Event, EventKind, EventStatus, Feedback
from .hour_value import VolunteerHourValue
from .lapse import LapseReminder
from .opportunities import Broker, CloseReason, Opportunity, OpportunityStatus, Schedule
from .suggestions import Suggestion
from .volunteers import (
    AgeBand,
    ContactBy,
    EqualityMonitoring,
    HourEntry,
    Interest,
    Placement,
    Volunteer,
)

__all__ = [
    "AdviceRequest",
    "AdviceStatus",
    "AdviceTopic",
    "AgeBand",
    "Booking",
    "BookingStatus",
    "Broker",
    "CentreAgreement",
    "CentreReport",
    "CloseReason",
    "ContactBy",
    "EqualityMonitoring",
    "Event",
    "EventKind",
    "EventStatus",
    "Feedback",
    "HourEntry",
    "Interest",
    "LapseReminder",
    "Opportunity",
    "OpportunityStatus",
    "Placement",
    "ReplyBy",
    "Schedule",
    "Suggestion",
    "Volunteer",
    "VolunteerHourValue",
]
