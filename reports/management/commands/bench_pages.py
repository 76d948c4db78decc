"""Time every page that matters to each role against a bare signed-in view, in one process.

Run by `make bench` after `seed_bench`. Each page is requested through Django's
test client, signed in as one of the bench's people (`reports.bench_people.bench_email`),
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
- the 360Giving download under 100 ms (p95), and its build under 30 s;
- the public open-data page and a published release's 360Giving JSON (no
  account), and the same file asked for again with its ETag (304), within 5×
  the bare view's p95: they are read from storage, never built in a request.

The 360Giving file for this year is built first, through the manager's build
button on the open-data page (the settings `make bench` runs with run Celery
tasks in-process), and that build is timed once. When no release of this
year's files is published (with its files in storage), one is prepared and
published through the services a manager's buttons call, and timed once.

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
from reports import figures_cache
from reports.bench_people import PEOPLE_PER_ROLE, bench_email
from reports.bench_tables import OPEN_DATA_LIMIT, RESULTS, compare_scales, render
from reports.bench_volunteering import search_pages
from reports.breakdowns import DIMENSIONS
from reports.models import OpenDataKind, OpenDataReleaseFile
from reports.open_data_files import KINDS, storage
from reports.open_data_releases import prepare_release, publish_release, published_files

BARE_PER_ROUND = 5
AFRESH = 3  # report pages timed again, each just after the data changed
SLOW_PAGE_BUDGET_S = 30  # a page slower than this per request is timed fewer times


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
    headers: tuple[tuple[str, str], ...] = ()  # sent with each request
    status: int = 200  # the answer expected
    limit: int | None = None  # its own target (× the bare view), else the scale's


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
        Page(role, "volunteering figures", _url("reports:volunteering"), report),
        Page(
            role,
            "volunteering figures by district",
            _url("reports:volunteering", by="district"),
            report,
        ),
        Page(
            role,
            "volunteering figures, XLSX",
            _url("reports:volunteering", download="xlsx"),
            "download",
        ),
        Page(role, "volunteering equality", _url("reports:volunteering_equality"), report),
        Page(
            role,
            "volunteering equality, XLSX",
            _url("reports:volunteering_equality", download="xlsx"),
            "download",
        ),
        Page(role, "volunteering events report", _url("reports:volunteering_events"), report),
        Page(
            role,
            "volunteering events report, XLSX",
            _url("reports:volunteering_events_download", format="xlsx"),
            "download",
        ),
        Page(role, "volunteering advice report", _url("reports:volunteering_advice"), report),
        Page(
            role,
            "volunteering advice report, XLSX",
            _url("reports:volunteering_advice_download", format="xlsx"),
            "download",
        ),
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
        *(Page("public", name, path) for name, path in search_pages(_url)),
    ]


def open_data_pages(file: OpenDataReleaseFile) -> list[Page]:
    """The public open-data page and `file` (published) at its public address, no account."""
    address = _url("open_data:file", KINDS[file.kind].filename(file.year))
    role, limit = "open data (no account)", OPEN_DATA_LIMIT
    return [
        Page(role, "open-data page", _url("open_data:public"), limit=limit),
        Page(role, "public 360Giving JSON, this year", address, "download", limit=limit),
        Page(
            role,
            "the same, unchanged (ETag, 304)",
            address,
            "download",
            headers=(("If-None-Match", f'"{file.sha256}"'),),
            status=304,
            limit=limit,
        ),
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


def fetch(client, url, headers=()):
    """Request `url` and read the whole body, as a server would send it: (response, bytes)."""
    response = client.get(url, headers=dict(headers))
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
    # Report pages: the median of AFRESH requests each made just after the data
    # version moved (figures_cache.bump), so every figure is worked out again.
    afresh: float | None = None
    expected: int = 200  # the status the page should answer
    limit: int | None = None  # its own target (× the bare view's p95), else the scale's


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
        by_role["public"] = by_role["open data (no account)"] = signed_in(None)
        load_before = os.getloadavg()
        build = self._build_open_data(by_role["manager"])
        release, file = self._published_release(people["manager"][0])
        pages = (
            [
                p
                for role in ("organisation", "provider", "officer", "manager")
                for p in pages_for(people[role][0])
            ]
            + public_pages()
            + open_data_pages(file)
        )
        bare_page = Page("manager", "bare signed-in view", BARE_PATH)
        self.stderr.write(f"Warming up {len(pages)} pages and the bare view …")
        probes, samples = {}, {}
        for page in [bare_page, *pages]:
            client = by_role[page.role]
            started = time.perf_counter()
            fetch(client, page.path, page.headers)  # warm-up: templates, per-process caches
            first = time.perf_counter() - started
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response, size = fetch(client, page.path, page.headers)
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
                fetch(by_role[page.role], page.path, page.headers)
                times[page].append((time.perf_counter() - started) * 1000)
        # The report pages again, each just after the data changed: what the
        # first manager to open one after any change waits for.
        afresh = {}
        if figures_cache.enabled():
            self.stderr.write("Timing the report pages just after a change …")
            for page in pages:
                if page.kind != "report":
                    continue
                afresh[page] = []
                for _ in range(AFRESH):
                    figures_cache.bump()
                    started = time.perf_counter()
                    fetch(by_role[page.role], page.path)
                    afresh[page].append((time.perf_counter() - started) * 1000)
        load = {
            "before": load_before,
            "after": os.getloadavg(),
            "cpus": os.cpu_count(),
            "open_data_build": build,
            "open_data_release": release,
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
                afresh=statistics.median(afresh[page]) if page in afresh else None,
                expected=page.status,
                limit=page.limit,
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

    def _published_release(self, manager) -> tuple[dict | None, OpenDataReleaseFile]:
        """This year's published 360Giving JSON, and how long publishing it took (None: it
        was published before). A release is prepared and published through the services a
        manager's buttons call when none is, or when its files are not in this run's storage."""
        year = financial_year_of(timezone.localdate())
        file = published_files().get((OpenDataKind.GRANTS_JSON, year))
        if file is not None and storage().exists(file.name):
            return None, file
        self.stderr.write("Preparing and publishing a release of this year's open data …")
        started = time.perf_counter()
        release = prepare_release(by=manager, year=year)  # the task runs in-process
        release.refresh_from_db()
        if release.status != release.Status.READY:
            raise CommandError(f"The release could not be prepared: {release.error}")
        publish_release(release, by=manager)
        seconds = time.perf_counter() - started
        file = published_files()[OpenDataKind.GRANTS_JSON, year]
        return {"seconds": seconds, "reference": release.reference, "grants": file.rows}, file
