"""Objects the permission matrix's volunteering rows point at (tests/permission_matrix.py).

Each is made once per world and found again after, since one world builds every URL in
some tests. On the brokers' rows the world's provider user is the broker: `broker(w)`
gives them a live grant (Option 1: the volunteer centre is a provider, its staff brokers),
so "provider" in those rows means a provider's person with the role, and every other role
(a provider's person without it is tested in tests/volunteering/test_broker_views.py) 404.
"""

from volunteering.models import Broker, Opportunity

DRAFT = "Matrix draft opportunity"
SUBMITTED = "Matrix submitted opportunity"


def broker(w):
    """The world's provider user, with a live broker grant."""
    grant = Broker.objects.live().filter(user=w.provider_user).first()
    return grant or Broker.objects.create(
        user=w.provider_user, provider=w.provider, granted_by=w.manager
    )


def as_broker(w) -> dict:
    """No URL arguments: the page is the brokers' own, so the provider user becomes one."""
    broker(w)
    return {}


def draft(w):
    """Organisation A's draft, complete, so that it can be sent (and withdrawn)."""
    from .support import drafted

    found = Opportunity.objects.filter(organisation=w.org_a, title=DRAFT).first()
    return found or drafted(w, title=DRAFT)


def submitted(w):
    """Organisation A's opportunity waiting for a broker, and the provider user a broker."""
    from .support import submitted as make

    broker(w)
    found = Opportunity.objects.filter(organisation=w.org_a, title=SUBMITTED).first()
    return found or make(w, title=SUBMITTED)


PUBLISHED = "Matrix published opportunity"


def published(w):
    """Organisation A's opportunity, published by the world's provider user as broker."""
    from .support import published as make

    found = Opportunity.objects.filter(organisation=w.org_a, title=PUBLISHED).first()
    return found or make(w, broker(w).user, title=PUBLISHED)


# --- Events (the world's provider user is the broker who runs them)

EVENT_DRAFT = "Matrix draft event"
EVENT_PUBLISHED = "Matrix published event"
EVENT_PAST = "Matrix past event"


def _event(w, title, *, publish=True):
    from volunteering.models import Event

    from .events_support import draft_event, published_event

    found = Event.objects.filter(title=title).first()
    if found:
        return found
    return (published_event if publish else draft_event)(broker(w).user, title=title)


def event_draft(w):
    return _event(w, EVENT_DRAFT, publish=False)


def event_published(w):
    return _event(w, EVENT_PUBLISHED)


def booking_a(w):
    """Organisation A's administrator's place on the published event."""
    from volunteering.events_services import book_place

    event = event_published(w)
    found = event.bookings.filter(user=w.org_a_admin).first()
    return found or book_place(event=event, by=w.org_a_admin)


def past_event(w):
    """An event that took place yesterday, with organisation A's administrator attending."""
    from volunteering.events_services import record_attendance
    from volunteering.models import Event

    from .events_support import past_event_with

    found = Event.objects.filter(title=EVENT_PAST).first()
    if found:
        return found
    event, (booking,) = past_event_with(broker(w).user, [w.org_a_admin], title=EVENT_PAST)
    record_attendance(event=event, by=broker(w).user, present={booking.pk})
    return event


def attended_booking_a(w):
    return past_event(w).bookings.get(user=w.org_a_admin)
