"""Pure decisions about concerns ("I feel misrepresented"): no writes, no database needed.

A concern's moves as data; the word limit; the rate limits and the hashes they
count by; how long the confirmation link lasts; when an officer may review;
which reminder, if any, the representative is due. Each refusal comes with
the sentence shown to the person, word for word.
"""

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from diagnostics.rules import long_date
from notifications.rules import DeadlineRule
from organisations.rules import Decision

from .application_rules import word_count
from .rules import when_words

UNCONFIRMED = "unconfirmed"
AWAITING_RESPONSE = "awaiting_response"
AWAITING_REVIEW = "awaiting_review"
CLOSED = "closed"

# The concern's moves, as data: from each state, where it may go. One service in
# grants.concern_services per move. An officer may close a concern still waiting
# for a response once the representative's date has passed (may_review).
CONCERN_TRANSITIONS: dict[str, set[str]] = {
    UNCONFIRMED: {AWAITING_RESPONSE},
    AWAITING_RESPONSE: {AWAITING_REVIEW, CLOSED},
    AWAITING_REVIEW: {CLOSED},
}

# Confirmed concerns that have not had their outcome yet: what "open" means publicly.
OPEN = (AWAITING_RESPONSE, AWAITING_REVIEW)

_STATE_WORDS = {
    UNCONFIRMED: "has not been confirmed yet",
    AWAITING_RESPONSE: "is waiting for the representative's response",
    AWAITING_REVIEW: "has the representative's response and is waiting for the council",
    CLOSED: "already has an outcome",
}

NOTHING_CHANGED = "Nothing was changed."


def concern_move(status: str, to: str) -> Decision:
    """Whether a concern in `status` may move to `to`, and why not."""
    if to in CONCERN_TRANSITIONS.get(status, set()):
        return Decision(True)
    return Decision(False, f"This concern {_STATE_WORDS.get(status, status)}. {NOTHING_CHANGED}")


# --------------------------------------------------------------- what the person writes

WHAT_HAPPENED_WORDS = 500
RESPONSE_WORDS = 1000
# Words are counted, but one "word" could be megabytes: characters are capped too.
MAX_CHARACTERS = 10_000


def word_limit_problem(text: str, limit: int, what: str) -> str | None:
    """The GOV.UK character-count error for `what` over `limit` words (or MAX_CHARACTERS
    characters), or None."""
    if word_count(text) > limit:
        return f"{what} must be {limit:,} words or fewer"
    if len(text) > MAX_CHARACTERS:
        return f"{what} must be {MAX_CHARACTERS:,} characters or fewer"
    return None


# --------------------------------------------------------------- rate limits

# Counted in the database from the concerns themselves (nothing else to keep):
# per email address over a day, per network source over an hour.
EMAIL_LIMIT = 3
EMAIL_WINDOW = timedelta(hours=24)
SOURCE_LIMIT = 10
SOURCE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Recent:
    """How many concerns came from one email address or source in its window, and the
    oldest of them (when the next one will be allowed is the oldest plus the window)."""

    count: int
    oldest: datetime | None = None


def email_limit_reached(by_email: Recent) -> bool:
    """Whether this email address has had its concerns for the day (confirmed or not).

    Never said on the page: "you have raised 3 concerns with this address" would
    tell anyone who typed a stranger's address that it had been used. The person
    sees the same "check your email" page, and no email is sent, so that nobody
    can flood someone's inbox with confirmation links either.
    """
    return by_email.count >= EMAIL_LIMIT


def source_limit_decision(by_source: Recent) -> Decision:
    """Whether one more concern may come from this network now, and if not, when it may."""
    if by_source.count >= SOURCE_LIMIT:
        return Decision(
            False,
            f"{SOURCE_LIMIT} concerns have been raised from your network in the last hour, "
            f"which is the most we accept. You can raise another from "
            f"{when_words(by_source.oldest + SOURCE_WINDOW)}.",
        )
    return Decision(True)


def network_of(ip_address: str) -> str:
    """The network a request came from: the IPv4 address itself, or an IPv6 address's /64
    (one household or phone is given a whole /64, so its addresses count as one)."""
    try:
        address = ipaddress.ip_address((ip_address or "").strip())
    except ValueError:
        return ip_address or ""
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def source_hash(ip_address: str, key: str) -> str:
    """The network source, unreadable without the key: HMAC-SHA256 of `network_of(address)`.

    Keyed, so the 4 billion IPv4 addresses cannot be hashed in turn to undo it.
    """
    network = network_of(ip_address)
    return hmac.new(key.encode(), network.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """What is stored of the link's token: its SHA-256. The token is only in the email."""
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------- confirming

CONFIRM_WITHIN = timedelta(hours=24)


def link_decision(*, status: str | None, created_at: datetime | None, now: datetime) -> Decision:
    """Whether a confirmation link (the concern it found, if any) may still confirm."""
    if status is None:
        return Decision(
            False,
            "This link is not valid. Check that you copied the whole link from the email.",
        )
    if status != UNCONFIRMED:
        return Decision(False, "This link has already been used: your concern is confirmed.")
    if now >= created_at + CONFIRM_WITHIN:
        return Decision(
            False,
            "This link has expired: links work for 24 hours. Your concern was not sent to the "
            "representative. You can raise it again.",
        )
    return Decision(True)


# --------------------------------------------------------------- the council's review


def may_review(*, status: str, respond_by: date | None, today: date) -> Decision:
    """Whether an officer may record the outcome now.

    Once the representative has responded; or, without a response, once the
    date it had to respond by has passed. Not before: it must have its chance.
    """
    if status == AWAITING_REVIEW:
        return Decision(True)
    if status == AWAITING_RESPONSE:
        if respond_by is not None and today > respond_by:
            return Decision(True)
        day = long_date(respond_by) if respond_by else "its date"
        return Decision(
            False,
            f"The representative has until {day} to respond. You can record the outcome once "
            "it has responded, or after that date without a response.",
        )
    return Decision(False, f"This concern {_STATE_WORDS.get(status, status)}. {NOTHING_CHANGED}")


# --------------------------------------------------------------- reminders

REMINDER, MISSED = "reminder", "missed"


def reminder_kind(
    rule: DeadlineRule, *, respond_by: date, reminded_on: date | None, today: date
) -> str | None:
    """Which notice a representative still waiting to respond is due today, if any.

    The reminder before the date (once: `reminded_on` set), and once after it is
    missed (a reminder on or before the date does not count as that notice).
    """
    if rule.is_missed(respond_by, today):
        if reminded_on is None or reminded_on <= respond_by:
            return MISSED
        return None
    if reminded_on is None and rule.reminder_due(respond_by, today):
        return REMINDER
    return None
