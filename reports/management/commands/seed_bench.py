"""Seed a city-scale data set for `make bench`, fast, with bulk inserts.

3,000 organisations, 300 providers, 20,000 agreed packages over six financial
years with their ledger entries, provider requests and ratings, and 500
organisations with two completed diagnostics. For a database of its own
(`make bench` uses vcs_bench): it refuses to run on a database that already has
organisations, and it refuses to run with DEBUG=False unless given --force.

The ledger's PostgreSQL triggers (append-only, no overspend) check each row as
it goes in; here they are switched off for the seeding session only
(session_replication_role = replica), because every row is built to respect
them and checking 40,000 inserts one by one would take most of the time.
Budgets are far above the real £450,000 ceiling so that 3,300 packages a year
fit: the figures are for timing, not for policy.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from allowances.models import (
    AgreedPackage,
    AgreedStatus,
    BudgetStrand,
    BudgetYear,
    LedgerEntry,
    LedgerKind,
)
from allowances.rules import financial_year_of, fy_end, fy_start
from delivery.models import Claim, ClaimStatus, ProviderRequest, Rating, RequestStatus
from diagnostics.models import (
    CriteriaVersion,
    Diagnostic,
    EligibilityApplication,
    Questionnaire,
    Score,
    Statement,
)
from organisations.models import IncomeBand, LegalForm, Organisation, PriorityTheme, User
from packages.models import Package, Strand
from providers.models import Provider

ORGANISATIONS = 3000
PROVIDERS = 300
AGREED = 20000
YEARS = 6
REPEAT_DIAGNOSTICS = 500
WAITING_APPLICATIONS = 200
# Two packages a year in two years of every three: 8 per organisation in six
# years, never more than 4 in any three consecutive years.
PATTERN = (2, 2, 0)
DISTRICTS = [f"LE{n}" for n in range(1, 20)]
BATCH = 5000


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Command(BaseCommand):
    help = "Seed the city-scale benchmark data set (for a database of its own)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=False.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, force=False, seed=7, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_bench fills a database with made-up data; give --force.")
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL (make bench creates vcs_bench).")
        if Organisation.objects.exists():
            raise CommandError("This database already has organisations: use an empty one.")
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            self._seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded in {time.monotonic() - started:.1f}s")

    def _seed(self):
        rng = self.rng
        self.manager = User.objects.create_user(
            "bench-manager@example.org", "bench-only-password", role=User.Role.MANAGER
        )
        officer = User.objects.create_user(
            "bench-officer@example.org", "bench-only-password", role=User.Role.OFFICER
        )
        packages = list(Package.objects.filter(strand=Strand.VCS_SUPPORT))
        if not packages:
            raise CommandError("No packages: run the migrations first.")
        themes = list(PriorityTheme.objects.all())
        today = timezone.localdate()
        current = financial_year_of(today)
        years = list(range(current - YEARS + 1, current + 1))

        strands = {}
        for year in years:
            budget = BudgetYear.objects.create(
                start_year=year, total=Decimal("30000000.00"), created_by=self.manager
            )
            for kind in Strand.values:
                strands[year, kind] = BudgetStrand.objects.create(
                    budget_year=budget, kind=kind, amount=Decimal("10000000.00")
                )

        forms, bands = LegalForm.values, IncomeBand.values
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench Community Group {i}",
                legal_form=forms[i % len(forms)],
                charity_number=str(3000000 + i) if i % 3 == 0 else None,
                company_number=f"{40000000 + i:08d}" if i % 3 == 1 else None,
                address_line_1=f"{i} Bench Street",
                postcode=f"{DISTRICTS[i % len(DISTRICTS)]} 1AA",
                postcode_district=DISTRICTS[i % len(DISTRICTS)],
                contact_name="Bench Contact",
                contact_email=f"bench{i}@example.org",
                main_activities="Community activities.",
                beneficiaries="Local residents.",
                income_band=bands[i % len(bands)],
                staff_count=i % 20,
                volunteer_count=i % 50,
            )
            for i in range(ORGANISATIONS)
        )
        through = Organisation.priority_themes.through
        through.objects.bulk_create(
            through(organisation_id=o.pk, prioritytheme_id=t.pk)
            for n, o in enumerate(orgs)
            for t in rng.sample(themes, k=1 + n % 3)
        )
        providers = Provider.objects.bulk_create(
            Provider(
                name=f"Bench Provider {i}",
                provider_type=Provider.Type.COMPANY,
                company_number=f"{50000000 + i:08d}",
                description="Support for small charities.",
                contact_email=f"provider{i}@example.org",
            )
            for i in range(PROVIDERS)
        )
        self.stdout.write(f"  {len(orgs)} organisations, {len(providers)} providers")

        agreed = []
        slots = [
            (o, year, slot)
            for y_index, year in enumerate(years)
            for n, o in enumerate(orgs)
            for slot in range(1, PATTERN[(y_index + n) % len(PATTERN)] + 1)
        ]
        rng.shuffle(slots)
        for org, year, slot in sorted(slots[:AGREED], key=lambda s: (s[1], s[0].pk, s[2])):
            start, end = fy_start(year), min(fy_end(year), today)
            on = start + timedelta(days=rng.randrange(max((end - start).days, 1)))
            package = rng.choice(packages)
            roll = rng.random()
            age = (today - on).days
            if roll < 0.07:
                status = AgreedStatus.CANCELLED
            elif roll < 0.15 and age > 60:
                status = AgreedStatus.EXPIRED
            elif age > 200:
                status = AgreedStatus.PAID
            elif age > 120:
                status = AgreedStatus.DELIVERED
            elif age > 40:
                status = AgreedStatus.IN_DELIVERY
            else:
                status = AgreedStatus.AGREED
            started = status in (AgreedStatus.IN_DELIVERY, AgreedStatus.DELIVERED,
                                 AgreedStatus.PAID)  # fmt: skip
            ended = status in (AgreedStatus.CANCELLED, AgreedStatus.EXPIRED)
            agreed.append(
                AgreedPackage(
                    organisation=org,
                    package=package,
                    strand=strands[year, package.strand],
                    value=package.value,
                    status=status,
                    agreed_on=on,
                    agreed_at=_at(on, 10),
                    agreed_by=officer,
                    delivery_started_on=on + timedelta(days=30) if started else None,
                    ended_at=_at(on + timedelta(days=50)) if ended else None,
                    ended_reason="Bench" if ended else "",
                    financial_year=year,
                    year_slot=slot,
                    year_cap=2,
                )
            )
        agreed = AgreedPackage.objects.bulk_create(agreed, batch_size=BATCH)
        self.stdout.write(f"  {len(agreed)} agreed packages")

        entries, requests, paid = [], [], {}
        for a in agreed:
            entries.append(self._entry(a, LedgerKind.COMMITMENT, a.value, _at(a.agreed_on, 10)))
            if a.status in (AgreedStatus.CANCELLED, AgreedStatus.EXPIRED):
                entries.append(self._entry(a, LedgerKind.RELEASE, a.value, a.ended_at))
            if a.status == AgreedStatus.PAID:
                paid_at = _at(a.agreed_on + timedelta(days=150 + rng.randrange(40)))
                entries.append(self._entry(a, LedgerKind.RELEASE, a.value, paid_at))
                spend = (
                    a.value
                    if rng.random() < 0.8
                    else (a.value * Decimal("0.9")).quantize(Decimal("0.01"))
                )
                entries.append(self._entry(a, LedgerKind.SPEND, spend, paid_at))
                paid[a.pk] = (spend, paid_at)
            requests.extend(self._requests(a, providers, officer))
        LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
        requests = ProviderRequest.objects.bulk_create(requests, batch_size=BATCH)
        Rating.objects.bulk_create(
            (
                Rating(
                    request=r,
                    score=rng.randint(2, 5),
                    rated_by=officer,
                    rated_at=r.delivered_at + timedelta(days=7),
                )  # fmt: skip
                for r in requests
                if r.delivered_at is not None and rng.random() < 0.7
            ),
            batch_size=BATCH,
        )
        # Every spend is an approved claim's payment, as approve_claim makes it
        # (check_ledger's C1 and C2 hold on the bench data too).
        claims = Claim.objects.bulk_create(
            (
                Claim(
                    request=r,
                    agreed_package_id=r.agreed_package_id,
                    amount=paid[r.agreed_package_id][0],
                    status=ClaimStatus.APPROVED,
                    submitted_by=officer,
                    submitted_at=paid[r.agreed_package_id][1] - timedelta(days=7),
                    decided_by=officer,
                    decided_at=paid[r.agreed_package_id][1],
                    amount_paid=paid[r.agreed_package_id][0],
                )  # fmt: skip
                for r in requests
                if r.status == RequestStatus.ACCEPTED and r.agreed_package_id in paid
            ),
            batch_size=BATCH,
        )
        self.stdout.write(
            f"  {len(entries)} ledger entries, {len(requests)} provider requests,"
            f" {len(claims)} approved claims"
        )
        self._diagnostics(orgs, officer)

    def _entry(self, agreed, kind, amount, when):
        return LedgerEntry(
            strand_id=agreed.strand_id,
            agreed_package=agreed,
            kind=kind,
            amount=amount,
            created_at=when,
            created_by_id=agreed.agreed_by_id,
        )

    def _requests(self, a, providers, officer):
        """A declined request for some packages, then the accepted one once delivery began."""
        rng = self.rng
        made = []
        asked = _at(a.agreed_on + timedelta(days=5))
        if rng.random() < 0.2 and a.status != AgreedStatus.CANCELLED:
            made.append(
                ProviderRequest(
                    agreed_package=a,
                    provider=rng.choice(providers),
                    message="Bench",
                    requested_by=officer,
                    requested_at=asked,
                    status=RequestStatus.DECLINED,
                    responded_at=asked + timedelta(days=rng.randint(1, 12)),
                    decline_reason="No capacity",
                )  # fmt: skip
            )
            asked += timedelta(days=14)
        if a.delivery_started_on is None:
            return made
        responded = asked + timedelta(days=rng.randint(1, 12))
        delivered = (
            _at(a.delivery_started_on + timedelta(days=rng.randint(40, 90)))
            if a.status in (AgreedStatus.DELIVERED, AgreedStatus.PAID)
            else None
        )
        made.append(
            ProviderRequest(
                agreed_package=a,
                provider=rng.choice(providers),
                message="Bench",
                requested_by=officer,
                requested_at=asked,
                status=RequestStatus.ACCEPTED,
                responded_at=responded,
                planned_start=a.delivery_started_on,
                planned_end=a.delivery_started_on + timedelta(days=90),
                delivered_at=delivered,
            )  # fmt: skip
        )
        return made

    def _diagnostics(self, orgs, officer):
        questionnaire = Questionnaire.objects.filter(published_at__isnull=False).first()
        statements = list(Statement.objects.filter(theme__questionnaire=questionnaire))
        now = timezone.now()
        diagnostics = Diagnostic.objects.bulk_create(
            Diagnostic(
                organisation=o,
                questionnaire=questionnaire,
                status=Diagnostic.Status.COMPLETED,
                started_by=officer,
                started_at=now - timedelta(days=400 - 300 * second),
                self_assessment_submitted_at=now - timedelta(days=399 - 300 * second),
                completed_at=now - timedelta(days=390 - 300 * second),
                completed_by=officer,
            )  # fmt: skip
            for o in orgs[:REPEAT_DIAGNOSTICS]
            for second in (0, 1)
        )
        rng = self.rng
        Score.objects.bulk_create(
            (
                Score(diagnostic=d, statement=s, self_score=rng.randint(1, 4))
                for d in diagnostics
                for s in statements
            ),
            batch_size=BATCH,
        )
        criteria = CriteriaVersion.objects.filter(published_at__isnull=False).first()
        EligibilityApplication.objects.bulk_create(
            EligibilityApplication(
                organisation=o,
                criteria_version=criteria,
                created_by=officer,
                status=EligibilityApplication.Status.SUBMITTED,
                submitted_at=now - timedelta(days=rng.randint(1, 30)),
            )  # fmt: skip
            for o in orgs[-WAITING_APPLICATIONS:]
        )
        self.stdout.write(f"  {len(diagnostics)} completed diagnostics with their scores")
