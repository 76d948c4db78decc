"""The register and the queue of applications: searched, paged, one reverse() a page."""

import pytest
from django.urls import reverse

from organisations import listing

from ..conftest import client_for
from ..factories import PackageFactory, ProviderFactory
from .factories import CertificateFactory, PackageApplicationFactory

pytestmark = pytest.mark.django_db
REGISTER = reverse("providers:officer_register")
QUEUE = reverse("providers:officer_queue")


def provider_names(response) -> list[str]:
    return [row[0].name for row in response.context["rows"]]


def get(world, url, **params):
    return client_for(world.officer).get(url, params)


def test_the_register_shows_approvals_waiting_applications_and_lapses(world):
    provider = ProviderFactory(name="Able Training")
    package = PackageFactory(name="Finance health check")
    PackageApplicationFactory(provider=provider, package=package, status="approved")
    PackageApplicationFactory(provider=provider, status="submitted")
    PackageApplicationFactory(provider=provider, status="submitted")
    response = get(world, REGISTER, q="able")
    [(found, url, approvals, waiting, lapsed)] = response.context["rows"]
    assert found == provider
    assert url == reverse("providers:officer_provider", args=[provider.pk])
    assert [a.package for a in approvals] == [package]
    assert waiting == 2
    assert lapsed  # no certificates at all
    content = response.content.decode()
    assert "1 provider found" in content
    assert "Lapsed" in content and "Finance health check" in content


def test_a_provider_with_its_certificates_has_not_lapsed(world):
    provider = ProviderFactory(name="Covered Ltd")
    for kind in ("pi", "pl"):
        CertificateFactory(provider=provider, kind=kind)
    [(_, _, _, _, lapsed)] = get(world, REGISTER, q="Covered").context["rows"]
    assert not lapsed


def test_an_exact_company_number_comes_first_then_the_closest_names(world):
    ProviderFactory(name="Finance Friends 01234567")
    ProviderFactory(name="Zed Consulting", company_number="01234567")
    ProviderFactory(name="Finance Training Co")
    ProviderFactory(name="Refinance Partners")
    assert provider_names(get(world, REGISTER, q="1234567")) == [
        "Zed Consulting",
        "Finance Friends 01234567",
    ]
    assert provider_names(get(world, REGISTER, q="finance"))[-1] == "Refinance Partners"
    assert provider_names(get(world, REGISTER, q="Zed@Example.org")) == []


def test_a_contact_email_typed_in_full_finds_the_provider(world):
    ProviderFactory(name="Zed Consulting", contact_email="hello@zed.example")
    assert provider_names(get(world, REGISTER, q="Hello@Zed.example")) == ["Zed Consulting"]


def test_a_misspelt_name_shows_names_like_it(world):
    ProviderFactory(name="Governance Matters")
    response = get(world, REGISTER, q="Govrnance")
    assert response.context["similar"] is True
    assert provider_names(response) == ["Governance Matters"]
    assert "No providers match ‘Govrnance’. 1 has a name like it:" in response.content.decode()


def test_a_register_search_with_no_match_says_so(world):
    content = get(world, REGISTER, q="xyzzy").content.decode()
    assert "No providers found" in content
    assert "No providers match ‘xyzzy’." in content


def test_the_register_pages_carry_the_search(world):
    ProviderFactory.create_batch(listing.PAGE_SIZE + 2, name="Finance coach")
    content = get(world, REGISTER, q="finance").content.decode()
    assert 'href="?q=finance&amp;page=2"' in content
    assert len(get(world, REGISTER, q="finance", page=2).context["rows"]) == 2


def test_the_queue_is_oldest_first_and_searchable_by_provider_or_package(world):
    able = PackageApplicationFactory(
        status="submitted", provider__name="Able Training", package__name="Governance review"
    )
    baker = PackageApplicationFactory(
        status="submitted", provider__name="Baker Consulting", package__name="Finance review"
    )
    PackageApplicationFactory(status="draft", provider__name="Able Drafts")
    assert [a for a, _, _ in get(world, QUEUE).context["rows"]] == [able, baker]
    assert [a for a, _, _ in get(world, QUEUE, q="able").context["rows"]] == [able]
    assert [a for a, _, _ in get(world, QUEUE, q="finance").context["rows"]] == [baker]
    content = get(world, QUEUE, q="nobody").content.decode()
    assert "0 applications found" in content
    assert "No applications match ‘nobody’." in content


def test_each_queue_row_links_to_the_application(world):
    application = PackageApplicationFactory(status="submitted")
    response = get(world, QUEUE)
    [(_, url, days)] = response.context["rows"]
    assert url == reverse("providers:officer_application", args=[application.pk])
    assert f'href="{url}"' in response.content.decode()
    assert days == 2
