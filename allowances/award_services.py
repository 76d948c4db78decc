"""Awards on the ledger: committing an award, paying its instalments, releasing the rest.

The apps that decide awards (grants, section B; volunteering's volunteer centre
agreement, section C) call these; nothing else
writes an award's ledger entries. Each locks the budget strand row first, as
agreeing a package does, so awards and packages on one strand queue one
behind the other and the below-zero check reads figures no one can change
under it. The database's guard (migration 0010) checks the same again.
"""

from decimal import Decimal

from django.db import transaction

from audit.services import record
from packages.money import format_money

from . import ledger
from .award_models import StrandAward
from .models import BudgetStrand, LedgerEntry, LedgerKind
from .rules import fy_label
from .selectors import strand_available


class AwardRefused(Exception):
    """The ledger cannot take this award's money: `.reason` says why, in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _lock_strand(strand_id: int) -> BudgetStrand:
    return BudgetStrand.objects.select_for_update().select_related("budget_year").get(pk=strand_id)


def award_figures(award: StrandAward) -> dict:
    """What an award has committed, paid, given back unpaid, and still holds (`unpaid`).

    Paying an instalment moves its amount from commitment to spend, as a package's
    approved claim does: a release and a spend of the same amount, so the strand
    counts the money once. The releases beyond what was paid are what was given
    back unpaid (`release_unpaid`).
    """
    sums = {kind: Decimal("0.00") for kind in LedgerKind.values}
    for kind, amount in LedgerEntry.objects.filter(award=award).values_list("kind", "amount"):
        sums[kind] += amount
    return {
        "committed": sums[LedgerKind.COMMITMENT],
        "released": sums[LedgerKind.RELEASE] - sums[LedgerKind.SPEND],
        "spent": sums[LedgerKind.SPEND],
        "unpaid": sums[LedgerKind.COMMITMENT] - sums[LedgerKind.RELEASE],
    }


@transaction.atomic
def commit_award(
    *,
    strand,
    amount: Decimal,
    reference: str,
    title: str,
    starts_on,
    ends_on,
    by,
    organisation=None,
    payee: str = "",
) -> StrandAward:
    """Commit an award's whole amount on its strand, or refuse if the strand has too little.

    It pays `organisation`, or `payee` (a name) when that is someone this app cannot
    know, such as a provider; the award may not name both.
    """
    if (organisation is None) == (not payee):
        raise ValueError("An award pays one organisation or one named payee.")
    strand = _lock_strand(strand.pk)
    available = strand_available(strand)
    if amount > available:
        raise AwardRefused(
            f"The {strand.get_kind_display()} budget for {fy_label(strand.budget_year.start_year)} "
            f"has {format_money(available)} left, but this award is {format_money(amount)}: "
            f"{format_money(amount - available)} short. Nothing was committed."
        )
    award = StrandAward.objects.create(
        strand=strand,
        organisation=organisation,
        payee=payee,
        amount=amount,
        reference=reference,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    ledger.post(award=award, kind=LedgerKind.COMMITMENT, amount=amount, created_by=by)
    record(
        actor=by,
        action="award.committed",
        obj=award,
        data={"reference": reference, "amount": str(amount), "strand": strand.pk},
    )
    return award


@transaction.atomic
def pay_instalment(*, award: StrandAward, amount: Decimal, note: str, by) -> LedgerEntry:
    """One instalment paid: released from the award's commitment and spent, never more than
    it has left unpaid. Returns the spend entry."""
    _lock_strand(award.strand_id)
    unpaid = award_figures(award)["unpaid"]
    if amount <= 0 or amount > unpaid:
        raise AwardRefused(
            f"{award.reference} has {format_money(unpaid)} left to pay, so an instalment of "
            f"{format_money(amount)} cannot be paid. Nothing was paid."
        )
    # From commitment to spend: released from the award's commitment, then spent, so the
    # strand's committed figure falls as its spent figure rises (as a package's claim).
    ledger.post(award=award, kind=LedgerKind.RELEASE, amount=amount, note=note, created_by=by)
    entry = ledger.post(award=award, kind=LedgerKind.SPEND, amount=amount, note=note, created_by=by)
    record(
        actor=by,
        action="award.instalment_paid",
        obj=award,
        reason=note,
        data={"reference": award.reference, "amount": str(amount)},
    )
    return entry


@transaction.atomic
def release_unpaid(*, award: StrandAward, reason: str, by) -> Decimal:
    """Give back to the strand what the award has not paid (it ended, or was withdrawn)."""
    _lock_strand(award.strand_id)
    unpaid = award_figures(award)["unpaid"]
    if unpaid > 0:
        ledger.post(award=award, kind=LedgerKind.RELEASE, amount=unpaid, note=reason, created_by=by)
        record(
            actor=by,
            action="award.released",
            obj=award,
            reason=reason,
            data={"reference": award.reference, "amount": str(unpaid)},
        )
    return unpaid
