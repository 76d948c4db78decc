"""No axe-core violation on the delivery pages in every state the journey passes through.

The crawl in test_accessibility.py opens each delivery URL once, in one state.
These pages change with the package's state (what is shown, which buttons and
forms appear), so here each is opened in every state, as each person who can
see it: the organisation's package page (its administrator and an officer) and
the provider's request page, from agreed (after a decline and a withdrawal) to
paid; the provider's list of requests with one in every group; the choose page
with providers, filtered to none, and for a package no provider is approved
for; a provider's profile with ratings; the confirm, dispute and send-request
forms with their errors; and an officer's claim page with each form's error.

A form sent with an error must answer with the error summary, naming the
error, with focus on the summary. The axe runner and options are the crawl's
(`axe_violations` in conftest.py).
"""

from django.urls import reverse

from allowances.models import AgreedStatus
from delivery import services
from delivery.models import ProviderRequest, RequestStatus

from ..conftest import build_world
from ..delivery.support import make_ready, package_at
from ..factories import AgreedPackageFactory, PackageFactory, ProviderMembershipFactory
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_accessibility import ERROR_SUMMARY_FOCUSED

pytestmark = BROWSER_TEST

S = AgreedStatus
STATES = [
    S.AGREED,
    S.PROVIDER_REQUESTED,
    S.ACCEPTED,
    S.IN_DELIVERY,
    S.DELIVERED,
    S.DISPUTED,
    S.CONFIRMED,
    S.CLAIMED,
    S.PAID,
]


def packages_in_every_state(world) -> dict:
    """Organisation A's packages, one in each state, all with the world's provider.

    The agreed one has been asked twice and is waiting to be asked again: once
    the provider declined, once the organisation withdrew. The paid one's rating
    has the provider's reply.
    """
    packages = {status: package_at(world, status) for status in STATES}
    agreed, admin, message = packages[S.AGREED], world.org_a_admin, "Can you help us?"
    declined = services.request_provider(agreed, provider=world.provider, message=message, by=admin)
    services.decline_request(declined, by=world.provider_user, reason="Fully booked in May.")
    withdrawn = services.request_provider(
        agreed, provider=world.provider, message=message, by=admin
    )
    services.withdraw_request(withdrawn, by=admin)
    paid = packages[S.PAID].provider_requests.get(status=RequestStatus.ACCEPTED)
    services.reply_to_rating(paid.rating, by=world.provider_user, reply="Thank you for having us.")
    for status, package in packages.items():
        package.refresh_from_db()
        assert package.status == status
    return packages


def requests_of(agreed) -> list:
    return list(ProviderRequest.objects.filter(agreed_package=agreed).order_by("id"))


def check(page, url, where):
    """Open `url` and run axe on it: the problems found, each naming `where`."""
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"{where} {url}: expected 200, got {response.status if response else None}"]
    return axe_violations(page, f"{where} {url}")


def send_with_error(page, button, expected_error, where):
    """Send the form whose button reads `button` as it stands; check the error page."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    where = f'{where} {page.url} after "{button}" with an error'
    problems = axe_violations(page, where)
    summary = page.locator(".govuk-error-summary")
    if summary.count() != 1:
        return [*problems, f"{where}: no error summary"]
    if expected_error not in summary.inner_text():
        problems.append(f"{where}: the summary does not say {expected_error!r}")
    if not page.evaluate(ERROR_SUMMARY_FOCUSED):
        problems.append(f"{where}: the error summary does not have focus")
    # Each error links to the one field to correct, which can take the cursor.
    for link in summary.locator("a").all():
        target = link.get_attribute("href")
        found = page.locator(target)
        if found.count() != 1:
            problems.append(f"{where}: the summary links to {target}, found {found.count()} times")
        elif not found.evaluate("el => el.matches('input, textarea, select')"):
            problems.append(f"{where}: the summary links to {target}, which is not a field")
    return problems


def test_the_package_and_request_pages_in_every_state_pass_axe(new_context, live_server):
    world = build_world()
    packages = packages_in_every_state(world)
    people = {"org_a": world.org_a_admin, "officer": world.officer, "provider": world.provider_user}
    pages = {}
    for role, user in people.items():
        context = new_context()
        sign_in(context, live_server, user)
        load_axe(context)
        pages[role] = context.new_page()

    problems = []
    for status, agreed in packages.items():
        package_url = reverse("delivery:package", args=[agreed.pk])
        for role in ("org_a", "officer"):
            problems += check(pages[role], package_url, f"{role}, {status}:")
        for request in requests_of(agreed):
            problems += check(
                pages["provider"],
                reverse("delivery:provider_request", args=[request.pk]),
                f"provider, {status}, request {request.status}:",
            )
    problems += check(
        pages["provider"], reverse("delivery:provider_requests"), "provider, every group:"
    )
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)


def test_choosing_and_the_forms_with_errors_pass_axe(new_context, live_server):
    world = build_world()
    packages = packages_in_every_state(world)
    second = ProviderMembershipFactory(provider__name="Second Provider Ltd")
    agreed = packages[S.AGREED]
    make_ready(second.provider, agreed.package, by=second.user, officer=world.officer)
    unserved = AgreedPackageFactory(
        organisation=world.org_a,
        package=PackageFactory(name="A package no provider delivers"),
        agreed_by=world.manager,
        override_reason="For the accessibility test",
    )

    org = new_context()
    sign_in(org, live_server, world.org_a_admin)
    load_axe(org)
    page = org.new_page()
    problems = []

    # Choosing: with providers (and the decline), filtered to none, none approved.
    choose = reverse("delivery:choose", args=[agreed.pk])
    problems += check(page, choose, "org_a, with providers:")
    if page.locator(".govuk-summary-card").count() != 2:
        problems.append(f"{choose}: expected both providers listed")
    problems += check(page, f"{choose}?provider_type=public_body", "org_a, filtered to none:")
    problems += check(page, reverse("delivery:choose", args=[unserved.pk]), "org_a, none approved:")
    if "No approved provider" not in page.locator("main").inner_text():
        problems.append("the choose page for a package no one delivers does not say so")

    # A provider's profile with its ratings (one replied to), and its request form empty.
    problems += check(
        page,
        reverse("delivery:provider_profile", args=[agreed.pk, world.provider.pk]),
        "org_a, profile with ratings:",
    )
    problems += send_with_error(
        page, "Send request", "Enter a message to the provider", "org_a, profile:"
    )

    # Confirming and disputing a delivered package: each form, then sent empty.
    delivered = packages[S.DELIVERED]
    for name, button, error in (
        ("delivery:confirm", "Confirm delivery", "Choose a rating from 1 to 5"),
        ("delivery:dispute", "Send to the council", "Enter what was not delivered as agreed"),
    ):
        problems += check(page, reverse(name, args=[delivered.pk]), "org_a, delivered:")
        problems += send_with_error(page, button, error, "org_a:")

    # The provider's forms whose errors link to dates and radios.
    provider = new_context()
    sign_in(provider, live_server, world.provider_user)
    load_axe(provider)
    page = provider.new_page()
    for status, name, button, error in (
        (
            S.PROVIDER_REQUESTED,
            "delivery:accept",
            "Accept the request",
            "Enter the planned start date",
        ),
        (
            S.IN_DELIVERY,
            "delivery:log_session",
            "Log the session",
            "Select how the session was delivered",
        ),
    ):
        request = packages[status].provider_requests.get(status__in=["pending", "accepted"])
        problems += check(page, reverse(name, args=[request.pk]), f"provider, {status}:")
        problems += send_with_error(page, button, error, "provider:")

    # The officer's claim page: waiting for a decision, each form's error, and paid.
    officer = new_context()
    sign_in(officer, live_server, world.officer)
    load_axe(officer)
    page = officer.new_page()
    claim = packages[S.CLAIMED].claims.get()
    claim_url = reverse("delivery:claim_detail", args=[claim.pk])
    problems += check(page, claim_url, "officer, claimed:")
    page.locator("#id_amount").fill("")
    problems += send_with_error(page, "Approve claim", "Enter the amount to pay", "officer:")
    page.goto(claim_url)
    page.locator("#id_amount").fill("2,500")
    problems += send_with_error(
        page, "Approve claim", "Only a manager can approve it", "officer, above the value:"
    )
    page.goto(claim_url)
    problems += send_with_error(
        page, "Reject claim", "Enter why the claim is being rejected", "officer:"
    )
    paid_claim = packages[S.PAID].claims.get()
    problems += check(
        page, reverse("delivery:claim_detail", args=[paid_claim.pk]), "officer, paid:"
    )
    problems += check(page, reverse("delivery:claims"), "officer, claims waiting:")

    # The errors changed nothing.
    claim.refresh_from_db()
    delivered.refresh_from_db()
    assert (claim.status, claim.agreed_package.status) == ("submitted", S.CLAIMED)
    assert delivered.status == S.DELIVERED
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
