"""Section C: training and networking events the volunteer centre runs for volunteer managers.

- `Event`: drafted by a broker, published for members of registered organisations to
  book, or cancelled (everyone booked is emailed). Its moves are
  `events_rules.EVENT_TRANSITIONS`, one service each (events_services.py).
- `Booking`: one person's place on an event (for their organisation), or their place
  in the waiting list (`position`). One live booking per person per event; the capacity
  is kept by the services under a lock on the event's row (a count cannot be a
  constraint). After the event the broker records who attended.
- `Feedback`: an attendee's rating (1 to 5) and comment, once per booking.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events_rules as rules


class EventKind(models.TextChoices):
    TRAINING = rules.TRAINING, _("Training")
    NETWORKING = rules.NETWORKING, _("Networking")


class EventStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    PUBLISHED = rules.PUBLISHED, _("Published")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class BookingStatus(models.TextChoices):
    BOOKED = rules.BOOKED, _("Booked")
    WAITING = rules.WAITING, _("On the waiting list")
    CANCELLED = rules.CANCELLED, _("Cancelled")
    ATTENDED = rules.ATTENDED, _("Attended")
    NO_SHOW = rules.NO_SHOW, _("Did not attend")


class Event(models.Model):
    """A training or networking event for volunteer managers, run by the volunteer centre."""

    Kind = EventKind
    Status = EventStatus

    kind = models.CharField(max_length=12, choices=EventKind.choices)
    title = models.CharField(max_length=rules.TITLE_LENGTH)
    description = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    online = models.BooleanField(default=False)
    venue = models.TextField("venue's address", blank=True)
    # Shown only to people with a place (the event page, the emails), never on the list.
    joining_link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField("places")
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    cancel_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=rules.MAX_CAPACITY),
                name="event_capacity_1_to_max",
            ),
            models.CheckConstraint(
                condition=Q(online=True, joining_link__gt="") | Q(online=False, venue__gt=""),
                name="event_venue_or_joining_link",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.PUBLISHED) | Q(published_at__isnull=False),
                name="event_published_at_when_published",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.CANCELLED) | Q(cancelled_at__isnull=False),
                name="event_cancelled_at_when_cancelled",
            ),
        ]

    def __str__(self):
        return self.title


class Booking(models.Model):
    """One person's place on an event, or their place in its waiting list."""

    Status = BookingStatus

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_bookings"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="event_bookings"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    # Place in the waiting list (lowest first); only while waiting.
    position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    moved_up_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["event", "status"], name="booking_event_status"),
            models.Index(fields=["user", "status"], name="booking_user_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=rules.WAITING, position__isnull=False)
                | (~Q(status=rules.WAITING) & Q(position__isnull=True)),
                name="booking_position_iff_waiting",
            ),
            # A double submission books once: one live booking per person per event.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status=rules.CANCELLED),
                name="booking_one_live_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "position"],
                condition=Q(status=rules.WAITING),
                name="booking_one_person_per_position",
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.event}"

    @property
    def has_place(self) -> bool:
        return self.status in rules.HOLDING_A_PLACE


class Feedback(models.Model):
    """An attendee's rating of an event and what they thought, given once."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=rules.MIN_RATING, rating__lte=rules.MAX_RATING),
                name="feedback_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.rating} for {self.booking_id}"
