"""Rounds whose community's decision is final, with an unsuccessful applicant: what the
appeal and round-report tests share."""

from dataclasses import dataclass

from grants import assessment_services as assessing
from grants.appeal_services import lodge_appeal
from grants.offer_services import accept_offer

from ..factories import ManagerFactory
from .assessing import moderated, ready_to_decide

GROUNDS = "The panel did not consider the letters of support we sent with the application."


@dataclass
class Decided:
    grant_round: object
    winner: object  # organisation A's application (None if no award was made)
    loser: object  # another organisation's application, unsuccessful
    loser_admin: object
    decision: object  # the community's final decision

    @property
    def community(self):
        return self.loser.round_community


def admin_of(application):
    return application.organisation.memberships.get(role="admin").user


def decided(world, *, no_award=False, by=None) -> Decided:
    """A closed round with two applications to one community, scored by the world's officer
    and moderated by the world's manager (organisation A's higher); then the award made
    to A and accepted, or (`no_award`) no award made, by `by` (the world's manager)."""
    by = by or world.manager
    grant_round, sent = ready_to_decide(world, applications=2)
    moderated(sent[0], world.manager, score=4)
    community = sent[0].round_community
    if no_award:
        decision = assessing.make_no_award(
            round_community=community, reasons="Neither showed majority support.", by=by
        )
        winner = None
    else:
        decision = assessing.offer_award(
            round_community=community, application=sent[0], reasons="Ranked first.", by=by
        )
        decision = accept_offer(
            decision=decision, by=world.org_a_admin, declaration_name="Asha Patel"
        )
        winner = sent[0]
    return Decided(grant_round, winner, sent[1], admin_of(sent[1]), decision)


def appealed(world, **kwargs):
    """`decided`, and the unsuccessful applicant's appeal lodged."""
    state = decided(world, **kwargs)
    appeal = lodge_appeal(application=state.loser, by=state.loser_admin, grounds=GROUNDS)
    return state, appeal


def outsider_manager():
    """A manager who took no part in assessing or deciding anything."""
    return ManagerFactory()
