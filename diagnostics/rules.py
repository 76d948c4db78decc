"""Pure decisions about eligibility: no writes, no database needed."""

from dataclasses import dataclass
from datetime import date

from organisations.rules import Decision, postcode_in_area


def long_date(day: date) -> str:
    """1 April 2026: the GOV.UK style for dates."""
    return f"{day.day} {day:%B %Y}"


def eligibility_decision(
    *,
    organisation_name: str,
    on: date,
    outcome: str | None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    decided_on: date | None = None,
) -> Decision:
    """Whether the latest decision (its fields, or None if there is none) holds on `on`."""
    if outcome is None:
        return Decision(
            False,
            f"{organisation_name} has no eligibility decision yet. A council officer must "
            "find it eligible before packages can be agreed.",
        )
    if outcome != "eligible":
        return Decision(
            False,
            f"{organisation_name} was found not eligible on {long_date(decided_on)}. "
            "It must be found eligible before packages can be agreed.",
        )
    if on < valid_from:
        return Decision(
            False,
            f"{organisation_name}'s eligibility starts on {long_date(valid_from)}, "
            f"after {long_date(on)}.",
        )
    if on > valid_until:
        return Decision(
            False,
            f"{organisation_name}'s eligibility expired on {long_date(valid_until)}. "
            "It must be renewed before packages can be agreed.",
        )
    return Decision(True, f"{organisation_name} is eligible until {long_date(valid_until)}.")


# --- Eligibility applications (issue 3)

PASS, FAIL, OFFICER = "pass", "fail", "officer"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one criterion's automatic check, with the reason in words."""

    outcome: str  # PASS, FAIL or OFFICER (an officer judges)
    reason: str

    @property
    def label(self) -> str:
        return {PASS: "Met", FAIL: "Not met", OFFICER: "Officer to judge"}[self.outcome]


def check_answer(
    *,
    check_kind: str,
    value: str | None,
    accepted: list[str],
    fail_reason: str,
    area_table: dict[str, bool],
    area_name: str,
) -> CheckResult:
    """Run one criterion's automatic check on an answer (None if unanswered)."""
    if value in (None, ""):
        return CheckResult(FAIL, "Not answered.")
    if check_kind == "answer_in":
        if value in accepted:
            return CheckResult(PASS, "The answer meets the criterion.")
        return CheckResult(FAIL, fail_reason or "The answer does not meet the criterion.")
    if check_kind == "postcode_in_area":
        if postcode_in_area(value, area_table):
            return CheckResult(PASS, f"{value} is in {area_name}'s area.")
        return CheckResult(FAIL, fail_reason or f"{value} is outside {area_name}'s area.")
    return CheckResult(OFFICER, "An officer judges this from the answer and the evidence.")


# The application's states and the moves between them, as data: each verb,
# the states it may start from, and where it leads.
APPLICATION_TRANSITIONS = {
    "submit": (("draft", "more_info"), "submitted"),
    "find_eligible": (("submitted",), "eligible"),
    "find_not_eligible": (("submitted",), "not_eligible"),
    "ask_for_more_information": (("submitted",), "more_info"),
}

_STATE_WORDS = {
    "draft": "is still a draft",
    "submitted": "has been sent to the council",
    "more_info": "is back with the organisation for more information",
    "eligible": "has already been decided: eligible",
    "not_eligible": "has already been decided: not eligible",
}


def application_move(status: str, verb: str) -> Decision:
    """Whether an application in `status` may move by `verb`, and why not."""
    sources, _ = APPLICATION_TRANSITIONS[verb]
    if status in sources:
        return Decision(True)
    return Decision(False, f"This application {_STATE_WORDS.get(status, status)}.")


def missing_for_submission(
    *, unanswered: list[str], missing_evidence: list[str], failed: list[str]
) -> list[str]:
    """What stops an application being sent, one sentence each."""
    problems = [f"Answer the question: {title}" for title in unanswered]
    problems += [f"Upload the {kind.lower()}" for kind in missing_evidence]
    problems += [f"{reason}" for reason in failed]
    return problems


# --- The diagnostic (issue 3)

SCALE = {
    1: "not in place",
    2: "started",
    3: "in place",
    4: "embedded and reviewed",
}
# A theme scoring below this needs support; the packages mapped to it are candidates.
NEEDS_SUPPORT_BELOW = 3


def valid_score(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in SCALE


def theme_score(scores: list[int]) -> float | None:
    """The mean of a theme's statement scores, to one decimal place; None if unscored."""
    scored = [s for s in scores if s is not None]
    if not scored:
        return None
    return round(sum(scored) / len(scored), 1)


def format_score(score: float) -> str:
    return f"{score:g}"


@dataclass(frozen=True)
class ThemeResult:
    """A theme's final result, as the ranking needs it (no database objects)."""

    name: str
    score: float | None
    # (statement short name, final score) for each statement.
    statements: tuple[tuple[str, int | None], ...] = ()
    is_priority: bool = False
    packages: tuple[str, ...] = ()  # package slugs mapped to the theme


@dataclass(frozen=True)
class Ranked:
    package: str
    rank: int
    reason: str


def theme_reason(theme: ThemeResult) -> str:
    """'Financial management scored 1 of 4: cash-flow forecasting not in place'."""
    weakest = sorted(
        (score, short) for short, score in theme.statements if score is not None and score < 3
    )
    lowest = [f"{short} {SCALE[score]}" for score, short in weakest[:2]]
    reason = f"{theme.name} scored {format_score(theme.score)} of 4"
    if lowest:
        reason += ": " + "; ".join(lowest)
    if theme.is_priority:
        reason += " (one of your priorities)"
    return reason


def rank_packages(themes: list[ThemeResult]) -> list[Ranked]:
    """Packages for the weakest themes first, each with the reasons it is recommended.

    A theme needs support if it scores below NEEDS_SUPPORT_BELOW. A priority
    theme counts as half a point weaker, so between two equal scores the
    organisation's priority comes first. A package mapped to several weak themes
    ranks by its weakest and gives every reason. Ties keep the themes' order,
    then put the package mapped to fewer themes first.
    """
    best: dict[str, tuple[float, int]] = {}
    reasons: dict[str, list[str]] = {}
    for order, theme in enumerate(themes):
        if theme.score is None or theme.score >= NEEDS_SUPPORT_BELOW:
            continue
        key = (theme.score - (0.5 if theme.is_priority else 0), order)
        for package in theme.packages:
            if package not in best or key < best[package]:
                best[package] = key
            reasons.setdefault(package, []).append(theme_reason(theme))
    # Between packages for the same theme, the more specific one (mapped to
    # fewer themes) comes first: Financial Sustainability before Professional
    # Support for a weak finance theme.
    reach = {p: sum(p in t.packages for t in themes) for p in best}
    ordered = sorted(best, key=lambda p: (*best[p], reach[p]))
    return [
        Ranked(package=p, rank=i, reason=". ".join(reasons[p]) + ".")
        for i, p in enumerate(ordered, start=1)
    ]


@dataclass(frozen=True)
class ThemeChange:
    slug: str
    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def words(self) -> str:
        change = self.change
        if change is None:
            return "Not comparable"
        if change > 0:
            return f"Up {format_score(change)}"
        if change < 0:
            return f"Down {format_score(-change)}"
        return "No change"


def distance_travelled(
    before: dict[str, float | None], after: dict[str, float | None], names: dict[str, str]
) -> list[ThemeChange]:
    """Each theme's change between two diagnostics, matched by theme slug across versions."""
    slugs = [s for s in dict.fromkeys([*names, *before, *after]) if s in before or s in after]
    return [
        ThemeChange(slug=s, name=names.get(s, s), before=before.get(s), after=after.get(s))
        for s in slugs
    ]


@dataclass(frozen=True)
class ChangeSummary:
    mean_change: float | None
    improved: int
    worse: int


def summarise_changes(changes: list[ThemeChange]) -> ChangeSummary:
    """The average change across comparable themes, and how many went up and down."""
    deltas = [c.change for c in changes if c.change is not None]
    mean = round(sum(deltas) / len(deltas), 1) if deltas else None
    return ChangeSummary(mean, sum(d > 0 for d in deltas), sum(d < 0 for d in deltas))


# The diagnostic's states and moves, as data.
DIAGNOSTIC_TRANSITIONS = {
    "submit_self_assessment": (("self_assessment",), "awaiting_session"),
    "book_session": (("self_assessment", "awaiting_session", "session_booked"), "session_booked"),
    "adjust_score": (("awaiting_session", "session_booked"), None),  # no move
    "complete": (("awaiting_session", "session_booked"), "completed"),
    "change_recommendations": (("completed",), None),
}

_DIAGNOSTIC_WORDS = {
    "self_assessment": "the organisation has not finished its self-assessment",
    "awaiting_session": "the self-assessment has already been sent",
    "session_booked": "the self-assessment has already been sent",
    "completed": "this diagnostic is already completed",
}


def diagnostic_move(status: str, verb: str) -> Decision:
    sources, _ = DIAGNOSTIC_TRANSITIONS[verb]
    if status in sources:
        return Decision(True)
    return Decision(False, f"You cannot do this now: {_DIAGNOSTIC_WORDS.get(status, status)}.")


def session_needs_confirming(booked_for: date | None, today: date) -> bool:
    """Completing before the booked day: the officer must confirm the session took place."""
    return booked_for is not None and booked_for > today


def session_held_on(
    *, booked_for: date | None, given: date | None, today: date, started_on: date
) -> tuple[date | None, str]:
    """The day a diagnostic's session took place, or None and the sentence saying why not.

    The officer's date when given; else the booked day once it has come, or
    today when no session was booked. A diagnostic completed before its booked
    day needs the real date: reports date the diagnostic by it.
    """
    if given is None:
        if session_needs_confirming(booked_for, today):
            return None, (
                f"The session was booked for {long_date(booked_for)}, which has not come yet. "
                "Confirm the date the session took place"
            )
        return booked_for or today, ""
    if given > today:
        return None, "The date the session took place must be today or in the past"
    if given < started_on:
        return None, (
            "The date the session took place must be on or after "
            f"{long_date(started_on)}, when the self-assessment was started"
        )
    return given, ""


def diagnostic_progress(
    *,
    status: str | None,
    eligible: bool,
    expired: bool,
    today: date,
    session_date: date | None = None,
    held_on: date | None = None,
) -> str:
    """The sentence under the diagnostic's status on the organisation's home page.

    `status` is the latest diagnostic's (None if there is none); `eligible`,
    whether eligibility holds today; `expired`, whether it has run out.
    """
    if status is None:
        if eligible:
            return "Your organisation is eligible: the next step is your self-assessment."
        if expired:
            return "Renew your eligibility before you start a self-assessment."
        return "Once your organisation is found eligible, you complete a self-assessment."
    if status == "self_assessment":
        return "Finish your self-assessment and send it to the council."
    if status == "awaiting_session":
        return "A council officer will contact you to book your diagnostic session."
    if status == "session_booked":
        if session_date is None or session_date > today:
            when = f"on {long_date(session_date)}" if session_date else "booked"
            return f"Your diagnostic session is {when}."
        if session_date == today:
            return "Your diagnostic session is today."
        return (
            f"Your diagnostic session was on {long_date(session_date)}. The council officer "
            "will now complete your diagnostic and recommend support packages."
        )
    held = f" on {long_date(held_on)}" if held_on else ""
    return (
        f"Your diagnostic session took place{held}. "
        "Your report shows the support packages recommended for you."
    )


def postcode_difference(*, registered: str, answered: str) -> str:
    """The sentence flagging that an application's postcode is not the registered one, or ""."""
    if not answered or answered.replace(" ", "").upper() == registered.replace(" ", "").upper():
        return ""
    return (
        f"The postcode in the application ({answered}) is not the organisation's "
        f"registered postcode ({registered}). Check where the organisation is based "
        "or mainly works."
    )


# --- Managers: questionnaire versions


def questionnaire_change(*, number: int, is_published: bool, diagnostics: int) -> Decision:
    """Whether a questionnaire version may still be changed: only an unused draft may."""
    if is_published:
        return Decision(
            False,
            f"Version {number} is published, so it cannot be changed. "
            "Start a new draft version instead.",
        )
    if diagnostics:
        return Decision(
            False,
            f"Version {number} has diagnostics answered on it, so it cannot be changed. "
            "Start a new draft version instead.",
        )
    return Decision(True, f"Version {number} is a draft, so it can be changed.")


# Days before an eligible decision's last day at which its organisation is reminded.
EXPIRY_REMINDER_DAYS = (60, 14)


def expiry_reminder_due(days_left: int, reminder_days=EXPIRY_REMINDER_DAYS) -> int | None:
    """Which reminder (by default 60 or 14 days before) is due with `days_left` to go, or None.

    The nearest one not yet passed, so a day the job did not run is caught up
    the next day rather than lost: with 59 days left the 60-day reminder is
    due; with 10 left, the 14-day one. None once the decision has ended.
    `reminder_days` comes from the managers' deadlines (notifications.deadlines).
    """
    due = [d for d in reminder_days if 0 <= days_left <= d]
    return min(due) if due else None
