"""Managers grant the broker role to a provider's person, by email address, and revoke it;
each refusal keeps what was typed and changes nothing."""

import re
from html import unescape

import pytest
from django.urls import reverse

from volunteering.models import Broker

from ..conftest import assert_constant_queries
from .support import broker_for

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def test_a_manager_makes_a_providers_person_a_broker(world, manager_client):
    response = manager_client.post(_url("brokers"), {"email": "PROVIDER@example.org"})
    assert response.status_code == 302
    grant = Broker.objects.live().get()
    assert (grant.user, grant.provider, grant.granted_by) == (
        world.provider_user,
        world.provider,
        world.manager,
    )
    assert "provider@example.org" in _page(manager_client.get(_url("brokers")))


def test_someone_who_acts_for_no_provider_is_refused_and_kept(world, manager_client):
    response = manager_client.post(_url("brokers"), {"email": "a@example.org"})
    page = _page(response)
    assert "There is nobody acting for a provider with this email address" in page
    assert 'value="a@example.org"' in response.content.decode()
    assert not Broker.objects.exists()


def test_a_second_grant_is_refused_by_the_service_and_kept(world, manager_client):
    broker_for(world.provider, world.manager, user__email="broker@example.org")
    response = manager_client.post(_url("brokers"), {"email": "broker@example.org"})
    page = _page(response)
    assert "is already a broker. Nothing was changed." in page
    assert 'value="broker@example.org"' in response.content.decode()
    assert Broker.objects.count() == 1


def test_a_manager_revokes_the_role_and_the_row_is_kept(world, manager_client):
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")
    grant = Broker.objects.get(user=broker)
    assert "Stop broker@example.org being a broker?" in _page(
        manager_client.get(_url("broker_revoke", grant.pk))
    )
    response = manager_client.post(_url("broker_revoke", grant.pk))
    assert response.status_code == 302 and response.url == _url("brokers")
    grant.refresh_from_db()
    assert grant.revoked_by == world.manager and not grant.is_live
    assert manager_client.get(_url("broker_revoke", grant.pk)).status_code == 404


def test_officers_may_not_grant_the_role(world, officer_client):
    response = officer_client.post(_url("brokers"), {"email": "provider@example.org"})
    assert response.status_code == 403
    assert not Broker.objects.exists()


def test_the_list_reads_the_same_queries_however_many_brokers(world, manager_client):
    def make_rows(n):
        for _ in range(n):
            broker_for(world.provider, world.manager)

    # Session, user, the second-factor check, the count and the page (person and provider
    # joined).
    count = assert_constant_queries(make_rows, lambda: manager_client.get(_url("brokers")))
    assert count == 5


def test_the_managers_home_page_links_to_the_brokers(manager_client):
    assert _url("brokers") in manager_client.get(reverse("home")).content.decode()
