"""Each role's home page: what to do next, with working links, at a fixed query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import EligibilityApplication

from ..conftest import assert_constant_queries, client_for
from ..delivery.support import Journey, make_ready
from ..factories import (
    AgreedPackageFactory,
    EligibilityApplicationFactory,
    EligibilityDecisionFactory,
    FailedNotificationFactory,
    OrganisationFactory,
    PackageFactory,
    budget_for,
)

pytestmark = pytest.mark.django_db


def _home(user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_organisation_is_told_to_show_it_is_eligible_and_nothing_is_available_now(world):
    page = _home(world.org_a_admin)
    assert "Show that your organisation is eligible" in page
    assert reverse("diagnostics:eligibility") in page
    # Not eligible: no package is "available now", and the diagnostic cannot start yet.
    assert "Available now" not in page
    assert "Another package can be agreed now" not in page
    assert "has no eligibility decision yet" in page
    assert "You can start this once your organisation is eligible." in page
    packages = client_for(world.org_a_admin).get(reverse("allowances:organisation_packages"))
    assert "Available now" not in packages.content.decode()


def test_an_eligible_organisation_is_offered_the_self_assessment_not_told_to_wait(world):
    EligibilityDecisionFactory(organisation=world.org_a)
    page = _home(world.org_a_admin)
    assert "Eligible until" in page
    assert "Complete a self-assessment of your organisation&#x27;s needs" in page
    assert reverse("diagnostics:diagnostic") in page
    assert "Once eligible" not in page


def test_a_sent_application_is_waiting_for_the_council(world):
    EligibilityApplicationFactory(
        organisation=world.org_a, status=EligibilityApplication.Status.SUBMITTED
    )
    page = _home(world.org_a_admin)
    assert "Eligibility application sent" in page
    assert "Waiting" in page


def test_each_agreed_package_has_its_next_step_and_deadline(world):
    package = PackageFactory(name="Fund raising")
    agreed = AgreedPackageFactory(
        organisation=world.org_a, package=package, agreed_by=world.officer
    )
    page = _home(world.org_a_admin)
    assert "Choose a provider for Fund raising" in page
    assert reverse("delivery:choose", args=[agreed.pk]) in page
    assert "Do this by" in page
    # A plain member sees it, but is told an administrator chooses.
    member_page = _home(world.org_a_member)
    assert "An administrator of your organisation chooses." in member_page


def test_a_delivered_package_asks_the_organisation_to_confirm_and_rate(world):
    package = PackageFactory(name="Marketing")
    agreed = AgreedPackageFactory(
        organisation=world.org_a, package=package, agreed_by=world.officer
    )
    provider = make_ready(world.provider, package, by=world.provider_user, officer=world.officer)
    Journey(
        agreed,
        org_admin=world.org_a_admin,
        provider=provider,
        provider_user=world.provider_user,
        officer=world.officer,
    ).delivered()
    page = _home(world.org_a_admin)
    assert f"Confirm that {provider.name} delivered Marketing, and rate them" in page
    assert reverse("delivery:confirm", args=[agreed.pk]) in page
    provider_page = _home(world.provider_user)
    assert "Waiting for organisations to confirm delivery (1)" in provider_page


def test_a_provider_sees_new_requests_with_the_date_to_answer_by(world):
    package = PackageFactory(name="Governance")
    agreed = AgreedPackageFactory(
        organisation=world.org_a, package=package, agreed_by=world.officer
    )
    provider = make_ready(world.provider, package, by=world.provider_user, officer=world.officer)
    Journey(
        agreed,
        org_admin=world.org_a_admin,
        provider=provider,
        provider_user=world.provider_user,
        officer=world.officer,
    ).requested()
    page = _home(world.provider_user)
    assert "Answer new requests (1)" in page
    assert "Answer the first by" in page
    assert reverse("delivery:provider_requests") in page
    org_page = _home(world.org_a_admin)
    assert f"{provider.name} has been asked to deliver Governance" in org_page


def test_an_officer_sees_each_queue_with_its_count_and_oldest_item(world):
    EligibilityApplicationFactory(
        organisation=world.org_a,
        status=EligibilityApplication.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=30),
    )
    FailedNotificationFactory()
    page = _home(world.officer)
    assert "Eligibility applications to decide (1)" in page
    assert "Oldest waiting 30 days" in page
    assert "Overdue" in page  # 30 days is past the officers' review deadline
    assert reverse("diagnostics:officer_applications") + "?status=submitted" in page
    assert "Emails that could not be sent (1)" in page
    assert "Payment claims to approve (0)" in page


def test_a_manager_sees_the_budget_at_a_glance(world):
    budget_for(timezone.localdate())
    page = _home(world.manager)
    assert "Community organisation support" in page or "available" in page.lower()
    assert "% of £150,000.00" in page
    assert "Nothing needs your decision." in page


# Session, user and second-factor check included. The organisation's: its membership,
# eligibility application, decision, diagnostic, open packages (count and page),
# their live requests, the deadlines (and days off), its allowance (caps, dates) and
# its drafts in grant rounds still open. The manager's: the budget strands, override
# requests, failed emails and grant appeals waiting for a review. The officer's include
# the grant monitoring reports' counts, the concerns about representatives to review and the
# comments from communities waiting for a check. The provider's include whether the person
# is a broker (a link to the opportunities to check).
HOME_QUERIES = {"org_a_admin": 15, "provider_user": 13, "officer": 17, "manager": 7}


@pytest.mark.parametrize("role", list(HOME_QUERIES))
def test_each_home_page_costs_the_same_queries_with_one_item_or_many(world, role):
    user = getattr(world, role)
    budget_for(timezone.localdate())
    client = client_for(user)

    def make_rows(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            EligibilityApplicationFactory(
                organisation=organisation, status=EligibilityApplication.Status.SUBMITTED
            )
            FailedNotificationFactory()
        for _ in range(n):  # the organisation's packages: past its caps, by a manager
            AgreedPackageFactory(
                organisation=world.org_a, agreed_by=world.manager, override_reason="A test."
            )

    count = assert_constant_queries(make_rows, lambda: client.get(reverse("home")), large=8)
    assert count == HOME_QUERIES[role]
