"""The public's pages: no account, only published rounds, dates in UK time."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import GrantRound
from grants.rules import london_datetime

from ..conftest import client_for
from ..factories import ManagerFactory
from .factories import CommunityFactory, draft_round, open_round, published_round

pytestmark = pytest.mark.django_db


def public_page(grant_round):
    return client_for(None).get(reverse("grants:public_round", args=[grant_round.pk]))


def test_a_published_round_shows_its_communities_criteria_dates_and_money():
    manager = ManagerFactory()
    grant_round = draft_round(by=manager)
    hindu = CommunityFactory(name="Hindu community", population=50087, population_source="Census")
    services.set_round_communities(grant_round=grant_round, by=manager, communities=[hindu])
    services.publish_round(grant_round=grant_round, by=manager)
    response = public_page(grant_round)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hindu community</strong> (religion or belief)" in page
    assert "50,087 people in the city (Census)" in page
    assert "Opens for applications at <strong>9am on" in page
    assert grant_round.opens_words in page and grant_round.closes_words in page
    assert "Up to £12,000.00, for one representative organisation" in page
    assert "Quarterly instalments" in page
    # Every criterion, with its guidance and, for scored ones, its weight.
    for criterion in grant_round.criteria.all():
        assert criterion.title in page
    assert "Signed up to the Leicester Compact" in page
    assert "Evidence that you have signed up" in page
    assert "out of a total weight of 10" in page
    assert "Weight 1." in page
    assert "Age and disability are not covered." in page
    assert "Learning Disability Partnership, 50+ network" in page


def test_an_open_round_says_until_when():
    page = public_page(open_round()).content.decode()
    assert "Open for applications until <strong>5pm on" in page


@pytest.mark.parametrize("user", [None, "manager"])
def test_a_draft_has_no_public_page_even_for_a_manager(user):
    grant_round = draft_round()
    client = client_for(ManagerFactory() if user else None)
    assert client.get(reverse("grants:public_round", args=[grant_round.pk])).status_code == 404


def test_the_public_list_shows_rounds_open_or_opening_only():
    opening = published_round(name="Opening soon")
    now_open = open_round(name="Open now")
    closed = open_round(name="Closed")
    GrantRound.objects.filter(pk=closed.pk).update(closes_at=timezone.now())
    draft_round(name="A draft")
    gone = open_round(name="Withdrawn")
    services.withdraw_round(grant_round=gone, by=ManagerFactory(), reason="Budget cut")
    response = client_for(None).get(reverse("grants:public_rounds"))
    page = response.content.decode()
    assert [r.name for r in response.context["page"]] == ["Open now", "Opening soon"]
    assert "Open until" in page and "Opens" in page
    assert reverse("grants:public_round", args=[opening.pk]) in page
    assert reverse("grants:public_round", args=[now_open.pk]) in page
    assert "Age and disability are not covered." in page


def test_the_start_page_links_to_the_open_rounds():
    page = client_for(None).get(reverse("start")).content.decode()
    assert reverse("grants:public_rounds") in page


def test_with_no_round_open_the_list_says_so():
    page = client_for(None).get(reverse("grants:public_rounds")).content.decode()
    assert "No round is open at the moment." in page


def test_winter_dates_show_in_greenwich_mean_time():
    manager = ManagerFactory()
    year = timezone.localdate().year + 1
    grant_round = draft_round(
        by=manager,
        communities=1,
        opens_at=london_datetime(datetime(year, 1, 4).date(), time(10)),
        closes_at=london_datetime(datetime(year, 2, 1).date(), time(0)),
        period_starts_on=datetime(year, 4, 1).date(),
        period_ends_on=datetime(year + 1, 3, 31).date(),
    )
    services.publish_round(grant_round=grant_round, by=manager)
    assert grant_round.closes_at.astimezone(UTC).hour == 0
    page = public_page(grant_round).content.decode()
    assert f"midnight at the start of {grant_round.closes_at:%A} 1 February {year}" in page
    assert grant_round.opens_at - timedelta(hours=10) == datetime(year, 1, 4, tzinfo=UTC)
