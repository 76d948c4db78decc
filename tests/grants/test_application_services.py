"""Applying: starting, answers, the must-haves, the consortium gate, the closing time, moves."""

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from grants import application_services as services
from grants.models import Application, ConsortiumMember
from notifications.models import Notification

from ..factories import MembershipFactory
from .factories import (
    CommunityFactory,
    close,
    complete_application,
    fill_in,
    open_round,
    published_round,
    sent_application,
    start,
)

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "characteristic": "race",
    "name": "Somali community",
    "population": 4_100,
    "population_source": "Leicester Somali Forum survey, 2024",
}


@pytest.fixture
def grant_round(world):
    return open_round(by=world.manager)


def _send(application, admin):
    return services.submit_application(
        application=application, by=admin, declaration_name="Asha Patel"
    )


def test_a_complete_application_is_sent_audited_and_its_administrators_emailed(world, grant_round):
    MembershipFactory(organisation=world.org_a, role="admin", user__email="second@example.org")
    application = complete_application(grant_round, world.org_a_admin)

    sent = _send(application, world.org_a_admin)

    assert sent.status == "submitted"
    assert sent.submitted_by == world.org_a_admin and sent.declaration_name == "Asha Patel"
    event = AuditEvent.objects.get(action="grant_application.submitted")
    assert (event.from_state, event.to_state) == ("draft", "submitted")
    emails = Notification.objects.filter(kind="grants:application_submitted")
    assert sorted(emails.values_list("recipient", flat=True)) == [
        "a@example.org",
        "second@example.org",
    ]
    assert sent.reference in emails.first().body_text


def test_one_live_application_per_organisation_and_community(world, grant_round):
    first = start(grant_round, world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="has already applied for the"):
        start(grant_round, world.org_a_admin, community=first.round_community)
    # The database holds to it whatever the service does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            round=grant_round,
            organisation=world.org_a,
            round_community=first.round_community,
            created_by=world.org_a_admin,
        )
    # Another organisation may apply for the same community.
    assert start(grant_round, world.org_b_admin, community=first.round_community).pk


def test_a_withdrawn_application_steps_aside_for_a_new_one(world, grant_round):
    first = start(grant_round, world.org_a_admin)
    services.withdraw_application(application=first, by=world.org_a_admin, reason="Wrong one")
    again = start(grant_round, world.org_a_admin, community=first.round_community)
    assert again.pk != first.pk and again.status == "draft"
    assert AuditEvent.objects.filter(action="grant_application.withdrawn").count() == 1


def test_a_proposed_community_carries_its_own_figure_for_the_size_check(world, grant_round):
    application = start(grant_round, world.org_a_admin, proposal=PROPOSAL)
    assert application.is_proposal and application.size == 4_100
    _send(fill_in(application, world.org_a_admin), world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="has already applied"):
        start(grant_round, world.org_a_admin, proposal={**PROPOSAL, "name": "SOMALI community"})


def test_a_community_under_the_threshold_cannot_be_sent_and_says_why(world, grant_round):
    application = start(grant_round, world.org_a_admin, proposal={**PROPOSAL, "population": 3_298})
    fill_in(application, world.org_a_admin)
    with pytest.raises(services.ApplicationError) as refused:
        _send(application, world.org_a_admin)
    assert refused.value.problems == [
        "A community of more than 1% of the city: The community of 3,298 people is not more "
        "than 1% of the city's population at the 2011 census (more than 3,298 people). An "
        "application that does not meet every must-have cannot be sent."
    ]
    application.refresh_from_db()
    assert application.status == "draft"
    assert not Notification.objects.filter(kind="grants:application_submitted").exists()


def test_an_organisation_outside_the_area_cannot_send(world, grant_round):
    world.org_a.postcode = "CV1 1AA"  # Coventry: not in the council's table
    world.org_a.save()
    application = complete_application(grant_round, world.org_a_admin)
    with pytest.raises(services.ApplicationError) as refused:
        _send(application, world.org_a_admin)
    assert "The registered postcode CV1 1AA is not in Leicester." in refused.value.problems[0]


def test_a_community_the_council_has_no_figure_for_needs_the_applicants(world):
    grant_round = open_round(by=world.manager, communities=1)
    unknown = CommunityFactory(population=None, population_source="")
    entry = grant_round.round_communities.create(community=unknown)
    application = complete_application(grant_round, world.org_a_admin, community=entry)
    with pytest.raises(services.ApplicationError) as refused:
        _send(application, world.org_a_admin)
    assert "The community's size is not known" in refused.value.problems[0]
    with pytest.raises(services.ApplicationError, match="Enter where the figure comes from"):
        services.set_community_size(
            application=application, population=9000, source=" ", by=world.org_a_admin
        )
    services.set_community_size(
        application=application, population=9000, source="Census 2021", by=world.org_a_admin
    )
    assert _send(application, world.org_a_admin).status == "submitted"


def test_an_unfinished_application_lists_what_is_missing(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    with pytest.raises(services.ApplicationError) as refused:
        _send(application, world.org_a_admin)
    problems = refused.value.problems
    assert "Answer the question: The need for representation" in problems
    assert "Upload the governing document" in problems
    assert not any("letters of support" in p for p in problems)  # optional


def test_nothing_is_accepted_after_the_closing_time(world, grant_round):
    application = complete_application(grant_round, world.org_a_admin)
    close(grant_round)
    with pytest.raises(services.ApplicationError, match="This round closed for applications"):
        _send(application, world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="closed for applications"):
        services.save_answer(
            application=application,
            criterion=grant_round.criteria.last(),
            text="Late words",
            by=world.org_a_admin,
        )
    with pytest.raises(services.ApplicationError, match="closed"):
        start(grant_round, world.org_b_admin)
    application.refresh_from_db()
    assert application.status == "draft"


def test_nobody_applies_before_the_round_opens(world):
    grant_round = published_round(by=world.manager)  # opens tomorrow
    with pytest.raises(services.ApplicationError, match="opens for applications at"):
        start(grant_round, world.org_a_admin)


def test_only_an_administrator_starts_changes_or_sends(world, grant_round):
    with pytest.raises(services.ApplicationError, match="Only an administrator"):
        start(grant_round, world.org_a_member)
    application = complete_application(grant_round, world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="Only an administrator"):
        _send(application, world.org_a_member)
    with pytest.raises(services.ApplicationError, match="Only an administrator"):
        _send(application, world.org_b_admin)


def test_answers_over_the_word_limit_are_refused_and_empty_ones_cleared(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    criterion = grant_round.criteria.filter(kind="scored").first()
    over = " ".join(["word"] * (criterion.word_limit + 1))
    with pytest.raises(services.ApplicationError, match="Answer must be 500 words or fewer"):
        services.save_answer(
            application=application, criterion=criterion, text=over, by=world.org_a_admin
        )
    answer = services.save_answer(
        application=application, criterion=criterion, text="Three short words", by=world.org_a_admin
    )
    assert answer.word_count == 3
    services.save_answer(
        application=application, criterion=criterion, text="  ", by=world.org_a_admin
    )
    assert not application.answers.exists()


def test_a_sent_application_cannot_be_changed_or_sent_twice(world, grant_round):
    application = sent_application(grant_round, world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="has been sent to the council"):
        _send(application, world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="cannot be changed"):
        services.save_answer(
            application=application,
            criterion=grant_round.criteria.last(),
            text="Changed",
            by=world.org_a_admin,
        )


# --------------------------------------------------------------- the consortium


def test_the_lead_cannot_send_until_every_member_has_confirmed(world, grant_round):
    application = complete_application(grant_round, world.org_a_admin)
    member = services.add_member(
        application=application, organisation=world.org_b, by=world.org_a_admin
    )
    assert Notification.objects.filter(
        kind="grants:consortium_request", recipient="b@example.org"
    ).exists()
    with pytest.raises(services.ApplicationError) as refused:
        _send(application, world.org_a_admin)
    assert refused.value.problems == [
        "Organisation B has not yet confirmed it is part of the consortium. Every member must "
        "confirm before the application can be sent"
    ]
    with pytest.raises(services.ApplicationError, match="Only an administrator"):
        services.confirm_membership(member=member, by=world.org_a_admin)
    services.confirm_membership(member=member, by=world.org_b_admin)
    assert Notification.objects.filter(
        kind="grants:consortium_answered", recipient="a@example.org"
    ).exists()
    assert _send(application, world.org_a_admin).status == "submitted"


def test_a_declined_member_must_be_removed_before_sending(world, grant_round):
    application = complete_application(grant_round, world.org_a_admin)
    member = services.add_member(
        application=application, organisation=world.org_b, by=world.org_a_admin
    )
    services.decline_membership(member=member, by=world.org_b_admin, reason="Not agreed")
    with pytest.raises(services.ApplicationError, match="already declined"):
        services.confirm_membership(member=member, by=world.org_b_admin)
    with pytest.raises(services.ApplicationError) as refused:
        _send(application, world.org_a_admin)
    assert "Organisation B declined to join the consortium" in refused.value.problems[0]
    services.remove_member(member=member, by=world.org_a_admin)
    assert _send(application, world.org_a_admin).status == "submitted"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "grant_application.member_invited",
        "consortium_member.declined",
        "grant_application.member_removed",
    } <= actions


def test_the_lead_cannot_name_itself_or_anyone_twice(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="leads the consortium"):
        services.add_member(application=application, organisation=world.org_a, by=world.org_a_admin)
    services.add_member(application=application, organisation=world.org_b, by=world.org_a_admin)
    with pytest.raises(services.ApplicationError, match="already in the consortium"):
        services.add_member(application=application, organisation=world.org_b, by=world.org_a_admin)
    assert ConsortiumMember.objects.count() == 1


def test_a_request_to_a_sent_application_can_no_longer_be_answered(world, grant_round):
    application = complete_application(grant_round, world.org_a_admin)
    member = services.add_member(
        application=application, organisation=world.org_b, by=world.org_a_admin
    )
    services.confirm_membership(member=member, by=world.org_b_admin)
    _send(application, world.org_a_admin)
    ConsortiumMember.objects.filter(pk=member.pk).update(status="invited", responded_at=None)
    with pytest.raises(services.ApplicationError, match="can no longer be answered"):
        services.decline_membership(member=member, by=world.org_b_admin, reason="Late")
