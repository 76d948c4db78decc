"""The officer's queue and the register list run a fixed number of queries."""

import pytest
from django.urls import reverse

from ..conftest import assert_constant_queries, client_for
from ..factories import ProviderFactory
from .factories import CertificateFactory, PackageApplicationFactory

pytestmark = pytest.mark.django_db
# The session, the user, the user's authenticators (the staff two-factor
# middleware), then the page's own queries, named in each test.
REQUEST_QUERIES = 3
QUEUE_QUERIES = REQUEST_QUERIES + 1
REGISTER_QUERIES = REQUEST_QUERIES + 3


def test_the_officer_queue_runs_the_same_queries_at_1_and_50_applications(world):
    client = client_for(world.officer)

    def make(n):
        for _ in range(n):
            PackageApplicationFactory(status="submitted")

    count = assert_constant_queries(make, lambda: client.get(reverse("providers:officer_queue")))
    # one: the submitted applications joined to their providers and packages
    assert count == QUEUE_QUERIES, count


def test_the_register_runs_the_same_queries_at_1_and_50_providers(world):
    client = client_for(world.officer)

    def make(n):
        for _ in range(n):
            provider = ProviderFactory()
            CertificateFactory(provider=provider)
            PackageApplicationFactory(provider=provider, status="approved")
            PackageApplicationFactory(provider=provider, status="submitted")

    count = assert_constant_queries(make, lambda: client.get(reverse("providers:officer_register")))
    # three: the providers with their count of waiting applications; their
    # approvals and suspensions joined to the packages; their certificates
    assert count == REGISTER_QUERIES, count


def test_the_provider_home_runs_the_same_queries_at_1_and_50_applications(world):
    client = client_for(world.provider_user)

    def make(n):
        for _ in range(n):
            PackageApplicationFactory(provider=world.provider, status="approved")

    assert_constant_queries(make, lambda: client.get(reverse("providers:home")))
