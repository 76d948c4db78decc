"""Eligibility, self-assessment and diagnostics.

For now only the officer's eligibility decision: the record the eligibility
application flow will write, and that agreeing a package checks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisations.models import Organisation, OrganisationOwnedQuerySet


class EligibilityDecision(models.Model):
    """An officer's decision that an organisation is, or is not, eligible.

    Decisions are never edited: a new decision (a renewal, a reversal) is a new
    row, and the latest one is the one in force.
    """

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="eligibility_decisions"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    valid_from = models.DateField()
    valid_until = models.DateField(
        null=True, blank=True, help_text="The last day the decision holds. Empty if not eligible."
    )
    reasons = models.TextField()
    # The application decided, when the decision came through one (issue 3).
    application = models.ForeignKey(
        "EligibilityApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = ["decided_at", "id"]
        indexes = [models.Index(fields=["organisation", "-decided_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["eligible", "not_eligible"]),
                name="eligibility_outcome_valid",
            ),
            # An eligible decision always says when it runs out.
            models.CheckConstraint(
                condition=Q(outcome="not_eligible")
                | Q(valid_until__isnull=False, valid_until__gte=models.F("valid_from")),
                name="eligibility_eligible_has_period",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_outcome_display()} from {self.valid_from}"


# --- Eligibility criteria, applications and evidence (issue 3)


class CriteriaVersion(models.Model):
    """A numbered set of eligibility criteria. Published versions are never edited."""

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Eligibility criteria version {self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    CHOICE = "choice", "One of a list"
    POSTCODE = "postcode", "A postcode"
    TEXT = "text", "Free text"


class CheckKind(models.TextChoices):
    OFFICER = "officer", "An officer judges"
    ANSWER_IN = "answer_in", "Passes when the answer is one of the accepted answers"
    POSTCODE_IN_AREA = "postcode_in_area", "Passes when the postcode is in the council area"


class Criterion(models.Model):
    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="criteria")
    slug = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120, help_text="Short name, shown to officers.")
    question = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    answer_type = models.CharField(max_length=16, choices=AnswerType.choices)
    # For yes/no and choice answers: [[value, label], ...]. Yes/no uses yes/no.
    choices = models.JSONField(default=list, blank=True)
    check_kind = models.CharField(
        "check", max_length=20, choices=CheckKind.choices, default=CheckKind.OFFICER
    )
    accepted_answers = models.JSONField(default=list, blank=True)
    fail_reason = models.CharField(
        max_length=300, blank=True, help_text="Shown when the automatic check fails."
    )
    detail_prompt = models.CharField(
        max_length=300, blank=True, help_text="If set, also asks for details in a text box."
    )

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="criterion_slug_unique"),
            models.CheckConstraint(
                condition=Q(answer_type__in=AnswerType.values), name="criterion_answer_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(check_kind__in=CheckKind.values), name="criterion_check_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def choice_list(self) -> list[tuple[str, str]]:
        if self.answer_type == AnswerType.YES_NO:
            return [("yes", "Yes"), ("no", "No")]
        return [(value, label) for value, label in self.choices]

    def label_for(self, value: str) -> str:
        return dict(self.choice_list()).get(value, value)


class ApplicationQuerySet(OrganisationOwnedQuerySet):
    def open(self):
        return self.filter(status__in=EligibilityApplication.OPEN_STATUSES)


class EligibilityApplication(models.Model):
    """An organisation's answers and evidence for one eligibility decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        MORE_INFO = "more_info", "More information needed"
        ELIGIBLE = "eligible", "Eligible"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.MORE_INFO)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="eligibility_applications"
    )
    criteria_version = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The application this one started from (a renewal or a second try).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declaration_name = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Not eligible: the reasons. More information needed: what to add or change.
    officer_message = models.TextField(blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "more_info", "eligible", "not_eligible"]
                ),
                name="application_status_valid",
            ),
            # One application in progress per organisation, whoever starts it.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["draft", "submitted", "more_info"]),
                name="one_open_application_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"Eligibility application {self.pk} from {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def reference(self) -> str:
        """The reference the organisation quotes to the council about its application."""
        return f"VCS-ELG-{self.pk:06d}"

    @property
    def is_editable(self) -> bool:
        """Only a draft, or one sent back for more information, can be changed."""
        return self.status in (self.Status.DRAFT, self.Status.MORE_INFO)


class EligibilityAnswer(models.Model):
    application = models.ForeignKey(
        EligibilityApplication, on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class EvidenceKind(models.TextChoices):
    GOVERNING_DOCUMENT = "governing_document", "Governing document"
    EQUALITY_POLICY = "equality_policy", "Equality policy"
    ACCOUNTS = "accounts", "Latest accounts"


class Evidence(models.Model):
    """An uploaded file, stored under a random name outside the web root."""

    Kind = EvidenceKind

    application = models.ForeignKey(
        EligibilityApplication, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=24, choices=EvidenceKind.choices)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_evidence_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


# --- The diagnostic: questionnaire, self-assessment, session, recommendations


class Questionnaire(models.Model):
    """A numbered version of the diagnostic questionnaire.

    A diagnostic keeps the version it was started on, so publishing a new
    version never changes an old result.
    """

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The version new diagnostics start on. Older published versions stay, for
    # the diagnostics answered on them.
    is_current = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_questionnaire",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="current_questionnaire_is_published",
            ),
            # At most one draft: two managers starting a version get the same one.
            models.UniqueConstraint(
                models.Value(True),
                condition=Q(published_at__isnull=True),
                name="one_draft_questionnaire",
            ),
        ]

    def __str__(self):
        return f"Diagnostic questionnaire version {self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Theme(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="themes"
    )
    slug = models.SlugField(max_length=60, help_text="The same across versions, for comparisons.")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    packages = models.ManyToManyField(
        "packages.Package",
        related_name="+",
        blank=True,
        help_text="Packages that address this theme.",
    )

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "slug"], name="theme_slug_unique")
        ]

    def __str__(self):
        return self.name


class Statement(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(max_length=300)
    short = models.CharField(
        max_length=100, help_text="Used in reasons: 'cash-flow forecasting not in place'."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "pk"]

    def __str__(self):
        return self.text


class Diagnostic(models.Model):
    class Status(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", "Self-assessment in progress"
        AWAITING_SESSION = "awaiting_session", "Waiting for a session"
        SESSION_BOOKED = "session_booked", "Session booked"
        COMPLETED = "completed", "Completed"

    OPEN_STATUSES = (Status.SELF_ASSESSMENT, Status.AWAITING_SESSION, Status.SESSION_BOOKED)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="diagnostics"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SELF_ASSESSMENT)
    priority_themes = models.ManyToManyField(Theme, related_name="+", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    self_assessment_submitted_at = models.DateTimeField(null=True, blank=True)
    session_date = models.DateField(null=True, blank=True)
    session_time = models.TimeField(null=True, blank=True)
    session_place = models.CharField(max_length=200, blank=True)
    session_online = models.BooleanField(default=False)
    session_booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_notes = models.TextField(blank=True)
    # The day the diagnostic session took place, as the officer completing it
    # confirmed: the date reports give the diagnostic. It can differ from the
    # booked `session_date` (a session moved at short notice) and from
    # `completed_at` (the notes written up days later).
    session_held_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # Each organisation's first and latest completed diagnostic (distance travelled).
            models.Index(
                fields=["organisation", "status", "completed_at"],
                name="diagnostic_org_completed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "self_assessment",
                        "awaiting_session",
                        "session_booked",
                        "completed",
                    ]
                ),
                name="diagnostic_status_valid",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["self_assessment", "awaiting_session", "session_booked"]),
                name="one_open_diagnostic_per_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="diagnostic_completed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(session_held_on__isnull=False),
                name="diagnostic_completed_has_session_date",
            ),
        ]

    def __str__(self):
        return f"Diagnostic {self.pk} of {self.organisation}"


class Score(models.Model):
    """One statement's score: the organisation's own, and the officer's adjustment."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="scores")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    self_score = models.PositiveSmallIntegerField(null=True, blank=True)
    officer_score = models.PositiveSmallIntegerField(null=True, blank=True)
    officer_note = models.TextField(blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["statement__theme__position", "statement__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "statement"], name="one_score_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=1, self_score__lte=4),
                name="self_score_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(officer_score__isnull=True)
                | Q(officer_score__gte=1, officer_score__lte=4),
                name="officer_score_on_scale",
            ),
        ]

    def __str__(self):
        return f"{self.statement}: {self.final}"

    @property
    def final(self) -> int | None:
        return self.officer_score if self.officer_score is not None else self.self_score


class Recommendation(models.Model):
    """A package recommended for a diagnostic, by the system or an officer, and why."""

    class Source(models.TextChoices):
        SYSTEM = "system", "Ranked from the scores"
        OFFICER = "officer", "Added by an officer"

    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="recommendations"
    )
    package = models.ForeignKey("packages.Package", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    reason = models.TextField()
    source = models.CharField(max_length=8, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "package"],
                condition=Q(removed_at__isnull=True),
                name="one_live_recommendation_per_package",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["system", "officer"]), name="recommendation_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""),
                name="removed_recommendation_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.package} for {self.diagnostic.organisation}"
