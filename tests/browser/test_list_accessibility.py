"""No axe-core violation on the long lists in the states the crawl does not reach.

The crawl in test_accessibility.py opens each list once, as it first appears.
Here each is opened with more rows than a page (the page size made 2), on its
second page, searched with matches, with names only like the term, and with
none; the reports with more providers than they show. The search field must
keep its label, and the count of what was found is the heading the table is
named by.
"""

from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.urls import reverse

from delivery import services
from organisations import listing
from reports import breakdown_views, insight_views

from ..conftest import build_world
from ..delivery.support import package_at
from ..factories import (
    DiagnosticFactory,
    EligibilityApplicationFactory,
    OrganisationFactory,
    ProviderFactory,
)
from ..providers.factories import PackageApplicationFactory
from ..reports.conftest import YEAR, RowMaker
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in

pytestmark = BROWSER_TEST


@pytest.fixture
def short_pages(monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    monkeypatch.setattr(insight_views, "TOP_PROVIDERS", 2)
    monkeypatch.setattr(breakdown_views, "TOP_ROWS", {"provider": 2})


def url(name, **params):
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def check(page, address):
    response = page.goto(address)
    if response is None or response.status != 200:
        return [f"{address}: expected 200, got {response.status if response else None}"]
    problems = axe_violations(page, address)
    search = page.locator("#search-q")
    if search.count() and page.locator("label[for=search-q]").count() != 1:
        problems.append(f"{address}: the search field has no label")
    return problems


def test_every_long_list_passes_axe_paged_and_searched(context, page, live_server, short_pages):
    world = build_world()
    for n in range(3):
        OrganisationFactory(name=f"Leicester Food Bank {n}")
        ProviderFactory(name=f"Finance Coach {n}")
        PackageApplicationFactory(status="submitted", provider__name=f"Able Training {n}")
        EligibilityApplicationFactory(status="submitted", organisation__name=f"Food Club {n}")
        DiagnosticFactory(status="awaiting_session", organisation__name=f"Food Group {n}")
        agreed = package_at(world, "confirmed")
        services.submit_claim(
            agreed, by=world.provider_user, amount=agreed.value, invoice_reference=f"INV-{n}"
        )
        agreed = package_at(world, "delivered")
        services.dispute_delivery(agreed, by=world.org_a_admin, reason="Only one session.")
    with transaction.atomic():  # ledger entries are posted inside one
        RowMaker()(3)
    sign_in(context, live_server, world.manager)
    load_axe(context)

    addresses = [
        url("organisations:officer_queue", page=2),
        url("organisations:officer_queue", q="food", page=2),
        url("organisations:officer_queue", q="Leicestr fod"),  # names like it
        url("organisations:officer_queue", q="xyzzy"),  # nothing at all
        url("providers:officer_register", q="finance", page=2),
        url("providers:officer_register", q="Finanse"),
        url("providers:officer_register", q="xyzzy"),
        url("providers:officer_queue", q="able", page=2),
        url("providers:officer_queue", q="xyzzy"),
        url("diagnostics:officer_applications", q="food", page=2),
        url("diagnostics:officer_diagnostics", q="food", page=2),
        url("diagnostics:officer_diagnostics", show="completed", q="xyzzy"),
        url("delivery:claims", status="submitted", page=2),
        url("delivery:disputes", page=2),
        url("delivery:disputes", q="xyzzy"),
        url("diagnostics:distance_travelled", q="xyzzy"),
        url("reports:providers", year=YEAR),
        url("reports:breakdown_provider", year="all"),
        url("reports:ledger", year="all", provider_name="training"),
    ]
    problems = [problem for address in addresses for problem in check(page, address)]
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)


def test_the_search_is_a_labelled_field_and_the_count_a_heading(context, page, live_server):
    world = build_world()
    OrganisationFactory(name="Leicester Food Bank")
    sign_in(context, live_server, world.officer)
    page.goto(reverse("organisations:officer_queue"))
    page.get_by_label("Search organisations").fill("food bank")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="1 organisation found").count() == 1
    assert page.get_by_role("table", name="1 organisation found").count() == 1
    assert page.get_by_role("link", name="Leicester Food Bank").count() == 1
    assert page.get_by_label("Search organisations").input_value() == "food bank"
