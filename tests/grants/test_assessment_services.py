"""Assessing through the services, on PostgreSQL: the panel, declarations, marks, moderation
and the decision per community. Every refusal says why and changes nothing."""

import contextlib

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from grants import assessment_services as services
from grants.assessment_services import AssessmentError
from grants.models import (
    Assessment,
    CommunityDecision,
    CriterionMark,
    GrantRound,
    ModeratedMark,
    PanelMember,
    RoundCriterion,
)

from ..factories import ManagerFactory, StaffFactory, UserFactory
from .assessing import (
    COMMENT,
    assessor,
    closed_round,
    declared,
    marks,
    moderated,
    must_haves,
    on_panel,
    ready_to_decide,
    scored,
    send,
    sent_marks,
)
from .factories import open_round

pytestmark = pytest.mark.django_db


def state():
    """Every row assessing writes, and the audit trail's length."""
    return {
        "panel": sorted(PanelMember.objects.values_list("round_id", "assessor_id")),
        "assessments": list(
            Assessment.objects.order_by("pk").values_list(
                "pk", "has_conflict", "conflict_details", "declared_at", "submitted_at"
            )
        ),
        "marks": list(
            CriterionMark.objects.order_by("pk").values_list(
                "pk", "criterion_id", "mark", "comment"
            )
        ),
        "moderated": list(
            ModeratedMark.objects.order_by("pk").values_list("pk", "criterion_id", "mark", "reason")
        ),
        "decisions": list(
            CommunityDecision.objects.order_by("pk").values_list(
                "pk", "outcome", "application_id", "reasons"
            )
        ),
        "audit": AuditEvent.objects.count(),
    }


@contextlib.contextmanager
def refused(match):
    """The block raises AssessmentError whose reason matches, and nothing is changed."""
    before = state()
    with pytest.raises(AssessmentError, match=match) as caught:
        yield caught
    assert state() == before


def _events(action):
    return AuditEvent.objects.filter(action=action)


# --------------------------------------------------------------- the panel


def test_a_manager_names_officers_and_managers_to_the_panel_audited(world):
    grant_round = open_round(by=world.manager)
    other_manager = ManagerFactory()
    for person in (world.officer, other_manager):
        services.add_to_panel(grant_round=grant_round, assessor=person, by=world.manager)
    assert set(grant_round.panel.values_list("assessor", flat=True)) == {
        world.officer.pk,
        other_manager.pk,
    }
    events = _events("grant_round.panel_member_added")
    assert events.count() == 2
    assert {e.data["assessor_id"] for e in events} == {world.officer.pk, other_manager.pk}
    assert all(e.object_id == str(grant_round.pk) for e in events)


@pytest.mark.parametrize("who", ["public", "inactive officer"])
def test_only_active_officers_and_managers_can_be_named(world, who):
    grant_round = open_round(by=world.manager)
    person = UserFactory() if who == "public" else StaffFactory(is_active=False)
    with refused("Only council officers and managers can assess applications"):
        services.add_to_panel(grant_round=grant_round, assessor=person, by=world.manager)


def test_only_a_manager_names_the_panel(world):
    grant_round = open_round(by=world.manager)
    with refused("Only a manager can name the assessment panel"):
        services.add_to_panel(grant_round=grant_round, assessor=world.officer, by=world.officer)


def test_naming_someone_twice_is_refused_on_the_field(world):
    grant_round = open_round(by=world.manager)
    on_panel(grant_round, world)
    with refused("already on the panel") as caught:
        services.add_to_panel(grant_round=grant_round, assessor=world.officer, by=world.manager)
    assert "already on the panel" in caught.value.problems["assessor"]


def test_someone_who_has_not_begun_is_taken_off_the_panel_audited(world):
    grant_round, _ = closed_round(world)
    on_panel(grant_round, world)
    member = PanelMember.objects.get(round=grant_round, assessor=world.officer)
    services.remove_from_panel(member=member, by=world.manager)
    assert not PanelMember.objects.filter(pk=member.pk).exists()
    event = _events("grant_round.panel_member_removed").get()
    assert event.data["assessor_id"] == world.officer.pk


def test_an_assessor_who_has_begun_stays_on_the_panel(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    declared(application, world.officer)  # a declaration is beginning
    member = PanelMember.objects.get(round=grant_round, assessor=world.officer)
    with refused("has begun assessing this round, so they stay on the panel"):
        services.remove_from_panel(member=member, by=world.manager)


def test_only_a_manager_changes_the_panel(world):
    grant_round = open_round(by=world.manager)
    on_panel(grant_round, world)
    member = PanelMember.objects.get(round=grant_round)
    with refused("Only a manager can change the assessment panel"):
        services.remove_from_panel(member=member, by=world.officer)


# --------------------------------------------------------------- declarations


def test_only_the_panel_declares(world):
    grant_round, (application,) = closed_round(world)
    with refused("Only the round's assessment panel"):
        declared(application, world.officer)


def test_declaring_waits_for_the_round_to_close(world):
    grant_round = open_round(by=world.manager)
    application = send(grant_round, world.org_a_admin)
    on_panel(grant_round, world)
    with refused("Assessing starts when the round closes"):
        declared(application, world.officer)


def test_a_conflict_needs_its_details(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    with refused("Describe the conflict of interest") as caught:
        services.declare_interest(
            application=application, by=world.officer, has_conflict=True, details="   "
        )
    assert caught.value.problems == {"details": "Describe the conflict of interest"}


def test_declarations_are_audited_with_the_conflict_described(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world)
    on_panel(grant_round, world)
    conflicted = declared(application, world.officer, conflict=True)
    clear = declared(application, other)
    assert conflicted.has_conflict and conflicted.conflict_details == "My sister chairs its board."
    assert not clear.has_conflict and clear.submitted_at is None
    event = _events("grant_assessment.conflict_declared").get()
    assert event.reason == "My sister chairs its board."
    assert event.actor == world.officer and event.object_id == str(application.pk)
    assert _events("grant_assessment.no_conflict").get().actor == other


def test_a_conflict_is_final(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    declared(application, world.officer, conflict=True)
    with refused("already declared your interests"):
        declared(application, world.officer)
    with refused("already declared your interests"):
        declared(application, world.officer, conflict=True)


def test_no_conflict_is_declared_once(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    declared(application, world.officer)
    with refused("already declared your interests"):
        declared(application, world.officer)


def test_no_conflict_may_become_a_conflict_before_sending_and_unsent_marks_go(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    services.save_marks(assessment=assessment, values=marks(grant_round), by=world.officer)
    assert CriterionMark.objects.filter(assessment=assessment).exists()

    declared(application, world.officer, conflict=True)

    assessment.refresh_from_db()
    assert assessment.has_conflict and assessment.conflict_details
    assert not CriterionMark.objects.filter(assessment=assessment).exists()
    assert _events("grant_assessment.conflict_declared").count() == 1


def test_no_conflict_cannot_become_one_after_sending(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    sent_marks(application, world.officer)
    with refused("already sent your scores"):
        declared(application, world.officer, conflict=True)


# --------------------------------------------------------------- marks


def test_a_draft_may_be_partial_and_is_not_audited(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    first, second = scored(grant_round)[:2]
    services.save_marks(
        assessment=assessment,
        values={first.pk: ("2", "A first thought."), second.pk: ("4", "Strong.")},
        by=world.officer,
    )
    assert dict(assessment.marks.values_list("criterion_id", "mark")) == {
        first.pk: 2,
        second.pk: 4,
    }
    # A later draft changes one mark and clears the other.
    services.save_marks(
        assessment=assessment,
        values={first.pk: ("3", "On reflection."), second.pk: (None, "")},
        by=world.officer,
    )
    assert list(assessment.marks.values_list("criterion_id", "mark", "comment")) == [
        (first.pk, 3, "On reflection.")
    ]
    assessment.refresh_from_db()
    assert assessment.submitted_at is None
    assert not _events("grant_assessment.submitted").exists()


def test_a_draft_mark_needs_its_comment(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    first = scored(grant_round)[0]
    with refused("Some scores could not be saved") as caught:
        services.save_marks(assessment=assessment, values={first.pk: ("2", "  ")}, by=world.officer)
    assert caught.value.problems == {f"comment_{first.pk}": f"Enter a comment on {first.title}"}


def test_sending_needs_a_mark_and_a_comment_on_every_criterion_the_panel_marks(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    values = marks(grant_round)
    first, must_have = scored(grant_round)[0], must_haves(grant_round)[0]
    values[first.pk] = ("", "")
    values[must_have.pk] = ("1", "")
    services.save_marks(
        assessment=assessment, values={scored(grant_round)[1].pk: ("2", "Draft.")}, by=world.officer
    )
    with refused("Give a score and a comment for every criterion") as caught:
        services.save_marks(assessment=assessment, values=values, by=world.officer, send=True)
    assert caught.value.problems == {
        f"mark_{first.pk}": f"Select a score for {first.title}",
        f"comment_{first.pk}": f"Enter a comment on {first.title}",
        f"comment_{must_have.pk}": f"Enter a comment on {must_have.title}",
    }


@pytest.mark.parametrize("send", [False, True])
@pytest.mark.parametrize("bad", ["5", "-1", "2.5", "lots", 7])
def test_a_score_outside_the_scale_is_refused_with_the_scale(world, bad, send):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    first = scored(grant_round)[0]
    values = marks(grant_round) if send else {}
    values[first.pk] = (bad, "A comment.")
    with refused(None) as caught:
        services.save_marks(assessment=assessment, values=values, by=world.officer, send=send)
    assert caught.value.problems == {
        f"mark_{first.pk}": f"Score must be a whole number from 0 to 4 for {first.title}"
    }


def test_a_must_have_is_met_or_not_met(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    must_have = must_haves(grant_round)[0]
    with refused(None) as caught:
        services.save_marks(
            assessment=assessment, values={must_have.pk: ("3", "Yes.")}, by=world.officer
        )
    assert caught.value.problems == {
        f"mark_{must_have.pk}": f"Select whether the must-have is met for {must_have.title}"
    }


def test_sending_saves_every_mark_audited_and_then_they_are_fixed(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    first = scored(grant_round)[0]
    assessment = sent_marks(application, world.officer, score=2, **{first.title: 4})

    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    criteria = services.panel_criteria(grant_round)
    saved = dict(assessment.marks.values_list("criterion_id", "mark"))
    assert set(saved) == {c.pk for c in criteria}
    assert saved[first.pk] == 4
    assert all(m.comment == COMMENT for m in assessment.marks.all())
    event = _events("grant_assessment.submitted").get()
    assert event.actor == world.officer and event.object_id == str(application.pk)
    assert event.data["marks"][str(first.pk)] == 4
    with refused("already sent your scores"):
        services.save_marks(
            assessment=assessment, values=marks(grant_round, 0), by=world.officer, send=True
        )


def test_a_conflicted_assessor_cannot_save_marks(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer, conflict=True)
    for sending in (False, True):
        with refused("You declared a conflict of interest"):
            services.save_marks(
                assessment=assessment, values=marks(grant_round), by=world.officer, send=sending
            )


def test_nobody_saves_another_assessors_marks(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world)
    on_panel(grant_round, world)
    assessment = declared(application, other)
    with refused("another assessor's assessment"):
        services.save_marks(assessment=assessment, values=marks(grant_round), by=world.officer)


def test_the_database_refuses_a_sent_conflicted_assessment(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer, conflict=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=assessment.declared_at)


# --------------------------------------------------------------- moderation


def _moderation(grant_round, score, reason=""):
    return {pk: (str(score) if c == "scored" else "1", reason) for pk, c in _kinds(grant_round)}


def _kinds(grant_round):
    return [(c.pk, c.kind) for c in services.panel_criteria(grant_round)]


def test_only_a_manager_moderates(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    sent_marks(application, world.officer)
    with refused("Only a manager can moderate"):
        services.moderate(
            application=application, values=_moderation(grant_round, 3), by=world.officer
        )


def test_moderation_needs_a_sent_assessment(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    assessment = declared(application, world.officer)
    services.save_marks(assessment=assessment, values=marks(grant_round), by=world.officer)
    with refused("No assessor has sent scores for this application yet"):
        services.moderate(
            application=application, values=_moderation(grant_round, 3), by=world.manager
        )


def test_a_moderated_score_not_every_assessor_gave_needs_a_reason(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world)
    on_panel(grant_round, world)
    first = scored(grant_round)[0]
    sent_marks(application, world.officer, score=3, **{first.title: 1})
    sent_marks(application, other, score=3, **{first.title: 4})

    with refused("Some moderated scores need putting right") as caught:
        services.moderate(
            application=application, values=_moderation(grant_round, 3), by=world.manager
        )
    # Only the criterion they differ on needs one: everyone gave 3 on the rest.
    assert caught.value.problems == {
        f"reason_{first.pk}": "Give the reason for the moderated score: the assessors did "
        f"not all give it on {first.title}"
    }

    values = _moderation(grant_round, 3)
    values[first.pk] = ("3", "The second assessor read the letters of support.")
    saved = services.moderate(application=application, values=values, by=world.manager)
    assert len(saved) == len(values)
    assert ModeratedMark.objects.get(application=application, criterion=first).reason == (
        "The second assessor read the letters of support."
    )


def test_moderation_is_audited_and_saving_it_unchanged_records_nothing_more(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    sent_marks(application, world.officer, score=3)
    services.moderate(application=application, values=_moderation(grant_round, 3), by=world.manager)
    event = _events("grant_application.moderated").get()
    assert event.actor == world.manager and event.object_id == str(application.pk)
    first = scored(grant_round)[0]
    assert event.data["changes"][first.title] == {"from": None, "to": 3, "reason": ""}

    services.moderate(application=application, values=_moderation(grant_round, 3), by=world.manager)
    assert _events("grant_application.moderated").count() == 1

    values = _moderation(grant_round, 3)
    values[first.pk] = ("2", "Thin evidence of reach.")
    services.moderate(application=application, values=values, by=world.manager)
    latest = _events("grant_application.moderated").order_by("-pk").first()
    assert latest.data["changes"] == {
        first.title: {"from": 3, "to": 2, "reason": "Thin evidence of reach."}
    }


def test_a_moderated_score_outside_the_scale_is_refused(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    sent_marks(application, world.officer)
    first = scored(grant_round)[0]
    values = _moderation(grant_round, 3, "Reason.")
    values[first.pk] = ("9", "Reason.")
    with refused(None) as caught:
        services.moderate(application=application, values=values, by=world.manager)
    assert caught.value.problems == {
        f"mark_{first.pk}": f"Score must be a whole number from 0 to 4 for {first.title}"
    }


def test_a_manager_with_a_conflict_cannot_moderate(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world, world.officer, world.manager)
    sent_marks(application, world.officer)
    declared(application, world.manager, conflict=True)
    with refused("You declared a conflict of interest with this application"):
        services.moderate(
            application=application, values=_moderation(grant_round, 3, "R."), by=world.manager
        )


# --------------------------------------------------------------- deciding


def _community(grant_round):
    return grant_round.round_communities.order_by("pk").first()


def test_the_award_is_offered_to_the_best_ranked_audited(world):
    grant_round, (best, weaker) = ready_to_decide(world, applications=2)
    moderated(weaker, world.manager, score=2, reason="Weaker evidence.")
    community = _community(grant_round)

    with refused("is not ranked first") as caught:
        services.offer_award(
            round_community=community, application=weaker, reasons="Close.", by=world.manager
        )
    assert "choice" in caught.value.problems

    decision = services.offer_award(
        round_community=community, application=best, reasons="The strongest.", by=world.manager
    )
    assert decision.outcome == "offered" and decision.application == best
    assert decision.amount == grant_round.amount_per_community
    event = _events("grant_round.award_offered").get()
    assert event.reason == "The strongest." and event.to_state == "offered"
    assert event.object_id == str(best.pk)


def test_an_award_needs_every_must_have_met(world):
    grant_round, (application,) = ready_to_decide(world)
    must_have = must_haves(grant_round)[0]
    values = _moderation(grant_round, 3, "Reason.")
    values[must_have.pk] = ("0", "No evidence of activity in the city.")
    services.moderate(application=application, values=values, by=world.manager)
    with refused(f"cannot be awarded: Does not meet the must-have: {must_have.title}"):
        services.offer_award(
            round_community=_community(grant_round),
            application=application,
            reasons="Best we have.",
            by=world.manager,
        )


def test_an_award_needs_every_minimum_score(world):
    grant_round, (application,) = ready_to_decide(world, score=1)
    first = scored(grant_round)[0]
    RoundCriterion.objects.filter(pk=first.pk).update(minimum_score=2)
    with refused(f"Scored 1 on {first.title}, below the minimum of 2"):
        services.offer_award(
            round_community=_community(grant_round),
            application=application,
            reasons="Best we have.",
            by=world.manager,
        )


def test_an_award_needs_the_application_moderated(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    sent_marks(application, world.officer)
    with refused("cannot be awarded: Not moderated yet"):
        services.offer_award(
            round_community=_community(grant_round),
            application=application,
            reasons="Best we have.",
            by=world.manager,
        )


@pytest.mark.parametrize("reasons", ["", "   "])
def test_a_decision_needs_reasons(world, reasons):
    grant_round, (application,) = ready_to_decide(world)
    community = _community(grant_round)
    with refused("Enter the reasons for the decision") as caught:
        services.make_no_award(round_community=community, reasons=reasons, by=world.manager)
    assert caught.value.problems == {"reasons": "Enter the reasons for the decision"}
    with refused("Enter the reasons for the decision"):
        services.offer_award(
            round_community=community, application=application, reasons=reasons, by=world.manager
        )


def test_only_a_manager_decides(world):
    grant_round, (application,) = ready_to_decide(world)
    community = _community(grant_round)
    with refused("Only a manager can decide"):
        services.make_no_award(round_community=community, reasons="None.", by=world.officer)
    with refused("Only a manager can decide"):
        services.offer_award(
            round_community=community, application=application, reasons="R.", by=world.officer
        )


def test_no_award_is_recorded_with_its_reasons_audited(world):
    grant_round, _ = ready_to_decide(world)
    decision = services.make_no_award(
        round_community=_community(grant_round),
        reasons="No application showed the community's support.",
        by=world.manager,
    )
    assert decision.outcome == "no_award" and decision.application is None
    assert decision.amount is None
    event = _events("grant_round.no_award").get()
    assert event.reason == "No application showed the community's support."
    assert event.object_id == str(grant_round.pk)


def test_a_second_decision_for_a_community_is_refused_and_names_the_first(world):
    grant_round, (application,) = ready_to_decide(world)
    community = _community(grant_round)
    services.offer_award(
        round_community=community, application=application, reasons="Best.", by=world.manager
    )
    other_manager = ManagerFactory()
    message = (
        f"The decision for the {community.community.name} has already been made: award "
        f"offered \\(Organisation A\\). Nothing was changed."
    )
    with refused(message):
        services.make_no_award(round_community=community, reasons="None.", by=other_manager)
    with refused(message):
        services.offer_award(
            round_community=community, application=application, reasons="R.", by=other_manager
        )
    assert CommunityDecision.objects.filter(round_community=community).count() == 1


def test_the_database_keeps_one_live_decision_per_community(world):
    grant_round, (application,) = ready_to_decide(world)
    community = _community(grant_round)
    services.make_no_award(round_community=community, reasons="None.", by=world.manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityDecision.objects.create(
            round_community=community,
            application=application,
            outcome="offered",
            amount=grant_round.amount_per_community,
            reasons="A path that forgot to check.",
            decided_by=world.manager,
        )


def test_a_declined_offer_steps_aside_for_the_next_ranked(world):
    grant_round, (best, next_best) = ready_to_decide(world, applications=2)
    moderated(next_best, world.manager, score=2, reason="Weaker evidence.")
    community = _community(grant_round)
    offer = services.offer_award(
        round_community=community, application=best, reasons="Best.", by=world.manager
    )
    # As the applicant's declining does (grants.offer_services), written here directly.
    CommunityDecision.objects.filter(pk=offer.pk).update(
        outcome="declined",
        responded_by=world.org_a_admin,
        responded_at=offer.decided_at,
        decline_reason="We cannot staff it this year.",
    )

    second = services.offer_award(
        round_community=community, application=next_best, reasons="Next.", by=world.manager
    )
    assert second.outcome == "offered" and second.application == next_best
    assert CommunityDecision.objects.filter(round_community=community).count() == 2


def test_after_the_decision_marks_and_moderation_are_refused(world):
    grant_round, (application,) = ready_to_decide(world)
    late = assessor(grant_round, world)
    assessment = declared(application, late)
    services.make_no_award(
        round_community=_community(grant_round), reasons="None.", by=world.manager
    )
    with refused("has been made, so its applications' scores cannot change"):
        services.save_marks(assessment=assessment, values=marks(grant_round), by=late)
    with refused("has been made, so its applications' scores cannot change"):
        services.moderate(
            application=application, values=_moderation(grant_round, 1, "R."), by=world.manager
        )


def test_a_withdrawn_round_is_not_assessed(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        status="withdrawn", withdrawn_at=grant_round.closes_at, withdrawn_reason="Budget cut."
    )
    with refused("This round is not being assessed: it is withdrawn"):
        declared(application, world.officer)


def test_a_manager_assessing_moderates_only_once_their_own_scores_are_sent(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world, world.officer, world.manager)
    sent_marks(application, world.officer)
    declared(application, world.manager)
    with refused("send your own scores before you moderate it"):
        services.moderate(
            application=application, values=_moderation(grant_round, 3), by=world.manager
        )
    sent_marks(application, world.manager)
    services.moderate(application=application, values=_moderation(grant_round, 3), by=world.manager)
    assert ModeratedMark.objects.filter(application=application).exists()
