"""The applicant's answer to an offer of a representation grant, and telling applicants.

Accepting commits the award's whole amount on the round's strand through the
ledger (allowances.award_services: the strand's lock and below-zero guard, as
for packages); a strand with too little left refuses, and nothing changes.
Declining lets a manager offer the next-ranked application. Once a
community's award is accepted, or no award is made, the other applicants are
told, and can read their scores and comments.

Locks: the round's community, then the decision (as deciding takes them),
then the strand inside commit_award.
"""

from django.db import transaction
from django.utils import timezone

from allowances.award_services import AwardRefused, commit_award
from audit.services import record
from organisations.models import Membership

from .application_models import ApplicationStatus
from .assessment_checks import AssessmentError
from .assessment_models import CommunityDecision, DecisionOutcome
from .decision_emails import tell_the_others
from .models import RoundCommunity
from .monitoring_services import create_reports

NOTHING_CHANGED = "Nothing was changed."


def _lock_offer(decision, by) -> CommunityDecision:
    RoundCommunity.objects.select_for_update().get(pk=decision.round_community_id)
    locked = (
        CommunityDecision.objects.select_for_update(of=("self",))
        .select_related(
            "application__organisation",
            "round_community__round__strand",
            "round_community__community",
        )
        .get(pk=decision.pk)
    )
    if locked.outcome != DecisionOutcome.OFFERED:
        raise AssessmentError(
            f"This offer has already been answered ({locked.get_outcome_display().lower()}). "
            f"{NOTHING_CHANGED}"
        )
    organisation = locked.application.organisation
    if not Membership.objects.is_admin(organisation, by):
        raise AssessmentError("Only an administrator of the organisation can answer the offer.")
    if locked.application.status != ApplicationStatus.SUBMITTED:
        raise AssessmentError(f"This application has been withdrawn. {NOTHING_CHANGED}")
    return locked


@transaction.atomic
def accept_offer(*, decision, by, declaration_name: str) -> CommunityDecision:
    """Accept the offer: the award is committed on the ledger, or refused with the reason."""
    declaration_name = declaration_name.strip()
    if not declaration_name:
        raise AssessmentError(
            "Enter your full name to accept", {"full_name": "Enter your full name to accept"}
        )
    decision = _lock_offer(decision, by)
    application = decision.application
    grant_round = decision.round_community.round
    community = decision.round_community.community
    try:
        award = commit_award(
            strand=grant_round.strand,
            organisation=application.organisation,
            amount=decision.amount,
            reference=application.reference,
            title=f"Representation grant: {community.name}",
            starts_on=grant_round.period_starts_on,
            ends_on=grant_round.period_ends_on,
            by=by,
        )
    except AwardRefused as exc:
        raise AssessmentError(
            f"The council cannot commit the award just now: {exc.reason} Contact the council."
        ) from None
    decision.outcome = DecisionOutcome.ACCEPTED
    decision.award = award
    decision.responded_by, decision.responded_at = by, timezone.now()
    decision.declaration_name = declaration_name
    decision.save(
        update_fields=["outcome", "award", "responded_by", "responded_at", "declaration_name"]
    )
    # One monitoring report per instalment: each pays when the council accepts it.
    create_reports(decision)
    record(
        actor=by,
        action="grant_offer.accepted",
        obj=application,
        from_state=DecisionOutcome.OFFERED,
        to_state=DecisionOutcome.ACCEPTED,
        data={
            "organisation": application.organisation.name,
            "community": community.name,
            "amount": str(decision.amount),
            "award": award.pk,
        },
    )
    tell_the_others(decision.round_community, except_application=application)
    return decision


@transaction.atomic
def decline_offer(*, decision, by, reason: str) -> CommunityDecision:
    """Decline the offer, with the reason; a manager may then offer the next-ranked."""
    reason = reason.strip()
    if not reason:
        raise AssessmentError(
            "Enter why you are declining the offer",
            {"reason": "Enter why you are declining the offer"},
        )
    decision = _lock_offer(decision, by)
    decision.outcome = DecisionOutcome.DECLINED
    decision.responded_by, decision.responded_at = by, timezone.now()
    decision.decline_reason = reason
    decision.save(update_fields=["outcome", "responded_by", "responded_at", "decline_reason"])
    record(
        actor=by,
        action="grant_offer.declined",
        obj=decision.application,
        from_state=DecisionOutcome.OFFERED,
        to_state=DecisionOutcome.DECLINED,
        reason=reason,
        data={
            "organisation": decision.application.organisation.name,
            "community": decision.round_community.community.name,
        },
    )
    return decision
