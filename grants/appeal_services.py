"""Appeals against a community's final decision: lodging one, and a manager's review.

Lodging locks the application, so two administrators sending at once cannot
make two appeals (the one-to-one column backs this); it re-reads the
community's final decision and the deadline inside the transaction, so an
appeal sent after the last day is refused even from a form opened before it.
Reviewing locks the appeal, so two managers reviewing at once take turns and
the second is told what the first decided. Both are audited on the
application (its history then tells the whole story); emails go to the
outbox in the same transaction, sent after it commits.

An upheld appeal is recorded and the managers are told that the community's
decision must be made again; reopening the decision is not automated here.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from notifications.deadlines import GRANT_APPEAL, deadline
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership, User

from . import appeal_rules
from .accountability_models import Appeal
from .appeal_selectors import final_told_on, involvement
from .application_models import Application, ApplicationStatus
from .assessment_models import CommunityDecision, DecisionOutcome

NOTHING_CHANGED = "Nothing was changed."
FINAL = [DecisionOutcome.ACCEPTED, DecisionOutcome.NO_AWARD]


class AppealError(Exception):
    """A refused change: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


def _final_decision(application) -> CommunityDecision | None:
    if application.round_community_id is None:
        return None
    return (
        CommunityDecision.objects.filter(
            round_community_id=application.round_community_id, outcome__in=FINAL
        )
        .select_related("round_community__community")
        .first()
    )


def _review_url(appeal) -> str:
    return absolute_url(reverse("grants:appeal_review", args=[appeal.pk]))


@transaction.atomic
def lodge_appeal(*, application, by, grounds: str, today=None) -> Appeal:
    """The applicant's appeal, with its grounds, within the deadline; once per application."""
    today = today or timezone.localdate()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "round", "round_community__community")
        .get(pk=application.pk)
    )
    final = _final_decision(application)
    due = None
    if final is not None:
        due = appeal_rules.appeal_due_on(final_told_on(final), deadline(GRANT_APPEAL))
    facts = appeal_rules.AppealFacts(
        is_admin=Membership.objects.is_admin(application.organisation, by),
        sent=application.status == ApplicationStatus.SUBMITTED,
        final=final.outcome if final else None,
        awarded_to_this=final is not None and final.application_id == application.pk,
        already_appealed=Appeal.objects.filter(application=application).exists(),
        due_on=due,
    )
    allowed = appeal_rules.may_appeal(facts, today)
    if not allowed:
        raise AppealError(f"{allowed.reason} {NOTHING_CHANGED}")
    grounds = grounds.strip()
    problem = appeal_rules.grounds_problem(grounds)
    if problem:
        raise AppealError(problem, {"grounds": problem})
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                application=application, decision=final, grounds=grounds, lodged_by=by
            )
    except IntegrityError:
        raise AppealError(
            f"Your organisation has already appealed this decision. {NOTHING_CHANGED}"
        ) from None
    record(
        actor=by,
        action="grant_appeal.lodged",
        obj=application,
        to_state=appeal_rules.WAITING,
        data={
            "organisation": application.organisation.name,
            "community": application.community_name,
            "decision": final.outcome,
            "appeal": appeal.pk,
            "due_on": due.isoformat(),
        },
    )
    queue_for_each(
        User.objects.managers(),
        template="grant_appeal_lodged",
        context={
            "appeal": appeal,
            "grant_application": application,
            "organisation": application.organisation,
            "url": _review_url(appeal),
        },
        kind="grants:appeal",
    )
    return appeal


@transaction.atomic
def review_appeal(*, appeal, by, outcome: str, reasons: str) -> Appeal:
    """A manager who took no part in the community's assessment records the outcome and why."""
    if not by.is_manager:
        raise AppealError("Only a manager can review an appeal.")
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related(
            "application__organisation",
            "application__round",
            "application__round_community__community",
        )
        .get(pk=appeal.pk)
    )
    # Who reviewed it is read after the lock, not joined into the locking query: a row
    # joined there keeps its value from before the wait (None), not the winner's.
    state = appeal_rules.appeal_state(appeal.outcome)
    verb = appeal_rules.VERB_FOR.get(outcome, "uphold")
    moved = appeal_rules.appeal_move(verb, state, reviewed_by=str(appeal.reviewed_by or ""))
    if not moved:
        raise AppealError(moved.reason)
    part = involvement(by, appeal.application.round_community)
    allowed = appeal_rules.reviewer_decision(
        is_manager=True, on_panel=part.on_panel, decided=part.decided, moderated=part.moderated
    )
    if not allowed:
        raise AppealError(f"{allowed.reason} {NOTHING_CHANGED}")
    reasons = reasons.strip()
    problems = appeal_rules.review_problems(outcome, reasons)
    if problems:
        raise AppealError(next(iter(problems.values())), problems)
    appeal.outcome, appeal.outcome_reasons = outcome, reasons
    appeal.reviewed_by, appeal.reviewed_at = by, timezone.now()
    appeal.save(update_fields=["outcome", "outcome_reasons", "reviewed_by", "reviewed_at"])
    application = appeal.application
    record(
        actor=by,
        action="grant_appeal.upheld"
        if outcome == appeal_rules.UPHELD
        else "grant_appeal.not_upheld",
        obj=application,
        from_state=state,
        to_state=outcome,
        reason=reasons,
        data={
            "organisation": application.organisation.name,
            "community": application.community_name,
            "appeal": appeal.pk,
        },
    )
    context = {
        "appeal": appeal,
        "grant_application": application,
        "organisation": application.organisation,
    }
    queue_for_each(
        Membership.objects.admin_users(application.organisation),
        template="grant_appeal_outcome",
        context=context,
        kind="grants:appeal",
    )
    if outcome == appeal_rules.UPHELD:
        queue_for_each(
            User.objects.managers(),
            template="grant_appeal_upheld",
            context={**context, "url": _review_url(appeal)},
            kind="grants:appeal",
        )
    return appeal
