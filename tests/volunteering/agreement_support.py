"""The volunteer centre's agreement, made through the service, as its tests need it."""

from datetime import date, timedelta
from decimal import Decimal

from allowances.rules import financial_year_of
from packages.models import Strand
from volunteering.agreement_services import make_agreement

from ..factories import BudgetYearFactory
from .matrix import broker

START = date(2026, 4, 1)
END = date(2027, 3, 31)


def budget(amount="150000.00", on=START):
    """The volunteering strand of `on`'s year, holding `amount`."""
    year = BudgetYearFactory(
        start_year=financial_year_of(on), strands={Strand.VOLUNTEERING: Decimal(amount)}
    )
    return year.strands.get(kind=Strand.VOLUNTEERING)


def agreed(w, *, amount="40000.00", starts_on=START, ends_on=END, schedule="quarterly"):
    """The world's provider is the volunteer centre (its user a broker), funded by the
    world's manager."""
    broker(w)
    budget(on=starts_on)
    return make_agreement(
        provider=w.provider,
        amount=Decimal(amount),
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        by=w.manager,
    )


ANSWERS = {
    "work_done": "Brokerage three days a week; two training sessions.",
    "outcomes": "Forty people placed.",
    "difficulties": "",
    "next_period": "Evening roles.",
}


def after(report, days=1):
    """A day `days` after the report's period ends (when it may be sent)."""
    return report.period_ends_on + timedelta(days=days)
