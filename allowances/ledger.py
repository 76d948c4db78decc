"""Writing to the ledger, and the summaries kept beside it.

Every ledger entry is written by `post`, which adds it to two summaries in the
same transaction: the strand's running totals (StrandTotal) and its totals by
menu package, month and kind (LedgerMonth). Dashboards, the budget check and
the alerts read those instead of summing the ledger, so they cost the same
however many entries there are.

Why in the service and not in a database trigger: one code path that behaves
the same on PostgreSQL and on the quick start's SQLite, with the month worked
out in London time by Python's zone data (SQLite has none). What keeps the
increments exact on PostgreSQL is the ledger's own trigger (migration 0002):
before any entry is inserted it locks the strand row, so every writer to a
strand queues behind the last until it commits, and the summary rows are
written after the entry, inside that lock. SQLite allows one writer at a time.
Anything that inserts entries another way (a bulk loader, a restore of part of
a database) must call `rebuild_summaries`; `manage.py check_ledger` (rules S1,
S2 and S5) finds any summary that differs from the ledger rows.
"""

from datetime import date

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import BudgetStrand, LedgerEntry, LedgerKind, LedgerMonth, StrandTotal

# The StrandTotal column each kind adds to.
COLUMN = {
    LedgerKind.COMMITMENT: "commitments",
    LedgerKind.RELEASE: "releases",
    LedgerKind.SPEND: "spent",
}


def month_of(moment) -> date:
    """The first day of the month `moment` falls in, in London time."""
    return timezone.localtime(moment).date().replace(day=1)


def post(*, agreed=None, award=None, kind: str, amount, **fields) -> LedgerEntry:
    """Write one entry for `agreed` (an AgreedPackage) or `award` (a StrandAward), and add
    it to the summaries (an award's under no menu package).

    Must run inside the caller's transaction: the entry and its summaries
    commit together or not at all.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Ledger entries are posted inside a transaction.")
    if (agreed is None) == (award is None):
        raise ValueError("A ledger entry is for one agreed package or one award.")
    holder = agreed if agreed is not None else award
    entry = LedgerEntry.objects.create(
        strand_id=holder.strand_id,
        agreed_package=agreed,
        award=award,
        organisation_id=holder.organisation_id,
        kind=kind,
        amount=amount,
        **fields,
    )
    package_id = agreed.package_id if agreed is not None else None
    _add(entry.strand_id, package_id, month_of(entry.created_at), kind, amount)
    return entry


def _add(strand_id: int, package_id: int | None, month, kind: str, amount) -> None:
    column = COLUMN[kind]
    grown = StrandTotal.objects.filter(strand_id=strand_id).update(
        **{column: F(column) + amount, "entries": F("entries") + 1}
    )
    if not grown:
        StrandTotal.objects.create(strand_id=strand_id, **{column: amount}, entries=1)
    grown = LedgerMonth.objects.filter(
        strand_id=strand_id, package_id=package_id, month=month, kind=kind
    ).update(amount=F("amount") + amount, entries=F("entries") + 1)
    if not grown:
        LedgerMonth.objects.create(
            strand_id=strand_id, package_id=package_id, month=month, kind=kind, amount=amount,
            entries=1,
        )  # fmt: skip


def ledger_by_strand():
    """The ledger summed by strand and kind, straight from its rows."""
    return (
        LedgerEntry.objects.order_by()
        .values("strand_id", "kind")
        .annotate(total=Sum("amount"), n=Count("pk"))
    )


def ledger_by_month():
    """The ledger summed by strand, menu package, month (London time) and kind, from its rows."""
    return (
        LedgerEntry.objects.order_by()
        .annotate(month=TruncMonth("created_at"), package_id=F("agreed_package__package_id"))
        .values("strand_id", "package_id", "month", "kind")
        .annotate(total=Sum("amount"), n=Count("pk"))
    )


def as_month(value):
    """TruncMonth gives a date or an aware datetime, by database: the first day as a date."""
    return timezone.localtime(value).date() if hasattr(value, "tzinfo") else value


def rebuild_summaries() -> None:
    """Work both summaries out again from the ledger rows (after a bulk load).

    Locks every strand first, as each ledger insert does, so no entry is
    written while the summaries are rebuilt.
    """
    with transaction.atomic():
        list(BudgetStrand.objects.select_for_update().values_list("pk", flat=True))
        StrandTotal.objects.all().delete()
        LedgerMonth.objects.all().delete()
        totals: dict[int, StrandTotal] = {}
        for row in ledger_by_strand():
            total = totals.setdefault(row["strand_id"], StrandTotal(strand_id=row["strand_id"]))
            setattr(total, COLUMN[row["kind"]], row["total"])
            total.entries += row["n"]
        StrandTotal.objects.bulk_create(totals.values(), batch_size=1000)
        LedgerMonth.objects.bulk_create(
            (
                LedgerMonth(
                    strand_id=row["strand_id"],
                    package_id=row["package_id"],
                    month=as_month(row["month"]),
                    kind=row["kind"],
                    amount=row["total"],
                    entries=row["n"],
                )
                for row in ledger_by_month().iterator(chunk_size=2000)
            ),
            batch_size=1000,
        )
