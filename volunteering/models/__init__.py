"""Section C's models, one module per part of the strand.

- opportunities: the broker role and the opportunities brokers check.
- events: the volunteer centre's training and networking events, bookings and feedback.
"""

from .events import Booking, BookingStatus, Event, EventKind, EventStatus, Feedback
from .opportunities import Broker, CloseReason, Opportunity, OpportunityStatus, Schedule

__all__ = ["Broker", "CloseReason", "Opportunity", "OpportunityStatus", "Schedule"]
__all__ += ["Booking", "BookingStatus", "Event", "EventKind", "EventStatus", "Feedback"]
