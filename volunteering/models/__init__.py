"""Section C's models, one module per part of the strand.

- opportunities: the broker role and the opportunities brokers check.
- advice: requests for advice and guidance, and the brokers' answers.
"""

from .advice import AdviceRequest, AdviceStatus, AdviceTopic, ReplyBy
from .opportunities import Broker, CloseReason, Opportunity, OpportunityStatus, Schedule

__all__ = [
    "AdviceRequest",
    "AdviceStatus",
    "AdviceTopic",
    "Broker",
    "CloseReason",
    "Opportunity",
    "OpportunityStatus",
    "ReplyBy",
    "Schedule",
]
