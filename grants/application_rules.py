"""Pure decisions about applications to a grant round: no writes, no database needed.

The application's moves as data, word counts and limits, the community's size
for the check, the must-haves the service checks itself, and everything that
stops an application being sent, each with the sentence shown to the applicant.
"""

from dataclasses import dataclass
from datetime import datetime

from organisations.rules import Decision

from .rules import CLOSED, OPEN, CityPopulation, based_in_area_decision, community_size_decision
from .rules import when_words as _when_words

DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"

# The application's moves, as data: each verb, the states it may start from, and
# where it leads. One service in grants.application_services per verb. Assessing
# (shortlisted, successful, unsuccessful) adds its own moves in a later slice.
APPLICATION_TRANSITIONS = {
    "submit": ((DRAFT,), SUBMITTED),
    "withdraw": ((DRAFT, SUBMITTED), WITHDRAWN),
}

STATE_WORDS = {
    DRAFT: "is a draft",
    SUBMITTED: "has been sent to the council",
    WITHDRAWN: "has been withdrawn",
}


def application_move(verb: str, status: str) -> Decision:
    """Whether an application in `status` may move by `verb`, and why not."""
    sources, _ = APPLICATION_TRANSITIONS[verb]
    if status in sources:
        return Decision(True)
    return Decision(False, f"This application {STATE_WORDS.get(status, status)}.")


def accepting(phase: str, *, opens_at: datetime, closes_at: datetime) -> Decision:
    """Whether a round in `phase` takes applications (and changes to them) now."""
    if phase == OPEN:
        return Decision(True)
    if phase == CLOSED:
        return Decision(
            False,
            f"This round closed for applications at {_when_words(closes_at)}. "
            "Nothing can be sent or changed after the closing time.",
        )
    if phase == "scheduled":
        return Decision(False, f"This round opens for applications at {_when_words(opens_at)}.")
    return Decision(False, "This round is not open for applications.")


# --------------------------------------------------------------- answers


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces and line breaks."""
    return len(text.split())


def word_limit_problem(text: str, limit: int) -> str | None:
    """The GOV.UK error for an answer over its limit, or None."""
    if word_count(text) > limit:
        return f"Answer must be {limit:,} words or fewer"
    return None


# The must-have the service answers itself from what it knows: no answer is asked for.
ANSWERED_BY_THE_SERVICE = {"based_in_area"}


def needs_answer(automatic_check: str) -> bool:
    return automatic_check not in ANSWERED_BY_THE_SERVICE


# --------------------------------------------------------------- must-haves


def community_size(*, known: int | None, claimed: int | None) -> int | None:
    """The figure the size check uses: the council's own where it has one, else the applicant's."""
    return known if known is not None else claimed


@dataclass(frozen=True)
class CheckedMustHave:
    title: str
    decision: Decision


def automatic_must_haves(
    criteria: list[tuple[str, str]],
    *,
    postcode: str,
    area_table: dict[str, bool],
    area_name: str,
    size: int | None,
    city: CityPopulation,
) -> list[CheckedMustHave]:
    """Each must-have the service checks itself, from (title, automatic_check) pairs, in order."""
    checked = []
    for title, check in criteria:
        if check == "based_in_area":
            decision = based_in_area_decision(postcode, area_table, area_name)
        elif check == "community_size":
            decision = community_size_decision(size, city)
        else:
            continue
        checked.append(CheckedMustHave(title, decision))
    return checked


# --------------------------------------------------------------- before sending


@dataclass(frozen=True)
class ApplicationFacts:
    """What sending checks, read from the application and its rows."""

    status: str
    unanswered: tuple[str, ...]  # titles of criteria with no answer
    missing_evidence: tuple[str, ...]  # labels of required evidence not uploaded
    must_haves: tuple[CheckedMustHave, ...]
    members_waiting: tuple[str, ...]  # consortium members yet to confirm
    members_declined: tuple[str, ...]


def submission_problems(facts: ApplicationFacts) -> list[str]:
    """Every reason the application cannot be sent yet, in words; none means it may be."""
    problems = []
    for check in facts.must_haves:
        if not check.decision:
            problems.append(
                f"{check.title}: {check.decision.reason} An application that does not meet "
                "every must-have cannot be sent."
            )
    problems += [f"Answer the question: {title}" for title in facts.unanswered]
    problems += [f"Upload the {label.lower()}" for label in facts.missing_evidence]
    for name in facts.members_waiting:
        problems.append(
            f"{name} has not yet confirmed it is part of the consortium. Every member must "
            "confirm before the application can be sent"
        )
    for name in facts.members_declined:
        problems.append(
            f"{name} declined to join the consortium. Remove it from the consortium to send "
            "the application"
        )
    return problems
