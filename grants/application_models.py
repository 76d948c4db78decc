"""Applications to a grant round: the answers, the evidence, and a consortium's members.

An organisation applies to represent one community a round is open to, or
proposes a community within one of the four characteristics with its own
figure for the community's size. Statuses are data (`application_rules`), one
service each in `application_services`. Kept apart from models.py, which holds
the rounds; models.py imports these so Django finds them, and the foreign keys
to the rounds are by name so this module imports nothing of models.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from organisations.models import Organisation

from . import application_rules as moves

CHARACTERISTICS = ["gender_reassignment", "race", "religion_or_belief", "sexual_orientation"]


class ApplicationStatus(models.TextChoices):
    DRAFT = moves.DRAFT, "Draft"
    SUBMITTED = moves.SUBMITTED, "Sent"
    WITHDRAWN = moves.WITHDRAWN, "Withdrawn"


class EvidenceKind(models.TextChoices):
    """The kinds of evidence an application carries (issue 13); letters of support optional."""

    GOVERNING_DOCUMENT = "governing_document", "Governing document"
    ACCOUNTS = "accounts", "Latest accounts"
    MAKE_UP = "make_up", "Board and staff make-up"
    COMMUNITY_SUPPORT = "community_support", "Evidence of community support"
    LETTERS_OF_SUPPORT = "letters_of_support", "Letters of support"
    COMPACT = "compact", "Compact sign-up"


class ApplicationQuerySet(models.QuerySet):
    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def sent(self):
        """What staff may read: sent (and withdrawn after sending), never a draft."""
        return self.filter(submitted_at__isnull=False)

    def live(self):
        return self.exclude(status=ApplicationStatus.WITHDRAWN)


class Application(models.Model):
    """One organisation's application to represent one community in one round."""

    Status = ApplicationStatus

    round = models.ForeignKey(
        "grants.GrantRound", on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_applications"
    )
    # A community the round is open to; or, when null, a community proposed here.
    round_community = models.ForeignKey(
        "grants.RoundCommunity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    proposed_characteristic = models.CharField(max_length=32, blank=True)
    proposed_name = models.CharField(max_length=120, blank=True)
    # The applicant's figure for the community's size, and where it comes from:
    # for a proposed community, or one the council has no figure for.
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
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
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="grant_application_status_valid",
            ),
            # A community the round is open to, or a proposed one: never both, never neither.
            models.CheckConstraint(
                condition=Q(round_community__isnull=False, proposed_name="")
                | Q(
                    round_community__isnull=True,
                    proposed_characteristic__in=CHARACTERISTICS,
                )
                & ~Q(proposed_name=""),
                name="grant_application_one_community",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | ~Q(population_source=""),
                name="grant_application_population_has_source",
            ),
            # One application per organisation per community in a round. A
            # withdrawn one steps aside, so the organisation may start again.
            models.UniqueConstraint(
                fields=["organisation", "round_community"],
                condition=Q(round_community__isnull=False) & ~Q(status="withdrawn"),
                name="grant_application_once_per_community",
            ),
            models.UniqueConstraint(
                "organisation",
                "round",
                "proposed_characteristic",
                Lower("proposed_name"),
                condition=Q(round_community__isnull=True) & ~Q(status="withdrawn"),
                name="grant_application_once_per_proposed_community",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=True, status="withdrawn")
                | Q(submitted_at__isnull=False, submitted_by__isnull=False)
                & ~Q(declaration_name=""),
                name="grant_application_sent_has_declaration",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="grant_application_withdrawn_has_time",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="grant_application_round")]

    def __str__(self):
        return f"Application {self.reference} from {self.organisation} for {self.community_name}"

    @property
    def reference(self) -> str:
        """What the organisation quotes to the council about its application."""
        return f"VCS-GRA-{self.pk:06d}"

    @property
    def is_proposal(self) -> bool:
        return self.round_community_id is None

    @property
    def community_name(self) -> str:
        if self.is_proposal:
            return self.proposed_name
        return self.round_community.community.name

    @property
    def characteristic_label(self) -> str:
        from .models import Characteristic

        value = (
            self.proposed_characteristic
            if self.is_proposal
            else self.round_community.community.characteristic
        )
        return Characteristic(value).label

    @property
    def known_population(self) -> int | None:
        """The council's own figure for the community, where it has one."""
        return None if self.is_proposal else self.round_community.community.population

    @property
    def size(self) -> int | None:
        """The figure the size check uses: the council's where it has one, else the applicant's."""
        return moves.community_size(known=self.known_population, claimed=self.population)

    @property
    def size_words(self) -> str:
        """3,300 people (the 2011 census), or that it is not known yet."""
        if self.size is None:
            return "Not given"
        return f"{self.size:,} people ({self.size_source})"

    @property
    def size_source(self) -> str:
        if self.known_population is not None:
            return self.round_community.community.population_source
        return self.population_source

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT


class MemberStatus(models.TextChoices):
    INVITED = "invited", "Waiting for them to confirm"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class ConsortiumMember(models.Model):
    """Another registered organisation the lead names; its administrators confirm or decline."""

    Status = MemberStatus

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consortium_requests"
    )
    status = models.CharField(
        max_length=16, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="consortium_member_status_valid"
            ),
            models.UniqueConstraint(
                fields=["application", "organisation"], name="consortium_member_once"
            ),
            models.CheckConstraint(
                condition=Q(status="invited", responded_at__isnull=True)
                | (~Q(status="invited") & Q(responded_at__isnull=False)),
                name="consortium_member_response_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in the consortium for {self.application.reference}"


class Answer(models.Model):
    """The answer to one criterion of the round, saved as a draft until the application is sent."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        "grants.RoundCriterion", on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField()
    word_count = models.PositiveIntegerField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="grant_answer_once_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.word_count} words"


class ApplicationEvidence(models.Model):
    """An uploaded file, checked and stored under the eligibility evidence rules."""

    Kind = EvidenceKind

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
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
        verbose_name_plural = "application evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="grant_evidence_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="grant_evidence_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
