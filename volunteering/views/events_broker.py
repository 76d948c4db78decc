"""The brokers' event pages: every event, one event with its bookings, the form to create or
change one, publishing and cancelling it, and the attendance register once it starts.
For people with a live broker grant only; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from .. import events_rules as rules
from .. import events_selectors as selectors
from ..events_forms import AttendanceForm, CancelEventForm, EventForm
from ..events_permissions import get_event_for_broker
from ..events_services import (
    cancel_event,
    publish_event,
    record_attendance,
    save_event,
    when,
)
from ..permissions import require_broker
from ..services import VolunteeringError

# Where a service's problem with the event's times shows on the form.
_ON_THE_FORM = {"starts_at": "day", "ends_at": "end_time"}


def _refused(form, exc) -> None:
    exc.problems = {_ON_THE_FORM.get(name, name): text for name, text in exc.problems.items()}
    show_refusal(form, exc)


@login_required
@require_GET
def event_list(request):
    """Every event, the latest first, a page at a time with its places taken and waiting:
    the broker check, the count and the page (counts grouped in it), however many."""
    require_broker(request.user)
    return render(
        request,
        "volunteering/events/broker_list.html",
        {"page": page_of(request, selectors.for_brokers())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require_broker(request.user)
    form = EventForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = save_event(by=request.user, fields=form.answers())
        except VolunteeringError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, _("The event is saved as a draft. Publish it to open booking.")
            )
            return redirect("volunteering:broker_event", event.pk)
    return render(request, "volunteering/events/broker_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    """Change an event before it starts; sent from a form opened before it started or was
    cancelled, the service refuses and the form comes back with what was typed."""
    event = get_event_for_broker(request.user, pk)
    if request.method == "GET" and (
        event.status == rules.CANCELLED or event.starts_at <= timezone.now()
    ):
        messages.info(request, _("This event can no longer be changed."))
        return redirect("volunteering:broker_event", event.pk)
    form = EventForm(submitted(request), initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            save_event(by=request.user, fields=form.answers(), event=event)
        except VolunteeringError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Your changes to the event have been saved."))
            return redirect("volunteering:broker_event", event.pk)
    return render(request, "volunteering/events/broker_form.html", {"form": form, "event": event})


def _detail(request, event, error=""):
    now = timezone.now()
    started = event.starts_at <= now
    return render(
        request,
        "volunteering/events/broker_detail.html",
        {
            "event": event,
            "when": when(event),
            "page": page_of(request, selectors.bookings_of(event)),
            "holding": event.bookings.filter(status__in=rules.HOLDING_A_PLACE).count(),
            "error": error,
            "can_edit": event.status != rules.CANCELLED and not started,
            "can_publish": event.status == rules.DRAFT and not started,
            "can_cancel": event.status != rules.CANCELLED and not started,
            "can_record": bool(
                rules.may_record_attendance(
                    event_status=event.status, starts_at=event.starts_at, now=now
                )
            ),
        },
    )


@login_required
@require_GET
def event_detail(request, pk):
    """One event, what can be done with it now, and its bookings a page at a time."""
    return _detail(request, get_event_for_broker(request.user, pk))


@login_required
@require_POST
def event_publish(request, pk):
    event = get_event_for_broker(request.user, pk)
    try:
        publish_event(event=event, by=request.user)
    except VolunteeringError as exc:
        return _detail(request, event, exc.reason)
    messages.success(request, _("The event is published: members of organisations can book it."))
    return redirect("volunteering:broker_event", event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, pk):
    """Cancel the event with a reason, after the broker confirms: everyone booked or waiting
    is emailed."""
    event = get_event_for_broker(request.user, pk)
    form = CancelEventForm(submitted(request))
    can_cancel = event.status != rules.CANCELLED and event.starts_at > timezone.now()
    if request.method == "POST" and form.is_valid():
        try:
            cancel_event(event=event, by=request.user, reason=form.cleaned_data["reason"])
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request, _("The event is cancelled. Everyone booked or waiting has been emailed.")
            )
            return redirect("volunteering:broker_event", event.pk)
    return render(
        request,
        "volunteering/events/broker_cancel.html",
        {"event": event, "form": form, "can_cancel": can_cancel},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_attendance(request, pk):
    """The register once the event has started: everyone with a place (at most the event's
    capacity, so one page), ticked if recorded as attended."""
    event = get_event_for_broker(request.user, pk)
    register = list(selectors.register_of(event))
    initial = {"present": [b.pk for b in register if b.status == rules.ATTENDED]}
    form = AttendanceForm(submitted(request), bookings=register, initial=initial)
    allowed = rules.may_record_attendance(
        event_status=event.status, starts_at=event.starts_at, now=timezone.now()
    )
    if request.method == "POST" and allowed and form.is_valid():
        try:
            record_attendance(
                event=event, by=request.user, present=set(form.cleaned_data["present"])
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Attendance has been recorded."))
            return redirect("volunteering:broker_event", event.pk)
    return render(
        request,
        "volunteering/events/broker_attendance.html",
        {
            "event": event,
            "when": when(event),
            "form": form,
            "register": register,
            "allowed": allowed,
        },
    )
