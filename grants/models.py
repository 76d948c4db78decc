"""Section B: communities of interest, and the grant rounds that choose their representatives.

A round is set up as a draft (from the template of section B's criteria, in
`template.py`), published, and withdrawn if it must stop; its phase (not open
yet, open, closed) follows from its dates and is never stored. Its criteria,
scoring scale and the communities it is open to are rows of their own, so
the applications, scores and awards still to come can point at them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from allowances.instalment_models import PaymentSchedule  # noqa: F401 (this app's name too)
from allowances.models import BudgetStrand

from . import rules
from .accountability_models import (  # noqa: F401
    Appeal,
    CollectiveIssue,
    CollectiveMeeting,
    Concern,
    MonitoringReport,
)

# The applications live in a module of their own; imported here so Django finds them.
from .application_models import (  # noqa: F401
    Answer,
    Application,
    ApplicationEvidence,
    ConsortiumMember,
    EvidenceKind,
)
from .assessment_models import (  # noqa: F401
    Assessment,
    CommunityDecision,
    CriterionMark,
    DecisionOutcome,
    ModeratedMark,
    PanelMember,
)
from .voice_models import Consultation, Voice  # noqa: F401

MONEY = {"max_digits": 12, "decimal_places": 2}


class Characteristic(models.TextChoices):
    """The protected characteristics in scope (section B); age and disability are not."""

    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    RACE = "race", "Race"
    RELIGION_OR_BELIEF = "religion_or_belief", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class CommunityOfInterest(models.Model):
    """A specific community within a characteristic: one faith community, not "all faiths"."""

    characteristic = models.CharField(max_length=32, choices=Characteristic.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people in the city, where the council knows."
    )
    population_source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["characteristic", "name"]
        verbose_name_plural = "communities of interest"
        constraints = [
            models.CheckConstraint(
                condition=Q(characteristic__in=Characteristic.values),
                name="community_characteristic_valid",
            ),
            models.UniqueConstraint(
                "characteristic", Lower("name"), name="community_name_unique_in_characteristic"
            ),
            # A figure the council cannot source is not a figure to rely on.
            models.CheckConstraint(
                condition=Q(population__isnull=True) | ~Q(population_source=""),
                name="community_population_has_source",
            ),
        ]

    def __str__(self):
        return self.name

    def size_decision(self, city: rules.CityPopulation):
        return rules.community_size_decision(self.population, city)


class RoundStatus(models.TextChoices):
    DRAFT = rules.DRAFT, "Draft"
    PUBLISHED = rules.PUBLISHED, "Published"
    WITHDRAWN = rules.WITHDRAWN, "Withdrawn"


class GrantRoundQuerySet(models.QuerySet):
    def public(self):
        """Rounds the public may look at: published, or withdrawn after being published."""
        return self.filter(
            status__in=[RoundStatus.PUBLISHED, RoundStatus.WITHDRAWN], published_at__isnull=False
        )

    def still_to_close(self, now):
        """Published rounds open now or opening later."""
        return self.filter(status=RoundStatus.PUBLISHED, closes_at__gt=now)


class GrantRound(models.Model):
    """A competitive round: organisations apply to represent a community of interest."""

    Status = RoundStatus

    name = models.CharField(max_length=150)
    summary = models.TextField("about the round", help_text="Shown at the top of its public page.")
    strand = models.ForeignKey(BudgetStrand, on_delete=models.PROTECT, related_name="grant_rounds")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    total = models.DecimalField(**MONEY)
    amount_per_community = models.DecimalField(**MONEY)
    period_starts_on = models.DateField("grant period starts")
    period_ends_on = models.DateField("grant period ends")
    payment_schedule = models.CharField(
        max_length=16, choices=PaymentSchedule.choices, default=PaymentSchedule.QUARTERLY
    )
    status = models.CharField(
        max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT, db_index=True
    )
    communities = models.ManyToManyField(
        CommunityOfInterest, through="RoundCommunity", related_name="rounds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # The community's own voice (grants.voice_models): how long backing stays open after
    # the round closes, when in each year of the grant the verdict is asked and for how
    # long (the same number of days), and the average rating under which it opens a review.
    backing_days = models.PositiveSmallIntegerField(
        "days the community has to back an applicant", default=21
    )
    verdict_after_months = models.PositiveSmallIntegerField(
        "months into each year of the grant when the community is asked its verdict", default=9
    )
    verdict_threshold = models.DecimalField(
        "average verdict under which a review opens",
        max_digits=3,
        decimal_places=2,
        default=Decimal("2.50"),
    )

    objects = GrantRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="grant_round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(payment_schedule__in=PaymentSchedule.values),
                name="grant_round_schedule_valid",
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0, amount_per_community__gt=0)
                & Q(amount_per_community__lte=F("total")),
                name="grant_round_amounts_positive_within_total",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="grant_round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(period_ends_on__gt=F("period_starts_on")),
                name="grant_round_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="grant_round_published_has_time",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="withdrawn", withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")
                )
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="grant_round_withdrawn_has_time_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(backing_days__gte=1, backing_days__lte=90)
                & Q(verdict_after_months__gte=1, verdict_after_months__lte=12)
                & Q(verdict_threshold__gte=1, verdict_threshold__lte=5),
                name="grant_round_voice_settings_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT

    def phase(self, now=None) -> str:
        return rules.round_phase(
            status=self.status,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            now=now or timezone.now(),
        )

    @property
    def phase_words(self) -> str:
        return rules.PHASE_WORDS[self.phase()]

    @property
    def is_open(self) -> bool:
        return self.phase() == rules.OPEN

    @property
    def opens_words(self) -> str:
        return rules.when_words(self.opens_at)

    @property
    def closes_words(self) -> str:
        return rules.when_words(self.closes_at)

    def instalments(self):
        """The instalments of one community's award, on the round's schedule."""
        return rules.instalments(
            self.amount_per_community,
            start=self.period_starts_on,
            end=self.period_ends_on,
            schedule=self.payment_schedule,
        )


class RoundCommunity(models.Model):
    """A community a round is open to. Applications and the one award per community hang here."""

    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="round_communities"
    )
    community = models.ForeignKey(
        CommunityOfInterest, on_delete=models.PROTECT, related_name="round_entries"
    )

    class Meta:
        ordering = ["community__characteristic", "community__name"]
        verbose_name_plural = "round communities"
        constraints = [
            models.UniqueConstraint(fields=["round", "community"], name="round_community_once"),
        ]

    def __str__(self):
        return f"{self.community} in {self.round}"


class CriterionKind(models.TextChoices):
    MUST_HAVE = "must_have", "Must-have (pass or fail)"
    SCORED = "scored", "Scored"


class CriterionSection(models.TextChoices):
    ELIGIBILITY = "eligibility", "Criteria for the organisation"
    REPRESENTATION = "representation", "How it will represent the community"


class AutomaticCheck(models.TextChoices):
    """Must-haves the service checks itself (grants.rules), not the assessors."""

    NONE = "", "Checked by the assessors"
    BASED_IN_AREA = "based_in_area", "Checked from the organisation's registered postcode"
    COMMUNITY_SIZE = "community_size", "Checked from the community's size"


# The longest answer a criterion may ask for.
MAX_WORD_LIMIT = 3000


class RoundCriterion(models.Model):
    """One criterion of a round: a must-have (pass or fail) or scored, with its weight."""

    Kind = CriterionKind
    Section = CriterionSection

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    section = models.CharField(
        max_length=16, choices=CriterionSection.choices, default=CriterionSection.ELIGIBILITY
    )
    kind = models.CharField(max_length=16, choices=CriterionKind.choices)
    automatic_check = models.CharField(
        max_length=16, choices=AutomaticCheck.choices, blank=True, default=AutomaticCheck.NONE
    )
    title = models.CharField(max_length=150)
    question = models.TextField(help_text="What the applicant is asked.")
    guidance = models.TextField(blank=True, help_text="What a good answer shows, and evidence.")
    word_limit = models.PositiveSmallIntegerField()
    weight = models.PositiveSmallIntegerField(null=True, blank=True)
    minimum_score = models.PositiveSmallIntegerField(null=True, blank=True)
    # Assessors see the community's backing (grants.voice_models) beside this criterion.
    shows_backing = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CriterionKind.values), name="round_criterion_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(section__in=CriterionSection.values),
                name="round_criterion_section_valid",
            ),
            models.CheckConstraint(
                condition=Q(automatic_check__in=AutomaticCheck.values),
                name="round_criterion_check_valid",
            ),
            models.CheckConstraint(
                condition=Q(word_limit__gte=1, word_limit__lte=MAX_WORD_LIMIT),
                name="round_criterion_word_limit_range",
            ),
            # Written with IS NULL tests: a comparison with NULL lets a CHECK through.
            models.CheckConstraint(
                condition=Q(kind="scored", weight__isnull=False, weight__gte=1)
                & (
                    Q(minimum_score__isnull=True)
                    | Q(minimum_score__gte=rules.SCALE_MIN, minimum_score__lte=rules.SCALE_MAX)
                )
                & Q(automatic_check="")
                | Q(kind="must_have", weight__isnull=True, minimum_score__isnull=True),
                name="round_criterion_weight_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["round", "position"], name="round_criterion_position_unique"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_scored(self) -> bool:
        return self.kind == CriterionKind.SCORED


class ScaleLevel(models.Model):
    """What one score (0 to 4) means in a round: every scored criterion is marked on it."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="scale")
    score = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    descriptor = models.TextField()

    class Meta:
        ordering = ["round", "score"]
        constraints = [
            models.UniqueConstraint(fields=["round", "score"], name="scale_level_once"),
            models.CheckConstraint(
                condition=Q(score__gte=rules.SCALE_MIN, score__lte=rules.SCALE_MAX),
                name="scale_level_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.score}: {self.label}"
