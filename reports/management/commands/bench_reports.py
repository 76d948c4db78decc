"""Time the dashboard and every breakdown: median and 95th percentile, and the query count.

Requests go through Django's test client signed in as a manager, so the time
is the server's: URL routing, middleware, the queries, the template. Run by
`make bench` after `seed_bench`.
"""

import statistics
import time

from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from allowances.rules import financial_year_of
from organisations.models import User
from reports.breakdowns import DIMENSIONS


def pages(year: int) -> list[tuple[str, str, dict]]:
    this_year = {"year": year}
    return [
        ("budget dashboard", reverse("reports:budget_dashboard"), this_year),
        *(
            (f"breakdown {slug}", reverse(f"reports:breakdown_{slug}"), this_year)
            for slug in DIMENSIONS
        ),
        ("breakdown package, all years", reverse("reports:breakdown_package"), {"year": "all"}),
        ("breakdown theme, XLSX", reverse("reports:breakdown_theme"), {**this_year,
                                                                       "download": "xlsx"}),
        ("ledger entries (page 1)", reverse("reports:ledger"), this_year),
        ("ledger entries, one district", reverse("reports:ledger"), {**this_year,
                                                                    "district": "LE2"}),
        ("caps in practice", reverse("reports:caps"), this_year),
        ("reach and impact", reverse("reports:reach"), this_year),
        ("operations (queues)", reverse("reports:operations"), {}),
        ("providers", reverse("reports:providers"), this_year),
        ("360Giving JSON, one year", reverse("reports:grants_360_json"), this_year),
    ]  # fmt: skip


class QueryCounter:
    """Counts every statement sent to the database (DEBUG need not be on)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Time the reports pages against the current database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, repeat=20, **options):
        manager = User.objects.filter(role=User.Role.MANAGER).order_by("pk").first()
        if manager is None:
            self.stderr.write("No manager: run seed_bench first.")
            return
        if not manager.authenticator_set.exists():
            TOTP.activate(manager, "BENCHTOTPSECRETAAAAAAAAAAAAAAAAA")
        client = Client()
        client.force_login(manager)
        year = financial_year_of(timezone.localdate())
        self.stdout.write(
            f"{repeat} requests each after one warm-up; times in milliseconds, server side.\n"
            f"{'page':<34} {'median':>8} {'p95':>8} {'queries':>8} {'bytes':>9}"
        )
        for name, url, params in pages(year):
            response = self._get(client, url, params)  # warm-up
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response, size = self._get(client, url, params)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                self._get(client, url, params)
                times.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"{name:<34} {statistics.median(times):>8.1f} {percentile(times, 0.95):>8.1f} "
                f"{counter.count:>8} {size:>9}"
                + ("" if response.status_code == 200 else f"  status {response.status_code}")
            )

    def _get(self, client, url, params):
        response = client.get(url, params)
        if getattr(response, "streaming", False):
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        return response, size
