"""Seed the benchmark data set for `make bench`, fast, with bulk inserts.

At --scale 1 (a city): 3,000 organisations, 300 providers, 20,000 agreed
packages over six financial years with their ledger entries, provider
requests, ratings and claims, and 500 organisations with two completed
diagnostics. --scale N multiplies every count by N (10: 30,000 organisations,
3,000 providers, 200,000 agreed packages).

So that every page has something to show, it also makes the work that waits
for someone: claims waiting for approval, open disputes, requests waiting for
a provider's answer, eligibility applications and diagnostics waiting for an
officer, providers' package applications waiting for assessment and emails
that failed. And the people to look at it: PEOPLE_PER_ROLE managers, officers,
organisation administrators and provider users (`bench_email`), all with the
password BENCH_PASSWORD, hashed as production hashes it, and the staff with a
TOTP authenticator on BENCH_TOTP_SECRET (all in reports/bench_people.py), so
`bench_sessions` can sign them in for `make load` with the code step, as a person would.

For a database of its own (`make bench` uses vcs_bench): it refuses to run on
a database that already has organisations, and with DEBUG=False unless given
--force. The ledger's PostgreSQL triggers (append-only, no overspend) are off
for the seeding transaction only (session_replication_role = replica): every
row is built to respect them and checking each insert would take most of the
time. So the ledger's summaries are rebuilt from the rows at the end, as
`allowances.ledger` asks of any bulk load, and `manage.py check_ledger` finds
every invariant holding. Budgets are far above the real £450,000 ceiling so
that 3,300 packages a year (times the scale) fit: the figures are for timing,
not for policy.
"""

import random
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from allowances.ledger import rebuild_summaries
from allowances.models import (
    STARTED,
    AgreedPackage,
    AgreedStatus,
    BudgetStrand,
    BudgetYear,
    LedgerEntry,
    LedgerKind,
)
from allowances.rules import financial_year_of, fy_end, fy_start
from delivery.models import Claim, ClaimStatus, Dispute, ProviderRequest, Rating, RequestStatus
from organisations.models import (
    IncomeBand,
    LegalForm,
    Membership,
    Organisation,
    PriorityTheme,
)
from packages.models import Package, Strand
from providers.models import Provider, ProviderMembership
from reports import figures_cache
from reports.bench_people import make_people
from reports.bench_support import seed_support
from reports.bench_volunteering import seed_opportunities
from reports.bench_volunteers import seed_volunteers
from reports.bench_waiting import BATCH, WaitingWork

# Counts at --scale 1; each is multiplied by the scale.
ORGANISATIONS = 3000
PROVIDERS = 300
AGREED = 20000
YEARS = 6
# Two packages a year in two years of every three: 8 per organisation in six
# years, never more than 4 in any three consecutive years.
PATTERN = (2, 2, 0)
DISTRICTS = [f"LE{n}" for n in range(1, 20)]


# The bench's people, the same at every scale.
def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Command(BaseCommand):
    help = "Seed the benchmark data set at a scale (for a database of its own)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=False.")
        parser.add_argument("--scale", type=int, default=1, help="Multiply every count (1, 10).")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, force=False, scale=1, seed=7, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_bench fills a database with made-up data; give --force.")
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL (make bench creates vcs_bench).")
        if scale < 1:
            raise CommandError("--scale is a whole number from 1.")
        if Organisation.objects.exists():
            raise CommandError("This database already has organisations: use an empty one.")
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.scale = scale
        self.started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            self._seed()
            rebuild_summaries()
            self._say("ledger summaries rebuilt from the rows")
        # Bulk inserts send no signals: report figures kept before are out of date.
        figures_cache.bump()
        # Vacuumed as well as analysed: a table that has only been bulk-loaded has no
        # visibility map yet (so no index-only scans), and autovacuum would otherwise
        # come to it in the middle of the timing.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self._say("vacuumed and analysed")
        self.stdout.write(f"Seeded at scale {scale} in {time.monotonic() - self.started:.1f}s")

    def _say(self, what: str) -> None:
        self.stdout.write(f"  [{time.monotonic() - self.started:6.1f}s] {what}")

    def _seed(self):
        n = self.scale
        today = timezone.localdate()
        years = list(range(financial_year_of(today) - YEARS + 1, financial_year_of(today) + 1))
        self.people = make_people()
        self.manager, self.officer = self.people["manager"][0], self.people["officer"][0]
        orgs = self._organisations(ORGANISATIONS * n)
        providers = self._providers(PROVIDERS * n)
        self._memberships(orgs, providers)
        self._say(
            f"{len(orgs):,} organisations, {len(providers):,} providers, "
            f"{sum(len(p) for p in self.people.values())} people (staff with TOTP)"
        )
        self.packages = list(Package.objects.filter(strand=Strand.VCS_SUPPORT))
        if not self.packages:
            raise CommandError("No packages: run the migrations first.")
        strands = self._budgets(years)
        totals = defaultdict(int)
        slots = self._slots(orgs, years)
        for year in years:
            for what, count in self._agree_year(year, slots[year], strands, providers).items():
                totals[what] += count
            self._say(
                f"FY {year}: {totals['agreed']:,} agreed packages, "
                f"{totals['entries']:,} ledger entries so far"
            )
        self._say(", ".join(f"{count:,} {what}" for what, count in totals.items()))
        WaitingWork(
            rng=self.rng, scale=n, officer=self.officer, packages=self.packages,
            started=self.started, stdout=self.stdout,
        ).seed(orgs, providers)  # fmt: skip
        seed_opportunities(rng=self.rng, scale=n, orgs=orgs, people=self.people,
                           started=self.started, stdout=self.stdout)  # fmt: skip
        seed_volunteers(rng=self.rng, scale=n, manager=self.people["manager"][0],
                        started=self.started, stdout=self.stdout)  # fmt: skip
        seed_support(scale=n, orgs=orgs, broker=self.people["provider"][0],
                     started=self.started, stdout=self.stdout)  # fmt: skip

    # --- who and what

    def _organisations(self, count):
        rng = self.rng
        forms, bands = LegalForm.values, IncomeBand.values
        orgs = Organisation.objects.bulk_create(
            (
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
                for i in range(count)
            ),
            batch_size=BATCH,
        )
        themes = list(PriorityTheme.objects.all())
        through = Organisation.priority_themes.through
        through.objects.bulk_create(
            (
                through(organisation_id=o.pk, prioritytheme_id=t.pk)
                for i, o in enumerate(orgs)
                for t in rng.sample(themes, k=1 + i % 3)
            ),
            batch_size=BATCH,
        )
        return orgs

    def _providers(self, count):
        joined = timezone.now() - timedelta(days=400)
        return Provider.objects.bulk_create(
            (
                Provider(
                    name=f"Bench Provider {i}",
                    provider_type=Provider.Type.COMPANY,
                    company_number=f"{50000000 + i:08d}",
                    description="Support for small charities.",
                    contact_email=f"provider{i}@example.org",
                    register_submitted_at=joined,
                    register_submitted_by=self.officer,
                    declaration_name="Bench Director",
                )
                for i in range(count)
            ),
            batch_size=BATCH,
        )

    def _memberships(self, orgs, providers):
        """Organisation admins of the first organisations, provider users of the first
        providers."""
        people = self.people
        Membership.objects.bulk_create(
            Membership(user=u, organisation=orgs[i], role=Membership.Role.ADMIN)
            for i, u in enumerate(people["organisation"])
        )
        ProviderMembership.objects.bulk_create(
            ProviderMembership(user=u, provider=providers[i])
            for i, u in enumerate(people["provider"])
        )

    def _budgets(self, years):
        strands = {}
        for year in years:
            budget = BudgetYear.objects.create(
                start_year=year, total=Decimal("30000000.00") * self.scale, created_by=self.manager
            )
            for kind in Strand.values:
                strands[year, kind] = BudgetStrand.objects.create(
                    budget_year=budget, kind=kind, amount=Decimal("10000000.00") * self.scale
                )
        return strands

    def _slots(self, orgs, years):
        """AGREED (organisation, slot) pairs, grouped by financial year."""
        slots = [
            (year, o, slot)
            for y_index, year in enumerate(years)
            for i, o in enumerate(orgs)
            for slot in range(1, PATTERN[(y_index + i) % len(PATTERN)] + 1)
        ]
        self.rng.shuffle(slots)
        by_year = defaultdict(list)
        for year, org, slot in sorted(
            slots[: AGREED * self.scale], key=lambda s: (s[0], s[1].pk, s[2])
        ):
            by_year[year].append((org, slot))
        return by_year

    # --- one financial year of agreed packages and everything that hangs from them

    def _agree_year(self, year, slots, strands, providers):
        """Insert one year's packages, then their ledger rows, requests, ratings, claims and
        disputes: one year at a time, so memory stays flat at any scale."""
        rng, today = self.rng, timezone.localdate()
        start, end = fy_start(year), min(fy_end(year), today)
        agreed = []
        for org, slot in slots:
            on = start + timedelta(days=rng.randrange(max((end - start).days, 1)))
            package = rng.choice(self.packages)
            status = self._status(rng.random(), (today - on).days)
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
                    agreed_by=self.officer,
                    delivery_started_on=on + timedelta(days=30) if status in STARTED else None,
                    ended_at=_at(on + timedelta(days=50)) if ended else None,
                    ended_reason="Bench" if ended else "",
                    financial_year=year,
                    year_slot=slot,
                    year_cap=2,
                )
            )
        agreed = AgreedPackage.objects.bulk_create(agreed, batch_size=BATCH)

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
            requests.extend(self._requests(a, providers))
        LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
        requests = ProviderRequest.objects.bulk_create(requests, batch_size=BATCH)
        delivered = [r for r in requests if r.delivered_at is not None]
        ratings = Rating.objects.bulk_create(
            (
                Rating(
                    request=r,
                    score=rng.randint(2, 5),
                    rated_by=self.officer,
                    rated_at=r.delivered_at + timedelta(days=7),
                )
                for r in delivered
                if rng.random() < 0.7
            ),
            batch_size=BATCH,
        )
        status_of = {a.pk: a.status for a in agreed}
        claims = Claim.objects.bulk_create(
            (
                self._claim(r, status_of[r.agreed_package_id], paid)
                for r in delivered
                if status_of[r.agreed_package_id] in (AgreedStatus.PAID, AgreedStatus.CLAIMED)
            ),
            batch_size=BATCH,
        )
        disputes = Dispute.objects.bulk_create(
            Dispute(
                request=r,
                reason="Bench: not delivered as agreed",
                raised_by=self.officer,
                raised_at=min(r.delivered_at + timedelta(days=10), timezone.now()),
            )
            for r in delivered
            if status_of[r.agreed_package_id] == AgreedStatus.DISPUTED
        )
        return {
            "agreed": len(agreed),
            "entries": len(entries),
            "requests": len(requests),
            "ratings": len(ratings),
            "claims": len(claims),
            "disputes": len(disputes),
        }

    @staticmethod
    def _status(roll: float, age: int) -> str:
        if roll < 0.07:
            return AgreedStatus.CANCELLED
        if roll < 0.15 and age > 60:
            return AgreedStatus.EXPIRED
        if age > 200:
            return AgreedStatus.PAID
        if age > 120:
            # Delivered, some confirmed, claimed (a claim waiting) or disputed.
            for share, status in (
                (0.3, AgreedStatus.CLAIMED),
                (0.35, AgreedStatus.DISPUTED),
                (0.5, AgreedStatus.CONFIRMED),
            ):
                if roll < 0.15 + 0.85 * share:
                    return status
            return AgreedStatus.DELIVERED
        if age > 40:
            return AgreedStatus.IN_DELIVERY
        # Recent: half still choosing a provider, half waiting for the provider's answer.
        return AgreedStatus.AGREED if roll < 0.575 else AgreedStatus.PROVIDER_REQUESTED

    def _entry(self, agreed, kind, amount, when):
        return LedgerEntry(
            strand_id=agreed.strand_id,
            agreed_package=agreed,
            organisation_id=agreed.organisation_id,
            kind=kind,
            amount=amount,
            created_at=when,
            created_by_id=agreed.agreed_by_id,
        )

    def _claim(self, request, status, paid):
        """The approved claim behind each spend (check_ledger's C1 and C2), or one waiting (C3)."""
        if status == AgreedStatus.PAID:
            amount, paid_at = paid[request.agreed_package_id]
            return Claim(
                request=request,
                agreed_package_id=request.agreed_package_id,
                amount=amount,
                status=ClaimStatus.APPROVED,
                submitted_by=self.officer,
                submitted_at=paid_at - timedelta(days=7),
                decided_by=self.officer,
                decided_at=paid_at,
                amount_paid=amount,
            )
        return Claim(
            request=request,
            agreed_package_id=request.agreed_package_id,
            amount=request.agreed_package.value,
            status=ClaimStatus.SUBMITTED,
            submitted_by=self.officer,
            submitted_at=min(
                request.delivered_at + timedelta(days=10), timezone.now() - timedelta(hours=1)
            ),
        )

    def _requests(self, a, providers):
        """A declined request for some packages, then the accepted one once delivery began,
        or the one still waiting for the provider's answer."""
        rng = self.rng
        if a.status == AgreedStatus.PROVIDER_REQUESTED:
            return [
                ProviderRequest(
                    agreed_package=a,
                    provider=rng.choice(providers),
                    message="Bench",
                    requested_by=self.officer,
                    requested_at=_at(a.agreed_on, 13),
                )
            ]
        made = []
        asked = _at(a.agreed_on + timedelta(days=5))
        if rng.random() < 0.2 and a.status not in (AgreedStatus.CANCELLED, AgreedStatus.AGREED):
            made.append(
                ProviderRequest(
                    agreed_package=a,
                    provider=rng.choice(providers),
                    message="Bench",
                    requested_by=self.officer,
                    requested_at=asked,
                    status=RequestStatus.DECLINED,
                    responded_at=asked + timedelta(days=rng.randint(1, 12)),
                    decline_reason="No capacity",
                )
            )
            asked += timedelta(days=14)
        if a.delivery_started_on is None:
            return made
        responded = asked + timedelta(days=rng.randint(1, 12))
        delivered = (
            _at(a.delivery_started_on + timedelta(days=rng.randint(40, 90)))
            if a.status not in (AgreedStatus.IN_DELIVERY,)
            else None
        )
        made.append(
            ProviderRequest(
                agreed_package=a,
                provider=rng.choice(providers),
                message="Bench",
                requested_by=self.officer,
                requested_at=asked,
                status=RequestStatus.ACCEPTED,
                responded_at=responded,
                planned_start=a.delivery_started_on,
                planned_end=a.delivery_started_on + timedelta(days=90),
                delivered_at=delivered,
            )
        )
        return made
