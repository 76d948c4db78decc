"""Real journeys with the keyboard alone: Tab, Shift+Tab, Enter and Space.

No mouse clicks, and no typing into a field focus has not reached by Tab:
`tab_to` presses Tab until the wanted element has focus (failing if it never
does), and only then does the test type. That proves each control is in the
tab order, in a sensible place, and works from the keyboard.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from ..conftest import build_world
from ..factories import PASSWORD, STAFF_TOTP_SECRET
from ..permission_matrix import ROLES
from .conftest import BROWSER_TEST, axe_violations, matrix_urls, pages_for, sign_in

pytestmark = BROWSER_TEST

# Pressing Tab more often than this without reaching the element means it is
# not in the tab order (or is buried far too deep in it).
MAX_TABS = 40

DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'the page itself';
    return el.outerHTML.slice(0, 160);
}"""


def has_focus(page, selector):
    return page.evaluate("s => document.activeElement?.matches(s) ?? false", selector)


def tab_to(page, selector, key="Tab"):
    """Press Tab (or `key`) until the element matching `selector` has focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if has_focus(page, selector):
            return
    raise AssertionError(
        f"{MAX_TABS} presses of {key} on {page.url} never reached {selector}; "
        f"focus is on {page.evaluate(DESCRIBE_FOCUS)}"
    )


def press_and_wait(page, key):
    """Press `key` on the focused control and wait for the page it loads."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in_with_keyboard(page, email):
    page.goto("/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    # Going back reaches the email field again: the order runs both ways.
    tab_to(page, "#id_login", key="Shift+Tab")
    tab_to(page, "form[action='/accounts/login/'] button[type=submit]")
    press_and_wait(page, "Enter")


def current_totp_code():
    """The code an authenticator app would show now, waiting out the end of a period.

    allauth accepts only the current period's code, so a code read in the last
    seconds of a period could expire before the form is sent.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 5:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // period))


def test_an_officer_signs_in_with_password_and_authenticator_code(page):
    world = build_world()

    sign_in_with_keyboard(page, world.officer.email)
    assert page.url.endswith("/accounts/two-factor/authenticate/"), page.url

    tab_to(page, "#id_code")
    page.keyboard.type(current_totp_code())
    tab_to(page, "form[action='/accounts/two-factor/authenticate/'] button[type=submit]")
    press_and_wait(page, "Space")

    assert page.url.endswith("/home/"), page.url  # the officer's task list


def test_an_organisation_admin_invites_a_colleague(page, mailoutbox):
    world = build_world()

    sign_in_with_keyboard(page, world.org_a_admin.email)
    assert page.url.endswith("/home/"), page.url  # the organisation's task list
    tab_to(page, "main a[href='/organisation/people/']")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/organisation/people/"), page.url

    tab_to(page, "#id_email")
    page.keyboard.type("new.colleague@example.org")
    tab_to(page, "form:has(#id_email) button[type=submit]")
    press_and_wait(page, "Enter")

    banner = page.locator(".govuk-notification-banner--success")
    assert "new.colleague@example.org" in banner.inner_text()
    # A success banner (role="alert") takes focus, so it is read out at once.
    assert has_focus(page, ".govuk-notification-banner--success")
    assert axe_violations(page, "/organisation/people/ after an invitation") == []
    assert [m.to for m in mailoutbox] == [["new.colleague@example.org"]]


def test_the_first_link_on_every_page_skips_to_the_main_content(new_context, live_server):
    # The skip link is the same whoever looks, so each URL is checked once, as
    # the first role (in ROLES order) that can open it.
    world = build_world()
    urls = matrix_urls(world)
    checked, failures = set(), []
    for role in ROLES:
        context = new_context()
        sign_in(context, live_server, world.user_for(role))
        page = context.new_page()
        for url, _ in pages_for(role, urls):
            if url in checked:
                continue
            checked.add(url)
            page.goto(url)
            page.keyboard.press("Tab")
            if not has_focus(page, "a.govuk-skip-link[href='#main-content']"):
                failures.append(f"{role} {url}: first Tab reached {page.evaluate(DESCRIBE_FOCUS)}")
                continue
            if page.evaluate("() => document.querySelector('a[href]') !== document.activeElement"):
                failures.append(f"{role} {url}: the skip link is not the first link on the page")
            page.keyboard.press("Enter")
            if not has_focus(page, "#main-content"):
                focus = page.evaluate(DESCRIBE_FOCUS)
                failures.append(f"{role} {url}: the skip link left focus on {focus}")
        context.close()
    assert checked, "the matrix lists no page: this test would check nothing"
    assert failures == []


def test_sending_the_sign_in_form_empty_moves_focus_to_the_error_summary(page):
    page.goto("/accounts/login/")
    tab_to(page, "form[action='/accounts/login/'] button[type=submit]")
    press_and_wait(page, "Enter")

    assert has_focus(page, ".govuk-error-summary"), page.evaluate(DESCRIBE_FOCUS)
    # The first error links to its field: following it puts the cursor there.
    tab_to(page, ".govuk-error-summary a[href='#id_login']")
    page.keyboard.press("Enter")
    assert has_focus(page, "#id_login"), page.evaluate(DESCRIBE_FOCUS)
