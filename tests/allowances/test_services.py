"""agree_package, cancel_agreed_package and every other move of an agreed package."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from allowances.models import AgreedPackage, AgreedStatus, CapPolicyVersion, LedgerEntry
from allowances.rules import ROLLING, financial_year_of, fy_start
from allowances.selectors import strand_available
from allowances.services import (
    AgreementRefused,
    AllowanceError,
    BudgetRefused,
    CapRefused,
    EligibilityRefused,
    IllegalTransition,
    agree_package,
    allowance_summary,
    cancel_agreed_package,
    expire_agreed_package,
    record_spend,
    start_delivery,
)
from audit.models import AuditEvent
from diagnostics.models import EligibilityDecision
from diagnostics.services import record_eligibility_decision
from packages.services import update_package, withdraw_package

from ..factories import (
    AgreedPackageFactory,
    BudgetYearFactory,
    EligibilityDecisionFactory,
    ManagerFactory,
    OrganisationFactory,
    PackageFactory,
    StaffFactory,
    UserFactory,
    accept_for_test,
    claim_for_test,
)

TODAY = date(2025, 6, 2)


@pytest.fixture
def officer(db):
    return StaffFactory()


@pytest.fixture
def manager(db):
    return ManagerFactory()


@pytest.fixture
def organisation(db):
    organisation = OrganisationFactory(name="Highfields Community Association")
    EligibilityDecisionFactory(
        organisation=organisation, valid_from=date(2023, 1, 1), valid_until=date(2027, 12, 31)
    )
    return organisation


@pytest.fixture
def budget(db):
    return BudgetYearFactory(start_year=2025, strands={"vcs_support": Decimal("10000.00")})


@pytest.fixture
def package(db):
    return PackageFactory(name="Bid Writing", value=Decimal("2500.00"))


def vcs_strand(budget):
    return budget.strands.get(kind="vcs_support")


def agree(organisation, package, by, on=TODAY, **kwargs):
    return agree_package(organisation=organisation, package=package, agreed_by=by, on=on, **kwargs)


# --- Agreeing


def test_agreeing_commits_the_value_audits_and_emails_after_commit(
    organisation, package, officer, budget, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreed = agree(organisation, package, officer)
    assert agreed.status == AgreedStatus.AGREED
    assert (agreed.value, agreed.agreed_on, agreed.financial_year) == (
        Decimal("2500.00"),
        TODAY,
        2025,
    )
    (entry,) = LedgerEntry.objects.filter(agreed_package=agreed)
    assert (entry.kind, entry.amount, entry.created_by) == (
        "commitment",
        Decimal("2500.00"),
        officer,
    )
    assert strand_available(vcs_strand(budget)) == Decimal("7500.00")
    event = AuditEvent.objects.get(action="agreed_package.agreed")
    assert (event.actor, event.object_id, event.to_state) == (officer, str(agreed.pk), "agreed")
    (email,) = mail.outbox
    assert email.to == [organisation.contact_email]
    assert "Bid Writing has been agreed for Highfields Community Association" in email.subject


def test_a_value_change_on_the_menu_never_alters_an_agreed_package(
    organisation, package, officer, manager, budget
):
    agreed = agree(organisation, package, officer)
    update_package(package=package, by=manager, data={"value": Decimal("9999.00")})
    agreed.refresh_from_db()
    assert agreed.value == Decimal("2500.00")
    assert strand_available(vcs_strand(budget)) == Decimal("7500.00")


def test_it_commits_to_the_strand_the_package_draws_on_when_agreed(
    organisation, package, officer, manager, budget
):
    # The caller's copy of the package is older than a manager's change of strand.
    stale = type(package).objects.get(pk=package.pk)
    update_package(package=package, by=manager, data={"strand": "volunteering"})
    with pytest.raises(AgreementRefused, match="budget strand"):
        agree(organisation, stale, officer)
    assert not AgreedPackage.objects.exists()
    assert strand_available(vcs_strand(budget)) == Decimal("10000.00")


def test_it_refuses_a_third_package_in_one_financial_year_and_says_when(
    organisation, package, officer, budget
):
    agree(organisation, package, officer, on=date(2025, 4, 1))
    agree(organisation, package, officer, on=date(2025, 5, 1))
    with pytest.raises(CapRefused) as refused:
        agree(organisation, package, officer)
    assert refused.value.reason == (
        "Highfields Community Association already has 2 packages in the 2025/26 financial year "
        "(1 April 2025 to 31 March 2026), the most allowed in any financial year. The earliest "
        "date another package can be agreed is 1 April 2026."
    )
    assert AgreedPackage.objects.count() == 2
    assert LedgerEntry.objects.count() == 2


def test_it_refuses_a_fifth_package_in_three_financial_years(organisation, package, officer):
    for year in (2023, 2024, 2025):
        BudgetYearFactory(start_year=year)
    for on in (date(2023, 5, 1), date(2024, 5, 1), date(2024, 6, 1), date(2025, 4, 1)):
        agree(organisation, package, officer, on=on)
    with pytest.raises(CapRefused, match="4 packages in the 3 financial years 2023/24 to 2025/26"):
        agree(organisation, package, officer)


def test_the_rolling_basis_counts_any_365_days(organisation, package, officer, manager):
    CapPolicyVersion.objects.create(
        effective_from=date(2020, 1, 1), basis=ROLLING, created_by=manager
    )
    for year in (2024, 2025):
        BudgetYearFactory(start_year=year)
    agree(organisation, package, officer, on=date(2024, 12, 1))
    agree(organisation, package, officer, on=date(2025, 5, 1))
    with pytest.raises(
        CapRefused, match="The earliest date another package can be agreed is 1 December 2025"
    ):
        agree(organisation, package, officer, on=date(2025, 11, 30))
    assert agree(organisation, package, officer, on=date(2025, 12, 1)).year_slot is None


def test_it_refuses_when_the_strand_would_go_below_zero(organisation, officer, budget):
    expensive = PackageFactory(name="Big", value=Decimal("10000.01"))
    with pytest.raises(BudgetRefused) as refused:
        agree(organisation, expensive, officer)
    assert refused.value.reason == (
        "The VCS support packages budget for 2025/26 has £10,000.00 left, but Big costs "
        "£10,000.01: £0.01 short."
    )
    assert not AgreedPackage.objects.exists()


def test_it_refuses_when_the_year_has_no_budget(organisation, package, officer):
    with pytest.raises(
        BudgetRefused, match="There is no VCS support packages budget for 2025/26 yet"
    ):
        agree(organisation, package, officer)


@pytest.mark.parametrize(
    "decision, message",
    [
        (None, "has no eligibility decision yet"),
        ({"valid_until": date(2025, 6, 1)}, "eligibility expired on 1 June 2025"),
        ({"outcome": "not_eligible", "valid_until": None}, "was found not eligible on"),
    ],
)
def test_it_refuses_an_organisation_that_is_not_eligible_that_day(
    package, officer, budget, decision, message
):
    organisation = OrganisationFactory()
    if decision is not None:
        EligibilityDecisionFactory(
            organisation=organisation, valid_from=date(2022, 6, 2), **decision
        )
    with pytest.raises(EligibilityRefused, match=message):
        agree(organisation, package, officer)


def test_the_latest_eligibility_decision_is_the_one_in_force(package, officer, budget):
    organisation = OrganisationFactory()
    record_eligibility_decision(
        organisation=organisation,
        outcome="eligible",
        decided_by=officer,
        reasons="Fine",
        valid_from=date(2025, 1, 1),
    )
    assert agree(organisation, package, officer)
    record_eligibility_decision(
        organisation=organisation, outcome="not_eligible", decided_by=officer, reasons="Closed"
    )
    with pytest.raises(EligibilityRefused):
        agree(organisation, package, officer)
    assert EligibilityDecision.objects.get(outcome="eligible").valid_until == date(2027, 12, 31)


def test_a_withdrawn_package_cannot_be_agreed(organisation, package, officer, manager, budget):
    withdraw_package(package=package, by=manager)
    with pytest.raises(AgreementRefused, match="has been withdrawn from the menu"):
        agree(organisation, package, officer)


def test_only_council_staff_agree_packages(organisation, package, budget):
    with pytest.raises(AgreementRefused, match="Only council officers and managers"):
        agree(organisation, package, UserFactory())


def test_a_manager_may_agree_past_the_cap_with_a_reason_and_it_is_listed(
    organisation, package, officer, manager, budget
):
    agree(organisation, package, officer)
    agree(organisation, package, officer)
    agreed = agree(organisation, package, manager, override_reason="Flood recovery")
    assert (agreed.cap_override, agreed.budget_override) == (True, False)
    assert agreed.override_reason == "Flood recovery"
    assert agreed.year_slot == 3 and agreed.year_cap == 2
    assert list(AgreedPackage.objects.overrides()) == [agreed]
    assert AuditEvent.objects.get(
        action="agreed_package.agreed", object_id=str(agreed.pk)
    ).reason == ("Flood recovery")


def test_a_manager_may_agree_past_the_budget_and_the_ledger_marks_it(organisation, manager, budget):
    expensive = PackageFactory(value=Decimal("12000.00"))
    agreed = agree(organisation, expensive, manager, override_reason="Match funding secured")
    assert (agreed.cap_override, agreed.budget_override) == (False, True)
    entry = agreed.ledger.get()
    assert entry.is_override and entry.note == "Match funding secured"
    assert strand_available(vcs_strand(budget)) == Decimal("-2000.00")


def test_an_officer_cannot_override(organisation, package, officer, budget):
    agree(organisation, package, officer)
    agree(organisation, package, officer)
    with pytest.raises(CapRefused, match="Only a manager can agree a package past a cap"):
        agree(organisation, package, officer, override_reason="Please")
    assert AgreedPackage.objects.count() == 2


def test_a_manager_without_a_reason_is_refused_like_anyone(organisation, package, manager, budget):
    agree(organisation, package, manager)
    agree(organisation, package, manager)
    with pytest.raises(CapRefused):
        agree(organisation, package, manager, override_reason="   ")


def test_a_reason_given_when_no_override_is_needed_is_not_an_override(
    organisation, package, manager, budget
):
    agreed = agree(organisation, package, manager, override_reason="Just in case")
    assert not agreed.is_override and agreed.override_reason == ""


# --- Moving an agreed package on


@pytest.fixture
def agreed(organisation, package, officer, budget):
    return agree(organisation, package, officer)


def test_cancelling_before_delivery_gives_back_the_money_and_the_slot(
    agreed, organisation, package, officer, budget
):
    agree(organisation, package, officer)
    cancel_agreed_package(agreed, by=officer, reason="Found support elsewhere")
    agreed.refresh_from_db()
    assert (
        agreed.status == AgreedStatus.CANCELLED and agreed.ended_reason == "Found support elsewhere"
    )
    assert not agreed.counts_toward_caps
    assert strand_available(vcs_strand(budget)) == Decimal("7500.00")
    assert agreed.ledger.filter(kind="release").get().amount == Decimal("2500.00")
    replacement = agree(organisation, package, officer)  # the slot came back...
    assert replacement.year_slot == agreed.year_slot  # ...and is reused
    event = AuditEvent.objects.get(action="agreed_package.cancelled")
    assert (event.from_state, event.to_state, event.reason) == (
        "agreed",
        "cancelled",
        "Found support elsewhere",
    )


def test_cancelling_after_delivery_started_still_counts(agreed, organisation, package, officer):
    agree(organisation, package, officer)
    accept_for_test(agreed, by=officer)
    start_delivery(agreed, by=officer, on=TODAY + timedelta(days=5))
    cancel_agreed_package(agreed, by=officer, reason="Provider withdrew")
    agreed.refresh_from_db()
    assert agreed.counts_toward_caps
    with pytest.raises(CapRefused):
        agree(organisation, package, officer)


def test_expiry_releases_money_and_slot(agreed, organisation, budget):
    expire_agreed_package(agreed, reason="No provider chosen within 8 weeks")
    agreed.refresh_from_db()
    assert agreed.status == AgreedStatus.EXPIRED and not agreed.counts_toward_caps
    assert agreed.ledger.get(kind="release").created_by is None
    assert allowance_summary(organisation, TODAY).used_this_year == 0
    assert strand_available(vcs_strand(budget)) == Decimal("10000.00")


def test_a_claim_turns_the_commitment_into_spend(agreed, officer, budget):
    accept_for_test(agreed, by=officer)
    start_delivery(agreed, by=officer)
    claim_for_test(agreed, by=officer)
    record_spend(agreed, amount=Decimal("2400.00"), by=officer)
    agreed.refresh_from_db()
    assert agreed.status == AgreedStatus.PAID
    kinds = sorted(agreed.ledger.values_list("kind", "amount"))
    assert kinds == [
        ("commitment", Decimal("2500.00")),
        ("release", Decimal("2500.00")),
        ("spend", Decimal("2400.00")),
    ]
    assert strand_available(vcs_strand(budget)) == Decimal("7600.00")


def test_a_claim_above_the_value_needs_a_manager_and_a_reason(agreed, officer, manager):
    accept_for_test(agreed, by=officer)
    start_delivery(agreed, by=officer)
    claim_for_test(agreed, by=officer)
    with pytest.raises(AllowanceError, match="Only a manager can approve it"):
        record_spend(agreed, amount=Decimal("2600.00"), by=officer)
    with pytest.raises(AllowanceError, match="Give the reason"):
        record_spend(agreed, amount=Decimal("2600.00"), by=manager)
    record_spend(agreed, amount=Decimal("2600.00"), by=manager, override_reason="Extra session")
    assert agreed.ledger.get(kind="spend").is_override


@pytest.mark.parametrize(
    "before, move",
    [
        ([], lambda a, by: start_delivery(a, by=by)),
        (["accept"], lambda a, by: record_spend(a, amount=Decimal(1), by=by)),
        ([], lambda a, by: record_spend(a, amount=Decimal(1), by=by)),
        (["cancel"], lambda a, by: cancel_agreed_package(a, by=by, reason="Again")),
        (["cancel"], lambda a, by: start_delivery(a, by=by)),
        (["cancel"], lambda a, by: expire_agreed_package(a, reason="Late")),
        (["accept", "start"], lambda a, by: expire_agreed_package(a, reason="Late")),
        (["accept", "start"], lambda a, by: start_delivery(a, by=by)),
        (
            ["accept", "start", "claim"],
            lambda a, by: cancel_agreed_package(a, by=by, reason="Too late"),
        ),
        (["expire"], lambda a, by: cancel_agreed_package(a, by=by, reason="Too late")),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(agreed, officer, before, move):
    steps = {
        "cancel": lambda: cancel_agreed_package(agreed, by=officer, reason="First"),
        "accept": lambda: accept_for_test(agreed, by=officer),
        "start": lambda: start_delivery(agreed, by=officer),
        "claim": lambda: claim_for_test(agreed, by=officer),
        "expire": lambda: expire_agreed_package(agreed, reason="Late"),
    }
    for step in before:
        steps[step]()
    agreed.refresh_from_db()
    status, entries = agreed.status, LedgerEntry.objects.count()
    with pytest.raises(
        IllegalTransition, match=f"This package is {agreed.get_status_display().lower()}"
    ):
        move(agreed, officer)
    agreed.refresh_from_db()
    assert (agreed.status, LedgerEntry.objects.count()) == (status, entries)


def test_cancelling_needs_a_reason_and_council_staff(agreed, organisation):
    with pytest.raises(AllowanceError, match="Enter why the package is being cancelled"):
        cancel_agreed_package(agreed, by=StaffFactory(), reason="  ")
    member = UserFactory()
    with pytest.raises(AllowanceError, match="Only council officers"):
        cancel_agreed_package(agreed, by=member, reason="We changed our minds")


# --- The summary


def test_the_summary_counts_this_year_and_the_period_and_gives_the_next_date(
    organisation, package, officer
):
    for year in (2024, 2025):
        BudgetYearFactory(start_year=year)
    agree(organisation, package, officer, on=date(2024, 6, 1))
    agree(organisation, package, officer, on=date(2025, 4, 1))
    agree(organisation, package, officer, on=date(2025, 5, 1))
    summary = allowance_summary(organisation, on=TODAY)
    assert (summary.used_this_year, summary.used_in_period) == (2, 3)
    assert summary.next_available == fy_start(2026)
    assert (
        summary.next_sentence == "The earliest date another package can be agreed is 1 April 2026."
    )


def test_the_factory_agrees_through_the_service(db):
    agreed = AgreedPackageFactory()
    assert agreed.ledger.get().kind == "commitment"
    assert agreed.financial_year == financial_year_of(timezone.localdate())
