"""Grant awards on the ledger: one writer (award_services), the same strand lock and guards."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from allowances import award_services, ledger
from allowances.award_services import AwardRefused, award_figures
from allowances.models import (
    BudgetStrand,
    LedgerEntry,
    LedgerKind,
    LedgerMonth,
    StrandAward,
    StrandTotal,
)
from allowances.selectors import strand_available, strands_with_figures
from audit.models import AuditEvent
from packages.models import Strand
from reports.invariant_rules import AWARD_KEPT
from reports.invariants import check_ledger

from ..factories import AgreedPackageFactory, BudgetYearFactory, ManagerFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohesion():
    BudgetYearFactory(strands={Strand.COMMUNITY_COHESION: Decimal("20000.00")})
    return BudgetStrand.objects.get(kind=Strand.COMMUNITY_COHESION)


def commit(strand, amount="12000.00", reference="VCS-GRA-000001", organisation=None):
    return award_services.commit_award(
        strand=strand,
        organisation=organisation or OrganisationFactory(),
        amount=Decimal(amount),
        reference=reference,
        title="Representation grant: Test community",
        starts_on=date(2027, 4, 1),
        ends_on=date(2028, 3, 31),
        by=ManagerFactory(),
    )


def test_committing_an_award_writes_its_commitment_and_the_strands_totals(cohesion):
    award = commit(cohesion)
    entry = LedgerEntry.objects.get(award=award)
    assert (entry.kind, entry.amount, entry.strand_id) == ("commitment", award.amount, cohesion.pk)
    assert entry.organisation_id == award.organisation_id and entry.agreed_package_id is None
    assert StrandTotal.objects.get(strand=cohesion).commitments == Decimal("12000.00")
    month = LedgerMonth.objects.get(strand=cohesion)
    assert month.package_id is None and month.amount == Decimal("12000.00")
    assert AuditEvent.objects.filter(action="award.committed", object_id=str(award.pk)).exists()


def test_an_award_larger_than_what_is_left_is_refused_and_nothing_is_written(cohesion):
    commit(cohesion, amount="12000.00")
    with pytest.raises(AwardRefused) as refused:
        commit(cohesion, amount="9000.00", reference="VCS-GRA-000002")
    assert "has £8,000.00 left, but this award is £9,000.00: £1,000.00 short" in (
        refused.value.reason
    )
    assert StrandAward.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_instalments_are_spends_and_the_rest_is_released_when_it_ends(cohesion):
    award = commit(cohesion)
    by = ManagerFactory()
    award_services.pay_instalment(award=award, amount=Decimal("3000.00"), note="Q1", by=by)
    with pytest.raises(AwardRefused, match="has £9,000.00 left to pay"):
        award_services.pay_instalment(award=award, amount=Decimal("9000.01"), note="Q2", by=by)
    released = award_services.release_unpaid(award=award, reason="Grant withdrawn", by=by)
    assert released == Decimal("9000.00")
    assert award_figures(award) == {
        "committed": Decimal("12000.00"),
        "released": Decimal("9000.00"),
        "spent": Decimal("3000.00"),
        "unpaid": Decimal("0.00"),
    }
    # The instalment was released from the commitment as it was paid, so the strand counts
    # the £3,000 once: committed 12,000 - 12,000 released = 0 held, 3,000 spent.
    totals = StrandTotal.objects.get(strand=cohesion)
    assert (totals.commitments, totals.releases, totals.spent) == (
        Decimal("12000.00"),
        Decimal("12000.00"),
        Decimal("3000.00"),
    )
    strand = strands_with_figures().get(pk=cohesion.pk)
    assert (strand.committed, strand.spent) == (Decimal("0.00"), Decimal("3000.00"))
    assert strand_available(cohesion) == cohesion.amount - Decimal("3000.00")
    # Nothing left to release: a second release writes nothing.
    assert award_services.release_unpaid(award=award, reason="again", by=by) == 0
    assert LedgerEntry.objects.filter(award=award).count() == 4
    assert check_ledger().clean


def test_a_paid_instalment_moves_from_committed_to_spent_on_the_strand(cohesion):
    award = commit(cohesion)
    before = strand_available(cohesion)
    award_services.pay_instalment(
        award=award, amount=Decimal("3000.00"), note="Q1", by=ManagerFactory()
    )
    strand = strands_with_figures().get(pk=cohesion.pk)
    assert (strand.committed, strand.spent) == (Decimal("9000.00"), Decimal("3000.00"))
    assert strand_available(cohesion) == before  # paying moves money, it does not use more
    assert award_figures(award)["unpaid"] == Decimal("9000.00")
    assert check_ledger().clean


def test_the_database_refuses_an_entry_for_both_a_package_and_an_award(cohesion):
    award = commit(cohesion)
    agreed = AgreedPackageFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            strand_id=award.strand_id,
            agreed_package=agreed,
            award=award,
            organisation_id=award.organisation_id,
            kind=LedgerKind.SPEND,
            amount=Decimal("1.00"),
        )


def test_the_database_refuses_an_award_entry_off_its_strand_or_beyond_its_commitment(cohesion):
    award = commit(cohesion)
    other = BudgetStrand.objects.get(kind=Strand.VOLUNTEERING)

    def insert(**fields):
        values = {
            "strand_id": award.strand_id,
            "award": award,
            "organisation_id": award.organisation_id,
            "kind": LedgerKind.RELEASE,
            "amount": Decimal("1.00"),
        }
        values.update(fields)
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(**values)

    insert(strand_id=other.pk)
    insert(amount=Decimal("12000.01"))
    insert(kind=LedgerKind.SPEND, amount=Decimal("12000.01"))
    assert LedgerEntry.objects.filter(award=award).count() == 1


def test_check_ledger_names_an_award_whose_commitment_is_not_its_amount(cohesion):
    award = commit(cohesion)
    StrandAward.objects.filter(pk=award.pk).update(amount=Decimal("11000.00"))
    found = check_ledger().broken(AWARD_KEPT)
    assert [f.subject_id for f in found] == [award.pk]
    assert "VCS-GRA-000001 of £11,000.00: 1 commitment(s) of £12,000.00" in found[0].detail


def test_check_ledger_names_an_award_paid_without_releasing_its_commitment(cohesion):
    """A spend written on its own (not through pay_instalment) would count the money twice."""
    award = commit(cohesion)
    ledger.post(
        award=award, kind=LedgerKind.SPEND, amount=Decimal("3000.00"), created_by=ManagerFactory()
    )
    found = check_ledger().broken(AWARD_KEPT)
    assert [f.subject_id for f in found] == [award.pk]
    assert "£0.00 released and £3,000.00 paid" in found[0].detail


# ----------------------------------------------------------- an award paying a named payee


def commit_to_payee(strand, payee="Leicester Volunteer Centre", reference="VCS-VCA-000001"):
    return award_services.commit_award(
        strand=strand,
        payee=payee,
        amount=Decimal("8000.00"),
        reference=reference,
        title="Volunteer centre agreement",
        starts_on=date(2027, 4, 1),
        ends_on=date(2028, 3, 31),
        by=ManagerFactory(),
    )


def test_an_award_to_a_named_payee_is_on_the_ledger_with_no_organisation(cohesion):
    award = commit_to_payee(cohesion)
    entry = LedgerEntry.objects.get(award=award)
    assert entry.organisation_id is None and entry.amount == Decimal("8000.00")
    assert award.paid_to == "Leicester Volunteer Centre"
    award_services.pay_instalment(
        award=award, amount=Decimal("2000.00"), note="Q1", by=award.created_by
    )
    assert award_figures(award)["spent"] == Decimal("2000.00")
    assert check_ledger().broken(AWARD_KEPT) == []


@pytest.mark.parametrize("both", [True, False])
def test_an_award_pays_exactly_one_of_an_organisation_and_a_payee(cohesion, both):
    with pytest.raises(ValueError, match="one organisation or one named payee"):
        award_services.commit_award(
            strand=cohesion,
            organisation=OrganisationFactory() if both else None,
            payee="Someone" if both else "",
            amount=Decimal("10.00"),
            reference="VCS-VCA-000009",
            title="Neither or both",
            starts_on=date(2027, 4, 1),
            ends_on=date(2028, 3, 31),
            by=ManagerFactory(),
        )
    assert not StrandAward.objects.exists() and not LedgerEntry.objects.exists()


def test_the_database_refuses_an_award_naming_both_or_neither(cohesion):
    award = commit_to_payee(cohesion)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrandAward.objects.filter(pk=award.pk).update(payee="")
    with pytest.raises(IntegrityError), transaction.atomic():
        StrandAward.objects.filter(pk=award.pk).update(organisation=OrganisationFactory())


def test_check_ledger_names_a_payee_awards_entry_that_names_an_organisation(cohesion):
    award = commit_to_payee(cohesion)
    entry = ledger.post(
        award=award, kind=LedgerKind.RELEASE, amount=Decimal("1.00"), created_by=award.created_by
    )
    assert check_ledger().broken(AWARD_KEPT) == []
    # An entry for the award that names an organisation (written around ledger.post).
    LedgerEntry.objects.create(
        strand=cohesion,
        award=award,
        organisation=OrganisationFactory(),
        kind=LedgerKind.RELEASE,
        amount=Decimal("1.00"),
        created_by=entry.created_by,
    )
    assert [f.subject_id for f in check_ledger().broken(AWARD_KEPT)] == [award.pk]


def test_check_ledger_reads_an_awards_and_a_packages_entries_in_one_month_and_strand():
    """The month summary's rows for a package and for an award (no package) sort together:
    this once failed with "'<' not supported between 'int' and 'NoneType'"."""
    agreed = AgreedPackageFactory()
    commit_to_payee(agreed.strand)
    assert LedgerMonth.objects.filter(strand=agreed.strand, package_id__isnull=True).exists()
    assert LedgerMonth.objects.filter(strand=agreed.strand, package_id__isnull=False).exists()
    assert check_ledger().findings == []
