"""Lodging an appeal and reviewing it: within the window, once, by a manager who took no
part; audited, and the managers and the applicant emailed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from grants import assessment_services as assessing
from grants.accountability_models import Appeal
from grants.appeal_selectors import Involvement, appeal_position, involvement
from grants.appeal_services import AppealError, lodge_appeal, review_appeal
from grants.assessment_selectors import applicant_outcome
from grants.offer_services import accept_offer
from notifications.deadlines import GRANT_APPEAL, deadline
from notifications.models import Notification

from ..factories import ManagerFactory, MembershipFactory
from .appeal_support import GROUNDS, appealed, decided, outsider_manager
from .assessing import moderated, on_panel, ready_to_decide

pytestmark = pytest.mark.django_db


def emails_to(user, starting):
    return Notification.objects.filter(recipient=user.email, subject__startswith=starting)


# --------------------------------------------------------------- lodging


def test_the_unsuccessful_applicant_appeals_and_every_manager_is_told(world):
    state = decided(world)
    other_manager = ManagerFactory()
    appeal = lodge_appeal(application=state.loser, by=state.loser_admin, grounds=f"  {GROUNDS} ")
    assert appeal.grounds == GROUNDS
    assert appeal.decision == state.decision and appeal.lodged_by == state.loser_admin
    assert appeal.outcome == ""
    event = AuditEvent.objects.get(action="grant_appeal.lodged")
    assert event.object_id == str(state.loser.pk) and event.to_state == "waiting"
    assert event.data["decision"] == "accepted"
    for manager in (world.manager, other_manager):
        [email] = emails_to(manager, "An appeal against the grant decision for the")
        assert state.loser.reference in email.body_text
        assert f"/manager/grant-appeals/{appeal.pk}/" in email.body_text


def test_no_award_can_be_appealed_too_from_the_day_it_was_decided(world):
    state = decided(world, no_award=True)
    position = appeal_position(
        state.loser, applicant_outcome(state.loser), is_admin=True, today=timezone.localdate()
    )
    told = timezone.localdate(state.decision.decided_at)
    assert position.due_on == deadline(GRANT_APPEAL).due_on(told)
    assert position.may_appeal
    appeal = lodge_appeal(application=state.loser, by=state.loser_admin, grounds=GROUNDS)
    assert appeal.decision.outcome == "no_award"


def nothing_lodged():
    assert not Appeal.objects.exists()
    assert not AuditEvent.objects.filter(action="grant_appeal.lodged").exists()
    assert not Notification.objects.filter(subject__startswith="An appeal against").exists()


def test_an_appeal_after_the_window_is_refused_and_nothing_is_saved(world):
    state = decided(world)
    told = timezone.localdate(state.decision.responded_at)
    due = deadline(GRANT_APPEAL).due_on(told)
    # On the last day it would be accepted; the day after, it is refused with the date.
    assert appeal_position(
        state.loser, applicant_outcome(state.loser), is_admin=True, today=due
    ).may_appeal
    with pytest.raises(AppealError) as refused:
        lodge_appeal(
            application=state.loser,
            by=state.loser_admin,
            grounds=GROUNDS,
            today=due + timedelta(days=1),
        )
    assert refused.value.reason == (
        f"The time to appeal ended on {due.day} {due:%B %Y}. Appeals are not accepted after "
        "that date. Nothing was changed."
    )
    nothing_lodged()


def test_a_second_appeal_is_refused(world):
    state, first = appealed(world)
    with pytest.raises(AppealError) as refused:
        lodge_appeal(application=state.loser, by=state.loser_admin, grounds="Another try.")
    assert "Your organisation has already appealed this decision." in refused.value.reason
    assert list(Appeal.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    "grounds, message",
    [
        ("  ", "Enter the grounds for your appeal"),
        ("word " * 501, "The grounds must be 500 words or fewer"),
    ],
)
def test_grounds_are_required_within_the_word_limit(world, grounds, message):
    state = decided(world)
    with pytest.raises(AppealError) as refused:
        lodge_appeal(application=state.loser, by=state.loser_admin, grounds=grounds)
    assert refused.value.problems == {"grounds": message}
    nothing_lodged()


def test_the_winner_cannot_appeal(world):
    state = decided(world)
    with pytest.raises(AppealError) as refused:
        lodge_appeal(application=state.winner, by=world.org_a_admin, grounds=GROUNDS)
    assert refused.value.reason.startswith("Your application was successful")
    nothing_lodged()


def test_nobody_appeals_before_the_decision_is_final(world):
    grant_round, sent = ready_to_decide(world, applications=2)
    moderated(sent[0], world.manager, score=4)
    assessing.offer_award(
        round_community=sent[0].round_community,
        application=sent[0],
        reasons="Ranked first.",
        by=world.manager,
    )
    admin = sent[1].organisation.memberships.get(role="admin").user
    with pytest.raises(AppealError) as refused:
        lodge_appeal(application=sent[1], by=admin, grounds=GROUNDS)
    assert refused.value.reason.startswith("You can appeal once the decision for your community")
    assert appeal_position(sent[1], applicant_outcome(sent[1]), is_admin=True) is None
    nothing_lodged()


def test_a_plain_member_or_another_organisation_cannot_appeal(world):
    state = decided(world)
    member = MembershipFactory(organisation=state.loser.organisation, role="member").user
    for person in (member, world.org_b_admin):
        with pytest.raises(AppealError) as refused:
            lodge_appeal(application=state.loser, by=person, grounds=GROUNDS)
        assert refused.value.reason.startswith("Only an administrator of your organisation")
    nothing_lodged()


# --------------------------------------------------------------- reviewing


def test_an_uninvolved_manager_upholds_the_appeal_and_everyone_is_told(world):
    state, appeal = appealed(world)
    reviewer = outsider_manager()
    reasons = "The letters of support were sent in time and were not considered."
    reviewed = review_appeal(appeal=appeal, by=reviewer, outcome="upheld", reasons=reasons)
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.outcome_reasons, appeal.reviewed_by) == (
        "upheld",
        reasons,
        reviewer,
    )
    assert reviewed.reviewed_at is not None
    event = AuditEvent.objects.get(action="grant_appeal.upheld")
    assert (event.from_state, event.to_state, event.reason) == ("waiting", "upheld", reasons)
    [told] = emails_to(state.loser_admin, "The outcome of your appeal about the")
    assert "has been upheld" in told.body_text and reasons in told.body_text
    for manager in (world.manager, reviewer):
        [email] = emails_to(manager, "An appeal was upheld: the decision for the")
        assert "must be made again" in email.body_text


def test_an_appeal_not_upheld_tells_the_applicant_only(world):
    state, appeal = appealed(world)
    review_appeal(
        appeal=appeal,
        by=outsider_manager(),
        outcome="not_upheld",
        reasons="The panel read every letter; the scores reflect them.",
    )
    assert AuditEvent.objects.filter(action="grant_appeal.not_upheld").count() == 1
    [told] = emails_to(state.loser_admin, "The outcome of your appeal")
    assert "has not been upheld. The decision stands." in told.body_text
    assert not Notification.objects.filter(subject__startswith="An appeal was upheld").exists()


def test_each_kind_of_involvement_is_found_and_refused(world):
    """A manager on the panel, one who moderated, one who decided: none may review."""
    panel_manager, moderator, decider = ManagerFactory(), ManagerFactory(), ManagerFactory()
    grant_round, sent = ready_to_decide(world, applications=2)
    on_panel(grant_round, world, panel_manager)
    moderated(sent[0], world.manager, score=4)
    moderated(sent[1], moderator, reason="Looked again at the evidence.")
    offer = assessing.offer_award(
        round_community=sent[0].round_community, application=sent[0], reasons="R.", by=decider
    )
    accept_offer(decision=offer, by=world.org_a_admin, declaration_name="Asha Patel")
    admin = sent[1].organisation.memberships.get(role="admin").user
    appeal = lodge_appeal(application=sent[1], by=admin, grounds=GROUNDS)
    community = sent[0].round_community
    assert involvement(panel_manager, community).on_panel
    assert involvement(moderator, community).moderated
    assert involvement(decider, community).decided
    assert involvement(outsider_manager(), community) == Involvement(False, False, False)
    for person, words in (
        (panel_manager, "You were on the round's assessment panel"),
        (moderator, "You moderated scores for this community"),
        (decider, "You made a decision for this community"),
        (world.manager, "You moderated scores for this community"),
    ):
        with pytest.raises(AppealError) as refused:
            review_appeal(appeal=appeal, by=person, outcome="upheld", reasons="Fine.")
        assert refused.value.reason.startswith(words), refused.value.reason
        assert refused.value.reason.endswith("Nothing was changed.")
    with pytest.raises(AppealError) as refused:
        review_appeal(appeal=appeal, by=world.officer, outcome="upheld", reasons="Fine.")
    assert refused.value.reason == "Only a manager can review an appeal."
    appeal.refresh_from_db()
    assert appeal.outcome == ""
    assert not AuditEvent.objects.filter(action__startswith="grant_appeal.u").exists()


def test_an_appeal_is_reviewed_once(world):
    _, appeal = appealed(world)
    first = outsider_manager()
    review_appeal(appeal=appeal, by=first, outcome="not_upheld", reasons="It stands.")
    with pytest.raises(AppealError) as refused:
        review_appeal(appeal=appeal, by=outsider_manager(), outcome="upheld", reasons="No.")
    assert refused.value.reason == (
        f"This appeal has already been reviewed by {first}: not upheld. Nothing was changed."
    )
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.reviewed_by) == ("not_upheld", first)


@pytest.mark.parametrize(
    "outcome, reasons, field, message",
    [
        ("upheld", "  ", "reasons", "Enter the reasons for the outcome"),
        ("", "Some reasons.", "outcome", "Select whether the appeal is upheld or not upheld"),
    ],
)
def test_a_review_without_an_outcome_or_reasons_changes_nothing(
    world, outcome, reasons, field, message
):
    _, appeal = appealed(world)
    with pytest.raises(AppealError) as refused:
        review_appeal(appeal=appeal, by=outsider_manager(), outcome=outcome, reasons=reasons)
    assert refused.value.problems == {field: message}
    appeal.refresh_from_db()
    assert appeal.outcome == "" and appeal.reviewed_by is None
