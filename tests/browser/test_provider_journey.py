"""The provider journey end to end, in the browser, as the three people involved drive it.

Organisation A has a package agreed and two providers are approved for it. In
the browser, with the keyboard (Tab to a control, then type, Space or Enter):
the organisation's administrator filters the providers, opens one's profile and
sends it a request; the provider accepts with planned dates, logs a session and
marks the work delivered; the administrator confirms and rates it; the provider
replies to the rating and claims payment (first too much, which the form
refuses, then the agreed value); an officer signs in with an authenticator code
and approves the claim. Then the ledger must show the commitment released and
the claim as spend, the finance CSV must download, and the package must say
"Paid".

Only choosing an option from a <select> uses Playwright's `select_option`: the
keyboard's way (arrow keys on a closed list) differs between platforms.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from allowances.models import AgreedStatus, LedgerEntry, LedgerKind
from allowances.selectors import outstanding_commitment
from delivery.models import Claim, ProviderRequest, Rating
from providers.models import Language

from ..conftest import build_world
from ..delivery.support import make_ready
from ..factories import AgreedPackageFactory, PackageFactory, ProviderMembershipFactory
from .conftest import BROWSER_TEST, axe_violations
from .test_keyboard_journeys import (
    DESCRIBE_FOCUS,
    MAX_TABS,
    current_totp_code,
    has_focus,
    press_and_wait,
    sign_in_with_keyboard,
    tab_to,
)

pytestmark = BROWSER_TEST

S = AgreedStatus

VALUE = Decimal("2000.00")
TOO_MUCH = "The amount you are claiming must be no more than £2,000.00, the value agreed"


FOCUSED_BUTTON_TEXT = """() => {
    const el = document.activeElement;
    return el && el.matches('main button[type=submit]') ? el.innerText.trim() : null;
}"""


def submit(page, button_text):
    """Tab to the submit button reading `button_text` and press Enter on it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_BUTTON_TEXT) == button_text:
            press_and_wait(page, "Enter")
            return
    raise AssertionError(
        f"{MAX_TABS} presses of Tab on {page.url} never reached the {button_text!r} button; "
        f"focus is on {page.evaluate(DESCRIBE_FOCUS)}"
    )


def follow(page, selector):
    """Tab to the link (or link styled as a button) matching `selector` and follow it."""
    tab_to(page, selector)
    press_and_wait(page, "Enter")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def type_date(page, field, day):
    """A GOV.UK date input: day, month and year boxes, in that order."""
    type_into(page, f"#id_{field}_0", str(day.day))
    type_into(page, f"#id_{field}_1", str(day.month))
    type_into(page, f"#id_{field}_2", str(day.year))


def success_banner(page):
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.count() == 1, f"no success banner on {page.url}"
    return " ".join(banner.inner_text().split())


def status_tag(page):
    return page.locator("main .govuk-tag").first.inner_text().strip()


def test_a_provider_is_chosen_delivers_is_rated_and_paid(new_context):
    world = build_world()
    package = PackageFactory(name="Governance health check", value=VALUE)
    agreed = AgreedPackageFactory(
        organisation=world.org_a, package=package, agreed_by=world.officer
    )
    provider = make_ready(world.provider, package, by=world.provider_user, officer=world.officer)
    gujarati = Language.objects.get(name="Gujarati")
    provider.languages.add(gujarati)
    other = ProviderMembershipFactory(
        provider__name="Another Provider Ltd", provider__is_local_vcs=True
    )
    make_ready(other.provider, package, by=other.user, officer=world.officer)
    package_url = reverse("delivery:package", args=[agreed.pk])
    today = timezone.localdate()

    # --- The organisation's administrator chooses a provider and asks it.
    org = new_context().new_page()
    sign_in_with_keyboard(org, world.org_a_admin.email)
    assert org.url.endswith(reverse("home")), org.url
    follow(org, f"main a[href='{reverse('allowances:organisation_packages')}']")
    follow(org, f"main a[href='{reverse('allowances:agreed_package_detail', args=[agreed.pk])}']")
    assert status_tag(org) == S.AGREED.label
    # Straight from the package to its providers, with no page in between.
    follow(org, f"main a[href='{reverse('delivery:choose', args=[agreed.pk])}']")
    assert org.locator("#providers-heading").inner_text() == "2 providers"

    # Local voluntary or community organisations only: one checkbox, ticked with Space.
    tab_to(org, "#id_local_vcs")
    org.keyboard.press("Space")
    submit(org, "Apply filters")
    assert "local_vcs=on" in org.url
    assert org.locator(".govuk-summary-card__title").all_inner_texts() == [other.provider.name]
    tab_to(org, "#id_local_vcs")
    org.keyboard.press("Space")  # unticked again: no filter on it at all

    tab_to(org, "#id_language")
    org.locator("#id_language").select_option(label="Gujarati")
    submit(org, "Apply filters")
    assert f"language={gujarati.pk}" in org.url and "local_vcs" not in org.url
    assert org.locator("#providers-heading").inner_text() == "1 provider"
    assert org.locator(".govuk-summary-card__title").all_inner_texts() == [provider.name]

    profile_url = reverse("delivery:provider_profile", args=[agreed.pk, provider.pk])
    follow(org, f"main a[href='{profile_url}']")
    assert org.locator("h1").inner_text() == provider.name
    type_into(org, "#id_message", "We would like help with our trustees' governance.")
    submit(org, "Send request")
    assert org.url.endswith(reverse("delivery:request_sent", args=[agreed.pk])), org.url
    assert org.locator(".govuk-panel__title").inner_text() == f"Request sent to {provider.name}"
    assert f"{provider.name} has 10 working days to answer, by" in org.locator("main").inner_text()
    assert axe_violations(org, "the request sent confirmation") == []
    follow(org, f"main a[href='{package_url}']")
    assert status_tag(org) == S.PROVIDER_REQUESTED.label

    # --- The provider sees the request, accepts it, delivers and marks it delivered.
    prov = new_context().new_page()
    sign_in_with_keyboard(prov, world.provider_user.email)
    assert prov.url.endswith(reverse("home")), prov.url
    follow(prov, f"a[href='{reverse('delivery:provider_requests')}']")
    new_requests = prov.locator("main").inner_text()
    assert "New requests waiting for your answer" in new_requests
    request = ProviderRequest.objects.get(agreed_package=agreed)
    request_url = reverse("delivery:provider_request", args=[request.pk])
    follow(prov, f"main a[href='{request_url}']")
    assert "We would like help with our trustees' governance." in prov.locator("main").inner_text()

    follow(prov, f"main a[href='{reverse('delivery:accept', args=[request.pk])}']")
    type_date(prov, "planned_start", today)
    type_date(prov, "planned_end", today + timedelta(days=28))
    submit(prov, "Accept the request")
    assert prov.url.endswith(reverse("delivery:accepted", args=[request.pk])), prov.url
    assert prov.locator(".govuk-panel__title").inner_text() == "Request accepted"
    assert "mark it as delivered by" in prov.locator("main").inner_text()
    assert axe_violations(prov, "the request accepted confirmation") == []
    # The confirmation's first link is the next step.

    follow(prov, f"main a[href='{reverse('delivery:log_session', args=[request.pk])}']")
    type_date(prov, "held_on", today)
    type_into(prov, "#id_hours", "2.5")
    tab_to(prov, "input[name=mode]")
    prov.keyboard.press("Space")
    type_into(prov, "#id_topics", "Trustee roles and the annual return.")
    type_into(prov, "#id_attendees", "The chair, the treasurer and two trustees.")
    submit(prov, "Log the session")
    assert "The session has been logged." in success_banner(prov)
    assert status_tag(prov) == S.IN_DELIVERY.label

    follow(prov, f"main a[href='{reverse('delivery:mark_delivered', args=[request.pk])}']")
    type_into(prov, "#id_outcome_summary", "The trustees adopted a governance plan.")
    submit(prov, "Mark as delivered")
    assert prov.url.endswith(reverse("delivery:marked_delivered", args=[request.pk])), prov.url
    assert prov.locator(".govuk-panel__title").inner_text() == "Work marked as delivered"
    assert "They have 4 weeks to do this, by" in prov.locator("main").inner_text()
    assert axe_violations(prov, "the marked delivered confirmation") == []
    follow(prov, f"main a[href='{request_url}']")
    assert status_tag(prov) == S.DELIVERED.label

    # --- The organisation confirms delivery and rates the provider 5.
    org.goto(package_url)
    assert status_tag(org) == S.DELIVERED.label
    follow(org, f"main a[href='{reverse('delivery:confirm', args=[agreed.pk])}']")
    tab_to(org, "input[name=score]")
    org.keyboard.press("Space")  # the first choice: 5 – excellent
    assert org.locator("input[name=score]:checked").get_attribute("value") == "5"
    type_into(org, "#id_comment", "Patient, practical and clear.")
    submit(org, "Confirm delivery")
    assert org.url.endswith(reverse("delivery:confirmed", args=[agreed.pk])), org.url
    assert org.locator(".govuk-panel__title").inner_text() == "Delivery confirmed"
    assert f"{provider.name} can now claim payment" in org.locator("main").inner_text()
    assert axe_violations(org, "the delivery confirmed confirmation") == []
    follow(org, f"main a[href='{package_url}']")
    assert status_tag(org) == S.CONFIRMED.label
    assert "5 out of 5" in org.locator("main").inner_text()

    # --- The provider replies to the rating and claims payment.
    prov.goto(request_url)
    follow(prov, f"main a[href='{reverse('delivery:reply', args=[request.pk])}']")
    type_into(prov, "#id_reply", "Thank you: it was a pleasure to work with your trustees.")
    submit(prov, "Publish your reply")
    assert "Your reply has been published" in success_banner(prov)

    claim_url = reverse("delivery:claim", args=[request.pk])
    follow(prov, f"main a[href='{claim_url}']")
    type_into(prov, "#id_invoice_reference", "FC-2026-017")
    # One bad input on the way: more than the agreed value.
    tab_to(prov, "#id_amount")
    prov.keyboard.press("ControlOrMeta+A")
    prov.keyboard.type("2500")
    submit(prov, "Send the claim")
    assert prov.url.endswith(claim_url), prov.url
    summary = prov.locator(".govuk-error-summary")
    assert TOO_MUCH in summary.inner_text()
    assert has_focus(prov, ".govuk-error-summary"), prov.evaluate(DESCRIBE_FOCUS)
    assert TOO_MUCH in prov.locator(".govuk-error-message").inner_text()  # beside the field
    assert axe_violations(prov, f"{claim_url} with a claim above the value") == []
    assert not Claim.objects.exists()
    assert prov.locator("#id_invoice_reference").input_value() == "FC-2026-017"  # kept
    # The error links to the field: following it puts the cursor there to correct it.
    tab_to(prov, ".govuk-error-summary a[href='#id_amount']")
    prov.keyboard.press("Enter")
    assert has_focus(prov, "#id_amount"), prov.evaluate(DESCRIBE_FOCUS)
    prov.keyboard.press("ControlOrMeta+A")
    prov.keyboard.type("2,000.00")
    submit(prov, "Send the claim")
    claim = Claim.objects.get(agreed_package=agreed)
    assert prov.url.endswith(reverse("delivery:claim_sent", args=[claim.pk])), prov.url
    panel = prov.locator(".govuk-panel").inner_text()
    assert "Payment claim sent" in panel and claim.reference in panel
    assert axe_violations(prov, "the claim sent confirmation") == []
    follow(prov, f"main a[href='{request_url}']")
    assert status_tag(prov) == S.CLAIMED.label

    # --- An officer signs in with an authenticator code and approves the claim.
    off = new_context().new_page()
    sign_in_with_keyboard(off, world.officer.email)
    assert off.url.endswith("/accounts/two-factor/authenticate/"), off.url
    type_into(off, "#id_code", current_totp_code())
    follow(off, "form[action='/accounts/two-factor/authenticate/'] button[type=submit]")
    assert off.url.endswith(reverse("home")), off.url
    follow(off, f"a[href='{reverse('delivery:claims')}']")
    follow(off, f"main a[href='{reverse('delivery:claim_detail', args=[claim.pk])}']")
    assert off.locator("#id_amount").input_value() == "2000.00"  # what was claimed
    submit(off, "Approve claim")
    panel = off.locator(".govuk-panel").inner_text()
    assert "Claim approved" in panel and claim.reference in panel

    # The ledger: the £2,000 committed when the package was agreed was released in
    # full, and the claim is the package's one spend.
    claim.refresh_from_db()
    agreed.refresh_from_db()
    assert (claim.status, claim.amount_paid) == (Claim.Status.APPROVED, VALUE)
    assert agreed.status == AgreedStatus.PAID
    ledger = LedgerEntry.objects.filter(agreed_package=agreed)
    totals = {
        row["kind"]: row["total"] for row in ledger.values("kind").annotate(total=Sum("amount"))
    }
    assert totals == {
        LedgerKind.COMMITMENT: VALUE,
        LedgerKind.RELEASE: VALUE,
        LedgerKind.SPEND: VALUE,
    }
    assert outstanding_commitment(agreed) == Decimal("0.00")
    assert list(ledger.filter(kind=LedgerKind.SPEND).values_list("amount", flat=True)) == [
        claim.amount_paid
    ]
    assert Rating.objects.get(request=request).score == 5

    # The finance download, from the link on the approval's confirmation page.
    csv_link = off.get_by_role("link", name="Download approved claims for the finance system")
    response = off.request.get(csv_link.get_attribute("href"))
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("text/csv")
    body = response.text()
    assert claim.reference in body and provider.name in body and "2000.00" in body
    assert "FC-2026-017" in body  # the provider's invoice reference

    # And the organisation sees the package paid.
    org.goto(package_url)
    assert status_tag(org) == "Paid"
    assert "Thank you: it was a pleasure" in org.locator("main").inner_text()
