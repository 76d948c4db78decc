"""The events pages for members of registered organisations: upcoming events, one event
(book a place or join its waiting list), their bookings, cancelling one, and feedback after
an event they attended. People in no organisation get 404 on every one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.listing import page_of
from organisations.permissions import get_own_organisation
from packages.forms import show_refusal, submitted

from .. import events_rules as rules
from .. import events_selectors as selectors
from ..events_forms import FeedbackForm
from ..events_permissions import get_booking_for_member, get_event_for_member
from ..events_services import book_place, cancel_booking, give_feedback, when
from ..services import VolunteeringError


@login_required
@require_GET
def event_list(request):
    """Published events not yet started, soonest first, a page at a time with the places
    left: the membership, the count and the page (places counted in it), however many."""
    organisation, _membership = get_own_organisation(request.user)
    return render(
        request,
        "volunteering/events/member_list.html",
        {
            "organisation": organisation,
            "page": page_of(request, selectors.upcoming(timezone.now())),
        },
    )


def _detail(request, event, error=""):
    booking = selectors.live_booking(request.user, event)
    holding = event.bookings.filter(status__in=rules.HOLDING_A_PLACE).count()
    now = timezone.now()
    return render(
        request,
        "volunteering/events/member_detail.html",
        {
            "event": event,
            "when": when(event),
            "booking": booking,
            "places_left": rules.places_free(event.capacity, holding),
            "error": error,
            "can_book": booking is None
            and event.status == rules.PUBLISHED
            and event.starts_at > now,
            "can_cancel": booking is not None
            and bool(
                rules.may_cancel_booking(
                    status=booking.status,
                    starts_at=event.starts_at,
                    now=now,
                    event_status=event.status,
                )
            ),
        },
    )


@login_required
@require_GET
def event_detail(request, pk):
    """One event: its details, the person's booking (with the joining link once they have a
    place), and the button to book or cancel."""
    event, _membership = get_event_for_member(request.user, pk)
    return _detail(request, event)


@login_required
@require_POST
def event_book(request, pk):
    """Book a place, or join the waiting list when it is full; a refusal (started, already
    booked by a double click) is shown on the event's page and changes nothing."""
    event, _membership = get_event_for_member(request.user, pk)
    try:
        booking = book_place(event=event, by=request.user)
    except VolunteeringError as exc:
        return _detail(request, event, exc.reason)
    if booking.status == rules.BOOKED:
        messages.success(request, _("You have a place on this event."))
    else:
        messages.success(
            request,
            _(
                "The event is full, so you are on the waiting list (number %(n)s). We will email "
                "you if a place comes free."
            )
            % {"n": booking.position},
        )
    return redirect("volunteering:event", event.pk)


@login_required
@require_GET
def booking_list(request):
    """The person's bookings, the latest event first, a page at a time (with each event and
    any feedback): the membership, the count and the page."""
    organisation, _membership = get_own_organisation(request.user)
    return render(
        request,
        "volunteering/events/member_bookings.html",
        {
            "organisation": organisation,
            "page": page_of(request, selectors.bookings_for(request.user)),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    """Cancel a place (or leave the waiting list) after the person confirms."""
    booking = get_booking_for_member(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            cancel_booking(booking=booking, by=request.user)
        except VolunteeringError as exc:
            error = exc.reason
        else:
            messages.success(request, _("Your booking has been cancelled."))
            return redirect("volunteering:event_bookings")
    allowed = rules.may_cancel_booking(
        status=booking.status,
        starts_at=booking.event.starts_at,
        now=timezone.now(),
        event_status=booking.event.status,
    )
    return render(
        request,
        "volunteering/events/member_cancel.html",
        {
            "booking": booking,
            "event": booking.event,
            "when": when(booking.event),
            "error": error,
            "allowed": allowed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_feedback(request, pk):
    """An attendee's rating and comment, once, after the event; a refusal keeps what was
    typed."""
    booking = get_booking_for_member(request.user, pk)
    form = FeedbackForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            give_feedback(
                booking=booking,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Thank you: your feedback has been sent."))
            return redirect("volunteering:event_bookings")
    allowed = rules.may_give_feedback(
        booking_status=booking.status,
        ends_at=booking.event.ends_at,
        now=timezone.now(),
        already=hasattr(booking, "feedback"),
    )
    return render(
        request,
        "volunteering/events/member_feedback.html",
        {
            "booking": booking,
            "event": booking.event,
            "when": when(booking.event),
            "form": form,
            "allowed": allowed,
        },
    )
