"""Pure decisions about the community's voice (backing and verdicts): no writes, no database.

The voice's moves as data; the window; the one-voice rule and the keyed hashes
it counts by; the confirmation link; the rate limits and the flags raised to
the moderator; the postcode; the verdict's windows and result. Each refusal
comes with the sentence shown to the person, ready for translation.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from notifications.rules import add_months
from organisations.rules import Decision, postcode_in_area
from organisations.validators import compact_input, plain_text

from .concern_rules import network_of, source_hash, token_hash, word_limit_problem  # noqa: F401
from .rules import when_words

UNCONFIRMED, COUNTED, SET_ASIDE = "unconfirmed", "counted", "set_aside"
WAITING, APPROVED, WITHHELD = "waiting", "approved", "withheld"

# A voice's moves, as data: one service in grants.voice_services per move. A set-aside
# voice can be counted again (the moderator changed their mind, with a reason).
VOICE_TRANSITIONS: dict[str, set[str]] = {
    UNCONFIRMED: {COUNTED},
    COUNTED: {SET_ASIDE},
    SET_ASIDE: {COUNTED},
}

# A comment's moves: an officer checks each one before assessors see it.
COMMENT_TRANSITIONS: dict[str, set[str]] = {
    WAITING: {APPROVED, WITHHELD},
    APPROVED: {WITHHELD},
    WITHHELD: {APPROVED},
}


def voice_move(status: str, to: str) -> Decision:
    if to in VOICE_TRANSITIONS.get(status, set()):
        return Decision(True)
    words = {
        UNCONFIRMED: _("has not been confirmed yet"),
        COUNTED: _("is already counted"),
        SET_ASIDE: _("is already set aside"),
    }.get(status, status)
    return Decision(False, _("This response %(state)s. Nothing was changed.") % {"state": words})


def comment_move(status: str, to: str) -> Decision:
    if to in COMMENT_TRANSITIONS.get(status, set()):
        return Decision(True)
    return Decision(False, _("This comment has already been checked. Nothing was changed."))


# --------------------------------------------------------------- the window


def backing_window(round_closes_at: datetime, days: int) -> tuple[datetime, datetime]:
    """When the community may back an applicant: from the round's close, for `days` days."""
    return round_closes_at, round_closes_at + timedelta(days=days)


def window_decision(
    *, opens_at: datetime, closes_at: datetime, closed: bool, now: datetime
) -> Decision:
    """Whether a voice may be recorded now. Checked again in the transaction that records it."""
    if now < opens_at:
        return Decision(
            False,
            _("This opens on %(when)s. Nothing was recorded.") % {"when": when_words(opens_at)},
        )
    if closed or now >= closes_at:
        return Decision(
            False,
            _("This closed on %(when)s. Nothing was recorded.") % {"when": when_words(closes_at)},
        )
    return Decision(True)


# --------------------------------------------------------------- who: the one-voice rule


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# Providers where dots in the name part do not matter: a.b@gmail.com is ab@gmail.com.
DOTS_IGNORED = frozenset({"gmail.com", "googlemail.com"})


def identity_email(email: str) -> str:
    """The mailbox behind an address, for the one-voice rule: in lower case, without a
    "+tag" (name+anything@ reaches name@ at most providers), and for Gmail without dots
    and with googlemail.com as gmail.com. Emails still go to the address as given."""
    name, _at, domain = normalise_email(email).rpartition("@")
    if not name:
        return normalise_email(email)
    name = name.split("+", 1)[0]
    if domain in DOTS_IGNORED:
        name, domain = name.replace(".", ""), "gmail.com"
    return f"{name}@{domain}"


def normalise_postcode(postcode: str) -> str:
    """ "le2 4ab" and "LE24AB" as "LE2 4AB": the inward code is always three characters
    (organisations.validators' plain_text reads what was pasted with it). Lenient, unlike
    validators.normalise_postcode: postcode_problem says what is wrong."""
    typed = compact_input(plain_text(postcode))
    if len(typed) < 5:
        return typed
    return f"{typed[:-3]} {typed[-3:]}"


def postcode_district(postcode: str) -> str:
    """The outward code ("LE2"): all that is kept of where the person lives, works or studies."""
    return normalise_postcode(postcode).split(" ")[0][:4]


def _keyed(text: str, key: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def person_hash(email: str, key: str) -> str:
    """Who a voice is, for the one-voice rule: HMAC-SHA256 of the address in lower case.

    Keyed (with a key of its own, not the database's), so that a list of addresses
    cannot be hashed to find out who backed whom.
    """
    return _keyed("email:" + identity_email(email), key)


def assisted_person_hash(*, email: str, name: str, postcode: str, key: str) -> str:
    """An assisted voice: by its email address where there is one, otherwise by the
    name and full postcode (two people of one name at one postcode are rare)."""
    if normalise_email(email):
        return person_hash(email, key)  # by the mailbox, as online
    name = " ".join((name or "").lower().split())
    return _keyed(f"name:{name}|{normalise_postcode(postcode)}", key)


CREATE, REPLACE = "create", "replace"


def one_voice(existing_status: str | None) -> str:
    """What a newly confirmed voice does: a first voice is counted; a second from the same
    person replaces the first's choice (a set-aside voice stays set aside)."""
    return CREATE if existing_status is None else REPLACE


# --------------------------------------------------------------- where: the postcode


def postcode_problem(postcode: str, table: dict[str, bool], area_name: str) -> str | None:
    """The error for a postcode that is missing, malformed or outside the council's area."""
    postcode = normalise_postcode(postcode)
    if not postcode:
        return _("Enter the postcode where you live, work or study")
    parts = postcode.split(" ")
    if len(parts) != 2 or not (2 <= len(parts[0]) <= 4) or not parts[0][0].isalpha():
        return _("Enter a full UK postcode, like LE1 6ZG")
    if not postcode_in_area(postcode, table):
        return _(
            "%(postcode)s is not in %(area)s. Only people who live, work or study in "
            "%(area)s can take part"
        ) % {"postcode": postcode, "area": area_name}
    return None


# --------------------------------------------------------------- what: the comment

COMMENT_WORDS = 200


def comment_problem(comment: str) -> str | None:
    return word_limit_problem(comment, COMMENT_WORDS, _("Your comment"))


# --------------------------------------------------------------- the link

CONFIRM_WITHIN = timedelta(hours=2)


def link_decision(*, status: str | None, created_at: datetime | None, now: datetime) -> Decision:
    """Whether a confirmation link (the unconfirmed voice it found, if any) may still confirm.

    A used link cannot be told from an unknown one: confirming clears the token (or deletes
    the voice it was on), so no voice is found. The one sentence covers both, and says
    nothing about what the person chose, nor whether it counts (it may stay set aside).
    A voice past unconfirmed with its token kept cannot be stored (voice_confirmed_has_time);
    it is refused here too, so that this rule alone never lets a link confirm twice.
    """
    if status is None:
        return Decision(
            False,
            _(
                "This link is not valid. It may have been used already: if you confirmed "
                "your response with it, your response is recorded, and to change it you can "
                "respond again. If not, check that you copied the whole link from the email."
            ),
        )
    if status != UNCONFIRMED:
        return Decision(
            False,
            _(
                "This link has already been used: your response is recorded, and counted "
                "unless the council has set it aside."
            ),
        )
    if now >= created_at + CONFIRM_WITHIN:
        return Decision(
            False,
            _(
                "This link has expired: links work for 2 hours. Nothing was recorded. "
                "You can respond again."
            ),
        )
    return Decision(True)


# --------------------------------------------------------------- rate limits

# Per person (by hash) over a day: quiet, as for concerns (saying so would tell anyone
# who typed a stranger's address that it had been used, and no email is sent). Per
# network over an hour: said.
PERSON_LIMIT = 5
PERSON_WINDOW = timedelta(hours=24)
SOURCE_LIMIT = 20
SOURCE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Recent:
    count: int
    oldest: datetime | None = None


def person_limit_reached(by_person: Recent) -> bool:
    return by_person.count >= PERSON_LIMIT


def source_limit_decision(by_source: Recent) -> Decision:
    if by_source.count >= SOURCE_LIMIT:
        return Decision(
            False,
            _(
                "%(limit)s responses have been sent from your network in the last hour, which "
                "is the most we accept. You can send another from %(when)s."
            )
            % {"limit": SOURCE_LIMIT, "when": when_words(by_source.oldest + SOURCE_WINDOW)},
        )
    return Decision(True)


# --------------------------------------------------------------- flags to the moderator

# A burst: this many confirmed voices in one consultation from one network in an hour.
BURST = 5
BURST_WINDOW = timedelta(hours=1)
# Many addresses at one domain that is not a common email provider.
DOMAIN_SHARE = 5
COMMON_PROVIDERS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "me.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
    }
)
# Throwaway addresses: flagged every time.
THROWAWAY_DOMAINS = frozenset(
    {
        "10minutemail.com",
        "discard.email",
        "dispostable.com",
        "getnada.com",
        "guerrillamail.com",
        "maildrop.cc",
        "mailinator.com",
        "sharklasers.com",
        "temp-mail.org",
        "tempmail.com",
        "throwawaymail.com",
        "trashmail.com",
        "yopmail.com",
    }
)


def email_domain(email: str) -> str:
    return normalise_email(email).rpartition("@")[2]


def flag_for(*, from_source_in_hour: int, domain: str, from_domain: int) -> str:
    """Why a newly confirmed voice is flagged to the moderator, or "".

    `from_source_in_hour`: confirmed voices in this consultation from the same
    network in the last hour, this one included; `from_domain`: voices in it at
    the same email domain, this one included. A flag never stops a voice being
    counted: the moderator decides.
    """
    if domain in THROWAWAY_DOMAINS:
        return _("A throwaway email address (%(domain)s)") % {"domain": domain}
    if from_source_in_hour >= BURST:
        return _("%(n)s responses from one network within an hour") % {"n": from_source_in_hour}
    if domain and domain not in COMMON_PROVIDERS and from_domain >= DOMAIN_SHARE:
        return _("%(n)s addresses at %(domain)s") % {"n": from_domain, "domain": domain}
    return ""


# Responses one officer records for others in one consultation within BURST_WINDOW, past
# which each is flagged: an event may bring many, and the moderator looks at them.
ASSISTED_BURST = 20


def assisted_flag(recorded_in_hour: int) -> str:
    """Why a response an officer recorded is flagged to the moderator, or "": many recorded
    by one officer within an hour, this one included. It still counts."""
    if recorded_in_hour > ASSISTED_BURST:
        return _("%(n)s responses recorded by one officer within an hour") % {"n": recorded_in_hour}
    return ""


# --------------------------------------------------------------- the yearly verdict


@dataclass(frozen=True)
class VerdictWindow:
    year: int
    opens_on: date
    closes_on: date  # the first day it is closed


def verdict_windows(
    *, period_starts_on: date, period_ends_on: date, after_months: int, days: int
) -> list[VerdictWindow]:
    """The verdict's window in each year of the grant: `after_months` into the year, for
    `days` days, and never past the grant's last day."""
    windows = []
    year = 1
    while True:
        opens_on = add_months(period_starts_on, 12 * (year - 1) + after_months)
        if opens_on > period_ends_on:
            return windows
        closes_on = min(opens_on + timedelta(days=days), period_ends_on + timedelta(days=1))
        windows.append(VerdictWindow(year, opens_on, closes_on))
        year += 1


# --------------------------------------------------------------- how long it is kept

# Comments, hashes and postcode districts are kept for reviews and appeals until the end of
# the grant period the consultation was about, and this long after it (the privacy notice).
KEPT_MONTHS_AFTER_GRANT = 12


def kept_until(period_ends_on: date) -> date:
    """The last day a consultation's voices keep anything but their anonymous counts."""
    return add_months(period_ends_on, KEPT_MONTHS_AFTER_GRANT)


# Marked for extraction here (gettext_noop), translated when shown (rating_words).
SCALE = {
    1: gettext_noop("Very badly"),
    2: gettext_noop("Badly"),
    3: gettext_noop("Neither well nor badly"),
    4: gettext_noop("Well"),
    5: gettext_noop("Very well"),
}


def rating_words(rating: int) -> str:
    return _(SCALE[rating])


@dataclass(frozen=True)
class VerdictResult:
    count: int
    average: Decimal | None
    # How many gave each rating, 1 to 5.
    by_rating: tuple[int, int, int, int, int]

    def words(self) -> str:
        if not self.count:
            return _("Nobody responded.")
        return ngettext(
            "%(n)s person responded; the average was %(avg)s out of 5.",
            "%(n)s people responded; the average was %(avg)s out of 5.",
            self.count,
        ) % {"n": self.count, "avg": self.average}


def verdict_result(ratings: list[int]) -> VerdictResult:
    """The counted ratings as a result: how many, the average to 2 places, the spread."""
    return verdict_result_of_counts({score: ratings.count(score) for score in range(1, 6)})


def verdict_result_of_counts(counts: dict[int, int]) -> VerdictResult:
    """The same, from how many gave each rating ({rating: how many})."""
    by_rating = tuple(counts.get(score, 0) for score in range(1, 6))
    total = sum(by_rating)
    if not total:
        return VerdictResult(0, None, by_rating)
    points = sum(score * n for score, n in zip(range(1, 6), by_rating, strict=True))
    average = (Decimal(points) / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return VerdictResult(total, average, by_rating)


def opens_review(result: VerdictResult, threshold: Decimal) -> bool:
    """Whether the result opens a review: an average under the round's threshold. With
    nobody responding there is nothing to review."""
    return result.count > 0 and result.average < threshold


# --------------------------------------------------------------- who sees what


def totals_public(*, decided: bool, closed: bool) -> bool:
    """The public sees backing totals only once the window has closed and the community's
    decision is made, so that early counts do not sway later ones. Assessors and moderators
    see them throughout."""
    return decided and closed
