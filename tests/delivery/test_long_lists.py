"""The officer's claim and dispute queues and the organisation's directory of providers: a
page at a time, searchable, the same queries and about the same HTML however long."""

import pytest
from django.urls import reverse

from delivery import services, views_organisation
from organisations import listing

from ..conftest import client_for
from ..listing import assert_bounded_list
from .support import package_at
from .test_pages import _ready_provider

pytestmark = pytest.mark.django_db
CLAIMS = reverse("delivery:claims")
DISPUTES = reverse("delivery:disputes")
# A row here is a package walked through the whole journey: a page of 3 and 8
# rows make the point a page of 50 and 200 would, in a fraction of the time.
SMALL_PAGE = 3


def claim_for(world):
    agreed = package_at(world, "confirmed")
    return services.submit_claim(
        agreed, by=world.provider_user, amount=agreed.value, invoice_reference="INV-1"
    )


def dispute_for(world):
    agreed = package_at(world, "delivered")
    return services.dispute_delivery(agreed, by=world.org_a_admin, reason="Only one session.")


@pytest.mark.parametrize("search", [{}, {"q": "organisation a", "status": "submitted"}])
def test_the_claim_queue_is_the_same_at_1_and_many_claims(world, monkeypatch, search):
    monkeypatch.setattr(listing, "PAGE_SIZE", SMALL_PAGE)
    client = client_for(world.officer)

    def make_rows(n):
        for _ in range(n):
            claim_for(world)

    count = assert_bounded_list(
        make_rows, lambda: client.get(CLAIMS, search), page_size=SMALL_PAGE, large=8
    )
    # session, user, authenticator; the count for the paginator; the page of
    # claims with their providers, packages and organisations.
    assert count == 5


def test_the_dispute_queue_is_the_same_at_1_and_many_disputes(world, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", SMALL_PAGE)
    client = client_for(world.officer)

    def make_rows(n):
        for _ in range(n):
            dispute_for(world)

    count = assert_bounded_list(
        make_rows, lambda: client.get(DISPUTES), page_size=SMALL_PAGE, large=8
    )
    # session, user, authenticator; the count; the page of disputes with the
    # provider, the package and the organisation.
    assert count == 5


def test_a_claim_is_found_by_its_reference_or_the_providers_name(world):
    claim = claim_for(world)
    client = client_for(world.officer)
    for term in (claim.reference, claim.reference.lower(), str(claim.pk), world.provider.name[:6]):
        rows = client.get(CLAIMS, {"q": term}).context["rows"]
        assert [c for c, _ in rows] == [claim], term
    assert client.get(CLAIMS, {"q": "VCS-CLM-999999"}).context["rows"] == []


def test_the_claim_pages_carry_the_status_and_the_search(world, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    first, second = claim_for(world), claim_for(world)
    client = client_for(world.officer)
    response = client.get(CLAIMS, {"status": "submitted", "q": "Organisation A"})
    content = response.content.decode()
    assert 'href="?status=submitted&amp;q=Organisation+A&amp;page=2"' in content
    assert "2 claims, oldest first" in content
    [(claim, url)] = response.context["rows"]
    assert (claim, url) == (first, reverse("delivery:claim_detail", args=[first.pk]))
    page_two = client.get(CLAIMS, {"status": "submitted", "q": "Organisation A", "page": 2})
    assert [c for c, _ in page_two.context["rows"]] == [second]


def test_a_dispute_is_found_by_the_organisations_name(world):
    dispute = dispute_for(world)
    client = client_for(world.officer)
    [(found, url)] = client.get(DISPUTES, {"q": "organisation a"}).context["rows"]
    assert (found, url) == (dispute, reverse("delivery:resolve_dispute", args=[dispute.pk]))
    content = client.get(DISPUTES, {"q": "nobody"}).content.decode()
    assert "0 open disputes found" in content
    assert "No disputes match ‘nobody’." in content


def test_the_directory_is_the_same_at_1_and_many_providers(agreed, org_admin, officer, monkeypatch):
    monkeypatch.setattr(views_organisation, "DIRECTORY_PAGE_SIZE", SMALL_PAGE)
    made = iter(range(1000))
    client = client_for(org_admin)

    def make_rows(n):
        for _ in range(n):
            _ready_provider(agreed.package, officer, next(made))

    count = assert_bounded_list(
        make_rows,
        lambda: client.get(reverse("delivery:choose", args=[agreed.pk])),
        page_size=SMALL_PAGE,
        large=12,
    )
    # session, user, membership; the agreed package; the count for the
    # paginator; the page of providers (with their ratings); the page's areas,
    # languages, approvals and certificates (selectors.with_profile); the
    # declined requests; the filter's areas and languages to choose from; the deadline to
    # choose a provider by (in weeks, so no days off are read)
    assert count == 14


def test_the_directory_finds_a_provider_by_name_and_its_pages_carry_the_filters(
    agreed, org_admin, officer, provider, monkeypatch
):
    monkeypatch.setattr(views_organisation, "DIRECTORY_PAGE_SIZE", 1)
    others = [_ready_provider(agreed.package, officer, n) for n in (1, 2)]
    url = reverse("delivery:choose", args=[agreed.pk])
    client = client_for(org_admin)
    response = client.get(url, {"q": "provider 00"})
    [(found, profile_url, rating)] = response.context["rows"]
    assert found == others[0]
    assert profile_url == reverse("delivery:provider_profile", args=[agreed.pk, found.pk])
    assert rating == "Not yet rated"
    content = response.content.decode()
    assert "2 providers" in content
    assert 'href="?q=provider+00&amp;page=2"' in content
    [(second, _, _)] = client.get(url, {"q": "provider 00", "page": 2}).context["rows"]
    assert second == others[1]
