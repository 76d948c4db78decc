"""The decision for each community in a round: the award offered to its best-ranked
application, or no award, with reasons. Each is audited.

Locks: the round's community first (then the application), so two managers
deciding one community at once take turns, and the second is told what the
first decided; the database's partial unique constraint (one live decision per
community) holds even if a path forgets. Accepting or declining an offer
(offer_services) and withdrawing an application take the community first too.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record

from . import assessment_rules as marking
from .assessment_checks import (
    NOTHING_CHANGED,
    _live_decision,
    _lock_sent_application,
    _refuse,
    _require_closed,
)
from .assessment_models import Assessment, CommunityDecision, DecisionOutcome
from .assessment_selectors import community_ranking
from .decision_emails import email_offer, tell_the_others
from .models import RoundCommunity
from .rules import when_words


def _lock_round_community(round_community) -> RoundCommunity:
    locked = (
        RoundCommunity.objects.select_for_update(of=("self",))
        .select_related("round", "community")
        .get(pk=round_community.pk)
    )
    _require_closed(locked.round)
    decided = _live_decision(locked.pk)
    if decided is not None:
        _refuse(
            f"The decision for the {locked.community.name} has already been made: "
            f"{decided.get_outcome_display().lower()}"
            + (f" ({decided.application.organisation.name})" if decided.application else "")
            + f". {NOTHING_CHANGED}"
        )
    return locked


def _create_decision(**fields) -> CommunityDecision:
    try:
        with transaction.atomic():
            return CommunityDecision.objects.create(**fields)
    except IntegrityError:
        _refuse(
            f"The decision for this community has just been made by someone else. {NOTHING_CHANGED}"
        )


def _require_no_conflict_in(round_community, by) -> None:
    """A manager who declared a conflict with any application for a community leaves its
    decision to another manager: choosing between competitors is where the conflict bites."""
    if Assessment.objects.filter(
        application__round_community=round_community, assessor=by, has_conflict=True
    ).exists():
        _refuse(
            f"You declared a conflict of interest with an application for the "
            f"{round_community.community.name}, so another manager must decide for it. "
            f"{NOTHING_CHANGED}"
        )


def _require_backing_closed(round_community) -> None:
    """The community's backing is evidence for the decision: not decided while people may
    still back an applicant (and the totals, public once decided, are then complete)."""
    from .voice_models import Consultation, ConsultationKind

    still_open = (
        Consultation.objects.filter(
            kind=ConsultationKind.BACKING,
            round_community=round_community,
            closed_at__isnull=True,
            closes_at__gt=timezone.now(),
        )
        .values_list("closes_at", flat=True)
        .first()
    )
    if still_open is not None:
        _refuse(
            f"The {round_community.community.name} can back an applicant until "
            f"{when_words(still_open)}. Decide once that has closed, with all of its backing. "
            f"{NOTHING_CHANGED}"
        )


@transaction.atomic
def offer_award(*, round_community, application, reasons: str, by) -> CommunityDecision:
    """Offer the community's award to its best-ranked application that may be awarded."""
    if not by.is_manager:
        _refuse("Only a manager can decide the awards.")
    reasons = reasons.strip()
    if not reasons:
        _refuse(
            "Enter the reasons for the decision", {"reasons": "Enter the reasons for the decision"}
        )
    round_community = _lock_round_community(round_community)
    _require_no_conflict_in(round_community, by)
    _require_backing_closed(round_community)
    ranking = community_ranking(round_community)
    allowed = marking.award_decision(ranking, application.pk)
    if not allowed:
        _refuse(f"{allowed.reason} {NOTHING_CHANGED}", {"choice": allowed.reason})
    application = _lock_sent_application(application)
    decision = _create_decision(
        round_community=round_community,
        application=application,
        outcome=DecisionOutcome.OFFERED,
        amount=round_community.round.amount_per_community,
        reasons=reasons,
        decided_by=by,
    )
    record(
        actor=by,
        action="grant_round.award_offered",
        obj=application,
        to_state=decision.outcome,
        reason=reasons,
        data={
            "organisation": application.organisation.name,
            "community": round_community.community.name,
            "amount": str(decision.amount),
        },
    )
    email_offer(decision)
    return decision


@transaction.atomic
def make_no_award(*, round_community, reasons: str, by) -> CommunityDecision:
    """Record that no award is made for a community in this round, with the reasons."""
    if not by.is_manager:
        _refuse("Only a manager can decide the awards.")
    reasons = reasons.strip()
    if not reasons:
        _refuse(
            "Enter the reasons for the decision", {"reasons": "Enter the reasons for the decision"}
        )
    round_community = _lock_round_community(round_community)
    _require_no_conflict_in(round_community, by)
    _require_backing_closed(round_community)
    decision = _create_decision(
        round_community=round_community,
        outcome=DecisionOutcome.NO_AWARD,
        reasons=reasons,
        decided_by=by,
    )
    record(
        actor=by,
        action="grant_round.no_award",
        obj=round_community.round,
        to_state=decision.outcome,
        reason=reasons,
        data={"community": round_community.community.name},
    )
    tell_the_others(round_community)
    return decision
