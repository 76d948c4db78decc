"""The provider's and the officer's pages: bad input gets a clear message, nothing typed
is lost, a double submit makes one record, and another provider sees nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from providers.models import PackageApplication, Provider, ProviderMembership

from ..conftest import client_for
from ..factories import (
    PDF_BYTES,
    OrganisationFactory,
    PackageFactory,
    ProviderFactory,
    ProviderMembershipFactory,
    UserFactory,
)
from .factories import CertificateFactory, PackageApplicationFactory, PolicyFactory, meet_essentials

pytestmark = pytest.mark.django_db


def profile(**overrides):
    from providers.models import Area, Language

    data = {
        "name": "Soar Training",
        "provider_type": "vcs",
        "charity_number": "",
        "company_number": "",
        "description": "Bid writing for small groups.",
        "contact_email": "soar@example.org",
        "areas": [Area.objects.get(code="LE1").pk],
        "languages": [Language.objects.get(name="English").pk],
        "capacity": "3",
        "employs_staff": "no",
    }
    data.update(overrides)
    return data


def test_registering_creates_the_provider_with_its_profile():
    user = UserFactory()
    response = client_for(user).post(
        reverse("providers:register"), profile(charity_number="1 234 567")
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="Soar Training")
    assert provider.charity_number == "1234567"
    assert [a.code for a in provider.areas.all()] == ["LE1"]
    assert provider.capacity == 3
    assert ProviderMembership.objects.get(user=user).provider == provider


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"charity_number": "12AB"}, "Enter a charity number in the correct format"),
        ({"provider_type": "company", "company_number": "A1"}, "Enter a company number in the"),
        ({}, "Enter your charity number or company number – a voluntary or community"),
        ({"provider_type": "company"}, "Enter your company number – a private company must"),
        ({"capacity": "0"}, "Enter a number of packages that is 1 or more"),
        ({"capacity": "lots"}, "Enter the number of packages as a whole number, like 3"),
        ({"areas": []}, "Select at least one area of the city you work in"),
        ({"employs_staff": ""}, "Select yes if you employ staff"),
    ],
)
def test_bad_profile_input_gets_a_specific_message_and_keeps_what_was_typed(overrides, message):
    response = client_for(UserFactory()).post(reverse("providers:register"), profile(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Soar Training"' in response.content.decode()
    assert not Provider.objects.filter(name="Soar Training").exists()


def test_a_registration_number_already_registered_is_refused_clearly():
    ProviderFactory(charity_number="1234567")
    response = client_for(UserFactory()).post(
        reverse("providers:register"), profile(charity_number="1234567")
    )
    assert "A provider with charity number 1234567 is already registered" in (
        response.content.decode()
    )
    assert Provider.objects.filter(charity_number="1234567").count() == 1


def test_the_profile_can_be_changed(world):
    response = client_for(world.provider_user).post(
        reverse("providers:profile_edit"),
        profile(provider_type="company", company_number="7654321", capacity="5"),
    )
    assert response.status_code == 302
    world.provider.refresh_from_db()
    assert (world.provider.company_number, world.provider.capacity) == ("07654321", 5)


def certificate_post(cover="1000000", expires=None, file=True):
    expires = expires or timezone.localdate() + timedelta(days=200)
    data = {
        "cover": cover,
        "expires_on_0": str(expires.day),
        "expires_on_1": str(expires.month),
        "expires_on_2": str(expires.year),
    }
    if file:
        data["file"] = SimpleUploadedFile("pi.pdf", PDF_BYTES, content_type="application/pdf")
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (certificate_post(cover="999999"), "The cover must be at least £1,000,000"),
        (
            certificate_post(expires=timezone.localdate() - timedelta(days=1)),
            "must be in the future",
        ),
        (certificate_post(cover="a million"), "Enter the cover as an amount in pounds"),
        (certificate_post(cover="１,０００,０００"), "Enter the cover as an amount in pounds"),
        (certificate_post(file=False), "Select your professional indemnity insurance certificate"),
        (
            {**certificate_post(), "expires_on_1": "13"},
            "The date your professional indemnity insurance ends must be a real date",
        ),
    ],
)
def test_bad_insurance_gets_a_specific_message_and_stores_nothing(world, data, message):
    response = client_for(world.provider_user).post(
        reverse("providers:insurance", args=["pi"]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not world.provider.certificates.exists()


def test_a_good_certificate_is_saved(world):
    response = client_for(world.provider_user).post(
        reverse("providers:insurance", args=["pi"]), certificate_post(cover="1,500,000")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert world.provider.certificates.get().cover == 1500000


def test_conflicts_name_real_organisations_or_say_which_line_was_not_found(world):
    organisation = OrganisationFactory(charity_number="1170001")
    client = client_for(world.provider_user)
    url = reverse("providers:conflicts")
    response = client.post(
        url, {"answer": "yes", "statement": "Trustee.", "organisations": "1170001\nNobody Group"}
    )
    assert "We could not find ‘Nobody Group’" in response.content.decode()
    assert "Nobody Group" in response.content.decode()  # what was typed is still there
    response = client.post(url, {"answer": "yes", "statement": "", "organisations": "1170001"})
    assert "Describe your conflicts of interest" in response.content.decode()
    client.post(url, {"answer": "yes", "statement": "Trustee.", "organisations": "1170001"})
    assert list(world.provider.declared_conflicts.all()) == [organisation]


def test_exclusions_without_answers_say_which_is_missing(world):
    response = client_for(world.provider_user).post(
        reverse("providers:exclusions"), {"fraud": "no"}
    )
    assert "Select yes or no for bribery" in response.content.decode()


def test_the_home_page_lists_what_to_fix_and_warns_of_expiry(world):
    client = client_for(world.provider_user)
    page = client.get(reverse("providers:home")).content.decode()
    assert "Upload your professional indemnity insurance certificate" in page
    assert reverse("providers:insurance", args=["pi"]) in page
    provider = meet_essentials(world.provider)
    provider.certificates.filter(kind="pl").update(
        expires_on=timezone.localdate() + timedelta(days=10)
    )
    page = client.get(reverse("providers:home")).content.decode()
    assert "Ends within 30 days" in page
    assert "have lapsed" not in page
    provider.certificates.filter(kind="pl").update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    page = client.get(reverse("providers:home")).content.decode()
    assert "Your approvals have lapsed" in page
    assert "Expired" in page


def test_joining_the_register_from_the_check_page(world):
    meet_essentials(world.provider, joined=False)
    client = client_for(world.provider_user)
    response = client.post(
        reverse("providers:register_check"), {"confirm": "on", "full_name": "Sam Patel"}
    )
    assert response.status_code == 302
    world.provider.refresh_from_db()
    assert world.provider.register_submitted_by == world.provider_user


def test_the_check_page_refuses_with_the_failing_essentials(world):
    response = client_for(world.provider_user).post(
        reverse("providers:register_check"), {"confirm": "on", "full_name": "Sam Patel"}
    )
    assert response.status_code == 409
    assert "Upload your safeguarding policy." in response.content.decode()


def test_a_double_clicked_apply_makes_one_application(world):
    package = PackageFactory()
    client = client_for(world.provider_user)
    url = reverse("providers:application_start", args=[package.pk])
    first, second = client.post(url), client.post(url)
    assert first.url == second.url
    assert PackageApplication.objects.filter(provider=world.provider).count() == 1


def test_a_double_submitted_application_is_sent_once(world):
    provider = meet_essentials(world.provider)
    application = PackageApplicationFactory(provider=provider)
    client = client_for(world.provider_user)
    url = reverse("providers:application_submit", args=[application.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "is waiting for a council officer to assess it" in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action="package_application.submit", object_id=str(application.pk)
        ).count()
        == 1
    )


def test_the_word_limit_is_enforced_with_a_clear_message_and_the_text_kept(world):
    application = PackageApplicationFactory(provider=world.provider, experience="")
    long_text = "experience " * 305
    response = client_for(world.provider_user).post(
        reverse("providers:application_edit", args=[application.pk]),
        {"experience": long_text, "approach": "A", "example_1": "B", "example_2": "C"},
    )
    page = response.content.decode()
    assert "Your relevant experience must be 300 words or fewer. You have 305 words" in page
    assert long_text.strip() in page
    application.refresh_from_db()
    assert application.experience == ""


def test_the_officer_approves_from_the_assessment_page(world):
    provider = meet_essentials(world.provider)
    application = PackageApplicationFactory(provider=provider, status="submitted")
    client = client_for(world.officer)
    url = reverse("providers:officer_application", args=[application.pk])
    response = client.post(url, {"decision": "reject", "message": ""})
    assert "Enter the reasons the application is rejected" in response.content.decode()
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409  # a second officer's decision changes nothing


def test_the_officer_suspends_with_a_reason(world):
    application = PackageApplicationFactory(provider=world.provider, status="approved")
    client = client_for(world.officer)
    url = reverse("providers:officer_approval_change", args=[application.pk])
    response = client.post(url, {"action": "suspend", "reason": ""})
    assert "Enter the reason for suspending the approval" in response.content.decode()
    client.post(url, {"action": "suspend", "reason": "A complaint is being looked at"})
    application.refresh_from_db()
    assert (application.status, application.officer_message) == (
        "suspended",
        "A complaint is being looked at",
    )


def test_invitations_let_a_colleague_act_for_the_provider(world):
    client = client_for(world.provider_user)
    client.post(reverse("providers:people"), {"email": "Colleague@Example.org"})
    invitation = world.provider.invitations.get()
    colleague = UserFactory(email="colleague@example.org")
    url = reverse("providers:invitation_accept", args=[invitation.token])
    assert client_for(world.outsider).post(url).status_code == 409  # someone else's address
    assert client_for(colleague).post(url).status_code == 302
    assert ProviderMembership.objects.get(user=colleague).provider == world.provider
    assert client_for(colleague).post(url).status_code == 409  # used once


def test_an_organisation_member_cannot_also_act_for_a_provider(world):
    from providers.services import invite_colleague

    invitation = invite_colleague(
        provider=world.provider, email=world.org_a_admin.email, by=world.provider_user
    )
    response = client_for(world.org_a_admin).post(
        reverse("providers:invitation_accept", args=[invitation.token])
    )
    assert response.status_code == 409
    assert "cannot also act for a provider" in response.content.decode()


def test_provider_b_never_sees_provider_a_s_things(world):
    """Every page about one of A's objects answers 404 to the person acting for B."""
    a = world.provider
    other = ProviderMembershipFactory().user
    application = PackageApplicationFactory(provider=a)
    urls = [
        reverse("providers:application_detail", args=[application.pk]),
        reverse("providers:application_edit", args=[application.pk]),
        reverse("providers:certificate_download", args=[CertificateFactory(provider=a).pk]),
        reverse("providers:policy_download", args=[PolicyFactory(provider=a).pk]),
    ]
    client = client_for(other)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("providers:application_submit", args=[application.pk])).status_code
        == 404
    )
    from providers.services import invite_colleague

    invitation = invite_colleague(provider=a, email="x@example.org", by=world.provider_user)
    assert (
        client.post(reverse("providers:invitation_withdraw", args=[invitation.pk])).status_code
        == 404
    )
    # B's own pages show B, never A's applications
    page = client.get(reverse("providers:home")).content.decode()
    assert application.package.name not in page.split("Apply to deliver a package")[0]


def test_downloads_serve_the_file_to_its_provider_and_staff_only(world):
    certificate = CertificateFactory(provider=world.provider)
    url = reverse("providers:certificate_download", args=[certificate.pk])
    for user, status in (
        (world.provider_user, 200),
        (world.officer, 200),
        (world.org_a_admin, 404),
        (world.outsider, 404),
    ):
        response = client_for(user).get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PDF_BYTES
