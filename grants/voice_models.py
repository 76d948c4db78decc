"""The community's own voice: backing an applicant during a round, and the yearly verdict.

- `Consultation`: one time window in which the people of one community may
  speak. A *backing* consultation opens when a round closes, for each community
  with a sent application, and asks them to back one applicant or none of
  them. A *verdict* consultation opens once in each year of an accepted grant
  and asks how well the representative represents them (1 to 5). When its
  window ends, the closing job deletes every raw email address it holds, and a
  verdict's result is fixed (a result under the round's threshold opens a
  review through the concern process: `review`).
- `Voice`: one person's say in one consultation. It is unconfirmed until the
  person follows the link emailed to them (or counted at once when an officer
  records it for them: assisted). One counted voice per person per
  consultation, by a keyed hash of their email address (or, assisted without
  an address, of their name and postcode). Backing again replaces the choice.
  The moderator may set a voice aside with a reason; an officer checks each
  comment before assessors see it. Comments are never published.

Special category data (a faith or an ethnic community, say): the raw address is
kept only while the window is open, so that the person can change their mind
and be told if their voice is set aside; after it, only the hash, the postcode
district and the choice remain (docs/dpia-community-voices.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsultationKind(models.TextChoices):
    BACKING = "backing", _("Backing an applicant")
    VERDICT = "verdict", _("Verdict on the representative")


class Consultation(models.Model):
    """A window in which one community may speak: back an applicant, or judge its
    representative."""

    Kind = ConsultationKind

    kind = models.CharField(max_length=8, choices=ConsultationKind.choices)
    round_community = models.ForeignKey(
        "grants.RoundCommunity", on_delete=models.PROTECT, related_name="consultations"
    )
    # Verdicts only: the accepted award (the representative) and the year of its grant.
    representative = models.ForeignKey(
        "grants.CommunityDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the closing job once the window has ended: raw addresses deleted, and a
    # verdict's result fixed with the threshold in force then.
    closed_at = models.DateTimeField(null=True, blank=True)
    threshold = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    review = models.OneToOneField(
        "grants.Concern",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdict",
    )
    # Set by the retention job a year after the grant period ends (voice_rules.kept_until):
    # comments, hashes and districts deleted; only the anonymous counts remain.
    forgotten_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConsultationKind.values), name="consultation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="backing",
                    representative__isnull=True,
                    year__isnull=True,
                    review__isnull=True,
                    threshold__isnull=True,
                )
                | Q(kind="verdict", representative__isnull=False, year__gte=1),
                name="consultation_kind_has_its_fields",
            ),
            models.UniqueConstraint(
                fields=["round_community"],
                condition=Q(kind="backing"),
                name="consultation_backing_once",
            ),
            models.UniqueConstraint(
                fields=["representative", "year"],
                condition=Q(kind="verdict"),
                name="consultation_verdict_once_a_year",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="consultation_to_close")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.round_community}"

    @property
    def is_backing(self) -> bool:
        return self.kind == ConsultationKind.BACKING


class VoiceStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email address not confirmed yet")
    COUNTED = "counted", _("Counted")
    SET_ASIDE = "set_aside", _("Set aside by the moderator")


class CommentStatus(models.TextChoices):
    NONE = "", _("No comment")
    WAITING = "waiting", _("Waiting for an officer's check")
    APPROVED = "approved", _("Checked: shown to assessors")
    WITHHELD = "withheld", _("Withheld by an officer")


class AssistedHow(models.TextChoices):
    ONLINE = "", _("Online, by the person")
    PHONE = "phone", _("Taken on the phone")
    EVENT = "event", _("Taken at a community event")


RATINGS = range(1, 6)


class Voice(models.Model):
    """One person's say in one consultation: which applicant they back (none: "none of
    these"), or their rating of the representative, with an optional comment."""

    Status = VoiceStatus
    CommentStatus = CommentStatus
    AssistedHow = AssistedHow

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="voices")
    status = models.CharField(
        max_length=12, choices=VoiceStatus.choices, default=VoiceStatus.UNCONFIRMED
    )
    # Backing: the applicant backed, or none for "none of these". Verdict: the rating.
    application = models.ForeignKey(
        "grants.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voices",
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    comment_status = models.CharField(
        max_length=8, choices=CommentStatus.choices, blank=True, default=CommentStatus.NONE
    )
    comment_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment_checked_at = models.DateTimeField(null=True, blank=True)
    # Who the person is, as little as will do: a keyed hash (voice_rules.person_hash)
    # for the one-voice rule, and the postcode district. The raw address only while
    # the window is open (the closing job blanks it).
    person_hash = models.CharField(max_length=64)
    email = models.EmailField(blank=True)
    postcode_district = models.CharField(max_length=4)
    # The confirmation link (its SHA-256; unconfirmed voices only), and the keyed hash of
    # the network it came from, for the rate limits and the burst flag.
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    source_hash = models.CharField(max_length=64, blank=True)
    # Why the service flagged it to the moderator (a burst, a throwaway domain); it still
    # counts unless the moderator sets it aside.
    flag = models.CharField(max_length=200, blank=True)
    assisted_how = models.CharField(
        max_length=8, choices=AssistedHow.choices, blank=True, default=AssistedHow.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    set_aside_reason = models.TextField(blank=True)
    set_aside_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_aside_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "-confirmed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VoiceStatus.values), name="voice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(comment_status__in=CommentStatus.values),
                name="voice_comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(assisted_how__in=AssistedHow.values), name="voice_assisted_valid"
            ),
            # One voice per person per consultation: unconfirmed ones wait beside it.
            models.UniqueConstraint(
                fields=["consultation", "person_hash"],
                condition=~Q(status="unconfirmed"),
                name="voice_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="unconfirmed", confirmed_at__isnull=True)
                & Q(token_hash__isnull=False)
                | (
                    ~Q(status="unconfirmed")
                    & Q(confirmed_at__isnull=False, token_hash__isnull=True)
                ),
                name="voice_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="set_aside", set_aside_at__isnull=False)
                & Q(set_aside_by__isnull=False)
                & ~Q(set_aside_reason="")
                | (~Q(status="set_aside") & Q(set_aside_at__isnull=True)),
                name="voice_set_aside_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="voice_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(application__isnull=True) | Q(rating__isnull=True),
                name="voice_backs_or_rates",
            ),
            models.CheckConstraint(
                condition=Q(comment="", comment_status="")
                | (~Q(comment="") & ~Q(comment_status="")),
                name="voice_comment_has_status",
            ),
            models.CheckConstraint(
                condition=Q(assisted_how="") | Q(recorded_by__isnull=False),
                name="voice_assisted_has_officer",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "status"], name="voice_consultation_status"),
            models.Index(fields=["person_hash", "created_at"], name="voice_person_recent"),
            models.Index(fields=["source_hash", "created_at"], name="voice_source_recent"),
            models.Index(fields=["comment_status"], name="voice_comment_waiting"),
        ]

    def __str__(self):
        return f"Voice {self.pk} in consultation {self.consultation_id}"

    @property
    def is_assisted(self) -> bool:
        return bool(self.assisted_how)
