"""Pure decisions for the public search of opportunities: no writes, no database needed.

What a person typed into a filter, read as the search needs it (a postcode district from a
district or a whole postcode; hours a week), each refusal in GOV.UK's words; and how a
published opportunity's place and time are said in a result.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisations.validators import DISTRICT, POSTCODE, SECTOR, compact_input, plain_text

from . import rules

# What the keyword box takes: longer than any title; a pasted essay is refused, not cut.
KEYWORDS_LENGTH = 100
# Hours a week a person can give: from half an hour to every hour of the week.
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal("168")
# A page of results: short enough for a phone, long enough not to page at once.
PAGE_SIZE = 20


def keywords(text: str) -> str:
    """What was typed, as plain text (full-width characters read plainly, invisible ones
    dropped) with its spaces collapsed."""
    return " ".join(plain_text(text).split())


def district_of(text: str) -> tuple[str, str]:
    """(district, problem): the postcode district ("LE2") of a district, a sector ("LE2 1")
    or a full postcode typed in any case and spacing, or the error to show."""
    spaced = " ".join(plain_text(text).upper().split())
    if SECTOR.match(spaced):  # LE2 1: the district, and the first figure of the rest
        return spaced.split(" ")[0], ""
    compact = compact_input(spaced)
    if DISTRICT.match(compact):
        return compact, ""
    match = POSTCODE.match(compact)
    if match:
        return match.group(1), ""
    return "", _("Enter a postcode district, like LE2, or a full postcode, like LE2 1AB")


def hours_of(text: str) -> tuple[Decimal | None, str]:
    """(hours, problem): the most hours a week a person can give, or the error to show."""
    try:
        hours = Decimal(plain_text(text).strip())
    except (InvalidOperation, ValueError):
        return None, _("Enter the hours a week as a number, like 3")
    if not hours.is_finite():
        return None, _("Enter the hours a week as a number, like 3")
    if hours < MIN_HOURS:
        return None, _("Enter at least half an hour (0.5) a week")
    if hours > MAX_HOURS:
        return None, _("A week has 168 hours: enter 168 or fewer")
    return hours, ""


def where_words(*, remote: bool, district: str) -> str:
    """Where the volunteer goes, as a result says it."""
    if remote and district:
        return _("%(district)s, or remotely") % {"district": district}
    if remote:
        return _("Remotely")
    return district


def when_words(*, schedule: str, one_off_date: date | None, hours_a_week) -> str:
    """When the volunteer is needed, as a result says it."""
    if schedule == rules.ONE_OFF and one_off_date is not None:
        return _("One-off, on %(date)s") % {"date": date_format(one_off_date, "j F Y")}
    if schedule == rules.REGULAR and hours_a_week is not None:
        hours = Decimal(hours_a_week).normalize()
        hours = hours.quantize(Decimal(1)) if hours == hours.to_integral() else hours
        if hours == 1:
            return _("Regular, 1 hour a week")
        return _("Regular, %(hours)s hours a week") % {"hours": hours}
    if schedule == rules.FLEXIBLE:
        return _("Flexible, whenever suits you")
    return ""


def minimum_age_words(*, minimum_age: int, suitable_for_under_18: bool) -> str:
    """Who may volunteer, by age: a role not said to suit under-18s is for adults, whatever
    its minimum age says (as rules.eligibility decides)."""
    age = minimum_age if suitable_for_under_18 else max(minimum_age, rules.ADULT)
    return _("%(age)s and over") % {"age": age}
