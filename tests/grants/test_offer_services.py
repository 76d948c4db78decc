"""Answering an offer: accepting commits the award through the ledger; declining frees the
community for the next-ranked; the other applicants are told once the award is final."""

from decimal import Decimal

import pytest

from allowances.models import BudgetStrand, LedgerEntry, StrandAward, StrandTotal
from audit.models import AuditEvent
from grants import assessment_services as assessing
from grants.application_services import ApplicationError, withdraw_application
from grants.assessment_models import CommunityDecision, DecisionOutcome
from grants.assessment_selectors import applicant_outcome
from grants.assessment_services import AssessmentError
from grants.offer_services import accept_offer, decline_offer
from notifications.models import Notification

from .assessing import declared, moderated, on_panel, ready_to_decide

pytestmark = pytest.mark.django_db


def offered(world, *, applications=2):
    """A closed round, `applications` ranked (organisation A's first), the award offered to A."""
    grant_round, sent = ready_to_decide(world, applications=applications)
    # Organisation A's is moderated higher than the others.
    moderated(sent[0], world.manager, score=4)
    community = sent[0].round_community
    decision = assessing.offer_award(
        round_community=community, application=sent[0], reasons="Ranked first.", by=world.manager
    )
    return grant_round, sent, decision


def outcome_emails(application):
    return Notification.objects.filter(
        subject__startswith="The outcome of your application", recipient__in=admins_of(application)
    )


def admins_of(application):
    return [m.user.email for m in application.organisation.memberships.filter(role="admin")]


def test_offering_emails_the_applicants_administrators(world):
    _, sent, decision = offered(world)
    assert decision.outcome == DecisionOutcome.OFFERED and decision.amount > 0
    assert Notification.objects.filter(
        subject__startswith="You have been offered a representation grant",
        recipient=world.org_a_admin.email,
    ).exists()
    # Nobody is told they were unsuccessful until the award is final.
    assert not outcome_emails(sent[1]).exists()


def test_accepting_commits_the_award_on_the_rounds_strand_through_the_ledger(world):
    grant_round, sent, decision = offered(world)
    strand = grant_round.strand
    total = StrandTotal.objects.filter(strand=strand).first()
    before = total.commitments if total else Decimal("0.00")
    accept_offer(decision=decision, by=world.org_a_admin, declaration_name="Asha Patel")
    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.ACCEPTED
    award = StrandAward.objects.get(pk=decision.award_id)
    assert (award.strand_id, award.organisation_id, award.amount) == (
        strand.pk,
        sent[0].organisation_id,
        decision.amount,
    )
    assert award.reference == sent[0].reference
    entry = LedgerEntry.objects.get(award=award)
    assert entry.kind == "commitment" and entry.amount == decision.amount
    assert StrandTotal.objects.get(strand=strand).commitments == before + decision.amount
    assert AuditEvent.objects.filter(action="grant_offer.accepted").count() == 1
    # The other applicant is told, and sees their scores.
    assert outcome_emails(sent[1]).exists()
    seen = applicant_outcome(sent[1])
    assert seen.unsuccessful and seen.feedback
    assert all(row.moderated is not None for row in seen.feedback)
    assert not applicant_outcome(sent[0]).unsuccessful


def test_a_strand_without_enough_left_refuses_the_acceptance_and_nothing_changes(world):
    grant_round, _, decision = offered(world)
    strand = BudgetStrand.objects.get(pk=grant_round.strand_id)
    # Something else has taken the strand down to less than the award since the offer.
    used = StrandTotal.objects.filter(strand=strand).first()
    committed = used.commitments - used.releases + used.spent if used else Decimal(0)
    BudgetStrand.objects.filter(pk=strand.pk).update(amount=committed + decision.amount - 1)
    entries = LedgerEntry.objects.count()
    with pytest.raises(AssessmentError, match="cannot commit the award just now"):
        accept_offer(decision=decision, by=world.org_a_admin, declaration_name="Asha Patel")
    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.OFFERED and decision.award_id is None
    assert LedgerEntry.objects.count() == entries and not StrandAward.objects.exists()


def test_only_an_administrator_of_the_organisation_answers(world):
    _, _, decision = offered(world)
    for person in (world.org_a_member, world.org_b_admin):
        with pytest.raises(AssessmentError, match="Only an administrator"):
            accept_offer(decision=decision, by=person, declaration_name="Someone")
    assert CommunityDecision.objects.get(pk=decision.pk).outcome == DecisionOutcome.OFFERED


def test_accepting_needs_a_name_and_an_offer_is_answered_once(world):
    _, _, decision = offered(world)
    with pytest.raises(AssessmentError, match="Enter your full name"):
        accept_offer(decision=decision, by=world.org_a_admin, declaration_name="  ")
    decline_offer(decision=decision, by=world.org_a_admin, reason="We cannot take it on now.")
    with pytest.raises(AssessmentError, match="already been answered"):
        accept_offer(decision=decision, by=world.org_a_admin, declaration_name="Asha Patel")
    assert not StrandAward.objects.exists()


def test_declining_needs_a_reason_and_lets_the_manager_offer_the_next_ranked(world):
    _, sent, decision = offered(world)
    with pytest.raises(AssessmentError, match="Enter why you are declining"):
        decline_offer(decision=decision, by=world.org_a_admin, reason="")
    decline_offer(decision=decision, by=world.org_a_admin, reason="We cannot take it on now.")
    assert AuditEvent.objects.filter(action="grant_offer.declined").count() == 1
    community = sent[0].round_community
    # Organisation A's declined application is out of the running: the next is first now.
    with pytest.raises(AssessmentError, match="not one of this community's"):
        assessing.offer_award(
            round_community=community, application=sent[0], reasons="Again", by=world.manager
        )
    second = assessing.offer_award(
        round_community=community, application=sent[1], reasons="Next ranked.", by=world.manager
    )
    assert second.outcome == DecisionOutcome.OFFERED
    assert applicant_outcome(sent[0]).declined is not None


def test_a_manager_conflicted_with_any_application_in_the_community_cannot_decide_it(world):
    grant_round, sent = ready_to_decide(world, applications=2)
    on_panel(grant_round, world, world.manager)
    declared(sent[1], world.manager, conflict=True)
    community = sent[0].round_community
    for decide in (
        lambda: assessing.offer_award(
            round_community=community, application=sent[0], reasons="First.", by=world.manager
        ),
        lambda: assessing.make_no_award(round_community=community, reasons="No.", by=world.manager),
    ):
        with pytest.raises(AssessmentError, match="another manager must decide for it"):
            decide()
    assert not CommunityDecision.objects.exists()


def test_withdrawing_an_application_holding_an_offer_declines_it_and_frees_the_community(world):
    _, sent, decision = offered(world)
    withdraw_application(application=sent[0], by=world.org_a_admin, reason="Merging.")
    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.DECLINED
    assert decision.decline_reason == "The application was withdrawn: Merging."
    assert AuditEvent.objects.filter(action="grant_offer.declined", object_id=str(sent[0].pk))
    second = assessing.offer_award(
        round_community=sent[0].round_community,
        application=sent[1],
        reasons="Next ranked.",
        by=world.manager,
    )
    assert second.outcome == DecisionOutcome.OFFERED


def test_an_application_whose_grant_is_accepted_cannot_be_withdrawn(world):
    _, sent, decision = offered(world)
    accept_offer(decision=decision, by=world.org_a_admin, declaration_name="Asha Patel")
    with pytest.raises(ApplicationError, match="Contact the council to end the grant"):
        withdraw_application(application=sent[0], by=world.org_a_admin, reason="Changed mind.")
    sent[0].refresh_from_db()
    assert sent[0].status == "submitted"
