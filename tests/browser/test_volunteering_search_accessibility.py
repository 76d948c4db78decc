"""No axe-core violation on the public search of opportunities and an opportunity's public
page, signed out, at a desktop width and on a 320 px wide screen (where nothing may scroll
sideways): the search with results, searched and filtered through the form (the filters
kept on the next page), with no results, and with a filter error (the summary focused, its
links going to the fields); an opportunity's page.
"""

from django.urls import reverse

from ..conftest import build_world
from ..volunteering.search_support import copies, live
from ..volunteering.support import broker_for
from .conftest import BROWSER_TEST, axe_violations, load_axe
from .test_accessibility import ERROR_SUMMARY_FOCUSED
from .test_delivery_accessibility import send_with_error
from .test_voice_accessibility import both, narrow_problems

pytestmark = BROWSER_TEST

SEARCH = reverse("volunteering:search")


def _summary_links_to_fields(page, where):
    problems = []
    summary = page.locator(".govuk-error-summary")
    if summary.count() != 1:
        return [f"{where}: no error summary"]
    if not page.evaluate(ERROR_SUMMARY_FOCUSED):
        problems.append(f"{where}: the error summary does not have focus")
    for link in summary.locator("a").all():
        target = link.get_attribute("href")
        if page.locator(target).count() != 1:
            problems.append(f"{where}: the summary links to {target}, which is not on the page")
    return problems


def test_the_public_search_and_an_opportunity_pass_axe_at_every_width(new_context, live_server):
    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")
    young = {"minimum_age": 16, "suitable_for_under_18": True, "safeguarding_policy": True}
    garden = live(
        world,
        broker,
        "Community garden volunteer with a rather long title that has to wrap on a phone",
        dbs_needed=False,
        accessibility="Raised beds and a step-free path.",
        **young,
    )
    copies(garden, 24)
    live(world, broker, "Telephone befriender", remote=True, venue_postcode="")
    opportunity = live(world, broker, "Minibus driver", schedule="flexible", hours_a_week=None)

    context = new_context()
    load_axe(context)
    page = context.new_page()
    problems = both(page, SEARCH, "search, with results:")

    # Searched and filtered through the form, as a person would; then the next page.
    page.get_by_label("Keywords").fill("garden")
    page.get_by_label("No DBS check needed").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    if "q=garden" not in page.url or "no_dbs=on" not in page.url:
        problems.append(f"search: the form did not send the keywords and filter ({page.url})")
    problems += axe_violations(page, "search, searched and filtered:")
    problems += narrow_problems(page, "search, searched and filtered")
    with page.expect_navigation():
        page.get_by_role("link", name="Next page").click()
    if "q=garden" not in page.url or "no_dbs=on" not in page.url or "page=2" not in page.url:
        problems.append(f"search: the next page lost the search ({page.url})")
    problems += axe_violations(page, "search, page 2:")

    problems += both(page, f"{SEARCH}?q=astronaut", "search, no results:")

    # A filter error, sent from the form: the summary, focused, links to the field.
    page.goto(SEARCH)
    page.get_by_label("Hours a week you can give, at most").fill("lots")
    problems += send_with_error(
        page, "Apply filters", "Enter the hours a week as a number, like 3", "search:"
    )
    if page.get_by_label("Hours a week you can give, at most").input_value() != "lots":
        problems.append("search: what was typed in the hours box was lost")
    problems += narrow_problems(page, "search, a filter error")
    # Every filter wrong at once, from the address (a theme and a schedule included).
    page.goto(f"{SEARCH}?q={'x' * 101}&theme=nope&district=zz&schedule=daily&hours=0")
    problems += axe_violations(page, "search, every filter wrong:")
    problems += _summary_links_to_fields(page, "search, every filter wrong")
    problems += narrow_problems(page, "search, every filter wrong")

    url = reverse("volunteering:public_opportunity", args=[garden.pk])
    problems += both(page, url, "opportunity, for 16 and 17-year-olds:")
    url = reverse("volunteering:public_opportunity", args=[opportunity.pk])
    problems += both(page, url, "opportunity, flexible:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
