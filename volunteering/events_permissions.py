"""Who may see and change events and bookings. Every events view goes through these.

Brokers (a live grant) run events on their own pages; anyone else gets 404 there.
Members of a registered organisation see published events (and cancelled ones, so the
link in the cancellation email still opens) and their own bookings; a draft, or anyone
else's booking, is 404, as is every event page for people in no organisation. The events
report is for brokers and managers (other staff 403, everyone else 404).
"""

from django.shortcuts import get_object_or_404

from organisations.permissions import get_own_organisation

from . import events_rules as rules
from .models import Booking, Event
from .permissions import require_broker


def get_event_for_broker(user, pk) -> Event:
    """Any event, for live brokers; everyone else 404."""
    require_broker(user)
    return get_object_or_404(Event, pk=pk)


def get_event_for_member(user, pk):
    """A published or cancelled event, and the person's membership; drafts and people in
    no organisation 404."""
    _organisation, membership = get_own_organisation(user)
    event = get_object_or_404(Event.objects.exclude(status=rules.DRAFT), pk=pk)
    return event, membership


def get_booking_for_member(user, pk) -> Booking:
    """The person's own booking, with its event and any feedback; anyone else's 404."""
    get_own_organisation(user)
    return get_object_or_404(Booking.objects.select_related("event", "feedback"), pk=pk, user=user)
