"""The pages: the officer's agree flow, refusals that explain themselves, manager pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from allowances.models import AgreedPackage, BudgetYear, CapPolicyVersion
from allowances.rules import financial_year_of, fy_label
from allowances.services import agree_package
from diagnostics.rules import long_date
from govuk.forms import as_date_input, example_date
from notifications.deadlines import CHOOSE_PROVIDER, deadline

from ..conftest import assert_constant_queries, client_for
from ..factories import (
    AgreedPackageFactory,
    BudgetYearFactory,
    EligibilityDecisionFactory,
    OrganisationFactory,
    PackageFactory,
    RecommendationFactory,
)


@pytest.fixture
def ready(world):
    """Organisation A is eligible and this year has a budget."""
    EligibilityDecisionFactory(organisation=world.org_a)
    BudgetYearFactory()
    return world


def confirm_url(world, package):
    return reverse("allowances:agree_confirm", args=[world.org_a.pk, package.pk])


def at_cap(world):
    for _ in range(2):
        AgreedPackageFactory(organisation=world.org_a, agreed_by=world.officer)


def test_an_officer_agrees_a_package_from_the_menu_after_checking(ready):
    world = ready
    package = PackageFactory(name="Bid Writing", value=Decimal("2500.00"))
    client = client_for(world.officer)
    page = client.get(
        reverse("allowances:officer_packages", args=[world.org_a.pk])
    ).content.decode()
    assert (
        "Another package can be agreed now." in page and "Organisation A is eligible until" in page
    )

    choose = reverse("allowances:agree_choose", args=[world.org_a.pk])
    assert "Select the package to agree" in client.post(choose, {}).content.decode()
    response = client.post(choose, {"package": package.pk})
    assert response.url == confirm_url(world, package)

    check = client.get(response.url).content.decode()
    year = fy_label(financial_year_of(timezone.localdate()))
    assert f"VCS support packages {year}:\n" in check or f"VCS support packages {year}:" in check
    assert "£150,000.00 available of £150,000.00" in check
    assert "0 of 2 used in the" in check and "Agree package" in check

    response = client.post(confirm_url(world, package))
    agreed = AgreedPackage.objects.get(organisation=world.org_a)
    assert response.url == reverse("allowances:agreed_confirmation", args=[agreed.pk])
    done = client.get(response.url).content.decode()
    assert "Package agreed" in done and "Bid Writing for Organisation A" in done
    choose_by = deadline(CHOOSE_PROVIDER).due_on(agreed.agreed_on)
    assert f"choose a provider by {long_date(choose_by)}" in done
    assert reverse("allowances:agreed_package_detail", args=[agreed.pk]) in done


def test_the_diagnostics_recommendations_come_first_with_their_reasons(ready):
    world = ready
    PackageFactory(name="Aardvark Care", position=0)  # first on the menu otherwise
    second = RecommendationFactory(
        diagnostic__organisation=world.org_a, rank=2, reason="Marketing scored 1 of 4."
    )
    RecommendationFactory(
        diagnostic=second.diagnostic,
        package=PackageFactory(name="Zebra Governance", position=999),
        rank=1,
        reason="Governance scored 1 of 4.",
    )
    html = (
        client_for(world.officer)
        .get(reverse("allowances:agree_choose", args=[world.org_a.pk]))
        .content.decode()
    )
    zebra, recommended, aardvark = (
        html.index("Zebra Governance"),
        html.index(second.package.name),
        html.index("Aardvark Care"),
    )
    assert zebra < recommended < aardvark
    assert "Recommended by the diagnostic: Governance scored 1 of 4." in html
    assert 'class="govuk-radios__divider">or<' in html


def test_a_refusal_explains_itself_before_and_after_submitting(ready):
    world = ready
    at_cap(world)
    package = PackageFactory()
    client = client_for(world.officer)
    before = client.get(confirm_url(world, package)).content.decode()
    assert "This package cannot be agreed as things stand." in before
    assert "Organisation A already has 2 packages in the" in before
    assert "The earliest date another package can be agreed is 1 April" in before
    assert "Agree package" not in before  # an officer has no way past it
    response = client.post(confirm_url(world, package))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "already has 2 packages in the" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html
    assert AgreedPackage.objects.filter(organisation=world.org_a).count() == 2


def test_an_organisation_that_is_not_eligible_is_refused_with_the_reason(world):
    BudgetYearFactory()
    package = PackageFactory()
    response = client_for(world.manager).post(confirm_url(world, package))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Organisation A has no eligibility decision yet." in html
    assert "Why should this package be agreed anyway?" not in html  # no override for this
    assert not AgreedPackage.objects.exists()


def test_a_manager_overrides_the_cap_with_a_reason_and_it_is_reported(ready):
    world = ready
    at_cap(world)
    package = PackageFactory()
    client = client_for(world.manager)
    assert (
        "Why should this package be agreed anyway?"
        in client.get(confirm_url(world, package)).content.decode()
    )
    html = client.post(confirm_url(world, package), {"override_reason": ""}).content.decode()
    assert "Enter the reason for agreeing past the cap or the budget" in html
    response = client.post(
        confirm_url(world, package), {"override_reason": "Recovering from a fire"}
    )
    assert response.status_code == 302
    agreed = AgreedPackage.objects.get(cap_override=True)
    assert agreed.override_reason == "Recovering from a fire"
    overrides = client.get(reverse("allowances:overrides")).content.decode()
    assert "Recovering from a fire" in overrides and "Organisation A" in overrides


def test_cancelling_needs_a_reason_and_the_organisation_sees_the_result(ready):
    world = ready
    agreed = AgreedPackageFactory(organisation=world.org_a)
    url = reverse("allowances:agreed_package_cancel", args=[agreed.pk])
    client = client_for(world.officer)
    assert "Enter why the package is being cancelled" in client.post(url, {}).content.decode()
    assert client.post(url, {"reason": "No longer needed"}).status_code == 302
    html = (
        client_for(world.org_a_admin)
        .get(reverse("allowances:agreed_package_detail", args=[agreed.pk]))
        .content.decode()
    )
    assert "Cancelled" in html and "No longer needed" in html
    assert "the place was given back" in html
    # Cancelling twice says why it cannot, rather than failing.
    again = client.post(url, {"reason": "Again"}).content.decode()
    assert "This package is cancelled, so it cannot be cancelled now." in again


def test_the_organisation_sees_its_allowance_in_plain_words(ready):
    world = ready
    AgreedPackageFactory(organisation=world.org_a)
    html = (
        client_for(world.org_a_admin)
        .get(reverse("allowances:organisation_packages"))
        .content.decode()
    )
    assert "1 of 2 used in the" in html and "1 of 4 used in the 3 financial years" in html
    assert "Another package can be agreed now." in html
    home = client_for(world.org_a_admin).get(reverse("organisation_home")).content.decode()
    assert reverse("allowances:organisation_packages") in home
    assert "1 of 2 used in the" in home and "Another package can be agreed now." in home
    officer = client_for(world.officer).get(
        reverse("officer_organisation_detail", args=[world.org_a.pk])
    )
    assert "1 of 4 used in the 3 financial years" in officer.content.decode()
    assert reverse("allowances:officer_packages", args=[world.org_a.pk]) in officer.content.decode()


def test_the_organisations_packages_page_runs_the_same_queries_for_1_and_50(ready):
    world = ready
    # Generous caps, so that 50 packages can be agreed in one year.
    CapPolicyVersion.objects.create(
        effective_from=timezone.localdate() - timedelta(days=1),
        per_year=60,
        per_period=60,
        created_by=world.manager,
    )
    client = client_for(world.org_a_admin)
    count = assert_constant_queries(
        lambda n: [
            AgreedPackageFactory(organisation=world.org_a, agreed_by=world.officer)
            for _ in range(n)
        ],
        lambda: client.get(reverse("allowances:organisation_packages")),
    )
    # 1. the session, 2. the user, 3. the user's membership and organisation,
    # 4. the counting packages' dates, 5. the cap policy versions, 6. the latest
    # eligibility decision, 7. the deadline to choose a provider (each waiting
    # package's choose-by date), 8. the agreed packages with their package joined.
    assert count == 8


def test_the_overrides_list_runs_the_same_queries_for_1_and_50(world):
    BudgetYearFactory(strands={"vcs_support": Decimal("1.00")})
    client = client_for(world.manager)

    def overrides(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            EligibilityDecisionFactory(organisation=organisation)
            agree_package(
                organisation=organisation,
                package=PackageFactory(),
                agreed_by=world.manager,
                override_reason="Past the budget",
            )

    count = assert_constant_queries(overrides, lambda: client.get(reverse("allowances:overrides")))
    # 1. the session, 2. the user, 3. whether the manager has an authenticator
    # (staff two-factor), 4. the count of overrides for the pager, 5. one page of
    # overrides with organisation, package, agreer, strand and year joined.
    assert count == 5


def test_a_budget_year_breaking_the_rules_says_which_and_by_how_much(manager_client):
    this_year = financial_year_of(timezone.localdate())
    data = {
        "start_year": this_year,
        "total": "£460,000",
        "strand_vcs_support": "300000",
        "strand_community_cohesion": "45000",
        "strand_volunteering": "100000",
    }
    html = manager_client.post(reverse("allowances:budget_year_create"), data).content.decode()
    assert "The total must be £450,000.00 or less – £460,000.00 is £10,000.00 over" in html
    assert (
        "Community cohesion representation must be at least £50,000.00 – £45,000.00 is "
        "£5,000.00 short"
    ) in html
    assert 'value="£460,000"' in html  # what was typed is kept
    data |= {"total": "400000", "strand_community_cohesion": "50000"}
    html = manager_client.post(reverse("allowances:budget_year_create"), data).content.decode()
    assert "The strands add up to £450,000.00, which is £50,000.00 more than the total" in html
    data |= {"total": "450000"}
    response = manager_client.post(reverse("allowances:budget_year_create"), data)
    assert response.status_code == 302
    year = BudgetYear.objects.get(start_year=this_year)
    assert {s.kind: s.amount for s in year.strands.all()} == {
        "vcs_support": Decimal("300000.00"),
        "community_cohesion": Decimal("50000.00"),
        "volunteering": Decimal("100000.00"),
    }


def test_a_budget_year_form_left_empty_asks_for_each_answer(manager_client):
    html = manager_client.post(reverse("allowances:budget_year_create"), {}).content.decode()
    for message in (
        "Select the financial year the budget is for",
        "Enter the total budget for the year",
        "Enter the amount for vcs support packages",
        "Enter the amount for volunteering support",
    ):
        assert message in html


def test_a_strand_cannot_be_cut_below_what_is_committed(world):
    BudgetYearFactory(strands={"vcs_support": Decimal("100000.00")})
    first = AgreedPackageFactory(organisation=world.org_a, package__value=Decimal("30000.00"))
    AgreedPackageFactory(organisation=world.org_a, package__value=Decimal("30000.00"))
    year = first.strand.budget_year
    url = reverse("allowances:budget_year_edit", args=[year.pk])
    data = {
        "total": "450000",
        "strand_vcs_support": "55000",
        "strand_community_cohesion": "150000",
        "strand_volunteering": "150000",
    }
    client = client_for(world.manager)
    html = client.post(url, data).content.decode()
    assert (
        "VCS support packages cannot be less than the £60,000.00 already committed or spent – "
        "£55,000.00 is £5,000.00 short"
    ) in html
    data["strand_vcs_support"] = "60000"
    assert client.post(url, data).status_code == 302
    ledger = client.get(
        reverse("allowances:strand_ledger", args=[first.strand_id])
    ).content.decode()
    assert ledger.count("£30,000.00") == 2 and "£0.00 available" not in ledger
    assert "Commitment" in ledger


def test_the_caps_policy_form_checks_each_answer(manager_client, world):
    url = reverse("allowances:cap_policy")
    yesterday = timezone.localdate() - timedelta(days=1)
    base = {"per_year": "3", "per_period": "2", "period_years": "3", "basis": "rolling"}
    html = manager_client.post(
        url,
        {
            **base,
            "effective_from_0": yesterday.day,
            "effective_from_1": yesterday.month,
            "effective_from_2": yesterday.year,
        },
    ).content.decode()
    assert "The date the rules take effect must be today or in the future" in html
    assert "Packages per period must be at least the 3 allowed per year" in html
    html = manager_client.post(
        url, {**base, "effective_from_0": "31", "effective_from_1": "2", "effective_from_2": "2030"}
    ).content.decode()
    example = as_date_input(example_date(timezone.localdate(), "future"))
    assert f"The date the rules take effect must be a real date, like {example}" in html
    html = manager_client.post(url, {"per_year": "two"}).content.decode()
    assert "Enter the date the rules take effect" in html
    assert "Enter the number of packages allowed in one year as a whole number, like 2" in html
    assert "Select how years are counted" in html
    today = timezone.localdate()
    response = manager_client.post(
        url,
        {
            **base,
            "per_period": "6",
            "effective_from_0": today.day,
            "effective_from_1": today.month,
            "effective_from_2": today.year,
        },
    )
    assert response.status_code == 302
    version = CapPolicyVersion.objects.get()
    assert (version.per_year, version.basis, version.created_by) == (3, "rolling", world.manager)
    page = manager_client.get(url).content.decode()
    assert "Up to 3 packages" in page and "Rolling: any 365 days" in page


def test_an_absurd_year_for_the_caps_policy_is_a_message_not_a_crash(manager_client):
    # date() raises OverflowError, not ValueError, for a year beyond a C long.
    response = manager_client.post(
        reverse("allowances:cap_policy"),
        {
            "per_year": "2",
            "per_period": "4",
            "period_years": "3",
            "basis": "rolling",
            "effective_from_0": "1",
            "effective_from_1": "4",
            "effective_from_2": "9" * 30,
        },
    )
    assert response.status_code == 200
    assert "The date the rules take effect must be a real date" in response.content.decode()
