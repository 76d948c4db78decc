"""Providers who deliver support packages, the people who act for them, and the register.

Joining the register has two tiers (DESIGN.md §4, Providers): essentials that
are checked automatically (see essentials.py) and an officer's assessment of
each package the provider applies to deliver (PackageApplication).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from organisations.listing import (
    identifier_matches,
    name_contains,
    ranked,
    similar,
    upper_index,
)
from organisations.models import (
    InvitationBase,
    Organisation,
    _new_token,  # noqa: F401 - migration 0002 names the token default by this path
    not_both_accepted_and_cancelled,
)


class Area(models.Model):
    """A part of the city a provider works in: a postcode district (reference data)."""

    code = models.CharField(max_length=6, unique=True, help_text="The postcode district: LE1.")
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Language(models.Model):
    """A language a provider can work in (reference data)."""

    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class InsuranceKind(models.TextChoices):
    PROFESSIONAL_INDEMNITY = "pi", "Professional indemnity insurance"
    PUBLIC_LIABILITY = "pl", "Public liability insurance"
    EMPLOYERS_LIABILITY = "el", "Employer's liability insurance"


class PolicyKind(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding policy"
    DATA_PROTECTION = "data_protection", "Data protection policy"


def required_insurance(employs_staff: bool) -> tuple[str, ...]:
    """The certificates a provider must hold: employer's liability only if it employs staff."""
    kinds = (InsuranceKind.PROFESSIONAL_INDEMNITY, InsuranceKind.PUBLIC_LIABILITY)
    if employs_staff:
        kinds += (InsuranceKind.EMPLOYERS_LIABILITY,)
    return tuple(str(k) for k in kinds)


class ProviderQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_officer:
            return self
        return self.filter(memberships__user=user)

    def _insured(self, kind: str, on: date):
        return Exists(
            InsuranceCertificate.objects.filter(
                provider=OuterRef("pk"), kind=kind, expires_on__gte=on
            )
        )

    def not_lapsed_on(self, on: date):
        """Providers holding every required certificate in force on `on` (see rules.in_force)."""
        return self.filter(
            self._insured(InsuranceKind.PROFESSIONAL_INDEMNITY, on),
            self._insured(InsuranceKind.PUBLIC_LIABILITY, on),
        ).filter(Q(employs_staff=False) | self._insured(InsuranceKind.EMPLOYERS_LIABILITY, on))

    def lapsed_on(self, on: date):
        return self.exclude(pk__in=self.model.objects.not_lapsed_on(on).values("pk"))

    def search(self, term: str):
        """Providers matching what an officer typed, best first (organisations.listing.ranked):
        the charity or company number or the contact email typed in full, then names
        containing the term, closest first."""
        return ranked(
            self, term, exact=identifier_matches(term), contains=name_contains(term, "name")
        )

    def similar_to(self, term: str):
        """Providers whose name resembles the term, for when nothing matches it."""
        return similar(self, term)

    def not_linked_to(self, organisation: Organisation):
        """Providers the organisation may choose: not the same registered body, no declared
        conflict with it."""
        linked = Q(declared_conflicts=organisation)
        if organisation.charity_number:
            linked |= Q(charity_number=organisation.charity_number)
        if organisation.company_number:
            linked |= Q(company_number=organisation.company_number)
        # A subquery, not a join, so the declared_conflicts join cannot multiply rows.
        return self.exclude(pk__in=self.model.objects.filter(linked).values("pk"))


class Provider(models.Model):
    class Type(models.TextChoices):
        VCS = "vcs", "Voluntary or community sector organisation"
        SOLE_TRADER = "sole_trader", "Sole trader or freelancer"
        COMPANY = "company", "Private company"
        PUBLIC_BODY = "public_body", "Public body"

    class ConflictsAnswer(models.TextChoices):
        NONE = "no", "No, we have no conflicts of interest"
        DECLARED = "yes", "Yes, we have conflicts of interest to declare"

    name = models.CharField(max_length=200)
    provider_type = models.CharField("type of provider", max_length=16, choices=Type.choices)
    charity_number = models.CharField(max_length=12, null=True, blank=True, unique=True)
    company_number = models.CharField(max_length=8, null=True, blank=True, unique=True)
    description = models.TextField("what you offer")
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    is_local_vcs = models.BooleanField(
        "a Leicester voluntary or community organisation", default=False
    )
    areas = models.ManyToManyField(Area, related_name="providers", blank=True)
    languages = models.ManyToManyField(Language, related_name="providers", blank=True)
    venue_accessibility = models.TextField("accessibility of your venues", blank=True)
    capacity = models.PositiveSmallIntegerField(
        "how many packages you can deliver at once", default=3
    )
    employs_staff = models.BooleanField("employs staff", default=False)
    # Declarations (essentials). Exclusion grounds: {ground slug: "yes" | "no"}.
    exclusion_answers = models.JSONField(default=dict, blank=True)
    conflicts_answer = models.CharField(
        max_length=3, choices=ConflictsAnswer.choices, blank=True, default=""
    )
    conflicts_statement = models.TextField("conflicts of interest", blank=True)
    declared_conflicts = models.ManyToManyField(
        Organisation, related_name="conflicted_providers", blank=True
    )
    # Sending the application to join the register.
    register_submitted_at = models.DateTimeField(null=True, blank=True)
    register_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declaration_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The officers' register, a page at a time by name, and its search
        # (ProviderQuerySet.search). The GIN trigram index on UPPER(name) is
        # PostgreSQL's own and so not declared here (migrations/0005).
        indexes = [
            models.Index(fields=["name", "id"], name="provider_name_order"),
            upper_index("contact_email", "provider_email_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_type__in=["vcs", "sole_trader", "company", "public_body"]),
                name="provider_type_valid",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="provider_capacity_positive"),
            models.CheckConstraint(
                condition=Q(conflicts_answer__in=["", "no", "yes"]),
                name="provider_conflicts_answer_valid",
            ),
            models.CheckConstraint(
                condition=Q(register_submitted_at__isnull=True)
                | Q(register_submitted_by__isnull=False),
                name="provider_register_submitted_has_person",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_joined_register(self) -> bool:
        return self.register_submitted_at is not None

    def approved_packages(self) -> list:
        """The packages it is approved for: from selectors.with_profile's prefetch if loaded."""
        approvals = getattr(self, "approvals", None)
        if approvals is None:
            approvals = self.package_applications.approved().select_related("package")
        return [a.package for a in approvals]

    @property
    def registration_numbers(self) -> str:
        parts = []
        if self.charity_number:
            parts.append(f"Charity {self.charity_number}")
        if self.company_number:
            parts.append(f"Company {self.company_number}")
        return ", ".join(parts) or "None"


class ProviderMembership(models.Model):
    """A person who acts for a provider. One provider per person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_membership"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} of {self.provider}"


class ProviderInvitation(InvitationBase):
    """An invitation to act for a provider.

    Everything but the foreign key comes from organisations.InvitationBase, and
    it is accepted under the same rule; a separate table because
    organisations.Invitation points at an organisation and the lower app must
    not know providers.
    """

    owner_field = "provider"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="invitations")

    class Meta(InvitationBase.Meta):
        constraints = [
            not_both_accepted_and_cancelled("provider_invitation_not_both_accepted_and_cancelled")
        ]


class StoredFile(models.Model):
    """A file checked and stored by diagnostics.uploads (the evidence upload rules)."""

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
        abstract = True


class InsuranceCertificate(StoredFile):
    """A provider's current certificate of one kind of insurance; a new one replaces it."""

    Kind = InsuranceKind

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(max_length=2, choices=InsuranceKind.choices)
    cover = models.DecimalField("cover in pounds", max_digits=12, decimal_places=2)
    expires_on = models.DateField(
        help_text="The last day of cover: the certificate is in force until the end of it."
    )

    class Meta:
        ordering = ["kind"]
        indexes = [models.Index(fields=["expires_on"])]
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind"], name="one_certificate_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["pi", "pl", "el"]), name="certificate_kind_valid"
            ),
            models.CheckConstraint(condition=Q(cover__gt=0), name="certificate_cover_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.provider}, until {self.expires_on}"


class PolicyDocument(StoredFile):
    """A provider's safeguarding or data protection policy."""

    Kind = PolicyKind

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="policies")
    kind = models.CharField(max_length=16, choices=PolicyKind.choices)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind"], name="one_policy_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["safeguarding", "data_protection"]),
                name="policy_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.provider}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for assessment"
    MORE_INFO = "more_info", "More information requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"


# States in which an application still stands (the provider may not start another
# for the same package); rejected and removed ones are history.
STANDING = ["draft", "submitted", "more_info", "approved", "suspended"]
# States whose officer_message must say why.
NEED_MESSAGE = ["more_info", "rejected", "suspended", "removed"]


class PackageApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_officer:
            return self
        return self.filter(provider__memberships__user=user)

    def approved(self):
        return self.filter(status=ApplicationStatus.APPROVED)


class PackageApplication(models.Model):
    """A provider's application to deliver one package, and once approved, its approval."""

    Status = ApplicationStatus

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="package_applications"
    )
    package = models.ForeignKey(
        "packages.Package", on_delete=models.PROTECT, related_name="provider_applications"
    )
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    experience = models.TextField("relevant experience", blank=True)
    approach = models.TextField("approach", blank=True)
    example_1 = models.TextField("first example of similar work", blank=True)
    example_2 = models.TextField("second example of similar work", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The officer's latest words: the question, or the reason for rejecting,
    # suspending or removing. Every earlier one is in the audit trail.
    officer_message = models.TextField(blank=True)

    objects = PackageApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="package_application_status_valid",
            ),
            # One standing application per provider and package: a double-clicked
            # "Apply" can never make two.
            models.UniqueConstraint(
                fields=["provider", "package"],
                condition=Q(status__in=STANDING),
                name="one_standing_application_per_package",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="package_application_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "suspended"]) | Q(approved_at__isnull=False),
                name="package_application_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NEED_MESSAGE) | ~Q(officer_message=""),
                name="package_application_states_say_why",
            ),
        ]

    def __str__(self):
        return f"{self.provider} for {self.package}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.MORE_INFO)
