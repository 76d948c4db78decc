"""Real concurrent agreements on PostgreSQL: threads released together by a barrier.

Each thread uses its own database connection (Django's connections are
per thread) and closes it when done. The scenarios return what happened so the
tests can assert on it, and so the same scenarios can be run once with the
locks taken out to show that the tests would catch the race.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allowances.models import AgreedPackage, BudgetStrand, BudgetYear, CapPolicyVersion
from allowances.rules import FINANCIAL_YEAR, ROLLING
from allowances.selectors import strand_available
from allowances.services import (
    AgreementRefused,
    IllegalTransition,
    agree_package,
    cancel_agreed_package,
    record_spend,
    start_delivery,
)
from diagnostics.models import EligibilityDecision
from packages.models import Strand

from .. import threads
from ..factories import (
    ManagerFactory,
    OrganisationFactory,
    PackageFactory,
    StaffFactory,
    accept_for_test,
    claim_for_test,
)

THREADS = 8


def run_together(jobs, timeout=30):
    """Each job in its own thread and connection, released at once (tests/threads.py)."""
    return threads.run_together(
        jobs, refusals=(AgreementRefused, IllegalTransition), timeout=timeout
    )


@dataclass
class Tally:
    rounds: int = 0
    over: int = 0  # rounds ending over a cap, or with a strand below zero
    outcomes: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    def add(self, results, *, over: bool):
        self.rounds += 1
        self.over += over
        self.outcomes.update(kind for kind, _ in results)
        self.errors.extend(repr(x) for kind, x in results if kind == "error")


def _eligible(organisation, officer):
    EligibilityDecision.objects.create(
        organisation=organisation,
        outcome="eligible",
        decided_by=officer,
        valid_from=date(2000, 1, 1),
        valid_until=date(9999, 12, 31),
        reasons="Concurrency test",
    )
    return organisation


def _budget(start_year, manager, amount):
    year = BudgetYear.objects.create(start_year=start_year, total=amount * 3, created_by=manager)
    for kind in Strand.values:
        BudgetStrand.objects.create(budget_year=year, kind=kind, amount=amount)
    return year


def _agreeing(organisation, package, officer, on):
    return lambda: agree_package(
        organisation=organisation, package=package, agreed_by=officer, on=on
    )


def _cancelling(agreed, officer):
    return lambda: cancel_agreed_package(agreed, by=officer, reason="Race")


def many_officers_one_organisation(rounds: int) -> Tally:
    """8 officers agree a package for the same organisation at the same moment.

    The cap is 2 a year. Rounds alternate the financial-year basis (where the
    database's slot index is a second line of defence) and the rolling basis
    (where only the lock stands between the officers and the race).
    """
    officer, manager = StaffFactory(), ManagerFactory()
    package = PackageFactory(value=Decimal("100.00"))
    tally = Tally()
    for n in range(rounds):
        basis = FINANCIAL_YEAR if n % 2 == 0 else ROLLING
        CapPolicyVersion.objects.all().delete()
        CapPolicyVersion.objects.create(
            effective_from=date(2000, 1, 1), basis=basis, created_by=manager
        )
        on = date(2100 + n, 6, 1)
        _budget(2100 + n, manager, Decimal("1000000.00"))
        organisation = _eligible(OrganisationFactory(), officer)
        results = run_together([_agreeing(organisation, package, officer, on)] * THREADS)
        agreed = AgreedPackage.objects.counting().filter(organisation=organisation).count()
        tally.add(results, over=agreed > 2)
    return tally


def many_organisations_one_strand(rounds: int) -> Tally:
    """8 organisations agree a £2,000 package at once from a strand with £7,000 left."""
    officer, manager = StaffFactory(), ManagerFactory()
    package = PackageFactory(value=Decimal("2000.00"))
    tally = Tally()
    for n in range(rounds):
        on = date(2300 + n, 6, 1)
        year = _budget(2300 + n, manager, Decimal("7000.00"))
        strand = year.strands.get(kind=Strand.VCS_SUPPORT)
        organisations = [_eligible(OrganisationFactory(), officer) for _ in range(THREADS)]
        results = run_together([_agreeing(org, package, officer, on) for org in organisations])
        tally.add(results, over=strand_available(strand) < 0)
    return tally


def agreeing_while_cancelling(rounds: int) -> Tally:
    """Two officers cancel the same package while six agree for the organisation on two strands.

    Locks are taken strand then organisation by everyone, so nobody deadlocks;
    exactly one cancel wins; the organisation never ends above its cap.
    """
    officer, manager = StaffFactory(), ManagerFactory()
    packages = [
        PackageFactory(value=Decimal("100.00"), strand=Strand.VCS_SUPPORT),
        PackageFactory(value=Decimal("100.00"), strand=Strand.VOLUNTEERING),
    ]
    tally = Tally()
    for n in range(rounds):
        on = date(2500 + n, 6, 1)
        _budget(2500 + n, manager, Decimal("1000000.00"))
        organisation = _eligible(OrganisationFactory(), officer)
        first = agree_package(
            organisation=organisation, package=packages[0], agreed_by=officer, on=on
        )

        cancel = _cancelling(first, officer)
        jobs = [cancel, cancel] + [
            _agreeing(organisation, packages[i % 2], officer, on) for i in range(THREADS - 2)
        ]
        results = run_together(jobs)
        cancels_won = sum(1 for kind, _ in results[:2] if kind == "ok")
        counting = AgreedPackage.objects.counting().filter(organisation=organisation).count()
        tally.add(results, over=counting > 2 or cancels_won != 1)
    return tally


def paying_while_agreeing(rounds: int) -> Tally:
    """Four claims paid and four packages agreed on one strand at the same moment.

    Payments lock only their package, agreements the strand and organisation:
    every ledger insert still queues on the strand row (the ledger's trigger),
    so the strand's running totals lose no increment.
    """
    officer, manager = StaffFactory(), ManagerFactory()
    package = PackageFactory(value=Decimal("100.00"))
    tally = Tally()
    for n in range(rounds):
        on = date(2700 + n, 6, 1)
        _budget(2700 + n, manager, Decimal("1000000.00"))
        claimed = []
        for _ in range(THREADS // 2):
            agreed = agree_package(
                organisation=_eligible(OrganisationFactory(), officer),
                package=package, agreed_by=officer, on=on,
            )  # fmt: skip
            accept_for_test(agreed, by=officer)
            start_delivery(agreed, by=officer, on=on)
            claimed.append(claim_for_test(agreed, by=officer))
        paying = [_paying(agreed, officer) for agreed in claimed]
        agreeing = [
            _agreeing(_eligible(OrganisationFactory(), officer), package, officer, on)
            for _ in range(THREADS // 2)
        ]
        tally.add(run_together(paying + agreeing), over=False)
    return tally


def _paying(agreed, officer):
    return lambda: record_spend(agreed, amount=Decimal("90.00"), by=officer)
