"""Section C's models, one module per part of the strand.

- opportunities: the broker role and the opportunities brokers check.
- lapse: the reminder sent before a published opportunity's closing date.
"""

from .lapse import LapseReminder
from .opportunities import Broker, CloseReason, Opportunity, OpportunityStatus, Schedule

__all__ = [
    "Broker",
    "CloseReason",
    "LapseReminder",
    "Opportunity",
    "OpportunityStatus",
    "Schedule",
]
