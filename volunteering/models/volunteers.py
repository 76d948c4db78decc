"""Volunteers, their interest in opportunities, placements and hours.

- `Volunteer`: a member of the public's volunteer profile (the volunteer role): the least
  we need to suggest roles and pass on interest. A person is a volunteer when they have one.
- `EqualityMonitoring`: optional, asked separately, with consent; never shown to
  organisations, and counted only in reports.
- `Interest`: a volunteer's interest in a published opportunity, and the organisation's
  answer (volunteer_rules.INTEREST_TRANSITIONS). The organisation sees the volunteer's
  contact details through it, and only through it.
- `Placement`: an accepted interest; hours are logged against it.
- `HourEntry`: hours on a date, logged by one side and confirmed by the other.

When a volunteer deletes their account, their interests and placements keep their
opportunity, dates and hours with no volunteer (`volunteer` set to null and any words
they wrote blanked): the statistics still add up, and nothing says who it was.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import volunteer_rules as vr


class AgeBand(models.TextChoices):
    UNDER_18 = "16-17", _("16 or 17")
    B18 = "18-24", _("18 to 24")
    B25 = "25-34", _("25 to 34")
    B35 = "35-49", _("35 to 49")
    B50 = "50-64", _("50 to 64")
    B65 = "65+", _("65 or over")


class ContactBy(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class Volunteer(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer"
    )
    postcode_district = models.CharField(max_length=4)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    # Their interests: the council's priority themes they would like to help with.
    themes = models.ManyToManyField(
        "organisations.PriorityTheme", blank=True, related_name="+", verbose_name="interests"
    )
    skills = models.TextField(blank=True)
    weekday_daytimes = models.BooleanField(default=False)
    weekday_evenings = models.BooleanField(default=False)
    weekends = models.BooleanField(default=False)
    hours_a_week = models.DecimalField(
        "hours a week you could give", max_digits=3, decimal_places=1, null=True, blank=True
    )
    contact_by = models.CharField(max_length=5, choices=ContactBy.choices, default=ContactBy.EMAIL)
    phone = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Signing in, or any change they make; the inactivity job reads it.
    last_active_at = models.DateTimeField(default=timezone.now)
    deletion_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(age_band__in=AgeBand.values), name="volunteer_age_band_valid"
            ),
            models.CheckConstraint(
                condition=~Q(contact_by=ContactBy.PHONE) | ~Q(phone=""),
                name="volunteer_phone_when_contact_by_phone",
            ),
        ]
        indexes = [models.Index(fields=["last_active_at"], name="volunteer_last_active")]

    def __str__(self):
        # No name or address: this is what the audit trail keeps of a volunteer.
        return f"Volunteer {self.pk}"

    @property
    def availability(self) -> list[str]:
        return [
            str(words)
            for on, words in (
                (self.weekday_daytimes, _("weekday daytimes")),
                (self.weekday_evenings, _("weekday evenings")),
                (self.weekends, _("weekends")),
            )
            if on
        ]


class EqualityMonitoring(models.Model):
    """Answers given with consent, each may be "Prefer not to say"; deleted with the
    volunteer, and never shown to an organisation."""

    volunteer = models.OneToOneField(Volunteer, on_delete=models.CASCADE, related_name="equality")
    consented_at = models.DateTimeField(default=timezone.now)
    gender = models.CharField(max_length=40, blank=True)
    ethnic_group = models.CharField(max_length=60, blank=True)
    disabled = models.CharField(max_length=20, blank=True)

    def __str__(self):
        return f"Equality monitoring for volunteer {self.volunteer_id}"


class InterestStatus(models.TextChoices):
    SENT = vr.SENT, _("Waiting for an answer")
    TALKING = vr.TALKING, _("The organisation wants to talk")
    ACCEPTED = vr.ACCEPTED, _("Accepted")
    DECLINED = vr.DECLINED, _("Declined")
    WITHDRAWN = vr.WITHDRAWN, _("Withdrawn")


class Interest(models.Model):
    Status = InterestStatus

    opportunity = models.ForeignKey(
        "volunteering.Opportunity", on_delete=models.PROTECT, related_name="interests"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="interests"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=InterestStatus.choices, default=vr.SENT)
    decline_reason = models.TextField(blank=True)
    # Set by a broker who suggested the opportunity to the volunteer.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="interest_status_created"),
            models.Index(fields=["opportunity", "status"], name="interest_opportunity_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InterestStatus.values), name="interest_status_valid"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "opportunity"],
                condition=Q(status__in=vr.LIVE_INTEREST, volunteer__isnull=False),
                name="interest_one_live_per_volunteer",
            ),
            models.CheckConstraint(
                condition=~Q(status=vr.DECLINED) | ~Q(decline_reason=""),
                name="interest_declined_with_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=vr.SENT)
                | Q(answered_at__isnull=False)
                # withdrawn before any answer
                | Q(status=vr.WITHDRAWN),
                name="interest_answered_when_moved",
            ),
        ]

    def __str__(self):
        return f"Interest {self.pk} in {self.opportunity_id}"


class PlacementStatus(models.TextChoices):
    ACTIVE = vr.ACTIVE, _("Active")
    ENDED = vr.ENDED, _("Ended")


class Placement(models.Model):
    Status = PlacementStatus

    interest = models.OneToOneField(Interest, on_delete=models.PROTECT, related_name="placement")
    status = models.CharField(max_length=6, choices=PlacementStatus.choices, default=vr.ACTIVE)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=vr.ACTIVE, ended_on__isnull=True)
                | Q(status=vr.ENDED, ended_on__isnull=False),
                name="placement_ended_on_iff_ended",
            ),
        ]

    def __str__(self):
        return f"Placement {self.pk}"


class HoursStatus(models.TextChoices):
    LOGGED = vr.LOGGED, _("Waiting to be confirmed")
    CONFIRMED = vr.CONFIRMED, _("Confirmed")
    QUERIED = vr.QUERIED, _("Queried")


class HourEntry(models.Model):
    Status = HoursStatus

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="hours")
    on = models.DateField("date")
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    # Who logged it: the volunteer, or the organisation (the other side confirms).
    by_volunteer = models.BooleanField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=HoursStatus.choices, default=vr.LOGGED)
    query_reason = models.CharField(max_length=200, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name_plural = "hour entries"
        indexes = [models.Index(fields=["status", "on"], name="hours_status_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=vr.MAX_HOURS_A_DAY), name="hours_0_to_24"
            ),
            models.CheckConstraint(
                condition=Q(status__in=HoursStatus.values), name="hours_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=vr.QUERIED) | ~Q(query_reason=""),
                name="hours_queried_with_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.hours} hours on {self.on}"
