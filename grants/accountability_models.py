"""Holding a representative to account, and the applicant's right of appeal.

- `MonitoringReport`: one per instalment of an accepted award, created when the
  offer is accepted. The representative sends it after its period; an officer
  accepts it (which pays that period's instalment as spend on the ledger, the
  report then pointing at the ledger entry) or asks for more. Its shape, shared
  with every award, is allowances.instalment_models.InstalmentReport.
- `Concern`: "I feel misrepresented", raised by anyone without an account. It
  exists unconfirmed until the person follows the link sent to their email
  address; then it has a reference, the representative is asked to respond by
  a date, and an officer records an outcome. Its email address is never
  published and is kept only to tell the person the outcome.
- `Appeal`: an unsuccessful applicant's appeal against a community's final
  decision, reviewed by a manager who was not on the panel.
- `CollectiveMeeting` and `CollectiveIssue`: what officers record of the
  meetings across communities and the issues more than one representative
  raised, with the council's response; every representative sees them.

The representative is the accepted `CommunityDecision` (the award), so every
row here hangs off the decision that made it a representative.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from allowances.instalment_models import (  # noqa: F401 (ReportStatus: this app's name too)
    InstalmentReport,
    ReportStatus,
    report_constraints,
)


class MonitoringReport(InstalmentReport):
    """The representative's report for one period of the grant; accepting it pays that
    period's instalment (the shared shape and moves: allowances.instalment_*)."""

    decision = models.ForeignKey(
        "grants.CommunityDecision", on_delete=models.PROTECT, related_name="reports"
    )
    # What the representative reports (section B's accountability requirements).
    engagement_activities = models.TextField(blank=True)
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    issues_raised = models.TextField(blank=True)
    feedback_given = models.TextField(blank=True)
    community_views = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "period"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "period"], name="report_once_per_period"),
            *report_constraints("report"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="report_status_due")]

    def __str__(self):
        return f"Report {self.period} for decision {self.decision_id}"


class ConcernStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Email address not confirmed yet"
    AWAITING_RESPONSE = "awaiting_response", "Waiting for the representative's response"
    AWAITING_REVIEW = "awaiting_review", "Waiting for the council's review"
    CLOSED = "closed", "Outcome given"


class ConcernOutcome(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    ADVICE = "advice", "Advice given to the representative"
    IMPROVEMENT_PLAN = "improvement_plan", "Improvement plan agreed with the representative"
    GRANT_REVIEW = "grant_review", "Review of the grant"


class Concern(models.Model):
    """Someone feels misrepresented by a representative."""

    Status = ConcernStatus
    Outcome = ConcernOutcome

    representative = models.ForeignKey(
        "grants.CommunityDecision", on_delete=models.PROTECT, related_name="concerns"
    )
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default="unconfirmed")
    # Never published; kept to tell the person the outcome.
    name = models.CharField(max_length=150, blank=True)
    # Blank once the outcome is given, and on a review the yearly verdict opened.
    email = models.EmailField(blank=True)
    what_happened = models.TextField()
    # A hash of the link's token (the token itself is only in the email), and of the
    # network address the concern came from, for the rate limits.
    token_hash = models.CharField(max_length=64, unique=True)
    source_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(null=True, blank=True)
    response_reminded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ConcernOutcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConcernStatus.values), name="concern_status_valid"
            ),
            models.CheckConstraint(condition=~Q(what_happened=""), name="concern_says_what"),
            models.CheckConstraint(
                condition=Q(
                    status="unconfirmed", confirmed_at__isnull=True, respond_by__isnull=True
                )
                | (
                    ~Q(status="unconfirmed")
                    & Q(confirmed_at__isnull=False, respond_by__isnull=False)
                ),
                name="concern_confirmed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", outcome__in=ConcernOutcome.values)
                & ~Q(outcome_reasons="")
                & Q(decided_at__isnull=False, decided_by__isnull=False)
                | (~Q(status="closed") & Q(outcome="", decided_at__isnull=True)),
                name="concern_closed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "respond_by"], name="concern_status_due"),
            models.Index(fields=["email", "created_at"], name="concern_email_recent"),
            models.Index(fields=["source_hash", "created_at"], name="concern_source_recent"),
        ]

    def __str__(self):
        return f"Concern {self.reference}"

    @property
    def reference(self) -> str:
        return f"VCS-CON-{self.pk:06d}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the decision will be made again"
    NOT_UPHELD = "not_upheld", "Not upheld: the decision stands"


class Appeal(models.Model):
    """An unsuccessful applicant's appeal against its community's final decision."""

    Outcome = AppealOutcome

    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="appeal"
    )
    decision = models.ForeignKey(
        "grants.CommunityDecision", on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField()
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-lodged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(grounds=""), name="appeal_has_grounds"),
            models.CheckConstraint(
                condition=Q(outcome="", reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(
                    outcome__in=AppealOutcome.values,
                    reviewed_at__isnull=False,
                    reviewed_by__isnull=False,
                )
                & ~Q(outcome_reasons=""),
                name="appeal_outcome_has_reasons",
            ),
        ]

    def __str__(self):
        return f"Appeal against the decision on application {self.application_id}"


class CollectiveMeeting(models.Model):
    """A meeting of representatives across communities, as officers record it."""

    title = models.CharField(max_length=200)
    held_on = models.DateField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d %B %Y})"


class CollectiveIssue(models.Model):
    """An issue raised by more than one representative, and the council's response."""

    meeting = models.ForeignKey(
        CollectiveMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    raised_by = models.ManyToManyField("grants.CommunityDecision", related_name="collective_issues")
    council_response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(council_response="", responded_at__isnull=True)
                | (~Q(council_response="") & Q(responded_at__isnull=False)),
                name="collective_issue_response_has_date",
            ),
        ]

    def __str__(self):
        return self.title
