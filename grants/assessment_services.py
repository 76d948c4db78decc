"""Every write in assessing a grant round: the panel, declarations, marks and moderation.
Each is audited, except an assessor's unsent marks. The decision for each community
is in decision_services.

Assessing starts when the round closes. Locks are taken in the applying order
(the round, then the application).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record

from . import assessment_rules as marking
from .assessment_checks import (  # noqa: F401 - AssessmentError is imported from here too
    NOTHING_CHANGED,
    AssessmentError,
    _live_decision,
    _lock_sent_application,
    _refuse,
    _require_closed,
    _require_undecided,
)
from .assessment_models import (
    Assessment,
    CriterionMark,
    ModeratedMark,
    PanelMember,
)
from .assessment_selectors import panel_criteria

# Deciding lives in decision_services; re-exported for the callers that use it from here.
from .decision_services import make_no_award, offer_award  # noqa: F401
from .models import GrantRound, RoundCommunity


def is_on_panel(grant_round, user) -> bool:
    return PanelMember.objects.filter(round=grant_round, assessor=user).exists()


# --------------------------------------------------------------- the panel


@transaction.atomic
def add_to_panel(*, grant_round, assessor, by) -> PanelMember:
    """Name a member of council staff to the round's panel."""
    if not by.is_manager:
        _refuse("Only a manager can name the assessment panel.")
    if not (assessor.is_active and assessor.is_officer):
        _refuse("Only council officers and managers can assess applications.")
    grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    if grant_round.status == GrantRound.Status.WITHDRAWN:
        _refuse(f"This round has been withdrawn. {NOTHING_CHANGED}")
    try:
        with transaction.atomic():
            member = PanelMember.objects.create(round=grant_round, assessor=assessor, added_by=by)
    except IntegrityError:
        _refuse(
            f"{assessor} is already on the panel.",
            {"assessor": f"{assessor} is already on the panel"},
        )
    record(
        actor=by,
        action="grant_round.panel_member_added",
        obj=grant_round,
        data={"assessor": str(assessor), "assessor_id": assessor.pk},
    )
    return member


@transaction.atomic
def remove_from_panel(*, member: PanelMember, by) -> None:
    """Take someone off the panel, unless they have begun assessing (what they did stays)."""
    if not by.is_manager:
        _refuse("Only a manager can change the assessment panel.")
    member = (
        PanelMember.objects.select_for_update()
        .select_related("round", "assessor")
        .get(pk=member.pk)
    )
    if Assessment.objects.filter(
        assessor=member.assessor, application__round=member.round
    ).exists():
        _refuse(
            f"{member.assessor} has begun assessing this round, so they stay on the panel: "
            f"their declarations and scores are part of the record. {NOTHING_CHANGED}"
        )
    member.delete()
    record(
        actor=by,
        action="grant_round.panel_member_removed",
        obj=member.round,
        data={"assessor": str(member.assessor), "assessor_id": member.assessor_id},
    )


# --------------------------------------------------------------- assessors


@transaction.atomic
def declare_interest(*, application, by, has_conflict: bool, details: str = "") -> Assessment:
    """An assessor's declaration for one application, before they may see or give scores.

    A declaration of no conflict may later become one of a conflict (the
    assessor's unsent marks are then deleted); a conflict is never taken back.
    """
    application = _lock_sent_application(application)
    _require_closed(application.round)
    if not is_on_panel(application.round, by):
        _refuse("Only the round's assessment panel can assess its applications.")
    details = details.strip()
    if has_conflict and not details:
        _refuse(
            "Describe the conflict of interest",
            {"details": "Describe the conflict of interest"},
        )
    existing = (
        Assessment.objects.select_for_update().filter(application=application, assessor=by).first()
    )
    if existing is not None:
        if existing.has_conflict or not has_conflict:
            _refuse(
                f"You have already declared your interests for this application. {NOTHING_CHANGED}"
            )
        if existing.is_submitted:
            _refuse(
                "You have already sent your scores for this application. Tell the moderator "
                f"about the conflict, who can set your scores aside. {NOTHING_CHANGED}"
            )
        existing.marks.all().delete()
        existing.has_conflict, existing.conflict_details = True, details
        existing.declared_at = timezone.now()
        existing.save(update_fields=["has_conflict", "conflict_details", "declared_at"])
        assessment = existing
    else:
        assessment = Assessment.objects.create(
            application=application,
            assessor=by,
            has_conflict=has_conflict,
            conflict_details=details,
        )
    record(
        actor=by,
        action="grant_assessment.conflict_declared"
        if has_conflict
        else "grant_assessment.no_conflict",
        obj=application,
        reason=details,
        data={"assessor": str(by), "organisation": application.organisation.name},
    )
    return assessment


def _lock_own_assessment(assessment, by) -> Assessment:
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application__round", "application__round_community__community")
        .get(pk=assessment.pk)
    )
    if locked.assessor_id != by.pk:
        _refuse("This is another assessor's assessment.")
    allowed = marking.assessor_may_score(
        on_panel=is_on_panel(locked.application.round, by),
        declared=True,
        conflicted=locked.has_conflict,
    )
    if not allowed:
        _refuse(allowed.reason)
    if locked.is_submitted:
        _refuse(f"You have already sent your scores for this application. {NOTHING_CHANGED}")
    _require_closed(locked.application.round)
    _require_undecided(locked.application)
    return locked


def mark_problems(criteria, values: dict, *, complete: bool) -> dict:
    """Each field's message, for marks given as {criterion id: (mark, comment)}.

    A draft may leave a criterion blank; a complete set needs every mark and comment.
    """
    problems = {}
    for criterion in criteria:
        mark, comment = values.get(criterion.pk, (None, ""))
        given = mark not in (None, "") or comment.strip()
        if not given and not complete:
            continue
        problem = marking.mark_problem(criterion.kind, mark)
        if problem:
            problems[f"mark_{criterion.pk}"] = f"{problem} for {criterion.title}"
        if not comment.strip():
            problems[f"comment_{criterion.pk}"] = f"Enter a comment on {criterion.title}"
    return problems


@transaction.atomic
def save_marks(*, assessment, values: dict, by, send: bool = False) -> Assessment:
    """Save an assessor's marks and comments (a draft may be partial); `send` submits them.

    Sending needs a mark and a comment on every criterion the panel marks,
    and is audited; only then does the assessor see the other assessors' marks.
    """
    assessment = _lock_own_assessment(assessment, by)
    criteria = panel_criteria(assessment.application.round)
    problems = mark_problems(criteria, values, complete=send)
    if problems:
        _refuse(
            "Give a score and a comment for every criterion before you send them"
            if send
            else "Some scores could not be saved",
            problems,
        )
    for criterion in criteria:
        mark, comment = values.get(criterion.pk, (None, ""))
        if mark in (None, "") and not comment.strip():
            CriterionMark.objects.filter(assessment=assessment, criterion=criterion).delete()
            continue
        CriterionMark.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={"mark": int(mark), "comment": comment.strip()},
        )
    if send:
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["submitted_at"])
        application = assessment.application
        record(
            actor=by,
            action="grant_assessment.submitted",
            obj=application,
            data={
                "assessor": str(by),
                "marks": {str(c.pk): int(values[c.pk][0]) for c in criteria},
            },
        )
    return assessment


# --------------------------------------------------------------- moderating


@transaction.atomic
def moderate(*, application, values: dict, by) -> list[ModeratedMark]:
    """The moderator's mark and reason for each criterion, from {criterion id: (mark, reason)}.

    Needs every criterion the panel marks, at least one assessor's sent
    marks, and a reason wherever the moderated mark is not what every
    assessor gave. A moderator with a declared conflict cannot moderate.
    """
    if not by.is_manager:
        _refuse("Only a manager can moderate the scores.")
    # The community first, as deciding takes it: a decision never reads a ranking that a
    # moderation is changing under it.
    if application.round_community_id is not None:
        RoundCommunity.objects.select_for_update().get(pk=application.round_community_id)
    application = _lock_sent_application(application)
    _require_closed(application.round)
    _require_undecided(application)
    if Assessment.objects.filter(application=application, assessor=by, has_conflict=True).exists():
        _refuse(
            "You declared a conflict of interest with this application, so you cannot "
            f"moderate its scores. {NOTHING_CHANGED}"
        )
    if Assessment.objects.filter(
        application=application, assessor=by, has_conflict=False, submitted_at__isnull=True
    ).exists():
        _refuse(
            "You are assessing this application: send your own scores before you moderate "
            f"it. {NOTHING_CHANGED}"
        )
    criteria = panel_criteria(application.round)
    sent = CriterionMark.objects.filter(
        assessment__application=application, assessment__submitted_at__isnull=False
    )
    given: dict[int, list[int]] = {}
    for row in sent.values("criterion_id", "mark"):
        given.setdefault(row["criterion_id"], []).append(row["mark"])
    if not given:
        _refuse(f"No assessor has sent scores for this application yet. {NOTHING_CHANGED}")
    problems = {}
    for criterion in criteria:
        mark, reason = values.get(criterion.pk, (None, ""))
        problem = marking.mark_problem(criterion.kind, mark)
        if problem:
            problems[f"mark_{criterion.pk}"] = f"{problem} for {criterion.title}"
            continue
        problem = marking.moderation_problem(given.get(criterion.pk, []), int(mark), reason)
        if problem:
            problems[f"reason_{criterion.pk}"] = f"{problem} on {criterion.title}"
    if problems:
        _refuse("Some moderated scores need putting right", problems)
    previous = {m.criterion_id: m for m in ModeratedMark.objects.filter(application=application)}
    saved, changes = [], {}
    for criterion in criteria:
        mark, reason = int(values[criterion.pk][0]), values[criterion.pk][1].strip()
        before = previous.get(criterion.pk)
        if before and before.mark == mark and before.reason == reason:
            saved.append(before)
            continue
        moderated, _ = ModeratedMark.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={
                "mark": mark,
                "reason": reason,
                "moderated_by": by,
                "moderated_at": timezone.now(),
            },
        )
        saved.append(moderated)
        changes[criterion.title] = {
            "from": before.mark if before else None,
            "to": mark,
            "reason": reason,
        }
    if changes:
        record(
            actor=by,
            action="grant_application.moderated",
            obj=application,
            data={"organisation": application.organisation.name, "changes": changes},
        )
    return saved
