"""Reads for appeals: where an applicant stands, the managers' list, who took part."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from notifications.deadlines import GRANT_APPEAL, deadline
from organisations.rules import Decision

from . import appeal_rules
from .accountability_models import Appeal
from .application_models import ApplicationStatus
from .assessment_models import CommunityDecision, ModeratedMark, PanelMember


@dataclass(frozen=True)
class AppealPosition:
    """Where an unsuccessful applicant stands: its appeal, or until when it may make one."""

    appeal: Appeal | None
    due_on: date | None
    may_appeal: Decision


def final_told_on(final: CommunityDecision) -> date:
    return appeal_rules.told_on(
        final.outcome, decided_at=final.decided_at, responded_at=final.responded_at
    )


def appeal_position(application, outcome, *, is_admin: bool, today=None) -> AppealPosition | None:
    """For an application whose community's decision is final and went elsewhere; else None.

    `outcome` is assessment_selectors.applicant_outcome's. Queries: the appeal,
    and the deadline (with the days off).
    """
    if not outcome.unsuccessful:
        return None
    today = today or timezone.localdate()
    appeal = Appeal.objects.filter(application=application).select_related("reviewed_by").first()
    due = appeal_rules.appeal_due_on(final_told_on(outcome.final), deadline(GRANT_APPEAL))
    facts = appeal_rules.AppealFacts(
        is_admin=is_admin,
        sent=application.status == ApplicationStatus.SUBMITTED,
        final=outcome.final.outcome,
        awarded_to_this=False,
        already_appealed=appeal is not None,
        due_on=due,
    )
    return AppealPosition(appeal, due, appeal_rules.may_appeal(facts, today))


def appeals_for_managers():
    """Every appeal, those waiting for a review first (oldest first), then the reviewed."""
    return (
        Appeal.objects.select_related(
            "application__organisation",
            "application__round",
            "application__round_community__community",
            "decision__application__organisation",
            "reviewed_by",
        )
        .annotate(
            waiting=Case(
                When(outcome="", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("waiting", "lodged_at", "pk")
    )


def waiting_appeals():
    return Appeal.objects.filter(outcome="")


@dataclass(frozen=True)
class Involvement:
    on_panel: bool
    decided: bool
    moderated: bool


def involvement(user, round_community) -> Involvement:
    """What part `user` took in assessing or deciding a community: three small queries."""
    return Involvement(
        on_panel=PanelMember.objects.filter(
            round_id=round_community.round_id, assessor=user
        ).exists(),
        decided=CommunityDecision.objects.filter(
            round_community=round_community, decided_by=user
        ).exists(),
        moderated=ModeratedMark.objects.filter(
            application__round_community=round_community, moderated_by=user
        ).exists(),
    )


def may_review(user, appeal) -> Decision:
    """Whether `user` may review `appeal` (a manager who took no part in it), and why not."""
    if not user.is_manager:
        return appeal_rules.reviewer_decision(
            is_manager=False, on_panel=False, decided=False, moderated=False
        )
    part = involvement(user, appeal.application.round_community)
    return appeal_rules.reviewer_decision(
        is_manager=True, on_panel=part.on_panel, decided=part.decided, moderated=part.moderated
    )
