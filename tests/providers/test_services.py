"""Every move of a package application, every illegal one, and joining the register."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from providers import services
from providers.models import PackageApplication, Provider
from providers.rules import APPLICATION_TRANSITIONS

from ..factories import (
    PDF_BYTES,
    OrganisationFactory,
    PackageFactory,
    ProviderFactory,
    ProviderMembershipFactory,
    StaffFactory,
    UserFactory,
)
from .factories import PackageApplicationFactory, meet_essentials

pytestmark = pytest.mark.django_db


def pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def person():
    return ProviderMembershipFactory()


@pytest.fixture
def officer():
    return StaffFactory()


def events(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


# --- Joining the register


def test_submitting_the_register_application_is_refused_with_every_failing_essential(person):
    with pytest.raises(services.ProviderError) as refused:
        services.submit_register_application(
            provider=person.provider, by=person.user, declaration_name="Sam"
        )
    assert "Upload your professional indemnity insurance certificate" in refused.value.problems
    assert "Upload your safeguarding policy" in refused.value.problems
    person.provider.refresh_from_db()
    assert person.provider.register_submitted_at is None


def test_submitting_records_who_and_when_and_emails_the_provider(person):
    provider = meet_essentials(person.provider, joined=False)
    services.submit_register_application(provider=provider, by=person.user, declaration_name="Sam")
    provider.refresh_from_db()
    assert provider.register_submitted_by == person.user
    assert provider.register_submitted_at is not None
    assert provider.declaration_name == "Sam"
    assert events(provider, "provider.register_submitted").count() == 1
    assert Notification.objects.filter(
        recipient=person.user.email, kind="provider:register_submitted"
    ).exists()
    with pytest.raises(services.ProviderError, match="already applied"):
        services.submit_register_application(
            provider=provider, by=person.user, declaration_name="X"
        )


def test_a_certificate_below_the_minimum_or_expired_is_refused_and_nothing_stored(person):
    today = timezone.localdate()
    for cover, expires_on, message in (
        (Decimal("999999"), today + timedelta(days=30), "at least £1,000,000"),
        (Decimal("2000000"), today, "must be in the future"),
        (Decimal("2000000"), today - timedelta(days=1), "must be in the future"),
    ):
        with pytest.raises(services.ProviderError, match=message):
            services.upload_certificate(
                provider=person.provider,
                kind="pi",
                cover=cover,
                expires_on=expires_on,
                upload=pdf(),
                by=person.user,
            )
    assert not person.provider.certificates.exists()


def test_a_certificate_file_follows_the_evidence_upload_rules(person):
    fake = SimpleUploadedFile("cert.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(services.ProviderError, match="not a real PDF"):
        services.upload_certificate(
            provider=person.provider,
            kind="pl",
            cover=Decimal("5000000"),
            expires_on=timezone.localdate() + timedelta(days=200),
            upload=fake,
            by=person.user,
        )
    assert not person.provider.certificates.exists()


def test_a_new_certificate_replaces_the_old_one(person):
    for days in (100, 300):
        services.upload_certificate(
            provider=person.provider,
            kind="pl",
            cover=Decimal("5000000"),
            expires_on=timezone.localdate() + timedelta(days=days),
            upload=pdf(),
            by=person.user,
        )
    certificate = person.provider.certificates.get()
    assert certificate.expires_on == timezone.localdate() + timedelta(days=300)
    assert events(person.provider, "provider.certificate_uploaded").count() == 2


def test_declaring_conflicts_links_the_organisations(person):
    organisation = OrganisationFactory()
    services.declare_conflicts(
        provider=person.provider,
        answer="yes",
        statement="Our director chairs its board.",
        organisations=[organisation],
        by=person.user,
    )
    assert list(person.provider.declared_conflicts.all()) == [organisation]
    services.declare_conflicts(
        provider=person.provider, answer="no", statement="ignored", organisations=[], by=person.user
    )
    person.provider.refresh_from_db()
    assert person.provider.conflicts_statement == ""
    assert not person.provider.declared_conflicts.exists()


def test_exclusions_must_answer_every_ground(person):
    with pytest.raises(services.ProviderError):
        services.declare_exclusions(
            provider=person.provider, answers={"fraud": "no"}, by=person.user
        )


def test_a_second_provider_with_the_same_number_is_refused_clearly():
    ProviderFactory(company_number="01234567")
    with pytest.raises(services.ProviderError, match="company number is already registered"):
        services.register_provider(
            user=UserFactory(),
            data={
                "name": "Copy Ltd",
                "provider_type": "company",
                "company_number": "01234567",
                "description": "x",
                "contact_email": "copy@example.org",
            },
        )
    assert Provider.objects.filter(company_number="01234567").count() == 1


# --- Package applications


@pytest.fixture
def ready(person):
    """A provider on the register meeting every essential, and its person."""
    meet_essentials(person.provider)
    return person


def test_starting_twice_gives_the_same_application(ready):
    package = PackageFactory()
    first = services.start_package_application(
        provider=ready.provider, package=package, by=ready.user
    )
    second = services.start_package_application(
        provider=ready.provider, package=package, by=ready.user
    )
    assert first == second
    assert PackageApplication.objects.filter(provider=ready.provider).count() == 1


def test_the_database_refuses_two_standing_applications_for_one_package(ready):
    application = PackageApplicationFactory(provider=ready.provider)
    with pytest.raises(IntegrityError):
        PackageApplicationFactory(provider=ready.provider, package=application.package)


def test_a_withdrawn_package_cannot_be_applied_for(ready):
    with pytest.raises(services.ProviderError, match="withdrawn"):
        services.start_package_application(
            provider=ready.provider, package=PackageFactory(status="withdrawn"), by=ready.user
        )


def test_only_a_provider_meeting_the_essentials_can_submit(person):
    application = PackageApplicationFactory(provider=person.provider)
    with pytest.raises(services.ProviderError) as refused:
        services.submit_package_application(application=application, by=person.user)
    assert "Apply to join the register first" in refused.value.problems[0]
    application.refresh_from_db()
    assert application.status == "draft"


def test_an_expired_certificate_stops_a_submission_after_joining(ready):
    ready.provider.certificates.filter(kind="pi").update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    application = PackageApplicationFactory(provider=ready.provider)
    with pytest.raises(services.ProviderError) as refused:
        services.submit_package_application(application=application, by=ready.user)
    assert any("professional indemnity" in p for p in refused.value.problems)


def test_unanswered_or_too_long_answers_stop_a_submission(ready):
    application = PackageApplicationFactory(
        provider=ready.provider, approach="", experience="word " * 301
    )
    with pytest.raises(services.ProviderError) as refused:
        services.submit_package_application(application=application, by=ready.user)
    assert "Enter your approach" in refused.value.problems
    assert any("300 words or fewer. You have 301 words" in p for p in refused.value.problems)


def test_submit_then_the_officer_decides_every_way(ready, officer):
    application = PackageApplicationFactory(provider=ready.provider)
    services.submit_package_application(application=application, by=ready.user)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submitted_by == ready.user
    assert Notification.objects.filter(kind="provider:to_assess").count() == 1
    assert Notification.objects.filter(kind="provider:submitted").count() == 1

    services.ask_for_more_information(application=application, by=officer, question="Fees?")
    application.refresh_from_db()
    assert (application.status, application.officer_message) == ("more_info", "Fees?")
    services.save_package_application(
        application=application,
        by=ready.user,
        data={
            "experience": "More.",
            "approach": "A.",
            "example_1": "B.",
            "example_2": "C.",
        },
    )
    services.submit_package_application(application=application, by=ready.user)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert events(application, "package_application.resubmit").count() == 1

    services.approve_application(application=application, by=officer)
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.approved_at is not None
    assert application.officer_message == ""

    services.suspend_approval(application=application, by=officer, reason="Complaint")
    services.reinstate_approval(application=application, by=officer)
    application.refresh_from_db()
    assert application.status == "approved"
    services.remove_approval(application=application, by=officer, reason="Stopped trading")
    application.refresh_from_db()
    assert application.status == "removed"

    moves = list(
        AuditEvent.objects.filter(
            object_id=str(application.pk), object_type="providers.packageapplication"
        )
        .order_by("created_at", "id")
        .values_list("action", "from_state", "to_state")
    )
    assert moves == [
        ("package_application.submit", "draft", "submitted"),
        ("package_application.ask_for_more_information", "submitted", "more_info"),
        ("package_application.resubmit", "more_info", "submitted"),
        ("package_application.approve", "submitted", "approved"),
        ("package_application.suspend", "approved", "suspended"),
        ("package_application.reinstate", "suspended", "approved"),
        ("package_application.remove", "approved", "removed"),
    ]
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        "provider:approve",
        "provider:suspend",
        "provider:reinstate",
        "provider:remove",
    } <= kinds


def test_reject_needs_a_reason_and_then_a_new_application_may_start(ready, officer):
    application = PackageApplicationFactory(provider=ready.provider, status="submitted")
    with pytest.raises(services.ProviderError, match="Enter the reasons"):
        services.reject_application(application=application, by=officer, reason="  ")
    services.reject_application(application=application, by=officer, reason="Too little")
    application.refresh_from_db()
    assert application.status == "rejected"
    again = services.start_package_application(
        provider=ready.provider, package=application.package, by=ready.user
    )
    assert again.pk != application.pk
    assert again.status == "draft"


OFFICER_SERVICES = {
    "approve": lambda a, by: services.approve_application(application=a, by=by),
    "reject": lambda a, by: services.reject_application(application=a, by=by, reason="r"),
    "ask_for_more_information": lambda a, by: services.ask_for_more_information(
        application=a, by=by, question="q"
    ),
    "suspend": lambda a, by: services.suspend_approval(application=a, by=by, reason="r"),
    "reinstate": lambda a, by: services.reinstate_approval(application=a, by=by),
    "remove": lambda a, by: services.remove_approval(application=a, by=by, reason="r"),
}
STATES = ["draft", "submitted", "more_info", "approved", "rejected", "suspended", "removed"]


ILLEGAL = [
    (verb, status)
    for verb in sorted(OFFICER_SERVICES)
    for status in STATES
    if status not in APPLICATION_TRANSITIONS[verb][0]
]


@pytest.mark.parametrize(("verb", "status"), ILLEGAL)
def test_every_illegal_officer_move_is_refused_and_changes_nothing(verb, status, officer):
    application = PackageApplicationFactory(status=status)
    with pytest.raises(services.ProviderError, match="Nothing was changed"):
        OFFICER_SERVICES[verb](application, officer)
    application.refresh_from_db()
    assert application.status == status
    assert not AuditEvent.objects.filter(object_id=str(application.pk)).exists()


@pytest.mark.parametrize("status", ["submitted", "approved", "rejected", "suspended", "removed"])
def test_submitting_from_any_other_state_is_refused(ready, status):
    application = PackageApplicationFactory(provider=ready.provider, status=status)
    with pytest.raises(services.ProviderError, match="Nothing was changed"):
        services.submit_package_application(application=application, by=ready.user)


def test_only_officers_decide(ready):
    application = PackageApplicationFactory(provider=ready.provider, status="submitted")
    with pytest.raises(services.ProviderError, match="Only council officers"):
        services.approve_application(application=application, by=ready.user)


def test_an_application_under_assessment_cannot_be_changed(ready):
    application = PackageApplicationFactory(provider=ready.provider, status="submitted")
    with pytest.raises(services.ProviderError, match="cannot be changed"):
        services.save_package_application(application=application, by=ready.user, data={})


def test_the_database_refuses_a_status_outside_the_list_and_a_rejection_without_reason():
    application = PackageApplicationFactory()
    with pytest.raises(IntegrityError):
        PackageApplication.objects.filter(pk=application.pk).update(status="lost")


def test_the_database_requires_the_reason_for_a_rejection():
    application = PackageApplicationFactory(status="submitted")
    with pytest.raises(IntegrityError):
        PackageApplication.objects.filter(pk=application.pk).update(status="rejected")


def test_capacity_must_be_at_least_one():
    provider = ProviderFactory()
    with pytest.raises(IntegrityError):
        Provider.objects.filter(pk=provider.pk).update(capacity=0)
