"""Pure decisions about volunteering opportunities: no writes, no database needed.

An opportunity's moves as data, and how it may close; what an organisation must
fill in before a broker sees it (GOV.UK error messages, field by field); whether
a volunteer may take part (age, closing); when a published opportunity is about
to lapse. Each refusal comes with the sentence shown to the person, ready for
translation.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organisations.rules import Decision, postcode_in_area
from organisations.validators import normalise_postcode

DRAFT = "draft"
SUBMITTED = "submitted"
CHANGES_REQUESTED = "changes_requested"
PUBLISHED = "published"
CLOSED = "closed"

FILLED, LAPSED, WITHDRAWN = "filled", "lapsed", "withdrawn"
ONE_OFF, REGULAR, FLEXIBLE = "one_off", "regular", "flexible"

# An opportunity's moves, as data: one service in volunteering.services per move.
# The organisation drafts and submits; a broker publishes it or sends it back;
# it closes when filled, withdrawn or past its closing date.
OPPORTUNITY_TRANSITIONS: dict[str, set[str]] = {
    DRAFT: {SUBMITTED, CLOSED},
    SUBMITTED: {PUBLISHED, CHANGES_REQUESTED},
    CHANGES_REQUESTED: {SUBMITTED, CLOSED},
    PUBLISHED: {CLOSED},
}

# How each state may close. Only a published opportunity can be filled or lapse; one
# the public never saw can only be withdrawn by its organisation.
CLOSE_REASONS: dict[str, set[str]] = {
    DRAFT: {WITHDRAWN},
    CHANGES_REQUESTED: {WITHDRAWN},
    PUBLISHED: {FILLED, WITHDRAWN, LAPSED},
}

# The organisation may change the opportunity only while it is with them.
EDITABLE = (DRAFT, CHANGES_REQUESTED)


def _state_words(status: str) -> str:
    return {
        DRAFT: _("is still a draft"),
        SUBMITTED: _("is waiting for the volunteer centre to check it"),
        CHANGES_REQUESTED: _("has been sent back to the organisation to change"),
        PUBLISHED: _("is already published"),
        CLOSED: _("has closed"),
    }.get(status, status)


def may_move(status: str, to: str) -> Decision:
    """Whether an opportunity in `status` may move to `to`, and why not."""
    if to in OPPORTUNITY_TRANSITIONS.get(status, set()):
        return Decision(True)
    return Decision(
        False,
        _("This opportunity %(state)s. Nothing was changed.") % {"state": _state_words(status)},
    )


def may_close(*, status: str, reason: str, ends_on: date | None, today: date) -> Decision:
    """Whether an opportunity may close now for `reason` (filled, withdrawn, lapsed)."""
    if reason not in (FILLED, LAPSED, WITHDRAWN):
        return Decision(False, _("Select why the opportunity is closing"))
    if reason not in CLOSE_REASONS.get(status, set()):
        if status in CLOSE_REASONS:
            return Decision(
                False,
                _("Only a published opportunity can be filled or lapse. Nothing was changed."),
            )
        return may_move(status, CLOSED)
    if reason == LAPSED and (ends_on is None or ends_on >= today):
        return Decision(
            False, _("This opportunity has not reached its closing date. Nothing was changed.")
        )
    return Decision(True)


# --------------------------------------------------------------- what the organisation fills in

TITLE_LENGTH = 120
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal("40")
MIN_AGE, ADULT = 16, 18
MAX_PLACES = 999

# Every field an organisation may set in save_draft (the model's names).
FIELDS = (
    "title",
    "description",
    "skills_wanted",
    "skills_gained",
    "theme",
    "remote",
    "venue_postcode",
    "schedule",
    "one_off_date",
    "hours_a_week",
    "starts_on",
    "ends_on",
    "places",
    "minimum_age",
    "suitable_for_under_18",
    "safeguarding_policy",
    "dbs_needed",
    "accessibility",
    "expenses_paid",
)

# What a copy of an opportunity leaves for the organisation to give again: its dates.
NOT_COPIED = ("one_off_date", "starts_on", "ends_on")


def venue_postcode_problem(postcode: str, table: dict[str, bool], area_name: str) -> str | None:
    """The error for a venue postcode that is malformed or outside the council's area."""
    try:
        postcode = normalise_postcode(postcode)
    except ValidationError:
        return _("Enter a real postcode, like LE1 6ZG")
    if not postcode_in_area(postcode, table):
        return _(
            "%(postcode)s is not in %(area)s. Enter a postcode in %(area)s, or say the role "
            "can be done remotely"
        ) % {"postcode": postcode, "area": area_name}
    return None


def _hours(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _where_problems(fields: dict, area: dict[str, bool], area_name: str, complete: bool) -> dict:
    postcode = (fields.get("venue_postcode") or "").strip()
    if postcode:
        if problem := venue_postcode_problem(postcode, area, area_name):
            return {"venue_postcode": problem}
    elif complete and not fields.get("remote"):
        return {
            "venue_postcode": _(
                "Enter the postcode of the venue, or say the role can be done remotely"
            )
        }
    return {}


def _when_problems(fields: dict, today: date, complete: bool) -> dict:
    schedule = fields.get("schedule") or ""
    on = fields.get("one_off_date")
    hours = fields.get("hours_a_week")
    if schedule not in (ONE_OFF, REGULAR, FLEXIBLE):
        return (
            {"schedule": _("Select when the volunteer is needed")} if complete or schedule else {}
        )
    if schedule == ONE_OFF:
        if on is None:
            return {"one_off_date": _("Enter the date of the opportunity")} if complete else {}
        if complete and on < today:
            return {"one_off_date": _("The date of the opportunity must be today or in the future")}
        # Volunteers must be able to say they are interested before the day itself.
        ends_on = fields.get("ends_on")
        if ends_on is not None and ends_on > on:
            return {
                "ends_on": _("The closing date must be on or before the date of the opportunity")
            }
    if schedule == REGULAR:
        if hours in (None, ""):
            return {"hours_a_week": _("Enter the hours a week")} if complete else {}
        amount = _hours(hours)
        if amount is None or not (MIN_HOURS <= amount <= MAX_HOURS):
            return {"hours_a_week": _("Hours a week must be between 0.5 and 40")}
        if amount != amount.quantize(Decimal("0.1")):
            return {"hours_a_week": _("Enter the hours a week to one decimal place, like 2.5")}
    return {}


def _dates_problems(fields: dict, today: date, complete: bool) -> dict:
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if ends_on is None:
        return {"ends_on": _("Enter the date the opportunity closes")} if complete else {}
    if starts_on is not None and ends_on <= starts_on:
        return {"ends_on": _("The closing date must be after the start date")}
    if complete and ends_on < today:
        return {"ends_on": _("The closing date must be today or in the future")}
    return {}


def _who_problems(fields: dict, complete: bool) -> dict:
    problems = {}
    places = fields.get("places")
    if places in (None, ""):
        if complete:
            problems["places"] = _("Enter how many volunteers you need")
    elif not (1 <= int(places) <= MAX_PLACES):
        problems["places"] = _("The number of volunteers must be between 1 and 999")
    age = fields.get("minimum_age")
    if age in (None, ""):
        if complete:
            problems["minimum_age"] = _("Select the minimum age")
    elif int(age) not in range(MIN_AGE, ADULT + 1):
        problems["minimum_age"] = _("Select a minimum age of 16, 17 or 18")
    elif complete and int(age) < ADULT:
        if not fields.get("suitable_for_under_18"):
            problems["suitable_for_under_18"] = _(
                "Say the role is suitable for 16 and 17 year olds, or set the minimum age to 18"
            )
        elif not fields.get("safeguarding_policy"):
            problems["safeguarding_policy"] = _(
                "Confirm your organisation has a safeguarding policy, or set the minimum age to 18"
            )
    return problems


def opportunity_problems(
    fields: dict,
    today: date,
    *,
    area: dict[str, bool],
    area_name: str,
    complete: bool = True,
) -> dict[str, str]:
    """What is wrong with an opportunity's fields, by field name, in GOV.UK's words.

    `complete`: everything a broker needs (to submit, and again to publish).
    Otherwise (a draft being saved) only what is given is checked, so that nothing
    typed is lost for want of the rest; the title is all a draft needs.
    `area` is the council's postcode table (organisations.PostcodePrefix.table()).
    """
    problems = {}
    title = (fields.get("title") or "").strip()
    if not title:
        problems["title"] = _("Enter a title for the opportunity")
    elif len(title) > TITLE_LENGTH:
        problems["title"] = _("The title must be 120 characters or fewer")
    if complete and not (fields.get("description") or "").strip():
        problems["description"] = _("Enter what the volunteer will do")
    if complete and not fields.get("theme"):
        problems["theme"] = _("Select a priority theme")
    problems |= _where_problems(fields, area, area_name, complete)
    problems |= _when_problems(fields, today, complete)
    for field, message in _dates_problems(fields, today, complete).items():
        problems.setdefault(field, message)
    problems |= _who_problems(fields, complete)
    return problems


# --------------------------------------------------------------- who may take part


def eligibility(
    *,
    age: int | None,
    opportunity_minimum_age: int,
    suitable_for_under_18: bool,
    dbs_needed: bool,
    status: str,
    ends_on: date | None,
    today: date,
) -> Decision:
    """Whether a volunteer of `age` may express interest in the opportunity, and why not.

    A role not said to be suitable for under-18s is for adults, whatever its minimum
    age says. A DBS check refuses nobody (the organisation arranges it), so it is the
    reason given with a yes.
    """
    if status != PUBLISHED or (ends_on is not None and ends_on < today):
        return Decision(False, _("This opportunity has closed. Nothing was sent."))
    if age is None:
        return Decision(False, _("Tell us your age to show interest in this opportunity"))
    if age < MIN_AGE:
        return Decision(
            False,
            _("You need to be 16 or over to volunteer through this service. Nothing was sent."),
        )
    minimum = (
        opportunity_minimum_age if suitable_for_under_18 else max(opportunity_minimum_age, ADULT)
    )
    if age < minimum:
        return Decision(
            False,
            _("This role is for people aged %(age)s and over. Nothing was sent.")
            % {"age": minimum},
        )
    if dbs_needed:
        return Decision(True, _("This role needs a DBS check. The organisation will arrange it."))
    return Decision(True)


# --------------------------------------------------------------- closing dates


def lapses_soon(ends_on: date | None, today: date, days: int = 7) -> bool:
    """Whether a published opportunity closes within `days` days (today included), so its
    organisation should be reminded; one already past its date has lapsed instead."""
    return ends_on is not None and today <= ends_on <= today + timedelta(days=days)
