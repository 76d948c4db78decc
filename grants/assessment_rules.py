"""Pure decisions about assessing a grant round: no writes, no database needed.

Which criteria the panel marks, whether a score or a moderated score is
acceptable, where assessors disagree, and the ranking of a community's
applications from the weighted moderated scores, each with the sentence shown.

A scored criterion is marked on the round's scale (0 to 4). A must-have the
service cannot check itself is marked by the panel as met (1) or not met (0),
stored in the same column so that one table holds every mark.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from organisations.rules import Decision

from .rules import SCALE_MAX, SCALE_MIN

MUST_HAVE, SCORED = "must_have", "scored"
NOT_MET, MET = 0, 1
MUST_HAVE_WORDS = {MET: "Met", NOT_MET: "Not met"}

# Assessors who differ by this much on a criterion are shown to the moderator.
DISAGREEMENT = 2


def marked_by_panel(kind: str, automatic_check: str) -> bool:
    """Scored criteria, and must-haves the service does not check itself."""
    return kind == SCORED or not automatic_check


def marks_for(kind: str) -> range:
    return range(SCALE_MIN, SCALE_MAX + 1) if kind == SCORED else range(NOT_MET, MET + 1)


def mark_problem(kind: str, value) -> str | None:
    """The GOV.UK error for a mark outside the scale (or not met/met), or None."""
    allowed = marks_for(kind)
    if value is None or value == "":
        return "Select a score" if kind == SCORED else "Select whether the must-have is met"
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number not in allowed:
        if kind == SCORED:
            return f"Score must be a whole number from {allowed[0]} to {allowed[-1]}"
        return "Select whether the must-have is met"
    return None


def mark_words(kind: str, value: int | None) -> str:
    if value is None:
        return "Not marked"
    return str(value) if kind == SCORED else MUST_HAVE_WORDS[value]


# --------------------------------------------------------------- assessors


def assessor_may_score(*, on_panel: bool, declared: bool, conflicted: bool) -> Decision:
    """Whether an assessor may open an application's marking page, and why not."""
    if not on_panel:
        return Decision(False, "Only the round's assessment panel can score its applications.")
    if not declared:
        return Decision(
            False, "Declare whether you have a conflict of interest before you score this."
        )
    if conflicted:
        return Decision(
            False,
            "You declared a conflict of interest with this application, so you cannot see "
            "or give its scores.",
        )
    return Decision(True)


def spread(marks: list[int]) -> int:
    return max(marks) - min(marks) if marks else 0


def disagree(marks: list[int]) -> bool:
    return spread(marks) >= DISAGREEMENT


def suggested_mark(kind: str, marks: list[int]) -> int | None:
    """The mean of the assessors' marks rounded half up (a must-have: met only if all say so)."""
    if not marks:
        return None
    if kind == MUST_HAVE:
        return MET if all(m == MET for m in marks) else NOT_MET
    mean = Decimal(sum(marks)) / len(marks)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def moderation_problem(marks: list[int], moderated: int, reason: str) -> str | None:
    """A moderated mark needs a reason unless every assessor gave that very mark."""
    if reason.strip():
        return None
    if marks and all(m == moderated for m in marks):
        return None
    return "Give the reason for the moderated score: the assessors did not all give it"


# --------------------------------------------------------------- ranking


@dataclass(frozen=True)
class CriterionWeight:
    criterion_id: int
    title: str
    kind: str
    weight: int | None = None
    minimum: int | None = None


@dataclass(frozen=True)
class Candidate:
    """One application to a community, as the ranking sees it."""

    application_id: int
    reference: str
    moderated: dict  # criterion id -> moderated mark


@dataclass(frozen=True)
class Ranked:
    application_id: int
    reference: str
    total: Decimal | None  # weighted score out of 100, or None until fully moderated
    position: int | None  # 1 for the best; equal totals share a position
    may_be_awarded: bool
    reasons: tuple[str, ...] = field(default=())  # why it may not be awarded (yet)


def weighted_total(moderated: dict, criteria: list[CriterionWeight]) -> Decimal | None:
    """The weighted moderated score out of 100, to one decimal place; None if any is missing."""
    scored = [c for c in criteria if c.kind == SCORED]
    if not scored or any(c.criterion_id not in moderated for c in scored):
        return None
    got = sum(moderated[c.criterion_id] * (c.weight or 1) for c in scored)
    best = sum(SCALE_MAX * (c.weight or 1) for c in scored)
    return (Decimal(100) * got / best).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def award_problems(moderated: dict, criteria: list[CriterionWeight]) -> tuple[str, ...]:
    """Why an application may not be awarded: missing moderation, a must-have, a minimum."""
    problems = []
    missing = [c.title for c in criteria if c.criterion_id not in moderated]
    if missing:
        problems.append(f"Not moderated yet: {', '.join(missing)}")
    for c in criteria:
        mark = moderated.get(c.criterion_id)
        if mark is None:
            continue
        if c.kind == MUST_HAVE and mark != MET:
            problems.append(f"Does not meet the must-have: {c.title}")
        elif c.kind == SCORED and c.minimum is not None and mark < c.minimum:
            problems.append(f"Scored {mark} on {c.title}, below the minimum of {c.minimum}")
    return tuple(problems)


def rank(candidates: list[Candidate], criteria: list[CriterionWeight]) -> list[Ranked]:
    """A community's applications, best first: those that may be awarded, by weighted total
    (equal totals share a position, by reference within it), then the rest by reference."""
    rows = []
    for c in candidates:
        problems = award_problems(c.moderated, criteria)
        total = weighted_total(c.moderated, criteria)
        rows.append((c, total, problems))
    awardable = sorted(
        (r for r in rows if not r[2]), key=lambda r: (-(r[1] or Decimal(0)), r[0].reference)
    )
    others = sorted((r for r in rows if r[2]), key=lambda r: r[0].reference)
    ranked, position, previous = [], 0, None
    for index, (c, total, _) in enumerate(awardable, start=1):
        # The first always opens position 1, even with no total (a round scoring nothing).
        if index == 1 or total != previous:
            position, previous = index, total
        ranked.append(Ranked(c.application_id, c.reference, total, position, True))
    for c, total, problems in others:
        ranked.append(Ranked(c.application_id, c.reference, total, None, False, problems))
    return ranked


def award_decision(ranking: list[Ranked], application_id: int) -> Decision:
    """Whether the manager may offer the award to this application: the best that may be."""
    by_id = {r.application_id: r for r in ranking}
    chosen = by_id.get(application_id)
    if chosen is None:
        return Decision(False, "That application is not one of this community's.")
    if not chosen.may_be_awarded:
        return Decision(False, f"{chosen.reference} cannot be awarded: {chosen.reasons[0]}.")
    if chosen.position != 1:
        return Decision(
            False,
            f"{chosen.reference} is not ranked first. Offer the award to the best-ranked "
            "application, or record that no award is made, with reasons.",
        )
    return Decision(True)
