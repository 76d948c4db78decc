"""The database itself refuses what the services never do: these bypass the services."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from allowances.models import AgreedPackage, BudgetStrand, LedgerEntry

from ..factories import AgreedPackageFactory, BudgetYearFactory


@pytest.fixture
def agreed(db):
    BudgetYearFactory(strands={"vcs_support": Decimal("5000.00")})
    return AgreedPackageFactory(package__value=Decimal("2000.00"))


def insert(agreed, **fields):
    values = {
        "strand_id": agreed.strand_id,
        "agreed_package": agreed,
        "organisation_id": agreed.organisation_id,
        "kind": "commitment",
        "amount": Decimal("1.00"),
    }
    values.update(fields)
    return LedgerEntry.objects.create(**values)


def refused(action):
    """The database raises IntegrityError; the test's transaction carries on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal("0.00")},
        {"amount": Decimal("-10.00")},
        {"kind": "refund"},
        {"is_override": True, "note": ""},  # an override must say why
        {"kind": "release", "is_override": True, "note": "why"},  # releases are never overrides
    ],
)
def test_a_ledger_row_breaking_a_check_constraint_is_refused(agreed, fields):
    refused(lambda: insert(agreed, **fields))


def test_a_commitment_that_would_take_the_strand_below_zero_is_refused(agreed):
    # £5,000 strand, £2,000 committed: £3,000 left.
    insert(agreed, amount=Decimal("3000.00"))
    refused(lambda: insert(agreed, amount=Decimal("0.01")))
    # A manager's override, marked as one, may.
    insert(agreed, amount=Decimal("0.01"), is_override=True, note="Agreed by the board")


def test_a_release_larger_than_the_commitment_is_refused(agreed):
    refused(lambda: insert(agreed, kind="release", amount=Decimal("2000.01")))
    insert(agreed, kind="release", amount=Decimal("2000.00"))
    refused(lambda: insert(agreed, kind="release", amount=Decimal("0.01")))


def test_a_spend_larger_than_the_commitment_needs_an_override(agreed):
    refused(lambda: insert(agreed, kind="spend", amount=Decimal("2000.01")))
    insert(agreed, kind="spend", amount=Decimal("2000.01"), is_override=True, note="Extra day")


def test_an_entry_on_another_strand_than_its_package_is_refused(agreed):
    other = BudgetStrand.objects.exclude(pk=agreed.strand_id).first()
    refused(lambda: insert(agreed, strand_id=other.pk))


def test_ledger_rows_cannot_be_updated_or_deleted(agreed):
    entry = agreed.ledger.get()
    entry.amount = Decimal("1.00")
    refused(lambda: entry.save())
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(note="changed"))
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).delete())

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM allowances_ledgerentry")

    refused(raw_delete)
    entry.refresh_from_db()
    assert entry.amount == Decimal("2000.00")


def test_a_strand_cannot_be_cut_below_what_it_has_committed(agreed):
    strand = BudgetStrand.objects.get(pk=agreed.strand_id)
    refused(lambda: BudgetStrand.objects.filter(pk=strand.pk).update(amount=Decimal("1999.99")))
    BudgetStrand.objects.filter(pk=strand.pk).update(amount=Decimal("2000.00"))


def _copy(agreed, **changes):
    fields = {
        f.attname: getattr(agreed, f.attname)
        for f in AgreedPackage._meta.concrete_fields
        if not f.primary_key
    }
    fields.update(changes)
    return AgreedPackage.objects.create(**fields)


def test_two_counting_packages_cannot_share_a_year_slot(agreed):
    """The backstop for the per-year cap: a racing second agreement gets the same slot."""
    assert agreed.year_slot == 1
    refused(lambda: _copy(agreed))
    _copy(agreed, year_slot=2)
    refused(lambda: _copy(agreed, year_slot=3))  # above the cap of 2
    _copy(agreed, year_slot=3, cap_override=True, override_reason="Manager agreed")


def test_a_cancelled_package_gives_its_slot_back_in_the_database_too(agreed):
    AgreedPackage.objects.filter(pk=agreed.pk).update(status="cancelled", ended_at=timezone.now())
    _copy(agreed, status="agreed", ended_at=None)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "lost"},
        {"value": Decimal("0.00")},
        {"cap_override": True},  # no reason
        {"override_reason": "A reason but no override"},
        {"status": "cancelled"},  # no ended_at
        {"status": "in_delivery"},  # no delivery_started_on
        {"year_slot": None},  # a cap without a slot
        {"delivery_started_on": date(2025, 1, 1)},  # agreed but started
    ],
)
def test_an_agreed_package_breaking_a_constraint_is_refused(agreed, changes):
    refused(lambda: _copy(agreed, **{"year_slot": 2, **changes}))


def test_the_guards_are_installed(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'allowances_%' ORDER BY tgname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == [
        "allowances_ledger_guard",
        "allowances_ledger_no_update_or_delete",
        "allowances_strand_guard",
    ]
