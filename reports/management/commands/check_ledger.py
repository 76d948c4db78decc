"""Check every invariant the money depends on and print what was found, for an auditor.

Exits 0 when every invariant holds and 1 (with the count on standard error)
when any breaks, so `scripts/restore.sh` and a scheduler can act on it. The
checks are in `reports.invariants`; this only reads them out.
"""

import textwrap
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from packages.money import format_money
from reports.invariants import LedgerCheck, check_ledger

WIDTH = 100


class Command(BaseCommand):
    help = (
        "Check the ledger's invariants (strand figures against the dashboard, each package's "
        "ledger rows against its state, claims against spend) and exit non-zero on any break."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=25,
            help="Findings listed for each broken invariant (0 lists every one; default 25).",
        )

    def handle(self, *args, limit=25, **options):
        started = time.monotonic()
        report = self._check()
        seconds = time.monotonic() - started
        self.stdout.write("\n".join(render(report, limit=limit, seconds=seconds)))
        if not report.clean:
            broken = len({f.rule for f in report.findings})
            raise CommandError(
                f"The ledger check found {len(report.findings):,} breaks of {broken} "
                f"invariant{'s' if broken != 1 else ''}.",
                returncode=1,
            )

    def _check(self) -> LedgerCheck:
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return check_ledger()
        # Every figure from one snapshot, so an agreement made while the check
        # runs cannot make the dashboard's sums and the ledger's disagree.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return check_ledger()


def _counted(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    parts = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
    return f"{total:,}" + (f" ({parts})" if parts else "")


def render(report: LedgerCheck, *, limit: int, seconds: float) -> list[str]:
    """The report as lines of text: strands, what was checked, each invariant, each finding."""
    settings = connection.settings_dict
    lines = [
        f"Ledger check of database {settings['NAME']!s} on {settings.get('HOST') or 'localhost'}"
        f", {timezone.now():%Y-%m-%d %H:%M %Z}",
        "",
        "Budget strands, worked out from ledger rows (available = budget - committed - spent)",
    ]
    name_width = max((len(s.name) for s in report.strands), default=6)
    lines.append(
        f"  {'Year':<8} {'Strand':<{name_width}} {'Budget':>16} {'Committed':>16} "
        f"{'Spent':>16} {'Available':>16}  Dashboard"
    )
    for s in report.strands:
        agrees = "agrees" if s.dashboard == s.ledger else "DIFFERS"
        lines.append(
            f"  {s.year:<8} {s.name:<{name_width}} {format_money(s.amount):>16} "
            f"{format_money(s.ledger.committed):>16} {format_money(s.ledger.spent):>16} "
            f"{format_money(s.ledger.available):>16}  {agrees}"
        )
    if not report.strands:
        lines.append("  (no budget years)")
    counts = report.counts
    years = len({s.year for s in report.strands})
    lines += [
        "",
        "Checked",
        f"  {years:,} budget years, {len(report.strands):,} strands",
        f"  agreed packages: {_counted(counts['agreed packages'])}",
        f"  ledger entries: {_counted(counts['ledger entries'])}",
        f"  marked as a manager's override: {_counted(counts['overrides'])}",
        f"  claims: {_counted(counts['claims'])}",
        "",
        "Invariants",
    ]
    for rule in report.rules:
        found = len(report.broken(rule))
        verdict = f"BROKEN ({found:,})" if found else "ok"
        lines += textwrap.wrap(
            f"{rule.code}  {rule.says}",
            width=WIDTH,
            initial_indent=f"  {verdict:<16} ",
            subsequent_indent=" " * 23,
        )
    if not report.clean:
        lines += ["", "Findings"]
        for rule in report.rules:
            found = report.broken(rule)
            if not found:
                continue
            lines.append(f"  {rule.code} ({len(found):,}): {rule.says}")
            shown = found if limit <= 0 else found[:limit]
            lines += [f"      {finding}" for finding in shown]
            if len(shown) < len(found):
                lines.append(
                    f"      … and {len(found) - len(shown):,} more: "
                    "run with --limit 0 to list every one."
                )
    broken = len({f.rule for f in report.findings})
    verdict = (
        f"every one of the {len(report.rules)} invariants holds"
        if report.clean
        else f"BROKEN: {len(report.findings):,} findings against {broken} of the "
        f"{len(report.rules)} invariants"
    )
    lines += ["", f"Result: {verdict} (checked in {seconds:.2f} s)."]
    return lines
