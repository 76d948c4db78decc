"""No axe-core violation at WCAG 2.2 AA on any page any role can reach, in any state.

The crawl list is the URL permission matrix. For each role: every URL the
matrix says answers that role 200 (and is HTML), the 403 and 404 pages as that
role sees them, and, after confirming the password, the pages allauth keeps
behind that (adding an authenticator and the like). A new page gets a matrix
row before it can ship, so it is checked here without editing this file.

On every page, each POST form with something to fill in is sent back with its
text fields empty, and the page that answers (normally the form again, with
its error summary) is checked too, including that the error summary has focus.
Forms with nothing to fill in ("Sign out", "Withdraw", "Generate codes") are
left alone, so the crawl changes nothing it would later look at.

A failure names the role, the URL, the state, the axe rule and the elements,
for example:

    org_a: 1 problem(s)

    /organisation/edit/ after sending form 1 ("Save changes") empty: label (critical)
      Form elements must have labels
      https://dequeuniversity.com/rules/axe/4.12/label?application=axeAPI
        #id_name: <input type="text" name="name" class="govuk-input" id="id_name">
"""

import time
from urllib.parse import urlparse

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ..conftest import build_world
from ..factories import PASSWORD
from ..permission_matrix import MATRIX, ROLES, Redirect
from ..test_accounts import totp_now
from .conftest import BROWSER_TEST, axe_violations, load_axe, matrix_urls, pages_for, sign_in

pytestmark = BROWSER_TEST

REAUTHENTICATE = Redirect("account_reauthenticate")
# Staff confirm it is them with a code from their authenticator instead.
REAUTHENTICATE_BY_CODE = Redirect("mfa_reauthenticate")

# Marks the POST forms a person fills in, and each one's first submit button,
# so Playwright can find them again. Returns how many it marked. A form counts
# if it has a visible field to type in or choose from; hidden inputs and
# buttons alone do not count.
MARK_FORMS = """() => {
    const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button])'
        + ':not([type=reset]):not([type=image]), textarea, select';
    const visible = (el) => el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden';
    let count = 0;
    for (const form of document.querySelectorAll('form')) {
        if ((form.getAttribute('method') || '').toLowerCase() !== 'post') continue;
        // form.elements includes controls outside the form tied to it by form="id".
        const controls = Array.from(form.elements);
        if (!controls.some((el) => el.matches(FIELD) && visible(el))) continue;
        const submit = controls.find((el) => el.type === 'submit' && visible(el));
        form.dataset.a11yForm = count;
        if (submit) submit.dataset.a11ySubmit = count;
        count += 1;
    }
    return count;
}"""

# None when the page shows no error summary, else whether it has focus (GOV.UK
# Frontend moves focus there so screen reader users hear the errors first).
ERROR_SUMMARY_FOCUSED = """() => {
    const summary = document.querySelector('.govuk-error-summary');
    return summary === null ? null : summary === document.activeElement;
}"""

# Every field a person types into: emptied before the form is sent.
TEXT_FIELDS = (
    "input:not([type]), input[type=text], input[type=email], input[type=password],"
    " input[type=tel], input[type=url], input[type=number], input[type=search],"
    " input[type=date], textarea"
)


def open_page(page, url, expected):
    response = page.goto(url)
    if response is None or response.status != expected:
        got = response.status if response else "no response"
        return [f"{url}: expected {expected}, got {got} (at {page.url})"]
    return []


def send_form_empty(page, url, index):
    """Empty form `index`'s text fields, send it, and check the page that answers."""
    form = page.locator(f"form[data-a11y-form='{index}']")
    for field in form.locator(TEXT_FIELDS).all():
        if field.is_visible() and field.is_editable():
            field.fill("")
    submit = page.locator(f"[data-a11y-submit='{index}']")
    if submit.count() == 0:
        return [f"{url}: form {index + 1} has fields but no visible submit button"]
    label = " ".join(submit.inner_text().split()) or submit.get_attribute("value")
    where = f'{url} after sending form {index + 1} ("{label}") empty'
    try:
        with page.expect_navigation():
            submit.click()
    except PlaywrightTimeoutError:
        # Usually a form without `novalidate`: the browser's own validation
        # bubbles stopped it, and GOV.UK forms must not rely on those.
        return [f"{where}: sending the form did not load a page"]
    problems = axe_violations(page, where)
    if page.evaluate(ERROR_SUMMARY_FOCUSED) is False:
        problems.append(f"{where}: the error summary is shown but does not have focus")
    return problems


def check_page_and_forms(page, url):
    """axe on the page as it opened, then on each of its forms sent back empty."""
    problems = axe_violations(page, url)
    for index in range(page.evaluate(MARK_FORMS)):
        if index:  # sending the previous form left the page: open it afresh
            page.goto(url)
            page.evaluate(MARK_FORMS)
        problems += send_form_empty(page, url, index)
    return problems


def reauthenticate(page, user):
    """Confirm it is them, as allauth asks before security changes (staff by code)."""
    if user.must_use_two_factor:
        # A code typed in the last moments of its 30 seconds may reach the server in
        # the next: wait for a fresh period, as a person would for a new code.
        left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
        if left < 5:
            time.sleep(left + 0.5)
        url, field, answer = reverse("mfa_reauthenticate"), "#id_code", totp_now()
    else:
        url, field, answer = reverse("account_reauthenticate"), "#id_password", PASSWORD
    page.goto(url)
    page.locator(field).fill(answer)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert urlparse(page.url).path != url, f"confirming it is them at {url} failed"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_form_error_state_passes_axe(context, page, live_server, role):
    world = build_world()
    sign_in(context, live_server, world.user_for(role))
    load_axe(context)
    urls = matrix_urls(world)
    pages = list(pages_for(role, urls))
    assert pages, f"the matrix gives {role} no page: this test would check nothing"

    problems = []
    for url, expected in pages:
        problems += open_page(page, url, expected)
        problems += check_page_and_forms(page, url)

    # Pages allauth shows only after people confirm it is them again (adding
    # an authenticator, recovery codes): the matrix records the redirect.
    behind_reauthentication = [
        url
        for name, url in urls.items()
        if MATRIX[name].get[role] in (REAUTHENTICATE, REAUTHENTICATE_BY_CODE)
    ]
    if behind_reauthentication:
        reauthenticate(page, world.user_for(role))
    reauthentication_pages = {reverse("account_reauthenticate"), reverse("mfa_reauthenticate")}
    for url in behind_reauthentication:
        page.goto(url)
        # Some only ever send this role to a page that asks who they are
        # (reauthenticating with a code needs an authenticator); that page was
        # checked above.
        if urlparse(page.url).path not in reauthentication_pages:
            problems += check_page_and_forms(page, url)

    assert not problems, f"{role}: {len(problems)} problem(s)\n\n" + "\n\n".join(problems)


def test_the_too_many_wrong_codes_page_passes_axe(context, page, live_server):
    """The page that ends a sign-in after five wrong codes (status 429)."""
    world = build_world()
    load_axe(context)
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(world.officer.email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    for _ in range(5):
        page.locator("#id_code").fill("000000")
        with page.expect_navigation():
            # The first button sends the code; the second cancels the sign-in.
            page.locator("main button[type=submit]").first.click()
    assert page.locator("h1").inner_text() == "Too many wrong codes"
    problems = axe_violations(page, "the too-many-wrong-codes page")
    assert not problems, "\n\n".join(problems)
