"""check_ledger: clean on a town made through the real services, and every planted break caught.

Breaks are planted as they could really happen: raw SQL with the ledger's
PostgreSQL triggers switched off for the test's transaction only
(`session_replication_role = replica`), as a hand-made "fix", a bulk script or
a tampered backup would. Each case first shows the town is clean, then that the
checker names exactly the invariants the planted row breaks, and the row's id.
"""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from allowances.ledger import rebuild_summaries
from allowances.models import AgreedPackage, BudgetStrand, LedgerEntry, LedgerMonth, StrandTotal
from allowances.services import cancel_agreed_package, expire_agreed_package
from delivery import services
from delivery.models import Claim
from reports import invariants
from reports.invariants import Figures, StrandCheck, check_ledger, compare_strand

from ..conftest import build_world, count_queries
from ..delivery.support import Journey, make_ready
from ..factories import AgreedPackageFactory, MembershipFactory, PackageFactory, budget_for

pytestmark = pytest.mark.django_db
LEDGER = LedgerEntry._meta.db_table
CLAIMS = Claim._meta.db_table
STRANDS = BudgetStrand._meta.db_table


class Town:
    """A package at every state, made through the services: what the ledger should look like."""

    def __init__(self, world):
        self.world = world
        self.package = PackageFactory(name="Governance health check", value=Decimal("2000.00"))
        self.provider = make_ready(
            world.provider, self.package, by=world.provider_user, officer=world.officer
        )
        self.provider.capacity = 50
        self.provider.save(update_fields=["capacity"])

    def journey(self, **agreement) -> Journey:
        admin = MembershipFactory()
        agreed = AgreedPackageFactory(
            organisation=admin.organisation,
            package=self.package,
            agreed_by=agreement.pop("agreed_by", self.world.officer),
            **agreement,
        )
        return Journey(
            agreed,
            org_admin=admin.user,
            provider=self.provider,
            provider_user=self.world.provider_user,
            officer=self.world.officer,
        )


def build_town(world) -> Town:
    town = Town(world)
    officer, manager = world.officer, world.manager
    town.agreed = town.journey()
    town.journey().requested()
    town.in_delivery = town.journey()
    town.in_delivery.in_delivery()
    town.journey().disputed()
    town.claimed = town.journey()
    town.claimed.claimed()
    town.paid = town.journey()
    town.paid.paid()
    town.journey().claimed(amount=Decimal("1500.00"), note="Two sessions were not needed.")
    rejected = town.journey()
    services.reject_claim(rejected.claimed(), by=officer, reason="Send the timesheet.")
    rejected.claimed(amount=Decimal("1900.00"), note="One hour fewer.")
    rejected.paid()
    over = town.journey()
    services.approve_claim(
        over.claimed(), by=manager, amount=Decimal("2100.00"), reason="An extra workshop."
    )
    town.cancelled = town.journey()
    cancel_agreed_package(town.cancelled.agreed, by=officer, reason="The group has closed.")
    started = town.journey()
    started.in_delivery()
    cancel_agreed_package(started.agreed, by=officer, reason="The trustees resigned.")
    expire_agreed_package(town.journey().agreed, reason="No provider chosen in 8 weeks.")
    # Last year's strand is £1,000: a manager's override takes it below zero, on the record.
    last_year = timezone.localdate() - timedelta(days=366)
    budget_for(last_year, vcs_support=Decimal("1000.00"))
    town.overdrawn = town.journey(
        agreed_by=manager, on=last_year, override_reason="Flood recovery, agreed by the board."
    )
    return town


@pytest.fixture(scope="module")
def built_town(django_db_setup, django_db_blocker):
    """The town is built once, in a transaction rolled back when the module ends; each test
    runs in a savepoint inside it and rolls back to it (Django's setUpTestData, in pytest)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_town(build_world())
        transaction.set_rollback(True)


@pytest.fixture
def town(built_town, db):
    return built_town


def planted(sql: str, params=()) -> None:
    """Run `sql` with every trigger off, for this statement only (the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def insert_entry(agreed: AgreedPackage, kind: str, amount: str, strand_id=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"INSERT INTO {LEDGER} (strand_id, agreed_package_id, organisation_id, kind, amount, "
            "is_override, note, created_at) VALUES (%s, %s, %s, %s, %s, false, '', now()) "
            "RETURNING id",
            [strand_id or agreed.strand_id, agreed.pk, agreed.organisation_id, kind, amount],
        )
        pk = cursor.fetchone()[0]
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    return pk


def entry_of(agreed: AgreedPackage, kind: str) -> int:
    return LedgerEntry.objects.get(agreed_package=agreed, kind=kind).pk


def codes(report) -> set[str]:
    return {f.rule.code for f in report.findings}


def ids(report, code: str) -> set[tuple[str, int]]:
    return {(f.subject, f.subject_id) for f in report.findings if f.rule.code == code}


def test_it_is_clean_on_a_town_made_through_the_services(town):
    report = check_ledger()

    assert report.findings == []
    assert report.clean
    assert report.counts["agreed packages"] == {
        "agreed": 2,  # one of them last year's, past the budget by a manager's override
        "cancelled": 2,
        "claimed": 2,
        "disputed": 1,
        "expired": 1,
        "in_delivery": 1,
        "paid": 3,
        "provider_requested": 1,
    }
    # 13 commitments (one an override); a release for each paid, cancelled and expired
    # package; 3 spends, one above the value (a manager's override).
    assert report.counts["ledger entries"] == {"commitment": 13, "release": 6, "spend": 3}
    assert report.counts["overrides"] == {"commitment": 1, "spend": 1}
    assert report.counts["claims"] == {"approved": 3, "rejected": 1, "submitted": 2}
    overdrawn = next(s for s in report.strands if s.amount == Decimal("1000.00"))
    assert overdrawn.ledger == Figures(Decimal("2000.00"), Decimal("0.00"), Decimal("-1000.00"))
    assert overdrawn.dashboard == overdrawn.ledger
    this_year = next(s for s in report.strands if s.strand_id == town.paid.agreed.strand_id)
    # Held: agreed, requested, in delivery, disputed, 2 claimed = 6 × £2,000.
    # Spent: £2,000 + £1,900 + £2,100.
    assert this_year.ledger.committed == Decimal("12000.00")
    assert this_year.ledger.spent == Decimal("6000.00")


def test_its_queries_do_not_grow_with_the_ledger(town):
    with count_queries() as queries:
        check_ledger()
    # budget years; ledger sums by strand; the dashboard's strands for each of the 2 years;
    # the strands; ledger sums by year; the dashboard's months for each year; strands
    # over their year's total (S4); entries off their package's strand (L1); packages
    # breaking P1-P6 (none, so no query for their entries); approved claims (C1); spends
    # (C2); claimed packages and waiting claims (C3); four counts; the summaries against
    # the ledger (S5): ledger by strand, running totals, ledger by month, monthly summary;
    # grant awards breaking A1.
    assert len(queries) == 1 + 1 + 2 + 1 + 1 + 2 + 1 + 4 + 1 + 1 + 1 + 1 + 2 + 4 + 1
    town.journey().paid()
    town.journey().claimed()
    with count_queries() as more:
        check_ledger()
    assert len(more) == len(queries)


def plant_second_commitment(town):
    return {"P1": ("agreed package", town.agreed.agreed.pk)}, insert_entry(
        town.agreed.agreed, "commitment", "2000.00"
    )


def plant_altered_commitment(town):
    pk = entry_of(town.agreed.agreed, "commitment")
    planted(f"UPDATE {LEDGER} SET amount = 1.00 WHERE id = %s", [pk])
    return {"P1": ("agreed package", town.agreed.agreed.pk)}, pk


def plant_release_while_in_delivery(town):
    agreed = town.in_delivery.agreed
    return {"P2": ("agreed package", agreed.pk)}, insert_entry(agreed, "release", "500.00")


def plant_second_release(town):
    agreed = town.cancelled.agreed
    found = {"P3": ("agreed package", agreed.pk), "P5": ("agreed package", agreed.pk)}
    return found, insert_entry(agreed, "release", "2000.00")


def plant_spend_without_a_claim(town):
    agreed = town.in_delivery.agreed
    pk = insert_entry(agreed, "spend", "2000.00")
    return {"P2": ("agreed package", agreed.pk), "C2": ("ledger entry", pk)}, pk


def plant_claim_deleted_after_payment(town):
    agreed = town.paid.agreed
    planted(f"DELETE FROM {CLAIMS} WHERE agreed_package_id = %s", [agreed.pk])
    pk = entry_of(agreed, "spend")
    return {"C2": ("ledger entry", pk)}, pk


def plant_spend_deleted_after_payment(town):
    agreed = town.paid.agreed
    claim = Claim.objects.get(agreed_package=agreed)
    planted(f"DELETE FROM {LEDGER} WHERE id = %s", [entry_of(agreed, "spend")])
    return {"P4": ("agreed package", agreed.pk), "C1": ("claim", claim.pk)}, claim.pk


def plant_claim_approved_without_paying(town):
    claim = Claim.objects.get(agreed_package=town.claimed.agreed)
    planted(
        f"UPDATE {CLAIMS} SET status = 'approved', decided_at = now(), amount_paid = amount "
        "WHERE id = %s",
        [claim.pk],
    )
    agreed = town.claimed.agreed.pk
    return {"C1": ("claim", claim.pk), "C3": ("agreed package", agreed)}, claim.pk


def plant_spend_on_another_strand(town):
    agreed = town.paid.agreed
    other = BudgetStrand.objects.get(budget_year=agreed.strand.budget_year, kind="volunteering")
    pk = entry_of(agreed, "spend")
    planted(f"UPDATE {LEDGER} SET strand_id = %s WHERE id = %s", [other.pk, pk])
    claim = Claim.objects.get(agreed_package=agreed).pk
    return {"L1": ("ledger entry", pk), "C1": ("claim", claim)}, pk


def plant_ordinary_spend_marked_as_override(town):
    agreed = town.paid.agreed
    planted(
        f"UPDATE {LEDGER} SET is_override = true, note = 'Nobody asked' WHERE id = %s",
        [entry_of(agreed, "spend")],
    )
    return {"P6": ("agreed package", agreed.pk)}, agreed.pk


def plant_strand_cut_below_zero(town):
    strand = town.paid.agreed.strand_id
    planted(f"UPDATE {STRANDS} SET amount = 100.00 WHERE id = %s", [strand])
    return {"S3": ("strand", strand)}, strand


def plant_commitment_past_the_budget(town):
    agreed = town.agreed.agreed
    pk = insert_entry(agreed, "commitment", "999999.00")
    found = {"S3": ("strand", agreed.strand_id), "P1": ("agreed package", agreed.pk)}
    return found, pk


def plant_strand_above_its_year(town):
    strand = town.paid.agreed.strand
    BudgetStrand.objects.filter(pk=strand.pk).update(amount=Decimal("900000.00"))
    return {"S4": ("budget year", strand.budget_year_id)}, strand.budget_year_id


@pytest.mark.parametrize(
    "plant",
    [
        plant_second_commitment,
        plant_altered_commitment,
        plant_release_while_in_delivery,
        plant_second_release,
        plant_spend_without_a_claim,
        plant_claim_deleted_after_payment,
        plant_spend_deleted_after_payment,
        plant_claim_approved_without_paying,
        plant_spend_on_another_strand,
        plant_ordinary_spend_marked_as_override,
        plant_strand_cut_below_zero,
        plant_commitment_past_the_budget,
        plant_strand_above_its_year,
    ],
    ids=lambda plant: plant.__name__.removeprefix("plant_"),
)
def test_it_catches_a_planted_break(town, plant):
    assert check_ledger().clean

    expected, _ = plant(town)
    # As a script that knew of the summaries would: each case then shows its own rule
    # (a planted row the summaries do not know of is caught too: see below).
    rebuild_summaries()

    report = check_ledger()
    assert codes(report) == set(expected)
    for code, subject in expected.items():
        assert ids(report, code) == {subject}


def test_a_ledger_row_the_summaries_do_not_know_of_is_caught(town):
    agreed = town.agreed.agreed
    insert_entry(agreed, "commitment", "2000.00")

    report = check_ledger()
    assert codes(report) == {"P1", "S1", "S2", "S5"}
    assert ids(report, "S1") == ids(report, "S5") == {("strand", agreed.strand_id)}
    assert ids(report, "S2") == {("budget year", agreed.strand.budget_year_id)}
    # Both summaries are named: the running totals and the month's row.
    details = [f.detail for f in report.broken(invariants.SUMMARIES_MATCH_LEDGER)]
    assert len(details) == 2
    assert details[0] == (
        "running totals: commitments, releases, spent £24,000.00, £12,000.00, £6,000.00; "
        "its 22 ledger rows give £26,000.00, £12,000.00, £6,000.00"
    )
    month = f"{timezone.localdate():%B %Y}"
    assert f"commitment on menu package {agreed.package_id} in {month}" in details[1]

    rebuild_summaries()
    assert codes(check_ledger()) == {"P1"}


@pytest.mark.parametrize(
    ("table", "expected"),
    [(StrandTotal._meta.db_table, {"S1", "S5"}), (LedgerMonth._meta.db_table, {"S2", "S5"})],
)
def test_a_summary_changed_by_hand_is_caught(town, table, expected):
    planted(f"UPDATE {table} SET spent = spent + 0.01" if table == StrandTotal._meta.db_table
            else f"UPDATE {table} SET amount = amount + 0.01 WHERE kind = 'spend'")  # fmt: skip
    assert codes(check_ledger()) == expected


def test_the_planted_rows_are_refused_while_the_triggers_are_on(town):
    """The checker is the second line: the database itself refuses these writes."""
    pk = entry_of(town.paid.agreed, "spend")
    for sql in (
        f"DELETE FROM {LEDGER} WHERE id = %s",
        f"UPDATE {LEDGER} SET amount = 1 WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])


def test_a_dashboard_that_drifts_from_the_ledger_is_caught(town, monkeypatch):
    shown = invariants.year_strands

    def drifted(year):
        strands = shown(year)
        strands[0].committed += Decimal("0.01")
        return strands

    monkeypatch.setattr(invariants, "year_strands", drifted)

    report = check_ledger()
    assert codes(report) == {"S1"}
    assert len(report.findings) == 2  # the first strand of each budget year


def test_months_that_do_not_add_up_are_caught(town, monkeypatch):
    monkeypatch.setattr(invariants, "monthly_sums", lambda year: {})

    report = check_ledger()
    assert codes(report) == {"S2"}
    assert {f.subject_id for f in report.findings} == set(
        BudgetStrand.objects.values_list("budget_year_id", flat=True)
    )


FIGURES = Figures(Decimal("500.00"), Decimal("200.00"), Decimal("300.00"))
BELOW = Figures(Decimal("900.00"), Decimal("200.00"), Decimal("-100.00"))


@pytest.mark.parametrize(
    ("ledger", "dashboard", "overrides", "expected"),
    [
        (FIGURES, FIGURES, Decimal("0.00"), []),
        (FIGURES, replace(FIGURES, spent=Decimal("200.01")), Decimal("0.00"), ["S1"]),
        (FIGURES, None, Decimal("0.00"), ["S1"]),
        (BELOW, BELOW, Decimal("0.00"), ["S3"]),
        (BELOW, BELOW, Decimal("99.99"), ["S3"]),  # the override explains only part of it
        (BELOW, BELOW, Decimal("100.00"), []),
        (BELOW, FIGURES, Decimal("0.00"), ["S1", "S3"]),
    ],
)
def test_compare_strand(ledger, dashboard, overrides, expected):
    check = StrandCheck(1, "2026/27", "VCS support packages", Decimal("1000.00"), ledger,
                        dashboard, overrides)  # fmt: skip
    assert [f.rule.code for f in compare_strand(check)] == expected


def test_the_command_prints_the_figures_and_exits_cleanly(town):
    out = StringIO()
    call_command("check_ledger", stdout=out)

    text = out.getvalue()
    assert "VCS support packages" in text and "£12,000.00" in text and "−£1,000.00" in text
    assert "agreed packages: 13 (2 agreed, 2 cancelled, 2 claimed" in text
    assert "claims: 6 (3 approved, 1 rejected, 2 submitted)" in text
    assert text.count("\n  ok ") == len(invariants.RULES)
    assert "Result: every one of the 16 invariants holds" in text


def test_the_command_lists_each_break_with_its_ids_and_exits_non_zero(town):
    _, spend = plant_spend_without_a_claim(town)
    _, cut = plant_strand_cut_below_zero(town)
    rebuild_summaries()
    out = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("check_ledger", stdout=out)

    assert refused.value.returncode == 1
    assert "3 breaks of 3 invariants" in str(refused.value)
    text = out.getvalue()
    assert f"ledger entry {spend}: spend of £2,000.00 on agreed package" in text
    assert f"strand {cut}: VCS support packages" in text
    assert "BROKEN (1)" in text
    assert "Result: BROKEN: 3 findings against 3 of the 16 invariants" in text


def test_the_command_shows_the_first_findings_and_says_how_many_more(town):
    for _ in range(3):
        insert_entry(town.in_delivery.agreed, "spend", "1.00")
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("check_ledger", "--limit", "2", stdout=out)

    assert "… and 1 more: run with --limit 0 to list every one." in out.getvalue()
