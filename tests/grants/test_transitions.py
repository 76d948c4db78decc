"""The round's moves: one service each, checked against the table, audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from grants import rules, services
from grants.models import GrantRound

from ..factories import ManagerFactory
from .factories import draft_round, open_round, published_round

pytestmark = pytest.mark.django_db

# Each verb of the table, and the one service that makes that move.
SERVICES = {
    "publish": lambda r, by: services.publish_round(grant_round=r, by=by),
    "return_to_draft": lambda r, by: services.return_round_to_draft(grant_round=r, by=by),
    "withdraw": lambda r, by: services.withdraw_round(grant_round=r, by=by, reason="No budget"),
}


def test_every_move_in_the_table_has_its_service():
    assert set(SERVICES) == set(rules.ROUND_TRANSITIONS)


def test_publishing_a_complete_draft_audits_the_move():
    manager = ManagerFactory()
    grant_round = draft_round(by=manager, communities=3)
    services.publish_round(grant_round=grant_round, by=manager)
    grant_round.refresh_from_db()
    assert grant_round.status == "published"
    assert grant_round.published_by == manager
    assert grant_round.phase() == "scheduled"
    event = AuditEvent.objects.get(action="grant_round.published")
    assert (event.from_state, event.to_state, event.actor) == ("draft", "published", manager)


def test_a_draft_with_problems_is_not_published_and_each_is_named():
    grant_round = draft_round(communities=0)
    with pytest.raises(services.RoundError) as refused:
        services.publish_round(grant_round=grant_round, by=ManagerFactory())
    assert refused.value.reason == "This round cannot be published yet."
    assert [(p.section, p.message) for p in refused.value.problems] == [
        ("communities", "Choose at least one community to open for applications")
    ]
    grant_round.refresh_from_db()
    assert grant_round.status == "draft"
    assert not AuditEvent.objects.filter(action="grant_round.published").exists()


def test_more_communities_than_the_total_pays_for_are_refused():
    grant_round = draft_round(communities=6)  # 6 × £12,000 > £60,000
    with pytest.raises(services.RoundError) as refused:
        services.publish_round(grant_round=grant_round, by=ManagerFactory())
    assert refused.value.problems[0].message.startswith(
        "£12,000.00 for each of 6 communities is £72,000.00"
    )


def test_a_round_with_only_must_haves_is_refused():
    grant_round = draft_round(communities=1)
    grant_round.criteria.filter(kind="scored").delete()
    with pytest.raises(services.RoundError) as refused:
        services.publish_round(grant_round=grant_round, by=ManagerFactory())
    assert refused.value.problems[0].section == "criteria"


def test_a_round_already_closed_is_refused():
    past = timezone.now() - timedelta(days=30)
    grant_round = draft_round(communities=1)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=past, closes_at=past + timedelta(days=1)
    )
    with pytest.raises(services.RoundError) as refused:
        services.publish_round(grant_round=grant_round, by=ManagerFactory())
    assert "The closing time has passed: change it to a time in the future" in [
        p.message for p in refused.value.problems
    ]


def test_publishing_twice_is_refused_the_second_time():
    grant_round = published_round()
    with pytest.raises(services.RoundError, match="This round is published. Nothing was changed."):
        services.publish_round(grant_round=grant_round, by=ManagerFactory())
    assert AuditEvent.objects.filter(action="grant_round.published").count() == 1


def test_a_round_not_open_yet_can_go_back_to_draft_and_its_page_is_hidden():
    grant_round = published_round()
    services.return_round_to_draft(grant_round=grant_round, by=ManagerFactory())
    grant_round.refresh_from_db()
    assert (grant_round.status, grant_round.published_at) == ("draft", None)
    assert not GrantRound.objects.public().filter(pk=grant_round.pk).exists()
    assert AuditEvent.objects.filter(action="grant_round.returned_to_draft").exists()


def test_an_open_round_cannot_go_back_to_draft():
    grant_round = open_round()
    with pytest.raises(services.RoundError, match="can no longer go back to draft"):
        services.return_round_to_draft(grant_round=grant_round, by=ManagerFactory())
    grant_round.refresh_from_db()
    assert grant_round.status == "published"


@pytest.mark.parametrize("make", [draft_round, open_round])
def test_a_round_is_withdrawn_with_its_reason(make):
    grant_round = make()
    services.withdraw_round(grant_round=grant_round, by=ManagerFactory(), reason=" Budget cut ")
    grant_round.refresh_from_db()
    assert (grant_round.status, grant_round.withdrawn_reason) == ("withdrawn", "Budget cut")
    event = AuditEvent.objects.get(action="grant_round.withdrawn")
    assert event.reason == "Budget cut"


def test_withdrawing_needs_a_reason_and_happens_once():
    grant_round = open_round()
    with pytest.raises(services.RoundError, match="Enter why the round is being withdrawn"):
        services.withdraw_round(grant_round=grant_round, by=ManagerFactory(), reason="  ")
    services.withdraw_round(grant_round=grant_round, by=ManagerFactory(), reason="Budget cut")
    with pytest.raises(services.RoundError, match="This round has been withdrawn."):
        services.withdraw_round(grant_round=grant_round, by=ManagerFactory(), reason="Again")


def test_a_withdrawn_round_stays_public_only_if_it_was_published():
    never = draft_round()
    services.withdraw_round(grant_round=never, by=ManagerFactory(), reason="Not needed")
    was = open_round()
    services.withdraw_round(grant_round=was, by=ManagerFactory(), reason="Budget cut")
    assert list(GrantRound.objects.public()) == [was]


def test_each_community_s_instalments_follow_the_round_s_schedule():
    grant_round = draft_round(amount_per_community=Decimal("10000.00"))
    paid = grant_round.instalments()
    assert len(paid) == 4
    assert sum(i.amount for i in paid) == Decimal("10000.00")
