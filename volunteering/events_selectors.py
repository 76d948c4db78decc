"""Reads for the events: what members and brokers see, and the events and attendance report.

Every list counts places with one grouped query (annotations), never a query per row.
"""

from django.db.models import Avg, Case, Count, IntegerField, Q, Sum, Value, When

from . import events_rules as rules
from .models import Booking, Event

_HOLDING = Q(bookings__status__in=rules.HOLDING_A_PLACE)


def with_counts(events):
    """Events with `holding` (places taken) and `waiting` (on the waiting list)."""
    return events.annotate(
        holding=Count("bookings", filter=_HOLDING),
        waiting=Count("bookings", filter=Q(bookings__status=rules.WAITING)),
    )


def upcoming(now):
    """Published events not yet started, soonest first, for members to book."""
    return with_counts(Event.objects.filter(status=rules.PUBLISHED, starts_at__gt=now)).order_by(
        "starts_at", "id"
    )


def for_brokers():
    """Every event, the latest first."""
    return with_counts(Event.objects.all()).order_by("-starts_at", "-id")


def bookings_of(event):
    """An event's bookings: places first, then the waiting list in order, then cancelled."""
    return (
        event.bookings.select_related("user", "organisation", "feedback")
        .annotate(
            rank=Case(
                When(status=rules.WAITING, then=Value(1)),
                When(status=rules.CANCELLED, then=Value(2)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "position", "created_at", "id")
    )


def register_of(event):
    """The people with a place on an event, for the attendance register."""
    return (
        event.bookings.filter(status__in=rules.HOLDING_A_PLACE)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email", "id")
    )


def bookings_for(user):
    """The person's bookings, the latest event first, with each event and any feedback."""
    return (
        Booking.objects.filter(user=user)
        .select_related("event", "feedback")
        .order_by("-event__starts_at", "-id")
    )


def live_booking(user, event):
    """The person's booking on the event that is not cancelled, or None."""
    return (
        Booking.objects.filter(user=user, event=event, status__in=rules.LIVE)
        .select_related("feedback")
        .first()
    )


def report_rows(events):
    """Each event with its places, booked, attended and average rating."""
    return events.annotate(
        booked=Count("bookings", filter=_HOLDING),
        attended=Count("bookings", filter=Q(bookings__status=rules.ATTENDED)),
        waiting=Count("bookings", filter=Q(bookings__status=rules.WAITING)),
        ratings=Count("bookings__feedback"),
        average_rating=Avg("bookings__feedback__rating"),
    ).order_by("-starts_at", "-id")


def report_totals(events) -> dict:
    """The same figures over all `events`, in two queries: the events' places, and their
    bookings (summed apart, as joining the bookings would count each event's places once
    per booking)."""
    totals = events.aggregate(events=Count("pk"), places=Sum("capacity"))
    totals |= Booking.objects.filter(event__in=events.values("pk")).aggregate(
        booked=Count("pk", filter=Q(status__in=rules.HOLDING_A_PLACE)),
        attended=Count("pk", filter=Q(status=rules.ATTENDED)),
        ratings=Count("feedback"),
        average_rating=Avg("feedback__rating"),
    )
    totals["places"] = totals["places"] or 0
    return totals
