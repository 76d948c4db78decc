"""After full journeys the ledger holds exactly the approved claims as spend, and nothing else.

Figures are read back from ledger rows (allowances.selectors), never from
the claims, so a service that wrote the wrong row, twice, or not at all fails.
"""

from decimal import Decimal

import pytest
from django.db.models import Sum

from allowances.models import LedgerEntry, LedgerKind
from allowances.selectors import outstanding_commitment, strand_available
from delivery import services
from delivery.models import Claim

from ..factories import AgreedPackageFactory, MembershipFactory, PackageFactory
from .support import Journey, approve_for

pytestmark = pytest.mark.django_db


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@pytest.fixture
def journeys(package, provider, provider_user, officer):
    """Four packages for four organisations, two of them of a £3,500 package."""
    bigger = PackageFactory(name="Fundraising strategy", value=Decimal("3500.00"))
    approve_for(provider, bigger, by=officer)
    made = []
    for menu_item in (package, package, bigger, bigger):
        admin = MembershipFactory()
        agreed = AgreedPackageFactory(
            organisation=admin.organisation, package=menu_item, agreed_by=officer
        )
        made.append(
            Journey(
                agreed,
                org_admin=admin.user,
                provider=provider,
                provider_user=provider_user,
                officer=officer,
            )
        )
    return made


def test_ledger_totals_after_full_journeys_equal_the_approved_claims(journeys, officer, manager):
    strand = journeys[0].agreed.strand
    assert {j.agreed.strand for j in journeys} == {strand}
    # At the value; below it with a note; rejected then claimed again lower; above the value
    # by a manager with a reason.
    journeys[0].paid()
    journeys[1].claimed(amount=Decimal("1234.56"), note="Two sessions not needed.")
    journeys[1].paid()
    first = journeys[2].claimed()
    services.reject_claim(first, by=officer, reason="Send the timesheet.")
    journeys[2].claimed(amount=Decimal("3400.00"), note="One hour fewer.")
    journeys[2].paid()
    over = journeys[3].claimed()
    services.approve_claim(
        over,
        by=manager,
        amount=Decimal("3600.00"),
        reason="An extra session the council asked for.",
    )

    approved = Claim.objects.filter(status="approved")
    spend = LedgerEntry.objects.filter(kind=LedgerKind.SPEND)
    assert sorted(approved.values_list("amount_paid", flat=True)) == [
        Decimal("1234.56"),
        Decimal("2000.00"),
        Decimal("3400.00"),
        Decimal("3600.00"),
    ]
    assert _sum(spend) == sum(approved.values_list("amount_paid", flat=True))
    assert _sum(spend) == Decimal("10234.56")
    # One spend per package, of what was paid for it.
    for journey in journeys:
        agreed = journey.agreed
        assert list(
            agreed.ledger.filter(kind=LedgerKind.SPEND).values_list("amount", flat=True)
        ) == [journey.live_claim().amount_paid]
        assert outstanding_commitment(agreed) == Decimal("0.00")
    # Every commitment was released in full when its claim was approved.
    assert _sum(LedgerEntry.objects.filter(kind=LedgerKind.COMMITMENT)) == _sum(
        LedgerEntry.objects.filter(kind=LedgerKind.RELEASE)
    )
    assert strand_available(strand) == strand.amount - Decimal("10234.56")


def test_until_a_claim_is_approved_the_package_stays_committed(journeys, officer):
    strand = journeys[0].agreed.strand
    committed = Decimal("2000.00") * 2 + Decimal("3500.00") * 2
    assert strand_available(strand) == strand.amount - committed

    claim = journeys[0].claimed(amount=Decimal("1500.00"), note="Shorter than planned.")
    services.reject_claim(claim, by=officer, reason="Wrong amount.")
    assert strand_available(strand) == strand.amount - committed  # a rejection moves no money

    journeys[0].claimed(amount=Decimal("1500.00"), note="Shorter than planned.")
    journeys[0].paid()

    # £2,000 committed became £1,500 spent; the £500 unspent went back to the strand.
    assert strand_available(strand) == strand.amount - (committed - Decimal("500.00"))
    assert LedgerEntry.objects.filter(agreed_package=journeys[1].agreed).count() == 1


def test_only_a_manager_with_a_reason_pays_above_the_value(journeys, manager):
    claim = journeys[0].claimed()

    services.approve_claim(
        claim, by=manager, amount=Decimal("2100.00"), reason="An extra workshop was agreed."
    )

    claim.refresh_from_db()
    assert (claim.status, claim.amount_paid, claim.decision_reason) == (
        "approved",
        Decimal("2100.00"),
        "An extra workshop was agreed.",
    )
    spend = LedgerEntry.objects.get(agreed_package=claim.agreed_package, kind=LedgerKind.SPEND)
    assert (spend.amount, spend.is_override, spend.note) == (
        Decimal("2100.00"),
        True,
        "An extra workshop was agreed.",
    )
    assert journeys[0].status == "paid"
