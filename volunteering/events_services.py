"""The events' writes: one service per change, each in one transaction, audited.

Every change to an event or its bookings first locks the event's row, then the bookings
it touches (always in that order, so two changes never wait on each other in a circle),
and checks the move again under the lock. That lock is what keeps the capacity: two
people booking the last place at once are served one after the other, so one gets the
place and the other finds the event full and joins the waiting list; a cancellation and
a booking at once never both take the freed place. A refusal raises VolunteeringError
and changes nothing.

Emails (a booking's confirmation, moved up from the waiting list, a published event's
date, place or link changed, the event cancelled, the reminder) are written to the outbox
in the same transaction and sent only once it commits.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from audit.services import record
from notifications.services import absolute_url, queue_for_each
from organisations.permissions import membership_for

from . import events_rules as rules
from .models import Booking, Event, Feedback
from .selectors import is_broker
from .services import VolunteeringError

KIND = "volunteering:event"
FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "online",
    "venue",
    "joining_link",
    "capacity",
)


def _refuse_unless(decision) -> None:
    if not decision:
        raise VolunteeringError(decision.reason)


def _locked_event(event_id: int) -> Event:
    """The event read again under its row lock: the capacity is kept by this lock."""
    return Event.objects.select_for_update().get(pk=event_id)


def _require_broker(user) -> None:
    if not is_broker(user):
        raise VolunteeringError(
            _("Only a broker at the volunteer centre can run events. Nothing was changed.")
        )


def when(event: Event) -> str:
    """The event's date and times in words, in the council's time: "Tuesday 9 June 2026,
    10:00 to 12:30"."""
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day = date_format(starts, "l j F Y")
    if starts.date() != ends.date():
        return _("%(day)s %(start)s to %(end)s") % {
            "day": day,
            "start": time_format(starts, "H:i"),
            "end": date_format(ends, "l j F Y H:i"),
        }
    return f"{day}, {time_format(starts, 'H:i')} to {time_format(ends, 'H:i')}"


def _email(people, event: Event, template: str, key: str, **context) -> None:
    queue_for_each(
        people,
        template=template,
        context={
            "event_title": event.title,
            "when": when(event),
            "online": event.online,
            "venue": event.venue,
            "joining_link": event.joining_link,
            "link": absolute_url(reverse("volunteering:event", args=[event.pk])),
            **context,
        },
        kind=KIND,
        key=key,
    )


def _details(event: Event) -> dict[str, str]:
    """What people booked rely on, in words: told to them when it changes."""
    return {
        "when": when(event),
        "where": _("Online") if event.online else event.venue,
        "link": event.joining_link,
    }


def _email_changes(event: Event, changes: list[dict]) -> None:
    """Tell everyone with a place or on the waiting list what changed, old and new, once
    per change (the key is the event's new version). Only those with a place are told a
    new link to join, as only they are given it."""
    labels = {"when": _("When"), "where": _("Where"), "link": _("Link to join")}
    rows = [{**change, "label": labels[change["what"]]} for change in changes]
    key = f"event_changed:{event.pk}:{event.updated_at.isoformat()}"
    for status in (rules.BOOKED, rules.WAITING):
        told = [row for row in rows if status == rules.BOOKED or row["what"] != "link"]
        if not told:
            continue
        bookings = event.bookings.filter(status=status).select_related("user").order_by("id")
        _email(
            [booking.user for booking in bookings],
            event,
            "event_changed",
            key=key,
            changes=told,
            waiting=status == rules.WAITING,
        )


def _holding(event: Event) -> int:
    return event.bookings.filter(status__in=rules.HOLDING_A_PLACE).count()


def _move_up(event: Event, *, by) -> list[Booking]:
    """Give each free place to the first waiting (rules.moving_up), and email them.
    The caller holds the event's lock."""
    waiting = list(
        event.bookings.select_for_update()
        .filter(status=rules.WAITING)
        .select_related("user")
        .order_by("position")
    )
    moved = rules.moving_up(event.capacity, _holding(event), waiting)
    now = timezone.now()
    for booking in moved:
        booking.status, booking.position, booking.moved_up_at = rules.BOOKED, None, now
        booking.save(update_fields=["status", "position", "moved_up_at", "updated_at"])
        record(
            actor=by,
            action="booking.moved_up",
            obj=booking,
            from_state=rules.WAITING,
            to_state=rules.BOOKED,
        )
        _email(
            [booking.user],
            event,
            "event_moved_up",
            key=f"event_moved_up:{booking.pk}:{now.isoformat()}",
        )
    return moved


# --------------------------------------------------------------- the broker's events


def _cleaned(fields: dict) -> dict:
    cleaned = {name: fields.get(name) for name in FIELDS}
    for name in ("title", "description", "venue", "joining_link"):
        cleaned[name] = (cleaned[name] or "").strip()
    cleaned["online"] = bool(cleaned["online"])
    # Only what was chosen is kept: an online event has no venue, and a venue no link.
    if cleaned["online"]:
        cleaned["venue"] = ""
    else:
        cleaned["joining_link"] = ""
    return cleaned


@transaction.atomic
def save_event(*, by, fields: dict, event: Event | None = None) -> Event:
    """Create an event as a draft, or change one before it starts (not once cancelled).

    More places on a published event move the first waiting up at once; fewer than the
    people already booked are refused. When a published event's date, times, venue or
    online details change, everyone booked or waiting is emailed what changed (a draft's
    changes email nobody).
    """
    if unknown := set(fields) - set(FIELDS):
        raise ValueError(f"not an event's field: {sorted(unknown)}")
    _require_broker(by)
    now = timezone.now()
    holding = 0
    if event is not None:
        event = _locked_event(event.pk)
        if event.status == rules.CANCELLED:
            raise VolunteeringError(_("This event has been cancelled. Nothing was changed."))
        if event.starts_at <= now:
            raise VolunteeringError(
                _("This event has already started, so it can no longer be changed.")
            )
        holding = _holding(event)
    cleaned = _cleaned(fields)
    problems = rules.event_problems(cleaned, now)
    if problem := rules.capacity_problem(cleaned["capacity"], holding):
        problems["capacity"] = problem
    if not cleaned["kind"]:
        problems["kind"] = _("Select whether it is a training or a networking event")
    if problems:
        raise VolunteeringError(next(iter(problems.values())), problems)
    if event is None:
        event = Event.objects.create(created_by=by, **cleaned)
        record(actor=by, action="event.created", obj=event, to_state=rules.DRAFT)
        return event
    before = _details(event)
    changed = sorted(name for name, value in cleaned.items() if getattr(event, name) != value)
    for name in changed:
        setattr(event, name, cleaned[name])
    event.save(update_fields=[*changed, "updated_at"])
    changes = rules.changes_to_tell(before, _details(event))
    record(
        actor=by, action="event.changed", obj=event, data={"fields": changed, "changes": changes}
    )
    if event.status == rules.PUBLISHED:
        _move_up(event, by=by)
        _email_changes(event, changes)
    return event


@transaction.atomic
def publish_event(*, event: Event, by) -> Event:
    """Open a drafted event for booking: a broker only, and only before it starts."""
    _require_broker(by)
    event = _locked_event(event.pk)
    _refuse_unless(rules.may_move_event(event.status, rules.PUBLISHED))
    if event.starts_at <= timezone.now():
        raise VolunteeringError(
            _("This event's start has passed: change its date before publishing it.")
        )
    event.status, event.published_at = rules.PUBLISHED, timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    record(
        actor=by,
        action="event.published",
        obj=event,
        from_state=rules.DRAFT,
        to_state=rules.PUBLISHED,
    )
    return event


@transaction.atomic
def cancel_event(*, event: Event, by, reason: str) -> Event:
    """Cancel an event with a reason, before it starts; everyone booked or waiting is
    emailed (after commit). Their bookings are kept, as the record of who was booked."""
    reason = (reason or "").strip()
    if not reason:
        problems = {"reason": _("Enter why the event is cancelled")}
        raise VolunteeringError(problems["reason"], problems)
    _require_broker(by)
    event = _locked_event(event.pk)
    _refuse_unless(rules.may_move_event(event.status, rules.CANCELLED))
    if event.starts_at <= timezone.now():
        raise VolunteeringError(
            _("This event has already started, so it can no longer be cancelled.")
        )
    was = event.status
    event.status, event.cancel_reason, event.cancelled_at = rules.CANCELLED, reason, timezone.now()
    event.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    record(
        actor=by,
        action="event.cancelled",
        obj=event,
        from_state=was,
        to_state=rules.CANCELLED,
        reason=reason,
    )
    people = [
        booking.user
        for booking in event.bookings.filter(status__in=(rules.BOOKED, rules.WAITING))
        .select_related("user")
        .order_by("id")
    ]
    _email(people, event, "event_cancelled", key=f"event_cancelled:{event.pk}", reason=reason)
    return event


# --------------------------------------------------------------- booking a place


@transaction.atomic
def book_place(*, event: Event, by) -> Booking:
    """Book the person a place on a published event, or, when it is full, a place at the
    end of its waiting list, and email them which (after commit). Refused for an event that
    has started, for someone already booked (a double submission books once), and for
    anyone not in an organisation."""
    membership = membership_for(by)
    event = _locked_event(event.pk)
    live = (
        event.bookings.filter(user=by, status__in=rules.LIVE)
        .values_list("status", flat=True)
        .first()
        if membership is not None
        else None
    )
    _refuse_unless(
        rules.booking_eligibility(
            is_member=membership is not None,
            event_status=event.status,
            starts_at=event.starts_at,
            now=timezone.now(),
            live_booking_status=live,
        )
    )
    if rules.places_free(event.capacity, _holding(event)):
        status, position = rules.BOOKED, None
    else:
        last = event.bookings.filter(status=rules.WAITING).aggregate(last=Max("position"))
        status, position = rules.WAITING, (last["last"] or 0) + 1
    booking = Booking.objects.create(
        event=event,
        user=by,
        organisation=membership.organisation,
        status=status,
        position=position,
    )
    record(
        actor=by,
        action="booking.booked" if status == rules.BOOKED else "booking.waiting",
        obj=booking,
        to_state=status,
    )
    _email(
        [by],
        event,
        "event_booked",
        key=f"event_booked:{booking.pk}",
        waiting=status == rules.WAITING,
        position=position,
    )
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, by) -> Booking:
    """The person cancels their place (or leaves the waiting list) before the event
    starts. A freed place goes at once to the first on the waiting list, who is emailed."""
    event = _locked_event(booking.event_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.user_id != by.pk:
        raise VolunteeringError(_("This is not your booking. Nothing was changed."))
    _refuse_unless(
        rules.may_cancel_booking(
            status=booking.status,
            starts_at=event.starts_at,
            now=timezone.now(),
            event_status=event.status,
        )
    )
    was = booking.status
    booking.status, booking.position, booking.cancelled_at = rules.CANCELLED, None, timezone.now()
    booking.save(update_fields=["status", "position", "cancelled_at", "updated_at"])
    record(
        actor=by, action="booking.cancelled", obj=booking, from_state=was, to_state=rules.CANCELLED
    )
    if was == rules.BOOKED and event.status == rules.PUBLISHED:
        _move_up(event, by=by)
    return booking


# --------------------------------------------------------------- after the event


@transaction.atomic
def record_attendance(*, event: Event, by, present: set[int]) -> int:
    """The broker's register once the event has started: each booking with a place is
    marked attended (its id in `present`) or did not attend. Recording again corrects it;
    only what changed is saved and audited. Returns how many changed."""
    _require_broker(by)
    event = _locked_event(event.pk)
    _refuse_unless(
        rules.may_record_attendance(
            event_status=event.status, starts_at=event.starts_at, now=timezone.now()
        )
    )
    now, changed = timezone.now(), 0
    for booking in event.bookings.select_for_update().filter(status__in=rules.HOLDING_A_PLACE):
        to = rules.ATTENDED if booking.pk in present else rules.NO_SHOW
        if to == booking.status:
            continue
        was = booking.status
        booking.status = to
        booking.attendance_recorded_at, booking.attendance_recorded_by = now, by
        booking.save(
            update_fields=[
                "status",
                "attendance_recorded_at",
                "attendance_recorded_by",
                "updated_at",
            ]
        )
        record(
            actor=by,
            action="booking.attended" if to == rules.ATTENDED else "booking.no_show",
            obj=booking,
            from_state=was,
            to_state=to,
        )
        changed += 1
    return changed


@transaction.atomic
def give_feedback(*, booking: Booking, by, rating, comment: str) -> Feedback:
    """An attendee rates the event (1 to 5) with an optional comment, once, after it ends."""
    comment = (comment or "").strip()
    if problems := rules.feedback_problems(rating, comment):
        raise VolunteeringError(next(iter(problems.values())), problems)
    event = _locked_event(booking.event_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.user_id != by.pk:
        raise VolunteeringError(_("This is not your booking. Nothing was changed."))
    _refuse_unless(
        rules.may_give_feedback(
            booking_status=booking.status,
            ends_at=event.ends_at,
            now=timezone.now(),
            already=Feedback.objects.filter(booking=booking).exists(),
        )
    )
    feedback = Feedback.objects.create(booking=booking, rating=rating, comment=comment)
    record(actor=by, action="feedback.given", obj=booking, data={"rating": rating})
    return feedback


def send_reminders(now) -> int:
    """Email everyone with a place on an event that starts tomorrow (rules.reminder_due),
    once per booking: each booking is locked and skipped if another worker holds it, and
    marked reminded in the same transaction as its email (whose key backs it). Returns how
    many were sent."""
    local = timezone.localtime(now)
    tomorrow = local.date() + timedelta(days=1)
    candidates = (
        Booking.objects.filter(
            status=rules.BOOKED,
            reminded_at__isnull=True,
            event__status=rules.PUBLISHED,
            event__starts_at__date=tomorrow,
        )
        .order_by("id")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("event", "user")
                .filter(pk=pk, status=rules.BOOKED, reminded_at__isnull=True)
                .first()
            )
            if booking is None or not rules.reminder_due(
                starts_at=timezone.localtime(booking.event.starts_at), now=local
            ):
                continue
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at", "updated_at"])
            _email(
                [booking.user], booking.event, "event_reminder", key=f"event_reminder:{booking.pk}"
            )
            sent += 1
    return sent
