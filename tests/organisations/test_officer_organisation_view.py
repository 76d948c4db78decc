"""The officer's view of an organisation: everything about it, linked, and its history in words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from delivery.models import Claim, ProviderRequest
from diagnostics.models import EligibilityApplication

from ..conftest import assert_constant_queries, client_for
from ..delivery.support import package_at
from ..factories import (
    AgreedPackageFactory,
    DiagnosticFactory,
    EligibilityApplicationFactory,
    PackageFactory,
    ProviderFactory,
    StaffFactory,
    UserFactory,
)


def _page(world, organisation=None):
    url = reverse("officer_organisation_detail", args=[(organisation or world.org_a).pk])
    response = client_for(world.officer).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_links_to_each_record_of_the_organisation_with_counts_and_status(world):
    application = EligibilityApplicationFactory(organisation=world.org_a, status="submitted")
    diagnostic = DiagnosticFactory(organisation=world.org_a, status="completed")
    claimed = package_at(world, "claimed")  # agreed, requested, accepted ... claimed
    request = claimed.provider_requests.get()
    claim = claimed.claims.get()

    html = _page(world)

    a = world.org_a.pk
    assert reverse("diagnostics:officer_application_detail", args=[application.pk]) in html
    assert f"{reverse('diagnostics:officer_applications')}?organisation={a}&amp;status=" in html
    assert "1 sent. Latest status: Submitted." in html
    assert reverse("diagnostics:officer_diagnostic", args=[diagnostic.pk]) in html
    assert reverse("diagnostics:diagnostic_report", args=[diagnostic.pk]) in html
    assert f"{reverse('diagnostics:officer_diagnostics')}?organisation={a}" in html
    assert "1 started. Latest status: Completed." in html
    assert reverse("allowances:agreed_package_detail", args=[claimed.pk]) in html
    assert "Agreed packages: 1" in html
    assert f"{claimed.package.name}</a>, agreed" in html
    assert reverse("delivery:package", args=[request.agreed_package_id]) in html
    assert f"from {request.provider.name}</a>" in html
    assert reverse("delivery:claim_detail", args=[claim.pk]) in html
    assert f"{reverse('delivery:claims')}?organisation={a}&amp;status=" in html
    assert f"{claim.reference}</a>" in html


def test_an_organisation_with_nothing_yet_says_so(world):
    html = _page(world, world.org_b)
    assert html.count("None sent yet.") == 2  # eligibility applications, requests
    assert "None started yet." in html
    assert "None made yet." in html
    assert "Agreed packages:" not in html


def test_the_history_reads_in_words_about_the_organisation_and_its_things(world):
    priya_shah = UserFactory(full_name="Priya Shah")
    priya_officer = StaffFactory(full_name="Priya Officer")
    application = EligibilityApplicationFactory(organisation=world.org_a, status="submitted")
    record(actor=priya_shah, action="eligibility_application.submitted", obj=application)
    AgreedPackageFactory(
        organisation=world.org_a,
        package=PackageFactory(name="Fund raising"),
        agreed_by=priya_officer,
    )
    record(actor=None, action="some_new_thing.was_done", obj=world.org_a)
    # Another organisation's package is not this one's history.
    AgreedPackageFactory(
        organisation=world.org_b, package=PackageFactory(name="Trustee board review")
    )

    html = _page(world)

    assert "Eligibility application sent by Priya Shah" in html
    assert "Package agreed by Priya Officer: Fund raising" in html
    assert "Some new thing: was done" in html  # an action with no wording is still words
    assert "Trustee board review" not in html
    for code in ("eligibility_application.submitted", "agreed_package.agreed", "some_new_thing"):
        assert code not in html


def _more_of_everything(world, organisation):
    """`make_rows` for the query count: n more of each kind of record, with their events."""
    provider = ProviderFactory()
    officer = world.manager  # a manager's override keeps the caps out of the way
    now = timezone.now()

    def make(n):
        for _ in range(n):
            agreed = AgreedPackageFactory(
                organisation=organisation, agreed_by=officer, override_reason="Many packages"
            )
            request = ProviderRequest.objects.create(
                agreed_package=agreed,
                provider=provider,
                message="Please deliver this.",
                requested_by=world.org_a_admin,
                status="declined",
                responded_at=now,
                decline_reason="No room.",
            )
            Claim.objects.create(
                request=request,
                agreed_package=agreed,
                amount=agreed.value,
                submitted_by=world.provider_user,
                status="rejected",
                decided_at=now,
                decision_reason="Not delivered.",
            )
            application = EligibilityApplicationFactory(
                organisation=organisation, status="not_eligible"
            )
            diagnostic = DiagnosticFactory(organisation=organisation, status="completed", score=2)
            record(
                actor=officer, action="eligibility_application.find_not_eligible", obj=application
            )
            record(actor=officer, action="diagnostic.completed", obj=diagnostic)
            record(actor=officer, action="organisation.updated", obj=organisation)

    return make


def test_the_page_runs_the_same_queries_with_one_or_many_records_and_events(world):
    organisation = world.org_a
    url = reverse("officer_organisation_detail", args=[organisation.pk])
    client = client_for(world.officer)
    count = assert_constant_queries(
        _more_of_everything(world, organisation), lambda: client.get(url), large=25
    )
    # session, user, TOTP check, organisation; themes, members; the latest few of
    # applications, diagnostics, packages, requests and claims, each with its count;
    # the organisation's things, then their events; the allowance's packages, cap
    # policy versions and eligibility decision.
    assert count == 16
    html = client.get(url).content.decode()
    assert "See all 25 agreed packages" in html
    assert "See all 25 eligibility applications" in html
    assert "25 sent. Each agreed package" in html  # provider requests
    assert "See all 25 claims" in html
    # The latest few are listed, not all 25: one link to each shown package.
    assert html.count('href="/agreed-packages/') == 3


@pytest.mark.parametrize(
    ("list_name", "query"),
    [
        ("diagnostics:officer_applications", "&status="),
        ("diagnostics:officer_diagnostics", "&show=completed"),
        ("delivery:claims", "&status="),
    ],
)
def test_the_lists_it_links_to_show_only_that_organisations_records(world, list_name, query):
    for organisation in (world.org_a, world.org_b):
        make = _more_of_everything(world, organisation)
        make(1)
    url = f"{reverse(list_name)}?organisation={world.org_a.pk}{query}"
    response = client_for(world.officer).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.org_a.name in html
    assert world.org_b.name not in html
    # Without the organisation, both are listed: the filter is what hides B.
    html = client_for(world.officer).get(f"{reverse(list_name)}?{query[1:]}").content.decode()
    assert world.org_a.name in html and world.org_b.name in html


def test_the_diagnostics_list_ignores_an_organisation_that_is_not_a_number(world):
    DiagnosticFactory(organisation=world.org_b, status="completed")
    url = f"{reverse('diagnostics:officer_diagnostics')}?organisation=²&show=completed"
    response = client_for(world.officer).get(url)
    assert response.status_code == 200
    assert world.org_b.name in response.content.decode()


def test_the_latest_application_is_the_one_sent_last(world):
    older = EligibilityApplicationFactory(organisation=world.org_a, status="not_eligible")
    EligibilityApplication.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    EligibilityApplicationFactory(organisation=world.org_a, status="submitted")
    assert "2 sent. Latest status: Submitted." in _page(world)
