"""Section C's models, one module per part of the strand.

- opportunities: the broker role and the opportunities brokers check.
"""

from .opportunities import Broker, CloseReason, Opportunity, OpportunityStatus, Schedule

__all__ = ["Broker", "CloseReason", "Opportunity", "OpportunityStatus", "Schedule"]
