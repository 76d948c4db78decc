"""Reading the volunteer centre's agreements and reports, and the service's figures for a
report's period (what the centre's report is read beside)."""

from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone

from allowances.instalment_rules import OPEN_STATUSES, SENT

from . import volunteer_rules as vr
from .models import (
    AdviceRequest,
    Booking,
    BookingStatus,
    CentreAgreement,
    CentreReport,
    Event,
    EventStatus,
    HourEntry,
    Interest,
    Placement,
    Volunteer,
)


def agreements():
    """Every agreement, newest first, with its provider and award: for a page at a time."""
    return CentreAgreement.objects.select_related("provider", "award__strand__budget_year")


def reports_of(agreement):
    """The agreement's reports by period, with their payments. One query."""
    return CentreReport.objects.filter(agreement=agreement).select_related("payment")


def waiting_for_review(today: date):
    """Reports sent and waiting for review, then those overdue, with their agreements."""
    return (
        CentreReport.objects.filter(Q(status=SENT) | Q(status__in=OPEN_STATUSES, due_on__lt=today))
        .select_related("agreement__provider", "agreement__award")
        # Descending status puts "sent" before "more_needed" and "due" (the overdue).
        .order_by("-status", "due_on", "pk")
    )


def reports_for_centre(provider_id: int):
    """The reports of every agreement with this provider, soonest due first."""
    return (
        CentreReport.objects.filter(agreement__provider_id=provider_id)
        .select_related("agreement__award", "payment")
        .order_by("due_on", "pk")
    )


def _moments(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(starts_on, time.min))
    end = timezone.make_aware(datetime.combine(ends_on, time.max))
    return start, end


# The service's figures for a period, in the order a report shows them.
FIGURE_LABELS = {
    "volunteers_joined": "Volunteers who signed up",
    "interest_sent": "Interest sent to organisations",
    "placements_started": "Placements started",
    "hours_confirmed": "Volunteering hours confirmed",
    "advice_answered": "Advice requests answered",
    "advice_minutes": "Time spent on advice, in minutes",
    "events_held": "Training and networking events held",
    "attendances": "Places taken up at events",
}


def period_figures(starts_on: date, ends_on: date) -> dict[str, int | str]:
    """What the service recorded in the period, across the city: seven queries, whatever
    the data. Shown beside the centre's report and kept with it when sent."""
    start, end = _moments(starts_on, ends_on)
    advice = AdviceRequest.objects.filter(answered_at__range=(start, end)).aggregate(
        n=Count("pk"), minutes=Sum("minutes")
    )
    events = Event.objects.filter(starts_at__range=(start, end), status=EventStatus.PUBLISHED)
    hours = HourEntry.objects.filter(on__range=(starts_on, ends_on), status=vr.CONFIRMED)
    return {
        "volunteers_joined": Volunteer.objects.filter(created_at__range=(start, end)).count(),
        "interest_sent": Interest.objects.filter(created_at__range=(start, end)).count(),
        "placements_started": Placement.objects.filter(
            started_on__range=(starts_on, ends_on)
        ).count(),
        "hours_confirmed": str(hours.aggregate(total=Sum("hours"))["total"] or 0),
        "advice_answered": advice["n"],
        "advice_minutes": advice["minutes"] or 0,
        "events_held": events.count(),
        "attendances": Booking.objects.filter(
            event__in=events, status=BookingStatus.ATTENDED
        ).count(),
    }


def labelled(figures: dict) -> list[tuple[str, object]]:
    """The figures as (label, value) rows, in FIGURE_LABELS' order."""
    return [(label, figures[key]) for key, label in FIGURE_LABELS.items() if key in figures]
