"""Demo data for packages, eligibility and budgets, called by `seed_demo`.

Idempotent: each step looks for what it would create first. Everything goes
through the services, so the demo's ledger and audit trail are real.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from diagnostics.models import EligibilityDecision
from diagnostics.services import record_eligibility_decision
from organisations.models import Organisation, PriorityTheme, User
from organisations.services import register_organisation
from packages.models import Package, Strand

from .models import AgreedPackage, BudgetYear, OverrideRequest
from .override_requests import ask_for_override
from .policy import create_budget_year
from .rules import financial_year_of, fy_start
from .services import agree_package, allowance_summary, cancel_agreed_package

STRANDS = {
    Strand.VCS_SUPPORT: Decimal("250000.00"),
    Strand.COMMUNITY_COHESION: Decimal("120000.00"),
    Strand.VOLUNTEERING: Decimal("80000.00"),
}

BELGRAVE = {
    "name": "Belgrave Neighbourhood Centre",
    "legal_form": Organisation.LegalForm.CIO,
    "charity_number": "1154321",
    "address_line_1": "Rothley Street",
    "postcode": "LE4 6LF",
    "address_is_home": False,
    "contact_name": "Ravi Mistry",
    "contact_email": "org4@example.org",
    "main_activities": "A neighbourhood centre with English classes, a lunch club and a "
    "women's health group.",
    "beneficiaries": "Residents of Belgrave and Rushey Mead.",
    "income_band": Organisation.IncomeBand.TO_100K,
    "staff_count": 3,
    "volunteer_count": 30,
}

# (organisation, [(years before this one, package slug)], cancel the last one?)
# Years before: 0 is this financial year, 1 last year, and so on.
PLAN = [
    ("Aylestone Meadows Friends", [], False),  # 0 this year
    ("Highfields Community Association", [(0, "fund-raising"), (0, "marketing-support")], True),
    ("Braunstone Youth Project", [(0, "volunteering"), (0, "financial-sustainability")], False),
    (
        "Belgrave Neighbourhood Centre",  # 4 in the period, so none until next April
        [
            (2, "organisational-set-up"),
            (1, "professional-support"),
            (1, "procurement"),
            (0, "outcomes-and-values"),
        ],
        False,
    ),
]


def _agreement_date(years_back: int, index: int, today):
    """A date in the financial year `years_back` before today's, never after today."""
    if years_back == 0:
        return max(fy_start(financial_year_of(today)), today - timedelta(days=30 - 10 * index))
    start = fy_start(financial_year_of(today) - years_back)
    return start + timedelta(days=60 + 90 * index)


def seed_allowances(stdout, person) -> None:
    """Budgets, eligibility and agreed packages for the demo organisations.

    `person(email, name)` is seed_demo's get-or-create for a demo login.
    """
    officer = User.objects.get(email="officer@example.org")
    manager = User.objects.get(email="manager@example.org")
    today = timezone.localdate()
    this_year = financial_year_of(today)

    # Budgets for this year and the two before: older packages drew on them.
    for year in range(this_year - 2, this_year + 1):
        if not BudgetYear.objects.filter(start_year=year).exists():
            create_budget_year(
                by=manager, start_year=year, total=Decimal("450000.00"), amounts=STRANDS
            )

    belgrave_admin = person("org4@example.org", "Ravi Mistry")
    if not Organisation.objects.filter(name=BELGRAVE["name"]).exists():
        themes = PriorityTheme.objects.filter(slug="neighbours-and-communities")
        register_organisation(user=belgrave_admin, data=BELGRAVE, themes=themes)

    for name, agreements, cancel_last in PLAN:
        organisation = Organisation.objects.get(name=name)
        if not EligibilityDecision.objects.filter(organisation=organisation).exists():
            record_eligibility_decision(
                organisation=organisation,
                outcome=EligibilityDecision.Outcome.ELIGIBLE,
                decided_by=officer,
                reasons="Serves Leicester residents, not for profit, governing document and "
                "equality policy seen.",
                valid_from=fy_start(this_year - 2),
                valid_until=today + timedelta(days=730),
            )
        if AgreedPackage.objects.filter(organisation=organisation).exists():
            continue
        agreed = None
        for index, (years_back, slug) in enumerate(agreements):
            agreed = agree_package(
                organisation=organisation,
                package=Package.objects.get(slug=slug),
                agreed_by=officer,
                on=_agreement_date(years_back, index, today),
            )
        if cancel_last and agreed is not None:
            cancel_agreed_package(
                agreed,
                by=officer,
                reason="The organisation found the support it needed elsewhere.",
            )

    # Braunstone has this year's two: the officer asks a manager for a third.
    braunstone = Organisation.objects.get(name="Braunstone Youth Project")
    if not OverrideRequest.objects.filter(organisation=braunstone).exists():
        ask_for_override(
            organisation=braunstone,
            package=Package.objects.get(slug="organisational-set-up"),
            by=officer,
            reason="Their chair has resigned and the trustees need help to set up their governance "
            "before their annual meeting in February; it cannot wait until April.",
            on=today,
        )

    stdout.write("\nAllowances (packages agreed, caps and the next available date):")
    stdout.write(f"  {'org4@example.org':<24} admin of {BELGRAVE['name']}")
    for name, _, _ in PLAN:
        summary = allowance_summary(Organisation.objects.get(name=name), today)
        stdout.write(
            f"  {name}: {summary.used_this_year} this year, {summary.used_in_period} in the "
            f"period. {summary.next_sentence}"
        )
