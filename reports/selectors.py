"""Reads for the dashboards: every figure an aggregate in SQL, a fixed number of queries.

Nothing here loops over packages or ledger entries in Python: each function is
one or two grouped queries, whatever the size of the data.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from allowances.models import (
    AgreedPackage,
    AgreedStatus,
    BudgetStrand,
    BudgetYear,
    LedgerKind,
    LedgerMonth,
)
from allowances.rules import FINANCIAL_YEAR, CapPolicy, financial_year_of
from allowances.selectors import strands_with_figures
from diagnostics.models import Diagnostic, EligibilityApplication, Score
from notifications.deadlines import CHOOSE_PROVIDER, OFFICER_REVIEW, deadlines
from notifications.models import Notification
from organisations.models import Organisation
from packages.models import Strand

from .rules import ZERO, clamp_month, month_starts

MONEY = DecimalField(max_digits=14, decimal_places=2)


def budget_years() -> list[BudgetYear]:
    return list(BudgetYear.objects.order_by("-start_year"))


def default_year(years: list[BudgetYear], today: date) -> BudgetYear | None:
    """This financial year's budget if there is one, else the newest."""
    current = financial_year_of(today)
    return next((y for y in years if y.start_year == current), years[0] if years else None)


def year_strands(year: BudgetYear) -> list[BudgetStrand]:
    """The year's strands with their figures, in the order the scheme lists them: one query."""
    order = Case(
        *(When(kind=k, then=Value(n)) for n, k in enumerate(Strand.values)),
        output_field=IntegerField(),
    )
    return list(strands_with_figures(year.strands.all()).order_by(order))


def monthly_sums(year: BudgetYear) -> dict[date, tuple[Decimal, Decimal, Decimal]]:
    """{first of month: (commitments, releases, spent)} for the year's strands: one query.

    Read from the monthly summary (allowances.LedgerMonth), a few rows a month
    however long the ledger grows.
    """
    months = month_starts(year.starts_on)
    rows = (
        LedgerMonth.objects.filter(strand__budget_year=year)
        .order_by()
        .values("month")
        .annotate(
            commitments=_sum(LedgerKind.COMMITMENT),
            releases=_sum(LedgerKind.RELEASE),
            spent=_sum(LedgerKind.SPEND),
        )
    )
    out: dict[date, tuple[Decimal, Decimal, Decimal]] = {}
    for row in rows:
        month = clamp_month(row["month"], months)
        before = out.get(month, (ZERO, ZERO, ZERO))
        out[month] = (
            before[0] + row["commitments"],
            before[1] + row["releases"],
            before[2] + row["spent"],
        )
    return out


def _day_start(day: date):
    return timezone.make_aware(datetime.combine(day, time.min))


def _sum(kind):
    return Coalesce(Sum("amount", filter=Q(kind=kind)), Value(ZERO), output_field=MONEY)


# --- Caps in practice


@dataclass(frozen=True)
class CapsInPractice:
    policy: CapPolicy
    year_counts: list[tuple[str, int]]  # ("0 packages", 120), …, ("at the cap of 2", 14)
    at_period_cap: int
    overrides: int
    cap_overrides: int
    budget_overrides: int
    expired: int
    expired_value: Decimal


def _windows(policy: CapPolicy, year: int, today: date) -> tuple[Q, Q]:
    """What 'this year' and 'the period' mean under the policy, as filters on packages."""
    if policy.basis == FINANCIAL_YEAR:
        return (
            Q(financial_year=year),
            Q(financial_year__gt=year - policy.period_years, financial_year__lte=year),
        )
    return (
        Q(agreed_on__gt=today - timedelta(days=365), agreed_on__lte=today),
        Q(agreed_on__gt=today - timedelta(days=policy.period_days), agreed_on__lte=today),
    )


def caps_in_practice(policy: CapPolicy, year: int, today: date) -> CapsInPractice:
    """How many organisations are at each count this year and at the period cap: three queries.

    The counting packages in the period are grouped by organisation once (one
    scan, not a subquery per organisation), and the groups counted by how many
    each holds; organisations with none this year are the rest of the register.
    """
    in_year, in_period = _windows(policy, year, today)
    per_organisation = (
        AgreedPackage.objects.counting()
        .filter(in_year | in_period)
        .order_by()
        .values("organisation")
        .annotate(in_year=Count("pk", filter=in_year), in_period=Count("pk", filter=in_period))
    )
    buckets = {
        f"n{n}": Count("organisation", filter=Q(in_year=n)) for n in range(1, policy.per_year)
    }
    figures = per_organisation.aggregate(
        **buckets,
        any_this_year=Count("organisation", filter=Q(in_year__gte=1)),
        at_year_cap=Count("organisation", filter=Q(in_year__gte=policy.per_year)),
        at_period_cap=Count("organisation", filter=Q(in_period__gte=policy.per_period)),
    )
    figures["n0"] = Organisation.objects.count() - figures["any_this_year"]
    ended = AgreedPackage.objects.filter(financial_year=year).aggregate(
        overrides=Count("pk", filter=Q(cap_override=True) | Q(budget_override=True)),
        cap_overrides=Count("pk", filter=Q(cap_override=True)),
        budget_overrides=Count("pk", filter=Q(budget_override=True)),
        expired=Count("pk", filter=Q(status=AgreedStatus.EXPIRED)),
        expired_value=Coalesce(
            Sum("value", filter=Q(status=AgreedStatus.EXPIRED)), Value(ZERO), output_field=MONEY
        ),
    )
    year_counts = [
        (f"{n} package{'s' if n != 1 else ''}", figures[f"n{n}"]) for n in range(policy.per_year)
    ]
    year_counts.append((f"At the yearly cap of {policy.per_year}", figures["at_year_cap"]))
    return CapsInPractice(
        policy=policy,
        year_counts=year_counts,
        at_period_cap=figures["at_period_cap"],
        **ended,
    )


def overrides_in(year: int, limit: int = 20):
    return list(
        AgreedPackage.objects.overrides()
        .filter(financial_year=year)
        .select_related("organisation", "package", "agreed_by")
        .order_by("-agreed_at", "-id")[:limit]
    )


def expired_in(year: int, limit: int = 20):
    return list(
        AgreedPackage.objects.filter(financial_year=year, status=AgreedStatus.EXPIRED)
        .select_related("organisation", "package")
        .order_by("-ended_at", "-id")[:limit]
    )


# --- Reach and impact


def _supported_in(year: int):
    """Organisations with a package agreed in the year that still counts (not ended unused)."""
    return Exists(
        AgreedPackage.objects.counting().filter(organisation=OuterRef("pk"), financial_year=year)
    )


def reach(year: int) -> dict:
    """Organisations supported, in all, by priority theme and by postcode district: 3 queries."""
    supported = Organisation.objects.filter(_supported_in(year))
    by_theme = list(
        supported.order_by()
        .values(slug=F("priority_themes__slug"), theme_name=F("priority_themes__name"))
        .annotate(organisations=Count("pk", distinct=True))
        .order_by("-organisations", "theme_name")
    )
    by_district = list(
        supported.order_by()
        .values("postcode_district")
        .annotate(organisations=Count("pk"))
        .order_by("-organisations", "postcode_district")
    )
    return {"total": supported.count(), "by_theme": by_theme, "by_district": by_district}


def _diagnostic_pairs():
    """Organisations with two or more completed diagnostics, with their first and latest.

    Grouped from the diagnostics, not from every organisation, so the work
    grows with the organisations that have diagnostics, not with the register.
    """
    completed = Diagnostic.objects.filter(status=Diagnostic.Status.COMPLETED).order_by()
    same_org = completed.filter(organisation_id=OuterRef("organisation_id"))
    return (
        completed.values("organisation_id")
        .annotate(completed_count=Count("pk"))
        .filter(completed_count__gte=2)
        .annotate(
            first_id=Subquery(same_org.order_by("completed_at", "pk").values("pk")[:1]),
            latest_id=Subquery(same_org.order_by("-completed_at", "-pk").values("pk")[:1]),
        )
    )


FINAL_SCORE = Coalesce("officer_score", "self_score")


def _theme_means(diagnostic_ids) -> dict[str, tuple[str, float | None]]:
    rows = (
        Score.objects.filter(diagnostic_id__in=diagnostic_ids)
        .values(slug=F("statement__theme__slug"), name=F("statement__theme__name"))
        .annotate(mean=Avg(FINAL_SCORE))
    )
    return {
        r["slug"]: (r["name"], round(float(r["mean"]), 1) if r["mean"] is not None else None)
        for r in rows
    }


def impact() -> dict:
    """Change in diagnostic scores, first against latest, for organisations with two: 3 queries."""
    pairs = _diagnostic_pairs()

    def mean_of(ref):
        return Subquery(
            Score.objects.filter(diagnostic_id=OuterRef(ref))
            .order_by()
            .values("diagnostic_id")
            .annotate(m=Avg(FINAL_SCORE))
            .values("m")
        )

    summary = pairs.annotate(before=mean_of("first_id"), after=mean_of("latest_id")).aggregate(
        organisations=Count("organisation_id"),
        improved=Count("organisation_id", filter=Q(after__gt=F("before"))),
        worse=Count("organisation_id", filter=Q(after__lt=F("before"))),
        mean_before=Avg("before"),
        mean_after=Avg("after"),
    )
    before = _theme_means(Subquery(pairs.values("first_id")))
    after = _theme_means(Subquery(pairs.values("latest_id")))
    return {"summary": summary, "before": before, "after": after}


# --- Operations (officers)


@dataclass(frozen=True)
class Queue:
    title: str
    count: int
    overdue: int
    overdue_words: str
    oldest: list


def operations(today: date, limit: int = 10) -> dict:
    """The officers' queues and what is overdue in each: an aggregate and a list per queue.

    Overdue is measured against the deadlines managers set (notifications.deadlines):
    an officer's review of an application or a booking, the organisation's choice of
    provider. A step is overdue once its deadline, counted from its start, has passed.
    """
    rules = deadlines(OFFICER_REVIEW, CHOOSE_PROVIDER)
    review, choose = rules[OFFICER_REVIEW].period, rules[CHOOSE_PROVIDER].period
    # Started before this day: the deadline was yesterday or earlier.
    review_cutoff = _day_start(rules[OFFICER_REVIEW].counted_back_from(today))
    choose_by = rules[CHOOSE_PROVIDER].counted_back_from(today)
    applications = EligibilityApplication.objects.filter(
        status=EligibilityApplication.Status.SUBMITTED
    )
    app_counts = applications.aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(submitted_at__lt=review_cutoff))
    )
    sessions = Diagnostic.objects.filter(status=Diagnostic.Status.AWAITING_SESSION)
    session_counts = sessions.aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(self_assessment_submitted_at__lt=review_cutoff)),
    )
    waiting = AgreedPackage.objects.filter(status=AgreedStatus.AGREED)
    waiting_counts = waiting.aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(agreed_on__lt=choose_by))
    )
    return {
        "applications": Queue(
            "Eligibility applications waiting for a decision",
            app_counts["n"],
            app_counts["overdue"],
            f"waiting more than {review}",
            list(
                applications.select_related("organisation").order_by("submitted_at", "pk")[:limit]
            ),
        ),
        "sessions": Queue(
            "Diagnostics waiting for a session to be booked",
            session_counts["n"],
            session_counts["overdue"],
            f"waiting more than {review}",
            list(
                sessions.select_related("organisation").order_by(
                    "self_assessment_submitted_at", "pk"
                )[:limit]
            ),
        ),
        "no_provider": Queue(
            "Agreed packages with no provider chosen",
            waiting_counts["n"],
            waiting_counts["overdue"],
            f"past the deadline to choose one ({choose} from agreement)",
            list(
                waiting.select_related("organisation", "package").order_by("agreed_on", "pk")[
                    :limit
                ]
            ),
        ),
        "failed_emails": Notification.objects.filter(status=Notification.Status.FAILED).count(),
    }
