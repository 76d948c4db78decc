"""Pure decisions about grant rounds (section B): no writes, no database needed.

The must-haves the service can check itself (a community's size against the
threshold, an organisation based in the city), the round's phase and allowed
moves, the checks before publishing, the instalments of a payment schedule,
and London time as people type and read it.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from allowances.instalment_rules import SCHEDULE_MONTHS, Instalment, instalments  # noqa: F401
from diagnostics.rules import long_date
from notifications.rules import add_months  # noqa: F401 (the demos and tests read it here)
from organisations.rules import Decision, postcode_in_area
from packages.money import format_money

LONDON = ZoneInfo("Europe/London")

# The scoring scale every scored criterion is marked on (the descriptors are the round's).
SCALE_MIN, SCALE_MAX = 0, 4
SCALE = range(SCALE_MIN, SCALE_MAX + 1)

# --------------------------------------------------------------- must-haves


@dataclass(frozen=True)
class CityPopulation:
    """The city's population, where the figure comes from, and the threshold in percent."""

    total: int
    source: str
    percent: Decimal

    @property
    def threshold(self) -> int:
        """The number of people a community must be more than: 3,298 for 1% of 329,839."""
        return community_threshold(self.total, self.percent)


def city_population() -> CityPopulation:
    """The figures from settings (GRANTS_CITY_POPULATION and the rest)."""
    return CityPopulation(
        total=settings.GRANTS_CITY_POPULATION,
        source=settings.GRANTS_CITY_POPULATION_SOURCE,
        percent=Decimal(settings.GRANTS_COMMUNITY_THRESHOLD_PERCENT),
    )


def community_threshold(population: int, percent: Decimal) -> int:
    """The whole number of people a community must be more than to be `percent` of `population`.

    1% of 329,839 is 3,298.39, so a community must be more than 3,298 people:
    for whole people, "more than 3,298" and "more than 3,298.39" are the same.
    """
    share = Decimal(population) * Decimal(percent) / 100
    return int(share.to_integral_value(rounding=ROUND_FLOOR))


def percent_words(percent: Decimal) -> str:
    """1% rather than 1.00%; 0.5% as typed."""
    text = format(Decimal(percent).normalize(), "f")
    return f"{text}%"


def community_size_decision(size: int | None, city: CityPopulation) -> Decision:
    """Whether a community of `size` people makes up more than the threshold of the city."""
    threshold = city.threshold
    rule = (
        f"more than {percent_words(city.percent)} of the city's population at {city.source} "
        f"(more than {threshold:,} people)"
    )
    if size is None:
        return Decision(False, f"The community's size is not known. It must be {rule}.")
    if size > threshold:
        return Decision(True, f"The community of {size:,} people is {rule}.")
    return Decision(False, f"The community of {size:,} people is not {rule}.")


def based_in_area_decision(postcode: str, table: dict[str, bool], area_name: str) -> Decision:
    """Whether an organisation registered at `postcode` is based in the council's area."""
    if not postcode.strip():
        return Decision(False, "The organisation has no registered postcode.")
    if postcode_in_area(postcode, table):
        return Decision(True, f"The registered postcode {postcode} is in {area_name}.")
    return Decision(False, f"The registered postcode {postcode} is not in {area_name}.")


# --------------------------------------------------------------- London time


class NoSuchTime(ValueError):
    """A time the clocks skip in London (the hour after 1am on the day they go forward)."""


_TIME = re.compile(r"^(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>am|pm)?$")
_TIME_WORDS = {"midday": time(12), "noon": time(12), "midnight": time(0)}


def parse_time(text: str) -> time | None:
    """The time of day people type ("9am", "5:30pm", "17:30", "midday"), or None.

    With am or pm the hour is 1 to 12 (12am is midnight, 12pm midday); without,
    the 24-hour clock.
    """
    plain = "".join(text.lower().split())
    if plain in _TIME_WORDS:
        return _TIME_WORDS[plain]
    match = _TIME.match(plain)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if minute > 59:
        return None
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    elif hour > 23:
        return None
    return time(hour, minute)


def time_words(at: time) -> str:
    """9am, 5:30pm, midday, midnight: the GOV.UK style for times."""
    if at == time(0):
        return "midnight"
    if at == time(12):
        return "midday"
    hour = at.hour % 12 or 12
    half = "am" if at.hour < 12 else "pm"
    return f"{hour}{half}" if at.minute == 0 else f"{hour}:{at.minute:02d}{half}"


def london_datetime(day: date, at: time) -> datetime:
    """The moment `at` on `day` in London, as an aware datetime.

    An hour the clocks skip (01:00 to 01:59 on the last Sunday of March) does
    not exist there, and is refused rather than moved. In the hour that happens
    twice in October, the first (British Summer Time) is meant.
    """
    moment = datetime.combine(day, at, tzinfo=LONDON)
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(LONDON)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise NoSuchTime(
            f"{time_words(at)} on {long_date(day)} does not exist in the UK: the clocks go "
            "forward an hour at 1am that day"
        )
    return moment


def in_london(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def when_words(moment: datetime) -> str:
    """5pm on Friday 12 June 2026, in London time; midnight says which day it starts."""
    local = in_london(moment)
    day = f"{local:%A} {long_date(local.date())}"
    if local.time() == time(0):
        return f"midnight at the start of {day}"
    return f"{time_words(local.time())} on {day}"


# --------------------------------------------------------------- the round's life

DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"

# The round's moves, as data: each verb, the states it may start from, and where it leads.
# One service in grants.services per verb.
ROUND_TRANSITIONS = {
    "publish": ((DRAFT,), PUBLISHED),
    # To correct a published round, only before it opens: nobody can have applied.
    "return_to_draft": ((PUBLISHED,), DRAFT),
    "withdraw": ((DRAFT, PUBLISHED), WITHDRAWN),
}

_STATE_WORDS = {
    DRAFT: "is a draft",
    PUBLISHED: "is published",
    WITHDRAWN: "has been withdrawn",
}


def round_move(verb: str, *, status: str, opens_at: datetime, now: datetime) -> Decision:
    """Whether a round in `status` may move by `verb` now, and why not."""
    sources, _ = ROUND_TRANSITIONS[verb]
    if status not in sources:
        return Decision(False, f"This round {_STATE_WORDS.get(status, status)}.")
    if verb == "return_to_draft" and now >= opens_at:
        return Decision(
            False,
            "This round opened for applications on "
            f"{when_words(opens_at)}, so it can no longer go back to draft. "
            "Withdraw it instead if it must stop.",
        )
    return Decision(True)


# What a published round is at a moment: worked out from its dates, never stored.
SCHEDULED, OPEN, CLOSED = "scheduled", "open", "closed"
PHASE_WORDS = {
    DRAFT: "Draft",
    SCHEDULED: "Published, not open yet",
    OPEN: "Open for applications",
    CLOSED: "Closed for applications",
    WITHDRAWN: "Withdrawn",
}


def round_phase(*, status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """draft, scheduled, open, closed or withdrawn: open from the opening time until closing."""
    if status != PUBLISHED:
        return status
    if now < opens_at:
        return SCHEDULED
    if now < closes_at:
        return OPEN
    return CLOSED


# --------------------------------------------------------------- payment schedules

# Every award's schedule is the one in allowances.instalment_rules (imported above).

# --------------------------------------------------------------- checks


# The community's say (grants.voice_models): the ranges the database allows
# (grant_round_voice_settings_range), as (least, most).
BACKING_DAYS = (1, 90)
VERDICT_AFTER_MONTHS = (1, 12)
VERDICT_THRESHOLD = (Decimal("1.00"), Decimal("5.00"))


def voice_settings_problems(settings_: dict) -> dict[str, str]:
    """What is wrong with those of a round's voice settings that are given, by field."""
    problems = {}
    for field, (least, most), what in (
        ("backing_days", BACKING_DAYS, "The number of days"),
        ("verdict_after_months", VERDICT_AFTER_MONTHS, "The number of months"),
        ("verdict_threshold", VERDICT_THRESHOLD, "The average rating"),
    ):
        value = settings_.get(field)
        if value is not None and not least <= value <= most:
            problems[field] = f"{what} must be between {least} and {most}"
    return problems


def round_details_problems(
    *,
    opens_at: datetime,
    closes_at: datetime,
    total: Decimal,
    amount_per_community: Decimal,
    period_starts_on: date,
    period_ends_on: date,
) -> dict[str, str]:
    """What is wrong with a round's dates and amounts, by the form field it is about."""
    problems = {}
    if total <= 0:
        problems["total"] = "The total must be more than £0"
    if amount_per_community <= 0:
        problems["amount_per_community"] = "The amount for each community must be more than £0"
    elif amount_per_community > total > 0:
        problems["amount_per_community"] = (
            f"The amount for each community must be no more than the total, {format_money(total)}"
        )
    if closes_at <= opens_at:
        problems["closes_on"] = "The round must close after it opens"
    if period_ends_on <= period_starts_on:
        problems["period_ends_on"] = "The grant period must end after it starts"
    if period_starts_on <= in_london(closes_at).date():
        problems["period_starts_on"] = (
            "The grant period must start after the round closes, on "
            f"{long_date(in_london(closes_at).date() + timedelta(days=1))} or later"
        )
    return problems


@dataclass(frozen=True)
class CriterionFacts:
    title: str
    kind: str  # "must_have" or "scored"
    weight: int | None


@dataclass(frozen=True)
class RoundFacts:
    """Everything publishing checks, read from the round, its strand and its rows."""

    opens_at: datetime
    closes_at: datetime
    total: Decimal
    amount_per_community: Decimal
    period_starts_on: date
    period_ends_on: date
    strand_amount: Decimal
    strand_name: str
    communities: int
    criteria: tuple[CriterionFacts, ...]
    scale: dict[int, str]


@dataclass(frozen=True)
class Problem:
    """One reason a round cannot be published, and the part of the page it is about."""

    section: str  # details, communities, criteria or scale
    message: str


def publish_problems(facts: RoundFacts, *, now: datetime) -> list[Problem]:
    """Every reason the round cannot be published yet; none means it may be."""
    details = round_details_problems(
        opens_at=facts.opens_at,
        closes_at=facts.closes_at,
        total=facts.total,
        amount_per_community=facts.amount_per_community,
        period_starts_on=facts.period_starts_on,
        period_ends_on=facts.period_ends_on,
    )
    problems = [Problem("details", message) for message in details.values()]
    if facts.closes_at <= now:
        problems.append(
            Problem("details", "The closing time has passed: change it to a time in the future")
        )
    if facts.total > facts.strand_amount:
        problems.append(
            Problem(
                "details",
                f"The total, {format_money(facts.total)}, is more than the whole of "
                f"{facts.strand_name}, {format_money(facts.strand_amount)}",
            )
        )
    problems += _community_problems(facts)
    problems += _criteria_problems(facts.criteria)
    missing = [str(score) for score in SCALE if not facts.scale.get(score, "").strip()]
    if missing:
        problems.append(Problem("scale", f"Describe what a score of {', '.join(missing)} means"))
    return problems


def _community_problems(facts: RoundFacts) -> list[Problem]:
    if not facts.communities:
        return [Problem("communities", "Choose at least one community to open for applications")]
    needed = facts.amount_per_community * facts.communities
    if needed > facts.total:
        return [
            Problem(
                "communities",
                f"{format_money(facts.amount_per_community)} for each of {facts.communities} "
                f"communities is {format_money(needed)}, more than the total of "
                f"{format_money(facts.total)}. Lower the amount for each community, raise the "
                "total or open fewer communities",
            )
        ]
    return []


def _criteria_problems(criteria: tuple[CriterionFacts, ...]) -> list[Problem]:
    problems = []
    if not any(c.kind == "scored" for c in criteria):
        problems.append(
            Problem(
                "criteria",
                "Add at least one scored criterion: applications are ranked on their scores",
            )
        )
    for criterion in criteria:
        if criterion.kind == "scored" and not (criterion.weight and criterion.weight > 0):
            problems.append(Problem("criteria", f"Give {criterion.title} a weight of 1 or more"))
    return problems
