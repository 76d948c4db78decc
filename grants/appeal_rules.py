"""Pure decisions about appeals against a grant decision: no writes, no database needed.

An unsuccessful applicant may appeal its community's final decision (the
award accepted by another applicant, or no award made) within the
`grant_appeal` deadline, counted from the day it was told; a manager who took
no part in assessing or deciding the community reviews it. Each answer comes
with the sentence shown to the person.
"""

from dataclasses import dataclass
from datetime import date, datetime

from diagnostics.rules import long_date
from notifications.rules import DeadlineRule
from organisations.rules import Decision

from .application_rules import word_count
from .rules import in_london

ACCEPTED, NO_AWARD = "accepted", "no_award"
GROUNDS_WORD_LIMIT = 500
REASONS_WORD_LIMIT = 1000

# An appeal's states, as data: waiting for a review, then upheld or not. The state is
# read from the outcome column ("" while waiting); one service reviews it.
WAITING, UPHELD, NOT_UPHELD = "waiting", "upheld", "not_upheld"
APPEAL_TRANSITIONS = {
    "uphold": ((WAITING,), UPHELD),
    "not_uphold": ((WAITING,), NOT_UPHELD),
}
VERB_FOR = {UPHELD: "uphold", NOT_UPHELD: "not_uphold"}
STATE_WORDS = {
    WAITING: "Waiting for a review",
    UPHELD: "Upheld",
    NOT_UPHELD: "Not upheld",
}


def appeal_state(outcome: str) -> str:
    return outcome or WAITING


def appeal_move(verb: str, state: str, *, reviewed_by: str = "") -> Decision:
    """Whether an appeal in `state` may move by `verb`, and why not."""
    sources, _ = APPEAL_TRANSITIONS[verb]
    if state in sources:
        return Decision(True)
    who = f" by {reviewed_by}" if reviewed_by else ""
    return Decision(
        False,
        f"This appeal has already been reviewed{who}: {STATE_WORDS[state].lower()}. "
        "Nothing was changed.",
    )


# --------------------------------------------------------------- lodging


def told_on(outcome: str, *, decided_at: datetime, responded_at: datetime | None) -> date:
    """The day the other applicants were told the community's final decision (London date).

    They are told when the winner accepts its offer (offer_services.accept_offer), or when
    no award is made (decision_services.make_no_award).
    """
    if outcome == ACCEPTED:
        if responded_at is None:
            raise ValueError("An accepted decision has the time it was accepted")
        return in_london(responded_at).date()
    if outcome == NO_AWARD:
        return in_london(decided_at).date()
    raise ValueError(f"A decision {outcome!r} is not final")


def appeal_due_on(told: date, rule: DeadlineRule) -> date:
    """The last day an appeal is accepted: the deadline counted from the day it was told."""
    return rule.due_on(told)


@dataclass(frozen=True)
class AppealFacts:
    """What lodging an appeal checks, read from the application and its community."""

    is_admin: bool
    sent: bool  # the application was sent and not withdrawn
    final: str | None  # the community's final decision's outcome, if there is one
    awarded_to_this: bool  # the final decision is this application's award
    already_appealed: bool
    due_on: date | None  # None until there is a final decision


def may_appeal(facts: AppealFacts, today: date) -> Decision:
    """Whether the applicant may appeal today, and why not."""
    if not facts.sent:
        return Decision(False, "Only an application that was sent, and not withdrawn, can appeal.")
    if facts.final is None:
        return Decision(False, "You can appeal once the decision for your community is final.")
    if facts.awarded_to_this:
        return Decision(False, "Your application was successful, so there is nothing to appeal.")
    if facts.already_appealed:
        return Decision(
            False,
            "Your organisation has already appealed this decision. An application can be "
            "appealed once.",
        )
    if facts.due_on is not None and today > facts.due_on:
        return Decision(
            False,
            f"The time to appeal ended on {long_date(facts.due_on)}. Appeals are not accepted "
            "after that date.",
        )
    if not facts.is_admin:
        by = f", by {long_date(facts.due_on)}" if facts.due_on else ""
        return Decision(False, f"Only an administrator of your organisation can appeal{by}.")
    return Decision(True)


def grounds_problem(text: str) -> str | None:
    """The GOV.UK error for the grounds, or None."""
    if not text.strip():
        return "Enter the grounds for your appeal"
    if word_count(text) > GROUNDS_WORD_LIMIT:
        return f"The grounds must be {GROUNDS_WORD_LIMIT:,} words or fewer"
    return None


# --------------------------------------------------------------- reviewing


def reviewer_decision(
    *, is_manager: bool, on_panel: bool, decided: bool, moderated: bool
) -> Decision:
    """Whether a member of staff may review an appeal: a manager who took no part in it."""
    if not is_manager:
        return Decision(False, "Only a manager can review an appeal.")
    part = (
        "were on the round's assessment panel"
        if on_panel
        else "made a decision for this community"
        if decided
        else "moderated scores for this community"
        if moderated
        else ""
    )
    if part:
        return Decision(
            False,
            f"You {part}, so you cannot review this appeal. A manager who took no part in "
            "assessing or deciding it must review it.",
        )
    return Decision(True)


def review_problems(outcome: str, reasons: str) -> dict[str, str]:
    """Each field's GOV.UK error for a review, by field name."""
    problems = {}
    if outcome not in (UPHELD, NOT_UPHELD):
        problems["outcome"] = "Select whether the appeal is upheld or not upheld"
    if not reasons.strip():
        problems["reasons"] = "Enter the reasons for the outcome"
    elif word_count(reasons) > REASONS_WORD_LIMIT:
        problems["reasons"] = f"The reasons must be {REASONS_WORD_LIMIT:,} words or fewer"
    return problems
