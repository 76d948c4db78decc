"""The officer's queue and the register: the same queries and page size at 1 and 200 rows."""

import pytest
from django.urls import reverse

from organisations import listing

from ..conftest import assert_constant_queries, client_for
from ..factories import PackageFactory, ProviderFactory, UserFactory
from ..listing import assert_bounded_list
from .factories import CertificateFactory, PackageApplicationFactory

pytestmark = pytest.mark.django_db
# The session, the user, the user's authenticators (the staff two-factor
# middleware), then the page's own queries, named in each test.
REQUEST_QUERIES = 3
QUEUE_QUERIES = REQUEST_QUERIES + 2
REGISTER_QUERIES = REQUEST_QUERIES + 4


@pytest.mark.parametrize("search", [{}, {"q": "provider"}])
def test_the_officer_queue_is_the_same_at_1_and_200_applications(world, search):
    client = client_for(world.officer)
    package, officer = PackageFactory(), UserFactory()

    def make(n):
        for _ in range(n):
            PackageApplicationFactory(status="submitted", package=package, created_by=officer)

    count = assert_bounded_list(
        make,
        lambda: client.get(reverse("providers:officer_queue"), search),
        page_size=listing.PAGE_SIZE,
    )
    # two: the count for the paginator; the page of applications joined to
    # their providers and packages
    assert count == QUEUE_QUERIES, count


@pytest.mark.parametrize("search", [{}, {"q": "provider"}])
def test_the_register_is_the_same_at_1_and_200_providers(world, search):
    client = client_for(world.officer)
    packages, uploader = PackageFactory.create_batch(2), UserFactory()

    def make(n):
        for _ in range(n):
            provider = ProviderFactory()
            CertificateFactory(provider=provider, uploaded_by=uploader)
            for package, status in zip(packages, ("approved", "submitted"), strict=True):
                PackageApplicationFactory(
                    provider=provider, package=package, status=status, created_by=uploader
                )

    count = assert_bounded_list(
        make,
        lambda: client.get(reverse("providers:officer_register"), search),
        page_size=listing.PAGE_SIZE,
    )
    # four: the count for the paginator; the page of providers; their
    # approved, suspended and waiting applications joined to the packages;
    # their certificates
    assert count == REGISTER_QUERIES, count


def test_the_provider_home_runs_the_same_queries_at_1_and_50_applications(world):
    client = client_for(world.provider_user)

    def make(n):
        for _ in range(n):
            PackageApplicationFactory(provider=world.provider, status="approved")

    assert_constant_queries(make, lambda: client.get(reverse("providers:home")))
