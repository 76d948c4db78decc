"""Pure decisions about providers: no writes, no database needed to test them."""

import re
from datetime import date

from organisations.rules import ALLOWED, Decision

# Words allowed in each long answer of a package application.
WORD_LIMIT = 300
# How long before an insurance certificate's end the provider is warned.
EXPIRY_WARNING_DAYS = 30


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text or ""))


def word_limit_problem(text: str, *, what: str, limit: int = WORD_LIMIT) -> str | None:
    """The GOV.UK message for an answer over its word limit, or None."""
    count = word_count(text)
    if count <= limit:
        return None
    over = count - limit
    return (
        f"{what[0].upper()}{what[1:]} must be {limit} words or fewer. "
        f"You have {count} words: remove {over} word{'s' if over != 1 else ''}"
    )


def in_force(expires_on: date | None, on: date) -> bool:
    """A certificate covers every day up to and including its expiry date."""
    return expires_on is not None and on <= expires_on


def insurance_lapsed(*, expiries: dict[str, date], required: tuple[str, ...], on: date) -> bool:
    """Whether any required certificate (kind -> expiry date) is missing or ended before `on`."""
    return any(not in_force(expiries.get(kind), on) for kind in required)


def expiry_warning(expires_on: date, today: date, days: int = EXPIRY_WARNING_DAYS) -> str:
    """'expired', 'expiring' (within `days`) or '' for a certificate's end date."""
    if not in_force(expires_on, today):
        return "expired"
    if (expires_on - today).days <= days:
        return "expiring"
    return ""


def certificate_problems(
    *, name: str, cover, expires_on: date | None, minimum, today: date
) -> dict[str, str]:
    """What is wrong with an insurance certificate's cover and end date: {field: message}.

    `name` is the insurance in words ("public liability insurance"); cover and
    minimum are in pounds. The end date must be after today (DESIGN.md §4).
    """
    problems = {}
    if cover is not None and cover < minimum:
        problems["cover"] = (
            f"The cover must be at least £{minimum:,.0f}. Enter the amount on your "
            f"{name} certificate, or get more cover"
        )
    if expires_on is not None and expires_on <= today:
        problems["expires_on"] = (
            f"The date the {name} ends must be in the future. Upload your current certificate"
        )
    return problems


def provider_can_take(
    *, approved: bool, lapsed: bool, linked: bool, active: int, capacity: int
) -> Decision:
    """Whether an organisation may choose this provider for a package, and why not.

    `approved`: approved for the package (not suspended or removed); `lapsed`:
    a required insurance certificate has ended; `linked`: same registration
    number as the organisation or a declared conflict of interest; `active`:
    packages it is delivering or has accepted now, against its `capacity`.
    """
    if not approved:
        return Decision(False, "This provider is not approved to deliver this package.")
    if lapsed:
        return Decision(
            False,
            "This provider's approval has lapsed because one of its insurance certificates "
            "has expired. It cannot take new work until it uploads a current certificate.",
        )
    if linked:
        return Decision(
            False,
            "You cannot choose this provider because it is linked to your organisation: it "
            "has the same registration number or has declared a conflict of interest with it.",
        )
    if active >= capacity:
        return Decision(
            False,
            f"This provider is at full capacity: it is delivering {active} "
            f"package{'s' if active != 1 else ''} and can take {capacity} at once.",
        )
    return ALLOWED


# The package application's states and the moves between them, as data: each
# verb, the states it may start from, and where it leads.
APPLICATION_TRANSITIONS = {
    "submit": (("draft",), "submitted"),
    "resubmit": (("more_info",), "submitted"),
    "approve": (("submitted",), "approved"),
    "reject": (("submitted",), "rejected"),
    "ask_for_more_information": (("submitted",), "more_info"),
    "suspend": (("approved",), "suspended"),
    "reinstate": (("suspended",), "approved"),
    "remove": (("approved", "suspended"), "removed"),
}

# Verbs whose officer must say why (the message is stored and sent).
VERBS_NEEDING_REASON = {
    "reject": "Enter the reasons the application is rejected",
    "ask_for_more_information": "Enter the information you need from the provider",
    "suspend": "Enter the reason for suspending the approval",
    "remove": "Enter the reason for removing the approval",
}

_STATE_WORDS = {
    "draft": "is still a draft",
    "submitted": "is waiting for a council officer to assess it",
    "more_info": "is back with the provider for more information",
    "approved": "has already been approved",
    "rejected": "has been rejected",
    "suspended": "is suspended",
    "removed": "has been removed from the register",
}


def state_words(status: str) -> str:
    """'has already been approved': how an application in `status` is described."""
    return _STATE_WORDS.get(status, status)


def application_move(status: str, verb: str) -> Decision:
    """Whether an application in `status` may move by `verb`, and why not."""
    sources, _ = APPLICATION_TRANSITIONS[verb]
    if status in sources:
        return ALLOWED
    return Decision(False, f"This application {state_words(status)}.")
