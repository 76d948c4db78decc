"""Section C: volunteering. Brokers at the volunteer centre, and the opportunities they check.

- `Broker`: the broker role, granted by a manager to a person who acts for a
  provider (the volunteer centre under Option 1, or a separate brokerage
  provider under Option 2). One live grant per person; revoking keeps the row.
- `Opportunity`: a volunteering role that a registered organisation's members
  draft and submit; a broker publishes it or sends it back with what to
  change; it closes when filled, withdrawn or past its closing date. Its moves
  are `rules.OPPORTUNITY_TRANSITIONS`, one service each (services.py).

What a broker needs to see is constrained in the database once an opportunity
is submitted or published; a draft may be half filled in, so that nothing an
organisation typed is lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.validators import postcode_district

from .. import rules


class BrokerQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class Broker(models.Model):
    """A grant of the broker role to a person acting for a provider."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broker_grants"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="brokers"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BrokerQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="broker_one_live_grant"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="broker_revoked_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.user} (broker for {self.provider})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class OpportunityStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    SUBMITTED = rules.SUBMITTED, _("Waiting for the volunteer centre's check")
    CHANGES_REQUESTED = rules.CHANGES_REQUESTED, _("Sent back to change")
    PUBLISHED = rules.PUBLISHED, _("Published")
    CLOSED = rules.CLOSED, _("Closed")


class CloseReason(models.TextChoices):
    FILLED = rules.FILLED, _("All places filled")
    LAPSED = rules.LAPSED, _("Closing date passed")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn by the organisation")


class Schedule(models.TextChoices):
    ONE_OFF = rules.ONE_OFF, _("One-off")
    REGULAR = rules.REGULAR, _("Regular")
    FLEXIBLE = rules.FLEXIBLE, _("Flexible")


# A broker must see these before publishing; a draft may lack any of them.
_COMPLETE = (
    ~Q(title="")
    & Q(theme__isnull=False)
    & Q(ends_on__isnull=False)
    & (Q(remote=True) | ~Q(venue_postcode=""))
    & ~Q(schedule="")
    & (~Q(schedule=rules.ONE_OFF) | Q(one_off_date__isnull=False))
    & (~Q(schedule=rules.REGULAR) | Q(hours_a_week__isnull=False))
    & (Q(minimum_age__gte=rules.ADULT) | Q(suitable_for_under_18=True, safeguarding_policy=True))
)


class Opportunity(models.Model):
    """A volunteering role posted by an organisation and checked by a broker."""

    Status = OpportunityStatus
    CloseReason = CloseReason
    Schedule = Schedule

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField(max_length=rules.TITLE_LENGTH)
    description = models.TextField("what the volunteer will do", blank=True)
    skills_wanted = models.TextField(blank=True)
    skills_gained = models.TextField(blank=True)
    theme = models.ForeignKey(
        "organisations.PriorityTheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    # Where: a venue in the council's area (its district kept for the search), or remote.
    remote = models.BooleanField(default=False)
    venue_postcode = models.CharField(max_length=8, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True, editable=False)
    # When: once on a date, regularly for some hours a week, or whenever suits.
    schedule = models.CharField(max_length=8, choices=Schedule.choices, blank=True)
    one_off_date = models.DateField(null=True, blank=True)
    hours_a_week = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    # The closing date: the lapsing job closes it the day after.
    ends_on = models.DateField(null=True, blank=True)
    places = models.PositiveSmallIntegerField("how many volunteers", default=1)
    minimum_age = models.PositiveSmallIntegerField(default=rules.MIN_AGE)
    suitable_for_under_18 = models.BooleanField(default=False)
    safeguarding_policy = models.BooleanField(
        "the organisation has a safeguarding policy", default=False
    )
    dbs_needed = models.BooleanField("a DBS check is needed", default=False)
    accessibility = models.TextField("accessibility of the role and venue", blank=True)
    expenses_paid = models.BooleanField(default=False)

    status = models.CharField(
        max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT
    )
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    sent_back_reason = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "opportunities"
        # The public search (published, by theme or closing date) and the brokers' queue.
        indexes = [
            models.Index(fields=["status", "theme"], name="opportunity_status_theme"),
            models.Index(fields=["status", "ends_on"], name="opportunity_status_ends_on"),
            models.Index(fields=["status", "submitted_at"], name="opportunity_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OpportunityStatus.values), name="opportunity_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(schedule__in=["", *Schedule.values]),
                name="opportunity_schedule_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=rules.CLOSED, close_reason__in=CloseReason.values)
                | (~Q(status=rules.CLOSED) & Q(close_reason="")),
                name="opportunity_close_reason_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1), name="opportunity_at_least_one_place"
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__gte=rules.MIN_AGE, minimum_age__lte=rules.ADULT),
                name="opportunity_minimum_age_16_to_18",
            ),
            models.CheckConstraint(
                condition=Q(hours_a_week__isnull=True)
                | Q(schedule=rules.REGULAR, hours_a_week__gt=0, hours_a_week__lte=40),
                name="opportunity_hours_only_regular_up_to_40",
            ),
            models.CheckConstraint(
                condition=Q(one_off_date__isnull=True) | Q(schedule=rules.ONE_OFF),
                name="opportunity_date_only_one_off",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gt=F("starts_on")),
                name="opportunity_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[rules.SUBMITTED, rules.PUBLISHED]) | _COMPLETE,
                name="opportunity_complete_when_checked",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.CHANGES_REQUESTED) | ~Q(sent_back_reason=""),
                name="opportunity_sent_back_with_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.PUBLISHED)
                | Q(checked_by__isnull=False, published_at__isnull=False),
                name="opportunity_published_by_a_broker",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.postcode_district = postcode_district(self.venue_postcode)
        if kwargs.get("update_fields") is not None and "venue_postcode" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "postcode_district"}
        super().save(*args, **kwargs)

    @property
    def fields(self) -> dict:
        """The organisation's answers, as rules.opportunity_problems reads them."""
        return {name: getattr(self, name) for name in rules.FIELDS}
