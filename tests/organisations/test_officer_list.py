"""The officer's list of organisations: a page at a time, searchable, best match first."""

import pytest
from django.db import connection
from django.urls import reverse

from organisations import listing
from organisations.models import Organisation

from ..conftest import client_for
from ..factories import OrganisationFactory
from ..listing import assert_bounded_list

pytestmark = pytest.mark.django_db
URL = reverse("organisations:officer_queue")


def names(response) -> list[str]:
    return [organisation.name for organisation, _ in response.context["rows"]]


def search(world, term, **params):
    return client_for(world.officer).get(URL, {"q": term, **params})


def test_the_list_is_the_same_size_and_queries_at_1_and_200_organisations(world):
    client = client_for(world.officer)
    count = assert_bounded_list(
        lambda n: OrganisationFactory.create_batch(n),
        lambda: client.get(URL),
        page_size=listing.PAGE_SIZE,
    )
    # session, user, TOTP check (staff two-factor middleware); the count for
    # the paginator; the page of organisations.
    assert count == 5


def test_a_search_is_the_same_size_and_queries_at_1_and_200_matches(world):
    client = client_for(world.officer)
    count = assert_bounded_list(
        lambda n: OrganisationFactory.create_batch(n, name="Food bank"),
        lambda: client.get(URL, {"q": "food"}),
        page_size=listing.PAGE_SIZE,
    )
    assert count == 5  # as above: the count and the page are the search's


def test_each_row_links_to_the_officers_view_of_the_organisation(world):
    response = client_for(world.officer).get(URL)
    for organisation, url in response.context["rows"]:
        assert url == reverse("officer_organisation_detail", args=[organisation.pk])
        assert f'href="{url}"' in response.content.decode()


def test_an_exact_charity_number_comes_before_names_containing_it(world):
    OrganisationFactory(name="Friends of 1187654 House", charity_number="1100999")
    OrganisationFactory(name="Zebra Crossing Trust", charity_number="1187654")
    response = search(world, "1187654")
    assert names(response) == ["Zebra Crossing Trust", "Friends of 1187654 House"]


@pytest.mark.parametrize(
    "term, field, value",
    [
        ("01234567", "company_number", "01234567"),
        ("1234567", "company_number", "01234567"),  # typed without its leading zero
        ("sc 012345", "charity_number", "SC012345"),
        ("Hello@Zebra.org", "contact_email", "hello@zebra.org"),
        ("le2 1ab", "postcode", "LE2 1AB"),
    ],
)
def test_an_identifier_typed_in_full_comes_first(world, term, field, value):
    OrganisationFactory(name="Aardvark 01234567 hello@zebra.org.uk LE2 1ABC SC012345")
    OrganisationFactory(name="Zebra Trust", **{"charity_number": None, field: value})
    assert names(search(world, term))[0] == "Zebra Trust"


def test_a_district_finds_the_organisations_in_it_and_no_other(world):
    OrganisationFactory(name="North Group", postcode="LE2 1AB")
    OrganisationFactory(name="South Group", postcode="LE21 1AB")
    assert names(search(world, "le2")) == ["North Group"]
    assert names(search(world, "LE2 1")) == ["North Group"]  # a sector


def test_part_of_a_name_finds_it_and_the_closest_name_comes_first(world):
    OrganisationFactory(name="Leicester Food Bank")
    OrganisationFactory(name="Seafood Social Club")
    OrganisationFactory(name="Knitting Circle")
    assert names(search(world, "food")) == ["Leicester Food Bank", "Seafood Social Club"]
    assert names(search(world, "ood ban")) == ["Leicester Food Bank"]


def test_a_misspelt_name_finds_names_like_it_and_says_so(world):
    OrganisationFactory(name="Leicester Food Bank")
    OrganisationFactory(name="Knitting Circle")
    for term in ["Leicestr food", "leicester foodbank"]:
        response = search(world, term)
        assert response.context["similar"] is True
        assert names(response) == ["Leicester Food Bank"]
        content = response.content.decode()
        assert "No organisations found" in content
        assert f"No organisations match ‘{term}’. 1 has a name like it:" in content


def test_a_contact_email_is_found_typed_in_full_in_any_case(world):
    OrganisationFactory(name="Knitting Circle", contact_email="info@woolly.org.uk")
    assert names(search(world, "Info@Woolly.org.uk")) == ["Knitting Circle"]
    assert names(search(world, "info@woolly")) == []


def test_without_trigrams_as_on_sqlite_it_matches_and_ranks_plainly(world, monkeypatch):
    monkeypatch.setattr(listing, "uses_trigrams", lambda queryset: False)
    OrganisationFactory(name="Seafood Social Club")
    OrganisationFactory(name="Food Bank", charity_number="1199999")
    OrganisationFactory(name="Food For All")
    OrganisationFactory(name="Zebra Trust", charity_number="1187654")
    OrganisationFactory(name="Leicester Lunch Club")
    assert names(search(world, "food")) == ["Food Bank", "Food For All", "Seafood Social Club"]
    assert names(search(world, "1187654")) == ["Zebra Trust"]
    response = search(world, "Leicestr")
    assert (names(response), response.context["similar"]) == ([], True)  # nothing is "similar"


def test_a_search_with_no_match_says_so_and_offers_the_whole_list(world):
    response = search(world, "no such group")
    content = response.content.decode()
    assert response.context["rows"] == []
    assert "No organisations found" in content
    assert "No organisations match ‘no such group’." in content
    assert '<a class="govuk-link" href="?">Show all organisations</a>' in content


def test_the_count_is_a_heading_and_the_search_field_has_its_label(world):
    content = search(world, "Organisation").content.decode()
    assert '<h2 class="govuk-heading-m" id="results">' in content
    assert "2 organisations found" in content  # A and B of the standard cast
    assert '<label class="govuk-label govuk-label--s" for="search-q">Search organisations' in (
        content
    )
    assert 'value="Organisation"' in content


def test_the_pages_carry_the_search(world):
    OrganisationFactory.create_batch(listing.PAGE_SIZE + 5, name="Food bank")
    OrganisationFactory.create_batch(3, name="Knitting circle")
    first = search(world, "food")
    content = first.content.decode()
    assert first.context["page"].paginator.count == listing.PAGE_SIZE + 5
    assert 'href="?q=food&amp;page=2"' in content
    assert 'Next<span class="govuk-visually-hidden"> page</span>' in content
    second = search(world, "food", page=2)
    assert len(second.context["rows"]) == 5
    assert 'href="?q=food&amp;page=1"' in second.content.decode()


def test_a_page_past_the_end_shows_the_last(world):
    OrganisationFactory.create_batch(listing.PAGE_SIZE + 1)
    response = client_for(world.officer).get(URL, {"page": "99"})
    assert response.context["page"].number == 2


@pytest.mark.parametrize(
    "term, index",
    [
        ("food", "organisation_name_trgm"),
        ("1187654", "organisations_organisation_charity_number"),
        ("01187654", "organisations_organisation_company_number"),
        ("hello@zebra.org", "organisation_email_upper"),
        ("LE2 1AB", "organisation_postcode_like"),
        ("LE2 1", "organisation_postcode_like"),
        ("LE2", "organisations_organisation_postcode_district"),
    ],
)
def test_every_condition_of_the_search_can_be_answered_from_an_index(world, term, index):
    """With sequential scans made (almost) unthinkable, the plan reads only indexes.

    A table this small is scanned anyway: this checks that each condition's
    expression is one an index holds, so the planner has the choice at 30,000
    rows (a search there takes 2-20 ms through them, 200 ms and more without).
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for queryset in (Organisation.objects.search(term), Organisation.objects.similar_to(term)):
        plan = queryset.explain()
        assert "Seq Scan" not in plan, plan
    assert index in Organisation.objects.search(term).explain()
    assert "organisation_name_trgm" in Organisation.objects.similar_to(term).explain()


def test_the_whole_list_is_read_in_name_order_from_an_index(world):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Organisation.objects.order_by("name", "pk")[:50].explain()
    assert "organisation_name_order" in plan and "Sort" not in plan, plan
