"""Time every page that matters to each role against a bare signed-in view, in one process.

Run by `make bench` after `seed_bench`. Each page is requested through Django's
test client, signed in as one of the bench's people (`seed_bench.bench_email`),
so a time is the server's: URL routing, every middleware, the queries, the
template. The floor is a *bare* view, requested the same way: it only reads
`request.user` through the same middleware (the session, the user, the staff
two-factor check). It is served from this module's own URLconf (the project's
URLs plus that one path), switched on for this process only, so production
never has such a URL. Pages are timed in rounds, one request to each page a
round, so a busy spell on this shared machine falls on every page alike; a
page is compared with the bare view as a ratio, which is what the targets say.

For each page it prints the queries, median and 95th percentile, both as
ratios to the bare view's, and the size of the HTML, each against its target:

- p95 within 15× the bare view's at --scale 1, within 25× at --scale 10;
- no page over 200 KB (200,000 bytes) of HTML;
- the 360Giving download under 100 ms (p95), and its build under 30 s.

The 360Giving file for this year is built first, through the manager's build
button on the open-data page (the settings `make bench` runs with run Celery
tasks in-process), and that build is timed once.

The table is also written to `.run/bench/scale<N>.txt` and `.json`; when both
the 1× and the 10× results are there, it prints each report page's time at 10×
over its time at 1×, against the 1.5× target (`--compare` prints only that).

People are signed in as the test suite signs them in (Django's login, then
the record allauth writes when a code is accepted): the sign-in itself, with
the password and the TOTP code, is what `bench_sessions` does for `make load`.
"""

import json
import os
import shutil
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from allowances.rules import financial_year_of
from organisations.models import Organisation, User
from packages.models import Package
from reports.breakdowns import DIMENSIONS

from .seed_bench import PEOPLE_PER_ROLE, bench_email

RESULTS = Path(settings.BASE_DIR) / ".run" / "bench"
HTML_LIMIT = 200_000  # bytes
DOWNLOAD_LIMIT_MS = 100  # the 360Giving file, p95
BUILD_LIMIT_S = 30  # building this year's 360Giving file
REPORT_GROWTH_LIMIT = 1.5  # a report page's time at 10× over its time at 1×
BARE_PER_ROUND = 5
SLOW_PAGE_BUDGET_S = 30  # a page slower than this per request is timed fewer times


def ratio_limit(scale: int) -> int:
    """A page's p95 over the bare view's p95: 15× at city scale, 25× at ten times it."""
    return 15 if scale < 10 else 25


@login_required
def bare(request):
    """The floor: every middleware, then request.user read, and nothing else."""
    return HttpResponse(request.user.get_username(), content_type="text/plain")


BARE_PATH = "/bench/bare/"
# This module is the URLconf while the bench runs (override_settings below).
urlpatterns = [path(BARE_PATH.strip("/") + "/", bare), path("", include("vcs_support.urls"))]


@dataclass(frozen=True)
class Page:
    role: str
    name: str
    path: str
    kind: str = "page"  # "page" (HTML), "report" (a manager's report, HTML), "download"


def role_of(user) -> str:
    if user.is_manager:
        return "manager"
    if user.is_officer:
        return "officer"
    if hasattr(user, "membership"):
        return "organisation"
    if hasattr(user, "provider_membership"):
        return "provider"
    raise CommandError(f"{user} has no bench role")


def _url(name, *args, **query) -> str:
    url = reverse(name, args=args)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pages_for(user, number: int = 1) -> list[Page]:
    """What `user` (one of the bench's people, the number-th of their role) looks at."""
    role = role_of(user)
    if role == "organisation":
        organisation = user.membership.organisation
        agreed = organisation.agreed_packages.order_by("-agreed_on", "-pk").first()
        return [
            Page(role, "organisation home", _url("organisation_home")),
            Page(role, "organisation packages", _url("allowances:organisation_packages")),
            Page(role, "agreed package", _url("allowances:agreed_package_detail", agreed.pk)),
            Page(role, "package delivery", _url("delivery:package", agreed.pk)),
        ]
    if role == "provider":
        provider = user.provider_membership.provider
        request = provider.requests.order_by("-requested_at", "-pk").first()
        return [
            Page(role, "provider home", _url("providers:home")),
            Page(role, "provider requests", _url("delivery:provider_requests")),
            Page(role, "provider request", _url("delivery:provider_request", request.pk)),
        ]
    # Staff look at the organisation of the organisation admin with the same number.
    organisation = Organisation.objects.get(
        memberships__user__email=bench_email("organisation", number)
    )
    package = Package.objects.active().order_by("position", "pk").first()
    if role == "officer":
        return [
            Page(role, "officer home: organisations", _url("organisations:officer_queue")),
            Page(role, "organisations, search", _url("organisations:officer_queue", q="Group+123")),
            Page(role, "eligibility applications", _url("diagnostics:officer_applications")),
            Page(role, "diagnostics", _url("diagnostics:officer_diagnostics")),
            Page(role, "claims", _url("delivery:claims")),
            Page(role, "disputes", _url("delivery:disputes")),
            Page(role, "provider applications", _url("providers:officer_queue")),
            Page(role, "provider register", _url("providers:officer_register")),
            Page(role, "failed emails", _url("notifications:failed")),
            Page(role, "organisation", _url("officer_organisation_detail", organisation.pk)),
            Page(
                role,
                "organisation's packages",
                _url("allowances:officer_packages", organisation.pk),
            ),
            Page(role, "agree: choose", _url("allowances:agree_choose", organisation.pk)),
            Page(
                role, "agree: check", _url("allowances:agree_confirm", organisation.pk, package.pk)
            ),
        ]
    year = financial_year_of(timezone.localdate())
    report = "report"
    return [
        Page(role, "manager overview", _url("reports:manager_overview")),
        Page(role, "budget years", _url("allowances:budget_years")),
        Page(role, "budget dashboard", _url("reports:budget_dashboard", year=year), report),
        *(
            Page(role, f"breakdown {slug}", _url(f"reports:breakdown_{slug}", year=year), report)
            for slug in DIMENSIONS
        ),
        Page(
            role,
            "breakdown package, all years",
            _url("reports:breakdown_package", year="all"),
            report,
        ),
        Page(
            role,
            "breakdown theme, XLSX",
            _url("reports:breakdown_theme", year=year, download="xlsx"),
            "download",
        ),
        Page(role, "ledger entries (page 1)", _url("reports:ledger", year=year), report),
        Page(
            role,
            "ledger entries, one district",
            _url("reports:ledger", year=year, district="LE2"),
            report,
        ),
        Page(role, "caps in practice", _url("reports:caps", year=year), report),
        Page(role, "reach and impact", _url("reports:reach", year=year), report),
        Page(role, "operations (queues)", _url("reports:operations"), report),
        Page(role, "providers", _url("reports:providers", year=year), report),
        Page(role, "open data", _url("reports:open_data"), report),
        Page(
            role, "360Giving JSON, one year", _url("reports:grants_360_json", year=year), "download"
        ),
    ]


def public_pages() -> list[Page]:
    package = Package.objects.active().order_by("position", "pk").first()
    return [
        Page("public", "start", _url("start")),
        Page("public", "package menu", _url("packages:menu")),
        Page("public", "package", _url("packages:detail", package.slug)),
    ]


def bench_people() -> dict[str, list]:
    """The bench's people by role, in number order (seed_bench made them)."""
    people = {}
    for role in ("manager", "officer", "organisation", "provider"):
        emails = [bench_email(role, n) for n in range(1, PEOPLE_PER_ROLE + 1)]
        found = {u.email: u for u in User.objects.filter(email__in=emails)}
        if len(found) != len(emails):
            raise CommandError("The bench's people are missing: run seed_bench first.")
        people[role] = [found[e] for e in emails]
    return people


def signed_in(user) -> Client:
    """A client signed in as `user`, past the code step for staff, as the tests sign in."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if user.must_use_two_factor:
        at = time.time()
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": at, "email": user.email},
            {"method": "mfa", "at": at, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


def bench_storages(scale: int) -> dict:
    """The open-data files this run builds go under .run/bench/, emptied first, so runs
    on databases made afresh leave no files behind where the tests keep theirs."""
    storages = dict(settings.STORAGES)
    if "open_data" in storages:
        location = RESULTS / f"open-data-scale{scale}"
        shutil.rmtree(location, ignore_errors=True)
        backend = storages["open_data"]
        options = {**backend.get("OPTIONS", {}), "location": str(location)}
        storages["open_data"] = {**backend, "OPTIONS": options}
    return storages


class QueryCounter:
    """Counts every statement sent to the database (DEBUG need not be on)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def fetch(client, url):
    """Request `url` and read the whole body, as a server would send it: (response, bytes)."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        return response, sum(len(chunk) for chunk in response.streaming_content)
    return response, len(response.content)


@dataclass
class Result:
    role: str
    name: str
    path: str
    kind: str
    status: int
    content_type: str
    queries: int
    size: int
    samples: int
    median: float  # milliseconds
    p95: float


class Command(BaseCommand):
    help = "Time every role's pages against a bare signed-in view; print them against targets."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page.")
        parser.add_argument("--scale", type=int, default=1, help="The scale seed_bench used.")
        parser.add_argument(
            "--compare", action="store_true", help="Only compare the saved 1× and 10× results."
        )

    def handle(self, *args, repeat=20, scale=1, compare=False, **options):
        if not compare:
            with override_settings(ROOT_URLCONF=__name__, STORAGES=bench_storages(scale)):
                results, bare_result, load = self._run(repeat)
            lines = render(results, bare_result, scale, load, repeat)
            self.stdout.write("\n".join(lines))
            RESULTS.mkdir(parents=True, exist_ok=True)
            (RESULTS / f"scale{scale}.txt").write_text("\n".join(lines) + "\n")
            (RESULTS / f"scale{scale}.json").write_text(
                json.dumps(
                    {
                        "scale": scale,
                        "at": timezone.now().isoformat(),
                        "load": load,
                        "bare": asdict(bare_result),
                        "pages": [asdict(r) for r in results],
                    },
                    indent=1,
                )
            )
            self.stdout.write(f"\nWritten to {RESULTS / f'scale{scale}.txt'} (and .json)")
        self.stdout.write("\n".join(compare_scales()))

    def _run(self, repeat):
        people = bench_people()
        by_role = {role: signed_in(users[0]) for role, users in people.items()}
        by_role["public"] = signed_in(None)
        pages = [
            p
            for role in ("organisation", "provider", "officer", "manager")
            for p in pages_for(people[role][0])
        ] + public_pages()
        bare_page = Page("manager", "bare signed-in view", BARE_PATH)
        load_before = os.getloadavg()
        build = self._build_open_data(by_role["manager"])
        self.stderr.write(f"Warming up {len(pages)} pages and the bare view …")
        probes, samples = {}, {}
        for page in [bare_page, *pages]:
            client = by_role[page.role]
            started = time.perf_counter()
            fetch(client, page.path)  # warm-up: templates, per-process caches
            first = time.perf_counter() - started
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response, size = fetch(client, page.path)
            probes[page] = (response, size, counter.count)
            # A page taking many seconds is timed fewer times, so a 10× run still ends.
            samples[page] = max(3, min(repeat, int(SLOW_PAGE_BUDGET_S / max(first, 1e-3))))
        times = {page: [] for page in probes}
        # The bare view, the denominator of every ratio, is timed BARE_PER_ROUND times a
        # round, spread among the pages, so one slow request does not make its p95.
        every = max(1, len(pages) // BARE_PER_ROUND)
        order = [bare_page if i % every == 0 else None for i in range(len(pages))]
        order = [p for pair in zip(order, pages, strict=True) for p in pair if p is not None]
        self.stderr.write(f"Timing, {repeat} rounds …")
        for round_ in range(repeat):
            for page in order:
                if page is not bare_page and round_ >= samples[page]:
                    continue
                started = time.perf_counter()
                fetch(by_role[page.role], page.path)
                times[page].append((time.perf_counter() - started) * 1000)
        load = {
            "before": load_before,
            "after": os.getloadavg(),
            "cpus": os.cpu_count(),
            "open_data_build": build,
        }

        def result(page):
            response, size, queries = probes[page]
            return Result(
                role=page.role,
                name=page.name,
                path=page.path,
                kind=page.kind,
                status=response.status_code,
                content_type=response.get("Content-Type", "").split(";")[0],
                queries=queries,
                size=size,
                samples=len(times[page]),
                median=statistics.median(times[page]),
                p95=percentile(times[page], 0.95),
            )

        return [result(p) for p in pages], result(bare_page), load

    def _build_open_data(self, client) -> dict | None:
        """Press "build" for this year's 360Giving JSON and time it (None: no such button)."""
        try:
            url = reverse("reports:open_data_build")
        except NoReverseMatch:
            return None
        year = financial_year_of(timezone.localdate())
        self.stderr.write("Building this year's 360Giving file …")
        started = time.perf_counter()
        response = client.post(url, {"kind": "360giving_json", "year": year})
        return {"seconds": time.perf_counter() - started, "status": response.status_code}


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def render(results, bare_result, scale, load, repeat) -> list[str]:
    limit = ratio_limit(scale)
    lines = [
        f"Bench at scale {scale}: every role's pages against a bare signed-in view "
        f"(server time through Django's test client, up to {repeat} requests a page after a "
        "warm-up).",
        f"Load average {load['before'][0]:.2f} before, {load['after'][0]:.2f} after, "
        f"on {load['cpus']} CPUs.",
        f"Targets: p95 within {limit}× the bare view's; HTML at most {HTML_LIMIT // 1000} KB; "
        f"the 360Giving download p95 under {DOWNLOAD_LIMIT_MS} ms.",
        "",
        f"{'page':<40} {'queries':>7} {'n':>3} {'median':>8} {'p95':>8} "
        f"{'med×':>6} {'p95×':>6} {'≤' + str(limit) + '×':<7} {'KB':>7} {'≤200 KB':<7}",
        f"{'bare signed-in view':<40} {bare_result.queries:>7} {bare_result.samples:>3} "
        f"{bare_result.median:>8.1f} {bare_result.p95:>8.1f} {'1.0':>6} {'1.0':>6}",
    ]
    met = missed = 0
    role = None
    for r in results:
        if r.role != role:
            role = r.role
            lines.append(f"-- {role}")
        med_x, p95_x = r.median / bare_result.median, r.p95 / bare_result.p95
        ok_time = r.status == 200 and p95_x <= limit
        is_html = r.content_type == "text/html"
        ok_size = not is_html or r.size <= HTML_LIMIT
        size_verdict = _verdict(ok_size) if is_html else "(file)"
        note = "" if r.status == 200 else f"  status {r.status}"
        if r.name.startswith("360Giving"):
            ok_download = r.status == 200 and r.p95 < DOWNLOAD_LIMIT_MS
            note += f"  <{DOWNLOAD_LIMIT_MS} ms: {_verdict(ok_download)}"
            met, missed = met + ok_download, missed + (not ok_download)
        met, missed = met + ok_time + ok_size, missed + (not ok_time) + (not ok_size)
        lines.append(
            f"  {r.name:<38} {r.queries:>7} {r.samples:>3} {r.median:>8.1f} {r.p95:>8.1f} "
            f"{med_x:>6.1f} {p95_x:>6.1f} {_verdict(ok_time):<7} {r.size / 1000:>7.1f} "
            f"{size_verdict:<7}{note}"
        )
    build = load.get("open_data_build")
    if build is None:
        lines += ["", "360Giving build: no build button on the open-data page; not timed."]
    else:
        ok_build = build["status"] in (200, 302) and build["seconds"] < BUILD_LIMIT_S
        met, missed = met + ok_build, missed + (not ok_build)
        lines += [
            "",
            f"360Giving build, this year, through the open-data page: {build['seconds']:.1f} s "
            f"(status {build['status']}); under {BUILD_LIMIT_S} s: {_verdict(ok_build)}",
        ]
    lines += ["", f"Targets met: {met}, missed: {missed} (times in ms; KB = 1,000 bytes)."]
    return lines


def compare_scales() -> list[str]:
    """Each report page's time at 10× over its time at 1×, when both runs are saved.

    The verdict is on the p95s as measured. The two runs may meet the shared machine
    in different moods, so the last column divides each median by its own run's
    bare view first: the growth with the load of the moment taken out.
    """
    files = {scale: RESULTS / f"scale{scale}.json" for scale in (1, 10)}
    if not all(f.exists() for f in files.values()):
        return []
    runs = {scale: json.loads(f.read_text()) for scale, f in files.items()}
    bare = {scale: run["bare"]["median"] for scale, run in runs.items()}
    lines = [
        "",
        f"Report pages at 10× over 1× (target ≤ {REPORT_GROWTH_LIMIT}× at p95): 1× run of "
        f"{runs[1]['at'][:16]} (bare median {bare[1]:.1f} ms), 10× run of "
        f"{runs[10]['at'][:16]} (bare median {bare[10]:.1f} ms)",
        f"{'page':<40} {'median 1×':>9} {'10×':>9} {'ratio':>6} {'p95 1×':>9} {'10×':>9} "
        f"{'ratio':>6} {'':<7} {'med÷bare':>8}",
    ]
    one = {p["name"]: p for p in runs[1]["pages"]}
    for page in runs[10]["pages"]:
        before = one.get(page["name"])
        if page["kind"] != "report" or before is None:
            continue
        med, p95 = page["median"] / before["median"], page["p95"] / before["p95"]
        relative = (page["median"] / bare[10]) / (before["median"] / bare[1])
        lines.append(
            f"  {page['name']:<38} {before['median']:>9.1f} {page['median']:>9.1f} {med:>6.1f} "
            f"{before['p95']:>9.1f} {page['p95']:>9.1f} {p95:>6.1f} "
            f"{_verdict(p95 <= REPORT_GROWTH_LIMIT):<7} {relative:>8.1f}"
        )
    return lines
