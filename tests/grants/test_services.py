"""Setting a round up: the template's copy, draft-only changes, communities; all audited."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from grants import services
from grants.models import CommunityOfInterest, RoundCriterion
from grants.template import section_b_criteria

from ..factories import ManagerFactory, StaffFactory
from .factories import CommunityFactory, draft_round, published_round, round_data

pytestmark = pytest.mark.django_db


def actions(obj):
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_new_round_is_a_draft_with_section_b_s_criteria_and_a_scale():
    manager = ManagerFactory()
    grant_round = services.create_round(by=manager, data=round_data())
    assert grant_round.status == "draft"
    criteria = list(grant_round.criteria.order_by("position"))
    assert [c.title for c in criteria] == [c.title for c in section_b_criteria()]
    must_haves = [c.title for c in criteria if c.kind == "must_have"]
    assert must_haves == [
        "Based in Leicester",
        "Activities mainly in Leicester",
        "Purpose: community cohesion and good relations",
        "Established, with sound governance and finances",
        "Signed up to the Leicester Compact",
        "A community of more than 1% of the city",
    ]
    checks = {c.automatic_check: c.title for c in criteria if c.automatic_check}
    assert checks == {
        "based_in_area": "Based in Leicester",
        "community_size": "A community of more than 1% of the city",
    }
    representation = [c.title for c in criteria if c.section == "representation"]
    assert representation == [
        "How you will make representation",
        "Gathering knowledge and information",
        "The scope of your representation",
        "Feeding back to those you represent",
        "Appeal if people feel misrepresented",
    ]
    assert all(c.weight == 1 for c in criteria if c.kind == "scored")
    assert list(grant_round.scale.values_list("score", flat=True)) == [0, 1, 2, 3, 4]
    assert actions(grant_round) == ["grant_round.created"]


def test_the_community_criterion_takes_the_threshold_from_settings(settings):
    settings.GRANTS_CITY_POPULATION = 368_600
    settings.GRANTS_CITY_POPULATION_SOURCE = "the 2021 census"
    settings.GRANTS_COMMUNITY_THRESHOLD_PERCENT = Decimal("0.5")
    size = next(c for c in section_b_criteria() if c.automatic_check == "community_size")
    assert size.title == "A community of more than 0.5% of the city"
    assert "at the 2021 census (more than 1,843 people)" in size.guidance


def test_only_managers_set_up_rounds():
    with pytest.raises(services.RoundError, match="Only managers"):
        services.create_round(by=StaffFactory(), data=round_data())


def test_details_that_break_a_rule_are_refused_by_field():
    data = round_data()
    data["closes_at"] = data["opens_at"]
    with pytest.raises(services.RoundInvalid) as refused:
        services.create_round(by=ManagerFactory(), data=data)
    assert refused.value.problems["closes_on"] == "The round must close after it opens"


def test_a_draft_s_details_change_and_the_change_is_audited():
    grant_round = draft_round()
    manager = ManagerFactory()
    services.update_round(
        grant_round=grant_round, by=manager, data=round_data(name="Renamed", total=Decimal("70000"))
    )
    grant_round.refresh_from_db()
    assert (grant_round.name, grant_round.total) == ("Renamed", Decimal("70000"))
    event = AuditEvent.objects.get(action="grant_round.changed")
    assert event.data == {"fields": ["name", "total"]}
    assert event.actor == manager


def test_a_published_round_cannot_be_changed():
    grant_round = published_round()
    manager = ManagerFactory()
    criterion = grant_round.criteria.first()
    refusals = [
        lambda: services.update_round(grant_round=grant_round, by=manager, data=round_data()),
        lambda: services.set_round_communities(grant_round=grant_round, by=manager, communities=[]),
        lambda: services.add_criterion(grant_round=grant_round, by=manager, data={}),
        lambda: services.update_criterion(criterion=criterion, by=manager, data={}),
        lambda: services.remove_criterion(criterion=criterion, by=manager),
        lambda: services.set_scale(grant_round=grant_round, by=manager, levels={}),
    ]
    for refusal in refusals:
        with pytest.raises(services.RoundError, match="This round is published, so"):
            refusal()
    assert grant_round.criteria.count() == len(section_b_criteria())


def test_choosing_communities_adds_and_removes_and_names_them():
    grant_round = draft_round()
    manager = ManagerFactory()
    hindu, sikh, jain = (CommunityFactory(name=n) for n in ("Hindu", "Sikh", "Jain"))
    services.set_round_communities(grant_round=grant_round, by=manager, communities=[hindu, sikh])
    services.set_round_communities(grant_round=grant_round, by=manager, communities=[sikh, jain])
    assert set(grant_round.communities.all()) == {sikh, jain}
    last = AuditEvent.objects.filter(action="grant_round.communities_changed").latest("id")
    assert last.data == {"added": ["Jain"], "removed": ["Hindu"]}


SCORED = {
    "section": "eligibility",
    "kind": "scored",
    "title": "Track record",
    "question": "What have you achieved for the community?",
    "guidance": "",
    "word_limit": 300,
    "weight": 3,
    "minimum_score": 2,
}


def test_a_criterion_is_added_at_the_end_changed_and_removed():
    grant_round = draft_round()
    manager = ManagerFactory()
    criterion = services.add_criterion(grant_round=grant_round, by=manager, data=SCORED)
    assert criterion.position == len(section_b_criteria()) + 1
    services.update_criterion(
        criterion=criterion, by=manager, data={**SCORED, "kind": "must_have", "weight": 3}
    )
    criterion.refresh_from_db()
    assert (criterion.kind, criterion.weight, criterion.minimum_score) == ("must_have", None, None)
    services.remove_criterion(criterion=criterion, by=manager)
    assert not RoundCriterion.objects.filter(pk=criterion.pk).exists()
    events = AuditEvent.objects.filter(action__startswith="grant_round.criterion_").order_by("id")
    assert [(e.action, e.data["criterion"]) for e in events] == [
        ("grant_round.criterion_added", "Track record"),
        ("grant_round.criterion_changed", "Track record"),
        ("grant_round.criterion_removed", "Track record"),
    ]


def test_a_check_the_service_makes_stays_a_must_have():
    grant_round = draft_round()
    based = grant_round.criteria.get(automatic_check="based_in_area")
    services.update_criterion(
        criterion=based, by=ManagerFactory(), data={**SCORED, "title": "Based in the city"}
    )
    based.refresh_from_db()
    assert (based.title, based.kind, based.weight) == ("Based in the city", "must_have", None)


def test_the_scale_is_set_for_every_score():
    grant_round = draft_round()
    levels = {score: (f"Level {score}", f"Means {score}") for score in range(5)}
    services.set_scale(grant_round=grant_round, by=ManagerFactory(), levels=levels)
    assert list(grant_round.scale.values_list("label", flat=True)) == [
        f"Level {s}" for s in range(5)
    ]
    assert "grant_round.scale_changed" in actions(grant_round)


def test_the_database_refuses_a_scored_criterion_without_a_weight():
    grant_round = draft_round()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundCriterion.objects.create(
            round=grant_round, position=99, kind="scored", title="x", question="y", word_limit=1
        )


def test_the_database_refuses_a_round_closing_before_it_opens():
    grant_round = draft_round()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(grant_round).objects.filter(pk=grant_round.pk).update(closes_at=grant_round.opens_at)


COMMUNITY = {
    "characteristic": "religion_or_belief",
    "name": "Jain community",
    "description": "",
    "population": 4000,
    "population_source": "2011 census",
}


def test_a_community_is_added_and_changed_and_audited():
    manager = ManagerFactory()
    community = services.add_community(by=manager, data={**COMMUNITY, "name": " Jain community "})
    assert community.name == "Jain community"
    services.update_community(community=community, by=manager, data={**COMMUNITY, "population": 5})
    community.refresh_from_db()
    assert community.population == 5
    assert actions(community) == ["community_of_interest.added", "community_of_interest.changed"]


def test_a_community_s_name_is_unique_within_its_characteristic_whatever_the_case():
    services.add_community(by=ManagerFactory(), data=COMMUNITY)
    with pytest.raises(services.CommunityInvalid) as refused:
        services.add_community(by=ManagerFactory(), data={**COMMUNITY, "name": "JAIN COMMUNITY"})
    assert refused.value.problems == {"name": "There is already a community called JAIN COMMUNITY"}
    services.add_community(by=ManagerFactory(), data={**COMMUNITY, "characteristic": "race"})
    assert CommunityOfInterest.objects.count() == 2


def test_a_population_needs_its_source():
    with pytest.raises(services.CommunityInvalid) as refused:
        services.add_community(by=ManagerFactory(), data={**COMMUNITY, "population_source": ""})
    assert refused.value.problems == {
        "population_source": "Enter where the population figure comes from"
    }
