"""The public search and an opportunity's public page: open to everyone, published and open
opportunities only; each filter narrows as it says; each bad value gets its own message
and is kept in its box; pages keep the filters; the queries are the same however many
opportunities there are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import PriorityTheme
from volunteering.models import Opportunity
from volunteering.services import close_opportunity, send_back_opportunity

from ..conftest import assert_constant_queries, client_for, count_queries
from .search_support import copies, live, search_url, text_of
from .support import broker_for, drafted, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def anyone(client):
    """A member of the public, signed out."""
    return client


def _titles(response) -> list[str]:
    return [o.title for o in response.context["page"]]


# --------------------------------------------------------------- who sees what


def test_the_public_see_published_open_opportunities_only(world, broker, anyone):
    shown = live(world, broker, "Befriender")
    drafted(world, title="A draft")
    submitted(world, title="Waiting for the check")
    send_back_opportunity(
        opportunity=submitted(world, title="Sent back"), by=broker, reason="Say which days."
    )
    close_opportunity(
        opportunity=live(world, broker, "Filled"), reason="filled", by=world.org_a_member
    )
    lapsed = live(world, broker, "Past its closing date")
    Opportunity.objects.filter(pk=lapsed.pk).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    response = anyone.get(search_url())
    assert _titles(response) == [shown.title]
    page = text_of(response)
    assert "1 opportunity" in page and "Organisation A" in page


@pytest.mark.parametrize("role", ["org_a", "org_b", "provider", "officer", "manager"])
def test_everyone_signed_in_sees_the_same_search(world, broker, role):
    live(world, broker, "Befriender")
    response = client_for(world.user_for(role)).get(search_url())
    assert _titles(response) == ["Befriender"]


@pytest.mark.parametrize("state", ["draft", "submitted", "sent back", "closed", "lapsed"])
def test_an_opportunity_the_public_may_not_see_is_not_found_by_anyone(world, broker, state):
    if state == "draft":
        opportunity = drafted(world)
    elif state == "submitted":
        opportunity = submitted(world)
    elif state == "sent back":
        opportunity = send_back_opportunity(
            opportunity=submitted(world), by=broker, reason="Say which days."
        )
    elif state == "closed":
        opportunity = close_opportunity(
            opportunity=live(world, broker, "Closed"), reason="withdrawn", by=world.org_a_member
        )
    else:
        opportunity = live(world, broker, "Lapsed")
        Opportunity.objects.filter(pk=opportunity.pk).update(
            ends_on=timezone.localdate() - timedelta(days=1)
        )
    url = reverse("volunteering:public_opportunity", args=[opportunity.pk])
    for user in (None, world.org_a_admin, broker, world.manager):
        assert client_for(user).get(url).status_code == 404, (state, user)


def test_an_opportunity_that_does_not_exist_is_not_found(anyone):
    assert anyone.get(reverse("volunteering:public_opportunity", args=[99999])).status_code == 404


def test_the_public_page_says_what_where_when_who_and_how_to_say_you_are_interested(
    world, broker, anyone
):
    opportunity = live(
        world,
        broker,
        "Young people's panel member",
        skills_wanted="Good listener",
        minimum_age=16,
        suitable_for_under_18=True,
        safeguarding_policy=True,
        dbs_needed=False,
        expenses_paid=True,
        accessibility="Step-free entrance and a hearing loop.",
        remote=True,
    )
    url = reverse("volunteering:public_opportunity", args=[opportunity.pk])
    response = anyone.get(url)
    page = text_of(response)
    for words in (
        "Young people's panel member",
        "Organisation A",
        "Visit an older person once a week",
        "Good listener",
        "Listening",
        "LE1, or remotely",
        "Venue postcode: LE1 6ZG",
        "Regular, 2.5 hours a week",
        "16 and over",
        "DBS check Not needed",
        "Expenses Paid",
        "Step-free entrance and a hearing loop.",
        "To say you are interested, create a volunteer account",
    ):
        assert words in page, words
    html = response.content.decode()
    # Signed out: through an account to the interest page (which asks a new volunteer for
    # their details first).
    interest = reverse("volunteering:interest_create", args=[opportunity.pk])
    assert f'href="{reverse("account_signup")}?next={interest}"' in html
    assert f'href="{reverse("account_login")}?next={interest}"' in html


def test_a_signed_in_person_goes_from_the_public_page_to_say_they_are_interested(world, broker):
    opportunity = live(world, broker, "Befriender")
    page = client_for(world.outsider).get(
        reverse("volunteering:public_opportunity", args=[opportunity.pk])
    )
    interest = reverse("volunteering:interest_create", args=[opportunity.pk])
    assert f'href="{interest}"' in page.content.decode()


def test_a_role_not_said_to_suit_under_18s_is_for_adults_on_its_page(world, broker, anyone):
    opportunity = live(world, broker, "Driver", minimum_age=18, dbs_needed=True)
    page = text_of(anyone.get(reverse("volunteering:public_opportunity", args=[opportunity.pk])))
    assert "Age 18 and over" in page
    assert "Needed. The organisation will arrange it." in page


def test_signed_out_visitors_find_the_search_from_the_header_and_the_start_page(anyone):
    search = f'href="{reverse("volunteering:search")}"'
    assert search in anyone.get(reverse("packages:menu")).content.decode()
    assert anyone.get(reverse("start")).content.decode().count(search) == 2


def test_the_pages_answer_only_get(world, broker, anyone):
    opportunity = live(world, broker, "Befriender")
    assert anyone.post(search_url()).status_code == 405
    url = reverse("volunteering:public_opportunity", args=[opportunity.pk])
    assert anyone.post(url).status_code == 405


# --------------------------------------------------------------- each filter


@pytest.fixture
def themes():
    return list(PriorityTheme.objects.order_by("pk")[:2])


def test_the_theme_filter_keeps_the_themes_ticked(world, broker, anyone, themes):
    live(world, broker, "First", theme=themes[0])
    live(world, broker, "Second", theme=themes[1])
    assert _titles(anyone.get(search_url(theme=themes[1].slug))) == ["Second"]
    both = anyone.get(search_url(theme=[themes[0].slug, themes[1].slug]))
    assert sorted(_titles(both)) == ["First", "Second"]


@pytest.mark.parametrize("typed", ["LE2", "le2", " le 2 ", "LE2 1AB", "le21ab"])
def test_the_district_filter_takes_a_district_or_a_full_postcode(world, broker, anyone, typed):
    live(world, broker, "In LE1", venue_postcode="LE1 6ZG")
    live(world, broker, "In LE2", venue_postcode="LE2 1AB")
    assert _titles(anyone.get(search_url(district=typed))) == ["In LE2"]


def test_the_remote_filter_keeps_roles_that_can_be_done_remotely(world, broker, anyone):
    live(world, broker, "At the venue")
    live(world, broker, "From home", remote=True, venue_postcode="")
    assert _titles(anyone.get(search_url(remote="on"))) == ["From home"]
    page = text_of(anyone.get(search_url(remote="on")))
    assert "Where Remotely" in page


def test_the_how_often_filter_keeps_the_schedules_ticked(world, broker, anyone):
    soon = timezone.localdate() + timedelta(days=10)
    live(world, broker, "Weekly")
    live(world, broker, "Once", schedule="one_off", hours_a_week=None, one_off_date=soon,
         ends_on=soon)  # fmt: skip
    live(world, broker, "Whenever", schedule="flexible", hours_a_week=None)
    assert _titles(anyone.get(search_url(schedule="one_off"))) == ["Once"]
    both = anyone.get(search_url(schedule=["regular", "flexible"]))
    assert sorted(_titles(both)) == ["Weekly", "Whenever"]


def test_the_hours_filter_keeps_regular_roles_within_the_hours_and_every_other(
    world, broker, anyone
):
    live(world, broker, "Two hours", hours_a_week="2")
    live(world, broker, "Five hours", hours_a_week="5")
    live(world, broker, "Whenever", schedule="flexible", hours_a_week=None)
    assert sorted(_titles(anyone.get(search_url(hours="3")))) == ["Two hours", "Whenever"]
    assert sorted(_titles(anyone.get(search_url(hours="5")))) == [
        "Five hours",
        "Two hours",
        "Whenever",
    ]


def test_the_under_18_filter_keeps_roles_for_16_and_17_year_olds(world, broker, anyone):
    young = {"minimum_age": 16, "suitable_for_under_18": True, "safeguarding_policy": True}
    live(world, broker, "Adults", minimum_age=18)
    live(world, broker, "From 16", **young)
    assert _titles(anyone.get(search_url(under_18="on"))) == ["From 16"]
    assert "From age 16" in text_of(anyone.get(search_url(under_18="on")))


def test_the_no_dbs_filter_keeps_roles_without_a_dbs_check(world, broker, anyone):
    live(world, broker, "Needs a check", dbs_needed=True)
    live(world, broker, "No check", dbs_needed=False)
    assert _titles(anyone.get(search_url(no_dbs="on"))) == ["No check"]


def test_filters_combine_and_can_be_cleared(world, broker, anyone, themes):
    live(world, broker, "Garden helper", theme=themes[0], dbs_needed=False)
    live(world, broker, "Garden driver", theme=themes[0], dbs_needed=True)
    live(world, broker, "Garden visitor", theme=themes[1], dbs_needed=False)
    response = anyone.get(search_url(q="garden", theme=themes[0].slug, no_dbs="on"))
    assert _titles(response) == ["Garden helper"]
    # The link clears the filters and keeps the keywords.
    assert 'href="?q=garden">Clear filters' in response.content.decode()


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ({"district": "Leicester"}, "Enter a postcode district, like LE2", 'value="Leicester"'),
        ({"hours": "three"}, "Enter the hours a week as a number, like 3", 'value="three"'),
        ({"hours": "NaN"}, "Enter the hours a week as a number, like 3", 'value="NaN"'),
        ({"hours": "0"}, "Enter at least half an hour (0.5) a week", 'value="0"'),
        ({"hours": "200"}, "A week has 168 hours: enter 168 or fewer", 'value="200"'),
        ({"theme": "not-a-theme"}, "Select themes from the list", None),
        ({"schedule": "daily"}, "Select one-off, regular or flexible", None),
        ({"q": "x" * 101}, "Keywords must be 100 characters or fewer", 'value="' + "x" * 101),
    ],
)
def test_each_bad_value_gets_its_own_message_and_is_kept(
    world, broker, anyone, query, message, kept
):
    live(world, broker, "Befriender")
    response = anyone.get(search_url(**query))
    page = text_of(response)
    assert page.startswith("Error: ")  # the title says so first
    assert "There is a problem" in page and message in page
    if kept:
        assert kept in response.content.decode()
    # The other filters (none here) still apply: the opportunity is shown.
    assert _titles(response) == ["Befriender"]


def test_a_bad_value_leaves_the_other_filters_working(world, broker, anyone):
    live(world, broker, "Needs a check", dbs_needed=True)
    live(world, broker, "No check", dbs_needed=False)
    response = anyone.get(search_url(no_dbs="on", hours="lots"))
    assert "Enter the hours a week as a number" in text_of(response)
    assert _titles(response) == ["No check"]


@pytest.mark.parametrize(
    "typed", ["%00", "gard%00en", "%E2%80%8Bgarden", "ｇａｒｄｅｎ", '"garden', "-", "!!"]
)
def test_odd_keywords_never_fail(world, broker, anyone, typed):
    live(world, broker, "Garden helper")
    response = anyone.get(search_url(q=typed))
    assert response.status_code == 200


def test_invisible_and_full_width_characters_are_read_plainly(world, broker, anyone):
    live(world, broker, "Garden helper")
    assert _titles(anyone.get(search_url(q="%E2%80%8Bｇａｒｄｅｎ"))) == ["Garden helper"]


def test_a_page_that_is_not_a_number_or_past_the_end_is_the_first_or_the_last(
    world, broker, anyone
):
    copies(live(world, broker, "Befriender"), 24)
    assert anyone.get(search_url(page="two")).context["page"].number == 1
    assert anyone.get(search_url(page="99")).context["page"].number == 2


# --------------------------------------------------------------- nothing found


def test_no_results_say_what_to_try(world, broker, anyone):
    live(world, broker, "Befriender")
    page = text_of(anyone.get(search_url(q="astronaut")))
    assert "0 opportunities matching ‘astronaut’" in page
    assert "No published opportunities match ‘astronaut’." in page
    assert "checking the spelling" in page and "See every opportunity" in page
    page = text_of(anyone.get(search_url(q="astronaut", remote="on")))
    assert "match ‘astronaut’ with these filters" in page and "removing some filters" in page


def test_with_nothing_published_the_page_says_so(anyone):
    page = text_of(anyone.get(search_url()))
    assert "There are no published opportunities at the moment" in page


# --------------------------------------------------------------- pages and queries


def test_pages_keep_the_search_and_filters(world, broker, anyone):
    copies(live(world, broker, "Garden helper", dbs_needed=False), 24)
    response = anyone.get(search_url(q="garden", no_dbs="on"))
    page = text_of(response)
    assert "25 opportunities matching ‘garden’" in page and "Page 1 of 2" in page
    assert len(response.context["page"]) == 20
    assert 'href="?q=garden&amp;no_dbs=on&amp;page=2"' in response.content.decode()
    second = anyone.get(search_url(q="garden", no_dbs="on", page=2))
    assert len(second.context["page"]) == 5
    assert "(page 2 of 2)" in text_of(second)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The themes (the checkboxes, and what a chosen one is checked against), the count
        # and the page (organisation and theme joined in).
        ({}, 3),
        ({"q": "older", "district": "LE1", "hours": "3", "no_dbs": "on"}, 3),
        ({"q": "older", "theme": "THEME", "schedule": "regular", "remote": ""}, 3),
    ],
)
def test_the_search_reads_the_same_queries_however_many_opportunities(
    world, broker, anyone, query, expected
):
    first = live(world, broker, "Befriender", dbs_needed=False)
    if query.get("theme"):
        query = query | {"theme": first.theme.slug}
    url = search_url(**query)

    def more(count):
        if count:
            copies(first, count)

    assert assert_constant_queries(more, lambda: anyone.get(url), small=0, large=50) == expected
    assert anyone.get(url).context["page"].paginator.count == 51


def test_the_public_page_reads_one_query(world, broker, anyone):
    opportunity = live(world, broker, "Befriender")
    url = reverse("volunteering:public_opportunity", args=[opportunity.pk])
    anyone.get(url)
    with count_queries() as queries:
        assert anyone.get(url).status_code == 200
    assert len(queries) == 1  # the opportunity with its organisation and theme
