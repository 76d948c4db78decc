"""Pure decisions about a published opportunity's closing date: when its organisation is
reminded, when it lapses, how far its closing date may be extended. No database.

An opportunity is open to the end of its closing date and lapses the day after
(rules.may_close). Its organisation's administrators are reminded once, when it closes
within REMIND_DAYS (rules.lapses_soon), and can extend the closing date up to
MAX_EXTENSION_MONTHS from today.
"""

from datetime import date

from django.utils.translation import gettext as _

from diagnostics.rules import long_date
from notifications.rules import add_months
from organisations.rules import Decision

from . import rules

# A week: enough to extend it, or to find the volunteers still needed.
REMIND_DAYS = 7
# A year ahead at most: an opportunity nobody has looked at for longer is likely stale.
MAX_EXTENSION_MONTHS = 12


def reminder_due(*, status: str, ends_on: date | None, today: date, reminded: bool) -> bool:
    """Whether the job should remind the organisation now: published, closing within
    REMIND_DAYS (today included), and not yet reminded of this closing date."""
    return (
        status == rules.PUBLISHED
        and not reminded
        and rules.lapses_soon(ends_on, today, days=REMIND_DAYS)
    )


def closes_in(*, status: str, ends_on: date | None, today: date) -> int | None:
    """Days until a published opportunity closes, for the "Closes in N days" tag; None when
    it is not closing within REMIND_DAYS (or is not published)."""
    if status != rules.PUBLISHED or not rules.lapses_soon(ends_on, today, days=REMIND_DAYS):
        return None
    return (ends_on - today).days


def latest_closing_date(today: date) -> date:
    """The furthest a closing date may be extended to."""
    return add_months(today, MAX_EXTENSION_MONTHS)


def may_extend(status: str) -> Decision:
    """Only a published opportunity is extended: one being drafted or checked has its
    closing date changed with its other answers, and a closed one is posted again."""
    if status == rules.PUBLISHED:
        return Decision(True)
    if status == rules.CLOSED:
        return Decision(
            False,
            _(
                "This opportunity has closed, so its closing date cannot be changed. Post a "
                "new opportunity if you need volunteers. Nothing was changed."
            ),
        )
    return Decision(
        False,
        _("Only a published opportunity's closing date can be extended. Nothing was changed."),
    )


def extension_problem(
    new_ends_on: date,
    *,
    status: str,
    ends_on: date | None,
    one_off_date: date | None,
    today: date,
) -> str | None:
    """What is wrong with extending the closing date to `new_ends_on`, in GOV.UK's words,
    or None."""
    if not (decision := may_extend(status)):
        return decision.reason
    if new_ends_on < today:
        return _("The new closing date must be today or in the future")
    if ends_on is not None and new_ends_on <= ends_on:
        return _("The new closing date must be after the current one, %(date)s") % {
            "date": long_date(ends_on)
        }
    latest = latest_closing_date(today)
    if new_ends_on > latest:
        return _("The new closing date must be %(date)s or earlier, 12 months from today") % {
            "date": long_date(latest)
        }
    if one_off_date is not None and new_ends_on > one_off_date:
        return _(
            "The new closing date must be on or before the date of the opportunity, %(date)s"
        ) % {"date": long_date(one_off_date)}
    return None
