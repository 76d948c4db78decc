"""factory-boy factories that default to a valid object."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from allowances.models import BudgetStrand, BudgetYear
from allowances.rules import financial_year_of
from diagnostics.models import EligibilityDecision
from organisations.models import Invitation, Membership, Organisation, PriorityTheme, User
from packages.models import Package, Strand
from providers.models import Provider, ProviderMembership

PASSWORD = "correct-horse-battery-staple"
# A fixed TOTP secret for staff in tests, so a test can compute the current code.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = User.Role.PUBLIC

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        # allauth requires a verified address before sign-in.
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    """A council officer with an authenticator app set up, as staff must have."""

    role = User.Role.OFFICER

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, STAFF_TOTP_SECRET)


class ManagerFactory(StaffFactory):
    role = User.Role.MANAGER


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = Organisation.LegalForm.REGISTERED_CHARITY
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Leicester"
    postcode = "LE1 6ZG"
    address_is_home = False  # a registered charity's premises
    contact_name = factory.Faker("name", locale="en_GB")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    main_activities = "Advice sessions and a weekly lunch club."
    beneficiaries = "Older people in the neighbourhood."
    income_band = Organisation.IncomeBand.TO_100K
    staff_count = 2
    volunteer_count = 12

    @factory.post_generation
    def priority_themes(obj, create, extracted, **kwargs):
        if create:
            obj.priority_themes.set(extracted or PriorityTheme.objects.all()[:1])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Training Provider {n}")
    provider_type = Provider.Type.COMPANY
    company_number = factory.Sequence(lambda n: f"{9000000 + n:08d}")
    description = "Finance and governance training for small charities."
    contact_email = factory.Sequence(lambda n: f"provider{n}@example.org")


class ProviderMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderMembership

    user = factory.SubFactory(UserFactory)
    provider = factory.SubFactory(ProviderFactory)


# --- Packages, eligibility, budgets and agreed packages (issue 4)


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    name = factory.Sequence(lambda n: f"Test Package {n}")
    slug = factory.Sequence(lambda n: f"test-package-{n}")
    summary = "Help with something an organisation needs."
    what_you_get = "Five days of an expert's time."
    outcomes = "A stronger organisation."
    typical_duration = "3 to 6 months"
    value = Decimal("2000.00")
    strand = Strand.VCS_SUPPORT
    position = factory.Sequence(lambda n: 100 + n)


class EligibilityDecisionFactory(factory.django.DjangoModelFactory):
    """An eligible decision that holds from a year ago until two years from now."""

    class Meta:
        model = EligibilityDecision

    organisation = factory.SubFactory(OrganisationFactory)
    outcome = EligibilityDecision.Outcome.ELIGIBLE
    decided_by = factory.SubFactory(StaffFactory)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=366))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=730))
    reasons = "Meets every criterion."


class BudgetYearFactory(factory.django.DjangoModelFactory):
    """This financial year's budget (reused if it exists), with all three strands."""

    class Meta:
        model = BudgetYear
        django_get_or_create = ("start_year",)
        skip_postgeneration_save = True

    start_year = factory.LazyFunction(lambda: financial_year_of(timezone.localdate()))
    total = Decimal("450000.00")
    created_by = factory.SubFactory(ManagerFactory)

    @factory.post_generation
    def strands(obj, create, extracted, **kwargs):
        """strands={kind: amount}; every kind missing gets £150,000."""
        if not create:
            return
        amounts = {kind: Decimal("150000.00") for kind in Strand.values}
        amounts.update(extracted or {})
        for kind, amount in amounts.items():
            BudgetStrand.objects.get_or_create(
                budget_year=obj, kind=kind, defaults={"amount": amount}
            )


def budget_for(on: date, **strands) -> BudgetYear:
    """The budget year containing `on`, created with the given strand amounts if missing."""
    return BudgetYearFactory(start_year=financial_year_of(on), strands=strands or None)


class AgreedPackageFactory(factory.Factory):
    """Agrees a package through `allowances.services.agree_package`, as everything must.

    Makes the organisation eligible and the year's budget exist first.
    """

    class Meta:
        model = dict  # built by the service, never by the model's constructor

    organisation = factory.SubFactory(OrganisationFactory)
    package = factory.SubFactory(PackageFactory)
    agreed_by = factory.SubFactory(StaffFactory)
    on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *, organisation, package, agreed_by, on, **kwargs):
        from allowances.services import agree_package

        if not EligibilityDecision.objects.filter(organisation=organisation).exists():
            EligibilityDecisionFactory(
                organisation=organisation,
                decided_by=agreed_by,
                valid_from=on - timedelta(days=366),
                valid_until=on + timedelta(days=730),
            )
        budget_for(on)
        return agree_package(
            organisation=organisation, package=package, agreed_by=agreed_by, on=on, **kwargs
        )


def agreed_package_of(organisation):
    """A live agreed package of `organisation`: the existing one, or a new one.

    For the permission matrix, whose rows are built again for every role: a new
    agreement each time would soon meet the organisation's cap.
    """
    from allowances.models import AgreedPackage

    existing = AgreedPackage.objects.filter(organisation=organisation, status="agreed").first()
    return existing or AgreedPackageFactory(organisation=organisation)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Notification"

    recipient = factory.Sequence(lambda n: f"recipient{n}@example.org")
    kind = "test:example"
    subject = factory.Sequence(lambda n: f"Message {n}")
    body_text = "Hello."


class FailedNotificationFactory(NotificationFactory):
    status = "failed"
    attempts = 9
    last_error = "Connection refused by mail server"
    failed_at = factory.LazyFunction(timezone.now)
    first_failed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))


def _coming_working_day(n: int) -> date:
    """The n-th working day from four weeks on: a different weekday, never a bank holiday."""
    from notifications.calendar import add_working_days

    return add_working_days(timezone.localdate() + timedelta(days=28), n + 1)


class NonWorkingDayFactory(factory.django.DjangoModelFactory):
    """A one-off day off a manager added, on a weekday still to come."""

    class Meta:
        model = "notifications.NonWorkingDay"

    date = factory.Sequence(_coming_working_day)
    name = "Council offices closed"


# --- Eligibility applications and diagnostics (issue 3)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _published(model_name):
    from diagnostics import models as diagnostics_models

    model = getattr(diagnostics_models, model_name)
    return model.objects.filter(published_at__isnull=False).order_by("-number").first()


class EligibilityApplicationFactory(factory.django.DjangoModelFactory):
    """A draft on the current criteria. `answered=True` answers every question so it passes;
    `with_evidence=True` uploads a small PDF for each kind of evidence."""

    class Meta:
        model = "diagnostics.EligibilityApplication"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    criteria_version = factory.LazyFunction(lambda: _published("CriteriaVersion"))
    created_by = factory.SubFactory(UserFactory)
    status = "draft"
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == "draft" else timezone.now() - timedelta(days=3)
    )

    @factory.post_generation
    def answered(obj, create, extracted, **kwargs):
        if not (create and extracted):
            return
        from diagnostics.models import EligibilityAnswer

        passing = {"postcode": "LE1 6ZG"}
        for criterion in obj.criteria_version.criteria.all():
            value = passing.get(criterion.answer_type) or (
                criterion.accepted_answers[0] if criterion.accepted_answers else "yes"
            )
            EligibilityAnswer.objects.create(
                application=obj,
                criterion=criterion,
                value=value,
                detail="Advice sessions for residents." if criterion.detail_prompt else "",
            )

    @factory.post_generation
    def with_evidence(obj, create, extracted, **kwargs):
        if create and extracted:
            from diagnostics.models import EvidenceKind

            for kind in EvidenceKind.values:
                EvidenceFactory(application=obj, kind=kind)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A small real PDF stored where uploads go."""

    class Meta:
        model = "diagnostics.Evidence"

    application = factory.SubFactory(EligibilityApplicationFactory)
    kind = "governing_document"
    original_name = "constitution.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("application.created_by")

    @factory.lazy_attribute
    def stored_name(self):
        import secrets

        from diagnostics.uploads import path_of

        name = secrets.token_hex(24)
        path_of(name).write_bytes(PDF_BYTES)
        return name


class DiagnosticFactory(factory.django.DjangoModelFactory):
    """A diagnostic on the current questionnaire with every statement scored `score`
    (None leaves them unscored). `scores={short: n}` sets particular statements."""

    class Meta:
        model = "diagnostics.Diagnostic"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    questionnaire = factory.LazyFunction(lambda: _published("Questionnaire"))
    started_by = factory.SubFactory(UserFactory)
    status = "self_assessment"
    self_assessment_submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == "self_assessment" else timezone.now()
    )
    completed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == "completed" else None
    )
    session_held_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.completed_at) if o.completed_at else None
    )

    @factory.post_generation
    def score(obj, create, extracted, **kwargs):
        if not create:
            return
        from diagnostics.models import Score, Statement

        Score.objects.bulk_create(
            Score(diagnostic=obj, statement=s, self_score=extracted)
            for s in Statement.objects.filter(theme__questionnaire=obj.questionnaire)
        )

    @factory.post_generation
    def scores(obj, create, extracted, **kwargs):
        if create and extracted:
            for short, value in extracted.items():
                obj.scores.filter(statement__short=short).update(self_score=value)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "diagnostics.Recommendation"

    diagnostic = factory.SubFactory(DiagnosticFactory, status="completed", score=2)
    package = factory.SubFactory(PackageFactory)
    rank = 1
    reason = "Governance scored 2 of 4."
    source = "system"


def accept_for_test(agreed, *, by):
    """Walk an agreed package to ACCEPTED with the plain transitions (no provider rows).

    For tests of caps and money, which don't care who the provider is; the
    provider's journey itself is tested through `delivery.services`.
    """
    from allowances.models import AgreedStatus
    from allowances.services import transition

    transition(agreed, AgreedStatus.PROVIDER_REQUESTED, by=by, action="test.requested")
    return transition(agreed, AgreedStatus.ACCEPTED, by=by, action="test.accepted")


def claim_for_test(agreed, *, by):
    """Walk a package in delivery to CLAIMED: delivered, confirmed, claimed."""
    from allowances.models import AgreedStatus
    from allowances.services import transition

    for status in (AgreedStatus.DELIVERED, AgreedStatus.CONFIRMED, AgreedStatus.CLAIMED):
        agreed = transition(agreed, status, by=by, action="test.moved")
    return agreed
