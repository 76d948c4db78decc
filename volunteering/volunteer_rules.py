"""Pure decisions about volunteers: no writes, no database needed.

- Age bands, and the youngest age in each (the least a volunteer tells us).
- The optional equality questions and their answers (asked with consent, counted only in
  the managers' reports).
- An interest's moves and a placement's, and an hour entry's, as data: one service each
  in volunteering.volunteer_services.
- Logged hours: not in the future, not over 24 in a day.
- "Suggested for you": `suggestion` scores one opportunity for one volunteer and says why,
  in the words the volunteer reads.
- Inactive accounts: when the warning is due, and when the account goes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.rules import Decision

from . import rules

# --------------------------------------------------------------- age bands

AGE_BANDS: dict[str, int] = {
    "16-17": 16,
    "18-24": 18,
    "25-34": 25,
    "35-49": 35,
    "50-64": 50,
    "65+": 65,
}


def youngest_age(band: str) -> int | None:
    """The youngest a volunteer in `band` can be: what eligibility is judged on."""
    return AGE_BANDS.get(band)


# --------------------------------------------------------------- equality monitoring

PREFER_NOT_TO_SAY = "Prefer not to say"
GENDERS = ["Woman", "Man", "Non-binary", "In another way", PREFER_NOT_TO_SAY]
ETHNIC_GROUPS = [
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or multiple ethnic groups",
    "White",
    "Another ethnic group",
    PREFER_NOT_TO_SAY,
]
DISABLED = ["Yes", "No", PREFER_NOT_TO_SAY]
# Each question: the EqualityMonitoring field, what the reports call it, and its answers
# (stored as written here; a blank answer is a question left unanswered).
EQUALITY_QUESTIONS = (
    ("gender", "Gender", GENDERS),
    ("ethnic_group", "Ethnic group", ETHNIC_GROUPS),
    ("disabled", "Considers themselves disabled", DISABLED),
)


# --------------------------------------------------------------- interest and placement

SENT, TALKING, ACCEPTED, DECLINED, WITHDRAWN = (
    "sent",
    "talking",
    "accepted",
    "declined",
    "withdrawn",
)

# An interest's moves: the organisation accepts (a placement starts), declines with a
# reason, or asks to talk first; the volunteer may withdraw until it is decided.
INTEREST_TRANSITIONS: dict[str, set[str]] = {
    SENT: {TALKING, ACCEPTED, DECLINED, WITHDRAWN},
    TALKING: {ACCEPTED, DECLINED, WITHDRAWN},
}
# Still waiting for the organisation's decision: one such interest per volunteer and role.
OPEN_INTEREST = (SENT, TALKING)
# Interests that hold a place (or may soon): at most one per volunteer and opportunity.
LIVE_INTEREST = (SENT, TALKING, ACCEPTED)

ACTIVE, ENDED = "active", "ended"
PLACEMENT_TRANSITIONS: dict[str, set[str]] = {ACTIVE: {ENDED}}

# Hours: logged by one side, confirmed (or queried, with a reason) by the other.
LOGGED, CONFIRMED, QUERIED = "logged", "confirmed", "queried"
HOURS_TRANSITIONS: dict[str, set[str]] = {LOGGED: {CONFIRMED, QUERIED}}

# The organisation is reminded of an interest after this many working days unanswered.
ANSWER_WITHIN_WORKING_DAYS = 5
# Interest a volunteer may send in 24 hours: enough for anyone looking in earnest, and
# a stop on an account used to flood organisations' inboxes.
MAX_INTEREST_A_DAY = 10

MAX_HOURS_A_DAY = Decimal(24)


def _words(status: str) -> str:
    return {
        SENT: _("is waiting for the organisation's answer"),
        TALKING: _("is being talked over"),
        ACCEPTED: _("has been accepted"),
        DECLINED: _("has been declined"),
        WITHDRAWN: _("has been withdrawn"),
        ACTIVE: _("is active"),
        ENDED: _("has ended"),
        LOGGED: _("is waiting to be confirmed"),
        CONFIRMED: _("has been confirmed"),
        QUERIED: _("has been queried"),
    }.get(status, status)


def may_move(transitions: dict[str, set[str]], status: str, to: str, what: str) -> Decision:
    """Whether `what` (an interest, placement or hour entry) may move from status to `to`."""
    if to in transitions.get(status, set()):
        return Decision(True)
    return Decision(
        False,
        _("This %(what)s %(state)s, so it cannot be changed now. Nothing was changed.")
        % {"what": what, "state": _words(status)},
    )


def hours_problems(
    *, on: date | None, hours: Decimal | None, already_that_day: Decimal, today: date
) -> dict[str, str]:
    """What is wrong with logging `hours` on `on`, field by field (GOV.UK wording).

    `already_that_day` is what the volunteer already has logged (and not queried) for that
    date, in any role: a day has 24 hours.
    """
    problems = {}
    if on is None:
        problems["on"] = _("Enter the date you volunteered")
    elif on > today:
        problems["on"] = _("The date you volunteered must be today or in the past")
    if hours is None:
        problems["hours"] = _("Enter how many hours you volunteered")
    elif hours <= 0:
        problems["hours"] = _("Hours must be more than 0")
    elif hours > MAX_HOURS_A_DAY:
        problems["hours"] = _("Hours must be 24 or fewer")
    elif on is not None and "on" not in problems and already_that_day + hours > MAX_HOURS_A_DAY:
        left = max(MAX_HOURS_A_DAY - already_that_day, Decimal(0))
        problems["hours"] = _(
            "A day has 24 hours. %(already)s hours are already logged for that day, so "
            "enter %(left)s or fewer"
        ) % {"already": _plain(already_that_day), "left": _plain(left)}
    return problems


def _plain(value: Decimal) -> str:
    """2.50 → 2.5, 3.0 → 3."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------- suggested for you


@dataclass(frozen=True)
class Profile:
    """What a volunteer told us, as the scoring reads it."""

    age_band: str
    district: str
    interests: frozenset[int]  # theme ids
    skills: str
    hours_a_week: Decimal | None  # what they can give; None: not said


@dataclass(frozen=True)
class Offer:
    """An opportunity, as the scoring reads it."""

    theme_id: int | None
    theme_name: str
    district: str
    remote: bool
    schedule: str
    hours_a_week: Decimal | None
    skills_wanted: str
    minimum_age: int
    suitable_for_under_18: bool
    dbs_needed: bool
    status: str
    ends_on: date | None


@dataclass
class Suggestion:
    score: int
    reasons: list[str] = field(default_factory=list)


def area_of(district: str) -> str:
    """LE2 → LE (letters of the outward code): a neighbouring district shares them."""
    return district.rstrip("0123456789") if district else ""


# Words too common to be a skill ("cooking and driving" shares "and" with most roles).
COMMON_WORDS = frozenset(
    [
        "and",
        "are",
        "but",
        "can",
        "for",
        "from",
        "have",
        "help",
        "her",
        "his",
        "its",
        "not",
        "our",
        "out",
        "the",
        "them",
        "they",
        "this",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)


def _words_in(text: str) -> set[str]:
    return {
        w
        for w in "".join(c.lower() if c.isalnum() else " " for c in text).split()
        if len(w) > 2 and w not in COMMON_WORDS
    }


def suggestion(profile: Profile, offer: Offer, today: date) -> Suggestion | None:
    """How well `offer` suits the volunteer, and why, or None when they cannot take part.

    Points: 4 for a theme they are interested in; 3 for their own district, 1 for the
    same postcode area, 2 for a remote role; 1 for each skill they have that the role
    wants (at most 2); 1 when a regular role's hours fit what they can give. A role
    they cannot take (too young, closed) is never suggested.
    """
    eligible = rules.eligibility(
        age=youngest_age(profile.age_band),
        opportunity_minimum_age=offer.minimum_age,
        suitable_for_under_18=offer.suitable_for_under_18,
        dbs_needed=offer.dbs_needed,
        status=offer.status,
        ends_on=offer.ends_on,
        today=today,
    )
    if not eligible:
        return None
    result = Suggestion(score=0)
    if offer.theme_id is not None and offer.theme_id in profile.interests:
        result.score += 4
        result.reasons.append(_("matches your interest in %(theme)s") % {"theme": offer.theme_name})
    if offer.remote:
        result.score += 2
        result.reasons.append(_("you can do it from home"))
    elif profile.district and offer.district == profile.district:
        result.score += 3
        result.reasons.append(_("in %(district)s, your area") % {"district": offer.district})
    elif profile.district and area_of(offer.district) == area_of(profile.district):
        result.score += 1
        result.reasons.append(_("nearby, in %(district)s") % {"district": offer.district})
    shared = sorted(_words_in(profile.skills) & _words_in(offer.skills_wanted))[:2]
    if shared:
        result.score += len(shared)
        result.reasons.append(
            ngettext(
                "it wants your skill: %(skills)s",
                "it wants your skills: %(skills)s",
                len(shared),
            )
            % {"skills": ", ".join(shared)}
        )
    if (
        offer.schedule == rules.REGULAR
        and offer.hours_a_week is not None
        and profile.hours_a_week is not None
        and offer.hours_a_week <= profile.hours_a_week
    ):
        result.score += 1
        result.reasons.append(
            _("%(hours)s hours a week, within the time you can give")
            % {"hours": _plain(offer.hours_a_week)}
        )
    elif offer.schedule == rules.FLEXIBLE:
        result.reasons.append(_("whenever suits you"))
    return result


def ranked(profile: Profile, offers: list[tuple[object, Offer]], today: date, limit: int):
    """The `limit` best (item, Suggestion) pairs with at least one point, best first; ties
    go to the one closing soonest."""
    scored = []
    for item, offer in offers:
        found = suggestion(profile, offer, today)
        if found is not None and found.score > 0:
            scored.append((item, offer, found))
    scored.sort(key=lambda t: (-t[2].score, t[1].ends_on or date.max))
    return [(item, found) for item, _offer, found in scored[:limit]]


def ranked_volunteers(offer: Offer, profiles: list[tuple[object, Profile]], today, limit: int):
    """The other way round: the `limit` volunteers `offer` suits best, best first (ties to
    the earlier in `profiles`), with the reasons; those who cannot take it are left out."""
    scored = []
    for position, (item, profile) in enumerate(profiles):
        found = suggestion(profile, offer, today)
        if found is not None and found.score > 0:
            scored.append((-found.score, position, item, found))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [(item, found) for _score, _position, item, found in scored[:limit]]


# --------------------------------------------------------------- inactive accounts

INACTIVE_AFTER = timedelta(days=730)  # two years
WARN_BEFORE = timedelta(days=30)


def inactivity_step(*, last_active: datetime, warned_at: datetime | None, now: datetime) -> str:
    """What the daily job does with an account: "" (nothing), "warn" or "delete".

    The warning goes 30 days before two years without activity; the account is deleted
    at two years only if a warning went at least 30 days before (so a late warning
    still gives the person their 30 days). Activity after a warning starts again.
    """
    if warned_at is not None and warned_at < last_active:
        warned_at = None  # they came back after the warning
    if now - last_active < INACTIVE_AFTER - WARN_BEFORE:
        return ""
    if warned_at is None:
        return "warn"
    if now - last_active >= INACTIVE_AFTER and now - warned_at >= WARN_BEFORE:
        return "delete"
    return ""
