"""Reads for assessing: each a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from . import assessment_rules as marking
from .application_models import Answer, Application, ApplicationStatus
from .assessment_models import (
    LIVE_OUTCOMES,
    Assessment,
    CommunityDecision,
    CriterionMark,
    DecisionOutcome,
    ModeratedMark,
    PanelMember,
)
from .models import GrantRound, RoundCommunity, RoundCriterion


def panel_criteria(grant_round) -> list[RoundCriterion]:
    """The criteria the panel marks, in order: scored, and must-haves the service cannot check."""
    return [
        c
        for c in RoundCriterion.objects.filter(round=grant_round).order_by("position")
        if marking.marked_by_panel(c.kind, c.automatic_check)
    ]


def panel_of(grant_round):
    return PanelMember.objects.filter(round=grant_round).select_related("assessor", "added_by")


def staff_to_add(grant_round):
    """Active officers and managers not yet on the round's panel, by name."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, role__in=[User.Role.OFFICER, User.Role.MANAGER])
        .exclude(grant_panels__round=grant_round)
        .order_by("full_name", "email")
    )


def assessor_queue(user, now=None):
    """Sent applications in closed rounds whose panel the person is on, with their own progress."""
    now = now or timezone.now()
    mine = Assessment.objects.filter(application=OuterRef("pk"), assessor=user)
    return (
        Application.objects.filter(
            status=ApplicationStatus.SUBMITTED,
            round__status=GrantRound.Status.PUBLISHED,
            round__closes_at__lte=now,
            round__panel__assessor=user,
        )
        .select_related("round", "organisation", "round_community__community")
        .annotate(
            my_conflict=Subquery(mine.values("has_conflict")[:1]),
            my_submitted_at=Subquery(mine.values("submitted_at")[:1]),
            decided=Exists(
                CommunityDecision.objects.filter(
                    round_community=OuterRef("round_community"), outcome__in=LIVE_OUTCOMES
                )
            ),
        )
        .order_by("-round__closes_at", "round_id", "round_community__community__name", "pk")
    )


def assessor_to_do(user, now=None):
    """The person's queue still to do: not declared, or declared no conflict and not sent,
    in communities not yet decided (their home page counts these)."""
    return (
        assessor_queue(user, now)
        .exclude(my_conflict=True)
        .filter(my_submitted_at__isnull=True, decided=False)
    )


def progress_words(application) -> tuple[str, str]:
    """The assessor's next step on an application in their queue: (words, tag colour)."""
    if application.my_conflict is None:
        return "Declare interests", "govuk-tag--blue"
    if application.my_conflict:
        return "Conflict declared", "govuk-tag--grey"
    if application.my_submitted_at is None:
        return ("Decided" if application.decided else "To score"), "govuk-tag--yellow"
    return "Scores sent", "govuk-tag--green"


@dataclass
class SheetRow:
    """One criterion on a marking or moderation page."""

    criterion: RoundCriterion
    answer: str
    marks: list = field(default_factory=list)  # the assessors' sent CriterionMarks
    own: CriterionMark | None = None
    moderated: ModeratedMark | None = None

    @property
    def values(self) -> list[int]:
        return [m.mark for m in self.marks]

    @property
    def spread(self) -> int:
        return marking.spread(self.values)

    @property
    def disagree(self) -> bool:
        return marking.disagree(self.values)

    @property
    def suggested(self) -> int | None:
        return marking.suggested_mark(self.criterion.kind, self.values)


def _answers(application) -> dict[int, str]:
    return dict(Answer.objects.filter(application=application).values_list("criterion_id", "text"))


def marking_sheet(application, assessment) -> list[SheetRow]:
    """The assessor's own marks beside each answer; the others' only once theirs are sent.

    Queries: the criteria, the answers, the own marks, and (after sending) the others'.
    """
    criteria = panel_criteria(application.round)
    answers = _answers(application)
    own = {m.criterion_id: m for m in CriterionMark.objects.filter(assessment=assessment)}
    rows = [SheetRow(c, answers.get(c.pk, ""), own=own.get(c.pk)) for c in criteria]
    if assessment.is_submitted:
        _attach_sent_marks(application, rows)
    return rows


def _attach_sent_marks(application, rows) -> None:
    by_criterion: dict[int, list] = {}
    sent = (
        CriterionMark.objects.filter(
            assessment__application=application, assessment__submitted_at__isnull=False
        )
        .select_related("assessment__assessor")
        .order_by("assessment__assessor__full_name", "assessment__assessor__email")
    )
    for mark in sent:
        by_criterion.setdefault(mark.criterion_id, []).append(mark)
    for row in rows:
        row.marks = by_criterion.get(row.criterion.pk, [])


def moderation_sheet(application) -> list[SheetRow]:
    """Every assessor's sent marks side by side, the spread, and the moderated mark.

    Queries: the criteria, the answers, the sent marks with their assessors, the moderated marks.
    """
    criteria = panel_criteria(application.round)
    answers = _answers(application)
    moderated = {m.criterion_id: m for m in ModeratedMark.objects.filter(application=application)}
    rows = [SheetRow(c, answers.get(c.pk, ""), moderated=moderated.get(c.pk)) for c in criteria]
    _attach_sent_marks(application, rows)
    return rows


def assessments_of(application):
    """Who has declared what on an application, with their assessors (for the moderator)."""
    return Assessment.objects.filter(application=application).select_related("assessor")


def live_decision(round_community_id) -> CommunityDecision | None:
    return (
        CommunityDecision.objects.filter(
            round_community_id=round_community_id, outcome__in=LIVE_OUTCOMES
        )
        .select_related("application__organisation", "decided_by")
        .first()
    )


# --------------------------------------------------------------- ranking


def _weights(criteria) -> list[marking.CriterionWeight]:
    return [
        marking.CriterionWeight(c.pk, c.title, c.kind, c.weight, c.minimum_score) for c in criteria
    ]


def _rank(applications, criteria, moderated_rows) -> list[marking.Ranked]:
    marks: dict[int, dict] = {}
    for application_id, criterion_id, mark in moderated_rows:
        marks.setdefault(application_id, {})[criterion_id] = mark
    candidates = [marking.Candidate(a.pk, a.reference, marks.get(a.pk, {})) for a in applications]
    return marking.rank(candidates, _weights(criteria))


def _contenders(queryset):
    """Sent applications still in the running: not withdrawn, and no offer they declined."""
    return queryset.filter(status=ApplicationStatus.SUBMITTED).exclude(
        decisions__outcome=DecisionOutcome.DECLINED
    )


def community_ranking(round_community) -> list[marking.Ranked]:
    """One community's ranking (used when deciding, under the community's lock)."""
    criteria = panel_criteria(round_community.round)
    applications = list(_contenders(Application.objects.filter(round_community=round_community)))
    moderated = ModeratedMark.objects.filter(
        application__in=[a.pk for a in applications]
    ).values_list("application_id", "criterion_id", "mark")
    return _rank(applications, criteria, moderated)


@dataclass
class CommunityRanking:
    round_community: RoundCommunity
    rows: list  # (Ranked, Application) pairs, best first
    decision: CommunityDecision | None

    @property
    def best(self):
        return next((a for r, a in self.rows if r.may_be_awarded and r.position == 1), None)


def round_rankings(grant_round) -> list[CommunityRanking]:
    """Each community's applications, ranked, with its live decision.

    Queries: the criteria, the communities, the contenders with their
    organisations, the moderated marks, the live decisions.
    """
    criteria = panel_criteria(grant_round)
    communities = list(RoundCommunity.objects.filter(round=grant_round).select_related("community"))
    applications = list(
        _contenders(Application.objects.filter(round=grant_round, round_community__isnull=False))
        .select_related("organisation")
        .order_by("pk")
    )
    moderated = ModeratedMark.objects.filter(application__round=grant_round).values_list(
        "application_id", "criterion_id", "mark"
    )
    moderated = list(moderated)
    decisions = {
        d.round_community_id: d
        for d in CommunityDecision.objects.filter(
            round_community__round=grant_round, outcome__in=LIVE_OUTCOMES
        ).select_related("application__organisation")
    }
    by_community: dict[int, list] = {}
    for application in applications:
        by_community.setdefault(application.round_community_id, []).append(application)
    result = []
    for rc in communities:
        mine = by_community.get(rc.pk, [])
        ids = {a.pk for a in mine}
        ranked = _rank(mine, criteria, [row for row in moderated if row[0] in ids])
        lookup = {a.pk: a for a in mine}
        result.append(
            CommunityRanking(
                rc, [(r, lookup[r.application_id]) for r in ranked], decisions.get(rc.pk)
            )
        )
    return result


def conflicted_communities(grant_round, user) -> set[int]:
    """The round's communities in which `user` declared a conflict with an application: they
    see neither its scores on the ranking nor a way to decide it. One query."""
    return set(
        Assessment.objects.filter(
            application__round=grant_round, assessor=user, has_conflict=True
        ).values_list("application__round_community_id", flat=True)
    )


def proposed_waiting(grant_round):
    """Sent applications for communities proposed by the applicant (not in the ranking)."""
    return Application.objects.filter(
        Q(round=grant_round, round_community__isnull=True, status=ApplicationStatus.SUBMITTED)
    ).select_related("organisation")


# --------------------------------------------------------------- what the applicant sees


FINAL = [DecisionOutcome.ACCEPTED, DecisionOutcome.NO_AWARD]


@dataclass
class Outcome:
    """An applicant's view of the decision: their offer, and once the community's award is
    final (accepted, or none made), their scores and comments if they were not successful."""

    offer: CommunityDecision | None = None  # theirs, waiting for an answer
    accepted: CommunityDecision | None = None
    declined: CommunityDecision | None = None
    final: CommunityDecision | None = None  # the community's final decision
    feedback: list = field(default_factory=list)  # SheetRows with moderated marks, comments

    @property
    def unsuccessful(self) -> bool:
        return self.final is not None and self.accepted is None


def applicant_outcome(application) -> Outcome:
    """Queries: the decisions on the community; and, for feedback, the moderation sheet's."""
    outcome = Outcome()
    if application.round_community_id is None or application.submitted_at is None:
        return outcome
    decisions = CommunityDecision.objects.filter(
        round_community_id=application.round_community_id
    ).select_related("application__organisation", "award")
    for decision in decisions:
        mine = decision.application_id == application.pk
        if mine and decision.outcome == DecisionOutcome.OFFERED:
            outcome.offer = decision
        elif mine and decision.outcome == DecisionOutcome.ACCEPTED:
            outcome.accepted = decision
        elif mine and decision.outcome == DecisionOutcome.DECLINED:
            outcome.declined = decision
        if decision.outcome in FINAL:
            outcome.final = decision
    if outcome.unsuccessful:
        outcome.feedback = moderation_sheet(application)
    return outcome
