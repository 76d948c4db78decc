"""Drive Debian's Chromium through Playwright against pytest-django's live server.

One browser for all the tests here (starting Chromium costs about a second), a
fresh context (cookies, storage) per test. `playwright install` cannot
download browsers here, so we launch the system Chromium.
"""

import json
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

from ..conftest import client_for
from ..permission_matrix import MATRIX

ALLOW_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = "/usr/bin/chromium"
# The background-networking flags stop Chromium reaching out to Google's
# services, which the closed network here would otherwise be flooded with.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Every browser test module: `pytestmark = BROWSER_TEST`. The live server needs
# real transactions; tests/conftest.py puts back the rows data migrations
# create before each one (see tests/reference_data.py).
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="package")
def browser():
    """Chromium, once for every test in this folder.

    Package scope, not session: while Playwright's sync API is alive it keeps
    an asyncio loop marked as running on the main thread, and Django's ORM then
    refuses to run ("you cannot call this from an async context"). Our test code
    is plain synchronous code, so we allow it while the browser is up, and stop
    both when the last browser test is done so the rest of the suite runs with
    Django's guard intact. (pytest-django runs live-server tests together, after
    the ordinary database tests, so this folder's tests stay contiguous.)
    """
    previous = os.environ.get(ALLOW_ASYNC_UNSAFE)
    os.environ[ALLOW_ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ[ALLOW_ASYNC_UNSAFE]
        else:
            os.environ[ALLOW_ASYNC_UNSAFE] = previous


@pytest.fixture
def insecure_cookies(settings):
    # The live server speaks plain http://localhost, where Chromium drops
    # cookies marked Secure. Both settings are read per request.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def new_context(browser, live_server, insecure_cookies):
    """Make browser contexts (each its own cookies: one person) on the live server."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


def sign_in(context, live_server, user):
    """Give the browser context a session for `user` (no-op for anonymous)."""
    if user is None:
        return
    client = client_for(user)
    name = django_settings.SESSION_COOKIE_NAME
    cookie = {"name": name, "value": client.cookies[name].value, "url": live_server.url}
    context.add_cookies([cookie])


# --- The crawl list and axe, shared by the accessibility and keyboard tests

# Error pages render one template each, whatever the URL, so one of each will do.
ERROR_STATUSES = (403, 404)


def matrix_urls(world):
    """Every HTML page in the URL matrix: {name: url}.

    Built once per world: some rows make an object to point at (a package, an
    agreed package), and making them again for every role would run into the
    very limits the service enforces.
    """
    return {
        name: reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
        for name, row in MATRIX.items()
        if not row.not_html
    }


def pages_for(role, urls):
    """(url, status) for every page in `urls` the matrix says answers `role` so.

    Every URL answering 200, plus the first answering each error status, so the
    403 and 404 pages are checked as each role sees them.
    """
    seen_errors = set()
    for name, url in urls.items():
        status = MATRIX[name].get[role]
        if status in ERROR_STATUSES and status not in seen_errors:
            seen_errors.add(status)
        elif status != 200:
            continue
        yield url, status


# WCAG 2.2 levels A and AA, as axe-core tags them (the 2.1 and 2.2 tags only
# mark the criteria those versions added, so each level is listed).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
AXE_SOURCE = Axe().axe_script  # axe-core, as bundled with axe-playwright-python
RUN_AXE = f"() => axe.run(document, {json.dumps(AXE_OPTIONS)})"


def load_axe(context):
    """Load axe-core into every page the context opens, before the page's own scripts.

    Cheaper than sending its half a megabyte of source with each check.
    """
    context.add_init_script(script=AXE_SOURCE)


def axe_violations(page, where):
    """Run axe on the page as it stands: one readable paragraph per violated rule."""
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(RUN_AXE)["violations"]
    return [f"{where}: {describe(v)}" for v in violations]


def describe(violation):
    nodes = "\n".join(
        f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}"
        for node in violation["nodes"]
    )
    return (
        f"{violation['id']} ({violation['impact']})\n  {violation['help']}\n"
        f"  {violation['helpUrl']}\n{nodes}"
    )
