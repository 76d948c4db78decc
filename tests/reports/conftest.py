"""A small ledger whose every figure is worked out by hand in the tests, and a row maker.

Financial year 2025/26 (1 April 2025 to 31 March 2026):

  strand             amount     commitments  releases  spent   committed  available
  vcs_support        100,000    7,500        5,500     1,800   2,000      96,200
  community_cohesion  60,000        0            0         0       0      60,000
  volunteering        50,000    1,000            0         0   1,000      49,000
  total              210,000                            1,800   3,000     205,200

  A  LE2 registered charity, under £10k, theme "children"   Finance (£2,000), agreed 10 May 2025
     claim approved 3 July 2025: release £2,000, spend £1,800
  B  LE4 CIC, £10k-£100k, theme "health"                    Governance (£3,500), agreed 20 July
     cancelled 1 September 2025: release £3,500
  C  LE2 CIC, £10k-£100k, themes "children" and "health"    Finance (£2,000), agreed 15 August
  D  LE5 unincorporated, no number                          Volunteers (£1,000), agreed 2 Oct
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from allowances.ledger import post
from allowances.models import AgreedPackage, BudgetYear, LedgerKind
from allowances.services import cancel_agreed_package
from delivery.models import ProviderRequest, Rating, RequestStatus
from organisations.models import PriorityTheme
from packages.models import Strand
from tests.factories import (
    AgreedPackageFactory,
    BudgetYearFactory,
    ManagerFactory,
    OrganisationFactory,
    PackageFactory,
    ProviderFactory,
    StaffFactory,
)

YEAR = 2025


def at(day: date, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def ledger(agreed, kind, amount, when, note=""):
    """An entry written straight to the ledger (and its summaries), dated `when`."""
    return post(agreed=agreed, kind=kind, amount=Decimal(amount), created_at=when, note=note)


def theme(slug, name=None):
    return PriorityTheme.objects.get_or_create(slug=slug, defaults={"name": name or slug.title()})[
        0
    ]


@pytest.fixture
def hand_ledger(db):
    manager = ManagerFactory()
    officer = StaffFactory()
    BudgetYearFactory(
        start_year=YEAR,
        total=Decimal("450000.00"),
        created_by=manager,
        strands={
            Strand.VCS_SUPPORT: Decimal("100000.00"),
            Strand.COMMUNITY_COHESION: Decimal("60000.00"),
            Strand.VOLUNTEERING: Decimal("50000.00"),
        },
    )
    children, health = theme("children", "Children and young people"), theme("health", "Health")
    finance = PackageFactory(name="Finance", value=Decimal("2000.00"))
    governance = PackageFactory(name="Governance", value=Decimal("3500.00"))
    volunteers = PackageFactory(
        name="Volunteers", value=Decimal("1000.00"), strand=Strand.VOLUNTEERING
    )
    a = OrganisationFactory(
        name="Alpha Trust", postcode="LE2 1AA", charity_number="1012345",
        legal_form="registered_charity", income_band="under_10k", priority_themes=[children],
        contact_name="Alice Example", contact_email="alice@example.org",
        contact_phone="0116 496 0000", address_line_1="1 Private Road",
    )  # fmt: skip
    b = OrganisationFactory(
        name="Beta CIC", postcode="LE4 2BB", charity_number=None, company_number="09876543",
        legal_form="cic", income_band="10k_100k", priority_themes=[health],
    )  # fmt: skip
    c = OrganisationFactory(
        name="Gamma CIC", postcode="LE2 3CC", charity_number=None, company_number="01234567",
        legal_form="cic", income_band="10k_100k", priority_themes=[children, health],
    )  # fmt: skip
    d = OrganisationFactory(
        name="Delta Group", postcode="LE5 4DD", charity_number=None, company_number=None,
        legal_form="unincorporated", income_band="under_10k", priority_themes=[theme("sport")],
    )  # fmt: skip

    def agree(org, package, day):
        with time_machine.travel(at(day), tick=False):
            return AgreedPackageFactory(
                organisation=org, package=package, agreed_by=officer, on=day
            )

    pa = agree(a, finance, date(2025, 5, 10))
    ledger(pa, LedgerKind.RELEASE, "2000.00", at(date(2025, 7, 3)), "Claim approved")
    ledger(pa, LedgerKind.SPEND, "1800.00", at(date(2025, 7, 3)))
    pb = agree(b, governance, date(2025, 7, 20))
    with time_machine.travel(at(date(2025, 9, 1)), tick=False):
        cancel_agreed_package(pb, by=officer, reason="The group closed.")
    pc = agree(c, finance, date(2025, 8, 15))
    pd = agree(d, volunteers, date(2025, 10, 2))
    return {
        "manager": manager,
        "officer": officer,
        "orgs": (a, b, c, d),
        "packages": {"finance": finance, "governance": governance, "volunteers": volunteers},
        "agreed": (pa, pb, pc, pd),
    }


class RowMaker:
    """Adds agreed packages that each make a new row in every breakdown, cheaply.

    Each call's packages have their own package, provider (who accepted,
    delivered and was rated), postcode district, priority theme and month, so a
    breakdown of n packages has n rows (legal form and
    income band have only as many rows as they have choices).
    """

    def __init__(self, year: int = YEAR):
        self.year = year
        self.made = 0
        self.budget = BudgetYear.objects.filter(start_year=year).first() or BudgetYearFactory(
            start_year=year
        )
        self.strand = self.budget.strands.get(kind=Strand.VCS_SUPPORT)
        self.officer = StaffFactory()
        forms = ["registered_charity", "cio", "charitable_company", "cic", "society",
                 "unincorporated", "faith_group", "other"]  # fmt: skip
        self.forms = forms
        self.bands = ["under_10k", "10k_100k", "100k_1m", "over_1m"]

    def __call__(self, n: int):
        start = datetime(self.year, 4, 15, 12, tzinfo=UTC)
        for _ in range(n):
            i = self.made
            self.made += 1
            org = OrganisationFactory(
                postcode=f"LE{i + 1} 9ZZ",
                legal_form=self.forms[i % len(self.forms)],
                income_band=self.bands[i % len(self.bands)],
                priority_themes=[theme(f"theme-{i}", f"Theme {i}")],
                charity_number=None if i % 2 else f"{2000000 + i}",
                company_number=f"{30000000 + i:08d}" if i % 2 else None,
            )
            package = PackageFactory(value=Decimal("100.00"))
            agreed_on = (start + timedelta(days=31 * i)).date()
            agreed = AgreedPackage.objects.create(
                organisation=org,
                package=package,
                strand=self.strand,
                value=package.value,
                agreed_on=agreed_on,
                agreed_by=self.officer,
                financial_year=self.year,
            )
            ledger(agreed, LedgerKind.COMMITMENT, "100.00", start + timedelta(days=31 * i))
            asked = start + timedelta(days=31 * i + 2)
            request = ProviderRequest.objects.create(
                agreed_package=agreed, provider=ProviderFactory(), message="Please deliver.",
                requested_by=self.officer, requested_at=asked, status=RequestStatus.ACCEPTED,
                responded_at=asked + timedelta(days=3), planned_start=agreed_on,
                planned_end=agreed_on + timedelta(days=60),
                delivered_at=asked + timedelta(days=40),
            )  # fmt: skip
            Rating.objects.create(request=request, score=1 + i % 5, rated_by=self.officer)
            if i % 3 == 0:
                ledger(
                    agreed, LedgerKind.RELEASE, "100.00", start + timedelta(days=31 * i, hours=1)
                )
                ledger(agreed, LedgerKind.SPEND, "90.00", start + timedelta(days=31 * i, hours=1))


@pytest.fixture
def make_rows(db):
    return RowMaker()


@pytest.fixture
def open_data_storage(settings, tmp_path):
    """The open-data files in a folder of the test's own, gone when it ends."""
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "open_data": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "open-data")},
        },
    }
    return storages["open_data"]
