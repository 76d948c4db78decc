"""Reads for the representatives' public pages and the concern pages: fixed query counts.

What the public may read of a representative is chosen here and nowhere else:
its organisation's name, its community, the grant period, its answers to the
round's representation criteria (its mandate), its accepted reports, and
counts of concerns. Never other answers, evidence, scores, people's names, or
anything a concern says.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When

from .accountability_models import Concern, ConcernOutcome
from .application_models import Answer
from .assessment_models import CommunityDecision, DecisionOutcome
from .concern_rules import AWAITING_RESPONSE, AWAITING_REVIEW, CLOSED, OPEN, UNCONFIRMED
from .models import CriterionSection


def representatives():
    """Every awarded representative (an accepted decision): latest grant period first, then
    by community. One query, with the organisation, community and round."""
    return (
        CommunityDecision.objects.filter(outcome=DecisionOutcome.ACCEPTED)
        .select_related(
            "application__organisation", "round_community__community", "round_community__round"
        )
        .order_by(
            "-round_community__round__period_starts_on",
            "round_community__community__name",
            "pk",
        )
    )


def mandate(decision) -> list[Answer]:
    """The representative's answers to the round's representation criteria, in order: how it
    will represent, gather knowledge, its scope, its channels to feed back, and its appeals."""
    return mandates([decision.application_id])[decision.application_id]


def mandates(application_ids) -> dict[int, list[Answer]]:
    """The published part of each application (its answers to the representation criteria,
    in order), by application id: what the public reads of a representative or, while the
    community backs one, of each applicant. One query."""
    found = {pk: [] for pk in application_ids}
    answers = (
        Answer.objects.filter(
            application_id__in=found, criterion__section=CriterionSection.REPRESENTATION
        )
        .select_related("criterion")
        .order_by("criterion__position", "pk")
    )
    for answer in answers:
        found[answer.application_id].append(answer)
    return found


@dataclass(frozen=True)
class ConcernCounts:
    open: int
    closed: int
    by_outcome: list[tuple[str, int]]  # (the outcome's words, how many), every outcome


def concern_counts(decision) -> ConcernCounts:
    """How many confirmed concerns are open, and how the closed ones ended. One query.

    Unconfirmed concerns are not counted: an address nobody confirmed changes nothing.
    """
    closed = Q(status=CLOSED)
    figures = Concern.objects.filter(representative=decision).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN)),
        closed=Count("pk", filter=closed),
        **{value: Count("pk", filter=closed & Q(outcome=value)) for value in ConcernOutcome.values},
    )
    return ConcernCounts(
        open=figures["open"],
        closed=figures["closed"],
        by_outcome=[(label, figures[value]) for value, label in ConcernOutcome.choices],
    )


def _with_representative(queryset):
    return queryset.select_related(
        "representative__application__organisation",
        "representative__round_community__community",
        "representative__round_community__round",
    )


def confirmed_concerns():
    """Every confirmed concern, with its representative's organisation, community and round."""
    return _with_representative(Concern.objects.exclude(status=UNCONFIRMED))


def concerns_of(organisation):
    """The organisation's confirmed concerns: those waiting for its response first (soonest
    date first), then those with the council, then those closed, newest first."""
    order = Case(
        When(status=AWAITING_RESPONSE, then=Value(0)),
        When(status=AWAITING_REVIEW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        _with_representative(Concern.objects.all())
        .filter(representative__application__organisation=organisation)
        .exclude(status=UNCONFIRMED)
        .annotate(waiting_order=order)
        .order_by("waiting_order", "respond_by", "-confirmed_at", "-pk")
    )


def to_review_condition(today) -> Q:
    """Concerns an officer may decide now: responded to, or past their date without."""
    return Q(status=AWAITING_REVIEW) | Q(status=AWAITING_RESPONSE, respond_by__lt=today)


def concerns_to_review(today):
    """The officers' queue: those with the representative's response first, then those whose
    date passed without one; the longest waiting first in each."""
    order = Case(
        When(status=AWAITING_REVIEW, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        _with_representative(Concern.objects.filter(to_review_condition(today)))
        .annotate(waiting_order=order)
        .order_by("waiting_order", "respond_by", "confirmed_at", "pk")
    )
