"""Assessing a grant round: the panel, each assessor's declaration and marks, the
moderated marks, and the decision for each community.

The marks are in `CriterionMark` (an assessor's) and `ModeratedMark` (the
moderator's): 0 to 4 on a scored criterion, 0 (not met) or 1 (met) on a
must-have the panel judges (`assessment_rules`). The database keeps at most one
live decision per community in a round: an offer, an accepted offer or "no
award". A declined offer steps aside so that the next-ranked may be offered.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .rules import SCALE_MAX, SCALE_MIN


class PanelMember(models.Model):
    """A member of council staff the manager names to assess a round."""

    round = models.ForeignKey("grants.GrantRound", on_delete=models.CASCADE, related_name="panel")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_panels"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessor__full_name", "assessor__email"]
        constraints = [
            models.UniqueConstraint(fields=["round", "assessor"], name="panel_member_once"),
        ]

    def __str__(self):
        return f"{self.assessor} on the panel for {self.round}"


class Assessment(models.Model):
    """One assessor's work on one application: first the conflict declaration, then marks.

    An assessor with a conflict never marks the application (the database
    refuses a submitted assessment with a conflict); one without submits their
    marks once, and only then sees the other assessors'.
    """

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_assessments"
    )
    has_conflict = models.BooleanField()
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "assessor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="assessment_once_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(conflict_details=""),
                name="assessment_conflict_is_described",
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | Q(submitted_at__isnull=True),
                name="assessment_conflicted_never_submitted",
            ),
        ]
        indexes = [models.Index(fields=["assessor", "application"], name="assessment_assessor")]

    def __str__(self):
        return f"{self.assessor}'s assessment of application {self.application_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def _mark_in_range():
    return Q(mark__gte=SCALE_MIN, mark__lte=SCALE_MAX)


class CriterionMark(models.Model):
    """An assessor's mark and comment on one criterion of one application."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(
        "grants.RoundCriterion", on_delete=models.PROTECT, related_name="+"
    )
    mark = models.PositiveSmallIntegerField()
    comment = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="criterion_mark_once"),
            models.CheckConstraint(condition=_mark_in_range(), name="criterion_mark_in_scale"),
            models.CheckConstraint(condition=~Q(comment=""), name="criterion_mark_has_comment"),
        ]

    def __str__(self):
        return f"{self.mark} on criterion {self.criterion_id}"


class ModeratedMark(models.Model):
    """The moderator's mark on one criterion of one application: what the ranking uses."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="moderated_marks"
    )
    criterion = models.ForeignKey(
        "grants.RoundCriterion", on_delete=models.PROTECT, related_name="+"
    )
    mark = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="moderated_mark_once"
            ),
            models.CheckConstraint(condition=_mark_in_range(), name="moderated_mark_in_scale"),
        ]

    def __str__(self):
        return f"Moderated {self.mark} on criterion {self.criterion_id}"


class DecisionOutcome(models.TextChoices):
    OFFERED = "offered", "Award offered"
    ACCEPTED = "accepted", "Award accepted"
    DECLINED = "declined", "Offer declined"
    NO_AWARD = "no_award", "No award made"


LIVE_OUTCOMES = [DecisionOutcome.OFFERED, DecisionOutcome.ACCEPTED, DecisionOutcome.NO_AWARD]


class CommunityDecision(models.Model):
    """The manager's decision for one community in a round: an offer to one application, or
    no award, with the reasons. At most one live decision per community (the database)."""

    Outcome = DecisionOutcome

    round_community = models.ForeignKey(
        "grants.RoundCommunity", on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.ForeignKey(
        "grants.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    # The applicant's answer to an offer; accepting commits the award on the ledger.
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    declaration_name = models.CharField(max_length=150, blank=True)
    decline_reason = models.TextField(blank=True)
    award = models.OneToOneField(
        "allowances.StrandAward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_decision",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values), name="decision_outcome_valid"
            ),
            models.UniqueConstraint(
                fields=["round_community"],
                condition=Q(outcome__in=LIVE_OUTCOMES),
                name="decision_one_live_per_community",
            ),
            models.CheckConstraint(
                condition=Q(outcome="no_award", application__isnull=True, amount__isnull=True)
                | (
                    ~Q(outcome="no_award")
                    & Q(application__isnull=False, amount__isnull=False, amount__gt=0)
                ),
                name="decision_award_names_application_and_amount",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
            # Accepted: who, when, their declaration and the award on the ledger.
            # Declined: who, when and why. Otherwise no answer yet.
            models.CheckConstraint(
                condition=Q(
                    outcome="accepted",
                    award__isnull=False,
                    responded_at__isnull=False,
                    responded_by__isnull=False,
                )
                & ~Q(declaration_name="")
                | Q(
                    outcome="declined",
                    award__isnull=True,
                    responded_at__isnull=False,
                    responded_by__isnull=False,
                )
                & ~Q(decline_reason="")
                | Q(
                    outcome__in=["offered", "no_award"],
                    award__isnull=True,
                    responded_at__isnull=True,
                ),
                name="decision_answer_matches_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} for round community {self.round_community_id}"
