"""Pure decisions about advice requests: no writes, no database needed.

A volunteer or an organisation asks the volunteer centre a short question; a broker
answers it (recording the topic and the time spent) and closes it, or closes it without
an answer and says why. The moves are data (`ADVICE_TRANSITIONS`), one service each in
advice_services.py. What each person types is checked here, field by field, with the
GOV.UK sentence shown to them, ready for translation.
"""

import re
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from organisations.rules import Decision

OPEN = "open"
ANSWERED = "answered"
CLOSED = "closed"

# An advice request's moves, as data: one service in advice_services per move. A broker
# answers an open request and later closes it; or closes it without an answer, saying why
# (a duplicate, the person could not be reached, not something the centre advises on).
ADVICE_TRANSITIONS: dict[str, set[str]] = {
    OPEN: {ANSWERED, CLOSED},
    ANSWERED: {CLOSED},
}

EMAIL, PHONE = "email", "phone"

# What advice is about, as data: the asker suggests one, the broker records the one it
# turned out to be. The report counts requests and time by these. Words are marked for
# extraction here and translated where shown (models.advice).
TOPICS: dict[str, str] = {
    "finding_volunteers": gettext_noop("Finding volunteers"),
    "managing_volunteers": gettext_noop("Managing and keeping volunteers"),
    "dbs_safeguarding": gettext_noop("DBS checks and safeguarding"),
    "policies": gettext_noop("Volunteering policies and agreements"),
    "expenses": gettext_noop("Volunteers' expenses"),
    "finding_a_role": gettext_noop("Finding a volunteering role"),
    "other": gettext_noop("Something else"),
}

QUESTION_LENGTH = 1000
ANSWER_LENGTH = 5000
REASON_LENGTH = 500
PHONE_LENGTH = 20
# Time spent on one request, in whole minutes: a short request is advice, not a project.
MAX_MINUTES = 480

# A UK telephone number once spaces, dashes, dots and brackets are taken out: 0 and ten
# digits (or nine, for a few old area codes), or +44 in place of the 0.
_PHONE = re.compile(r"^(?:0|\+44)\d{9,10}$", re.ASCII)
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_WHOLE = re.compile(r"^-?\d{1,6}$", re.ASCII)


def _state_words(status: str) -> str:
    return {
        OPEN: _("is still waiting for an answer"),
        ANSWERED: _("has already been answered"),
        CLOSED: _("has already been closed"),
    }.get(status, status)


def may_move(status: str, to: str) -> Decision:
    """Whether an advice request in `status` may move to `to`, and why not."""
    if to in ADVICE_TRANSITIONS.get(status, set()):
        return Decision(True)
    return Decision(
        False,
        _("This request %(state)s. Nothing was changed.") % {"state": _state_words(status)},
    )


def _text(value) -> str:
    return (value or "").strip()


def normalise_phone(value: str) -> str:
    """The number as it is dialled: separators out, +44 kept as typed."""
    return _PHONE_SEPARATORS.sub("", value or "")


def phone_problem(value: str) -> str | None:
    """The error for a telephone number that cannot be a UK one, or None."""
    if not _PHONE.match(normalise_phone(value)):
        return _("Enter a UK telephone number, like 0116 454 1000 or 07700 900 982")
    return None


def question_problems(fields: dict) -> dict[str, str]:
    """What is wrong with a request as asked, by field name, in GOV.UK's words."""
    problems = {}
    question = _text(fields.get("question"))
    if not question:
        problems["question"] = _("Enter your question")
    elif len(question) > QUESTION_LENGTH:
        problems["question"] = _(
            "Your question must be %(n)s characters or fewer. Keep it short: a broker will "
            "contact you for the details"
        ) % {"n": f"{QUESTION_LENGTH:,}"}
    if fields.get("topic") not in TOPICS:
        problems["topic"] = _("Select what your question is about")
    reply_by = fields.get("reply_by")
    if reply_by not in (EMAIL, PHONE):
        problems["reply_by"] = _("Select how you would like the answer")
    elif reply_by == PHONE:
        phone = _text(fields.get("phone"))
        if not phone:
            problems["phone"] = _("Enter the telephone number to call you on")
        elif problem := phone_problem(phone):
            problems["phone"] = problem
    return problems


def minutes_problem(value, *, at_least: int) -> str | None:
    """The error for time spent that is missing, not whole minutes, or out of range."""
    if value in (None, ""):
        return _("Enter the time you spent, in minutes") if at_least else None
    if isinstance(value, int) and not isinstance(value, bool):
        minutes = value
    elif isinstance(value, str) and _WHOLE.match(value.strip()):
        minutes = int(value.strip())
    else:
        return _("Enter the time you spent as a whole number of minutes, like 20")
    if not (at_least <= minutes <= MAX_MINUTES):
        return _("The time you spent must be between %(low)s and %(high)s minutes") % {
            "low": at_least,
            "high": MAX_MINUTES,
        }
    return None


def answer_problems(fields: dict) -> dict[str, str]:
    """What is wrong with a broker's answer: the answer itself, its topic, the time spent."""
    problems = {}
    answer = _text(fields.get("answer"))
    if not answer:
        problems["answer"] = _("Enter your answer")
    elif len(answer) > ANSWER_LENGTH:
        problems["answer"] = _("Your answer must be %(n)s characters or fewer") % {
            "n": f"{ANSWER_LENGTH:,}"
        }
    if fields.get("topic") not in TOPICS:
        problems["topic"] = _("Select what the request was about")
    if problem := minutes_problem(fields.get("minutes"), at_least=1):
        problems["minutes"] = problem
    return problems


def close_problems(fields: dict, *, answered: bool) -> dict[str, str]:
    """What is wrong with closing a request: one never answered needs the reason why (and
    may record time spent on it); an answered one needs nothing more."""
    if answered:
        return {}
    problems = {}
    reason = _text(fields.get("reason"))
    if not reason:
        problems["reason"] = _("Enter why you are closing it without an answer")
    elif len(reason) > REASON_LENGTH:
        problems["reason"] = _("The reason must be %(n)s characters or fewer") % {
            "n": REASON_LENGTH
        }
    if problem := minutes_problem(fields.get("minutes"), at_least=0):
        problems["minutes"] = problem
    return problems


def hours_and_minutes(minutes: int | None) -> str:
    """Time spent as people say it: "45 minutes", "1 hour 30 minutes", "3 hours"."""
    minutes = minutes or 0
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", rest) % {"n": rest})
    return " ".join(parts)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months
