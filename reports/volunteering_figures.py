"""Section C's figures for managers and the volunteer centre (issue 14): volunteers
registered and active, opportunities published and filled, interest → placement and the
time to a first answer, placements and hours by theme or district, and the value of
volunteering (confirmed hours × the hourly value a manager set, with its source).

Every figure is an aggregate in the database: a fixed number of queries however many
volunteers, interests and hours there are. A period (from, to) narrows each figure by
its own date: volunteers by when they signed up, opportunities by when they were
published or filled, interest by when it was sent, hours by the day they were given.
A theme or district narrows everything that belongs to an opportunity.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from allowances.models import BudgetStrand
from allowances.rules import financial_year_of
from allowances.selectors import strands_with_figures
from organisations.models import PriorityTheme
from packages.models import Strand
from volunteering import volunteer_rules as vr
from volunteering.models import (
    HourEntry,
    Interest,
    Opportunity,
    Placement,
    Volunteer,
    VolunteerHourValue,
)

ACTIVE_WITHIN = timedelta(days=365)
BY = {"theme": "Priority theme", "district": "Postcode district"}
REMOTE = "Remote"
NO_THEME = "No theme"
NO_DISTRICT = "No district"


@dataclass(frozen=True)
class Period:
    starts: date | None = None
    ends: date | None = None
    theme: PriorityTheme | None = None
    district: str = ""

    def _moment(self, day: date, end: bool) -> datetime:
        at = datetime.combine(day + timedelta(days=1) if end else day, time.min)
        return timezone.make_aware(at)

    def at(self, field: str) -> Q:
        """A datetime `field` within the period (whole days, London time)."""
        q = Q()
        if self.starts:
            q &= Q(**{f"{field}__gte": self._moment(self.starts, False)})
        if self.ends:
            q &= Q(**{f"{field}__lt": self._moment(self.ends, True)})
        return q

    def on(self, field: str) -> Q:
        """A date `field` within the period."""
        q = Q()
        if self.starts:
            q &= Q(**{f"{field}__gte": self.starts})
        if self.ends:
            q &= Q(**{f"{field}__lte": self.ends})
        return q

    def where(self, opportunity: str) -> Q:
        """Rows whose opportunity (at the path `opportunity`) has the theme and district."""
        prefix = f"{opportunity}__" if opportunity else ""
        q = Q()
        if self.theme:
            q &= Q(**{f"{prefix}theme": self.theme})
        if self.district == REMOTE:
            q &= Q(**{f"{prefix}remote": True})
        elif self.district:
            q &= Q(**{f"{prefix}postcode_district": self.district})
        return q

    def key(self) -> dict:
        return {
            "starts": self.starts,
            "ends": self.ends,
            "theme": self.theme.pk if self.theme else None,
            "district": self.district,
        }


def current_hour_value() -> VolunteerHourValue | None:
    return VolunteerHourValue.objects.select_related("set_by").order_by("-set_at", "-id").first()


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def summary(period: Period, today: date) -> dict:
    """The headline figures: seven queries, whatever the data."""
    volunteers = Volunteer.objects.aggregate(
        registered=Count("id"),
        joined=Count("id", filter=period.at("created_at")),
        active=Count(
            "id",
            filter=Q(last_active_at__gte=timezone.now() - ACTIVE_WITHIN),
        ),
    )
    opportunities = Opportunity.objects.filter(period.where("")).aggregate(
        published=Count("id", filter=Q(published_at__isnull=False) & period.at("published_at")),
        open_now=Count("id", filter=Q(status="published")),
        filled=Count("id", filter=Q(close_reason="filled") & period.at("closed_at")),
    )
    answer_time = ExpressionWrapper(
        F("answered_at") - F("created_at"), output_field=DurationField()
    )
    interest = Interest.objects.filter(
        period.at("created_at"), period.where("opportunity")
    ).aggregate(
        sent=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        accepted=Count("id", filter=Q(status=vr.ACCEPTED)),
        unanswered=Count("id", filter=Q(status=vr.SENT)),
        to_answer=Avg(answer_time, filter=Q(answered_at__isnull=False)),
    )
    placements = Placement.objects.filter(
        period.where("interest__opportunity"), period.on("started_on")
    ).aggregate(started=Count("id"), active=Count("id", filter=Q(status=vr.ACTIVE)))
    hours = HourEntry.objects.filter(
        period.on("on"), period.where("placement__interest__opportunity")
    ).aggregate(
        confirmed=Coalesce(Sum("hours", filter=Q(status=vr.CONFIRMED)), Value(Decimal(0))),
        waiting=Coalesce(Sum("hours", filter=Q(status=vr.LOGGED)), Value(Decimal(0))),
    )
    value = current_hour_value()
    to_answer = interest["to_answer"]
    # The volunteering strand's money this financial year (the one ledger's running totals).
    strand = (
        strands_with_figures(BudgetStrand.objects.select_related("budget_year"))
        .filter(kind=Strand.VOLUNTEERING, budget_year__start_year=financial_year_of(today))
        .first()
    )
    return {
        "strand": strand,
        "volunteers": volunteers,
        "opportunities": opportunities,
        "interest": {
            **interest,
            "conversion": _percent(interest["accepted"], interest["sent"]),
            "days_to_answer": (
                Decimal(to_answer.total_seconds() / 86400).quantize(Decimal("0.1"))
                if to_answer is not None
                else None
            ),
        },
        "placements": placements,
        "hours": hours,
        "hour_value": value,
        "worth": (hours["confirmed"] * value.value).quantize(Decimal("0.01")) if value else None,
    }


def _grouped(queryset, path: str, by: str, **totals) -> dict:
    """{label: {total: n}} for `queryset` grouped by its opportunity's theme or district."""
    prefix = f"{path}__" if path else ""
    keys = (
        [f"{prefix}theme__name"]
        if by == "theme"
        else [f"{prefix}postcode_district", f"{prefix}remote"]
    )
    grouped = {}
    for row in queryset.values(*keys).annotate(**totals).order_by():
        if by == "theme":
            label = row[keys[0]] or NO_THEME
        else:
            label = REMOTE if row[keys[1]] else (row[keys[0]] or NO_DISTRICT)
        totals_here = grouped.setdefault(label, dict.fromkeys(totals, 0))
        for name in totals:
            totals_here[name] += row[name] or 0
    return grouped


def breakdown(period: Period, by: str) -> list[dict]:
    """Interest, placements and confirmed hours by the opportunity's theme or district: three
    grouped queries, whatever the data; one row a theme or district (the city's own few
    dozen), biggest first. Each row: label, sent, accepted, placements, hours."""
    interests = _grouped(
        Interest.objects.filter(period.at("created_at"), period.where("opportunity")),
        "opportunity",
        by,
        sent=Count("id"),
        accepted=Count("id", filter=Q(status=vr.ACCEPTED)),
    )
    placements = _grouped(
        Placement.objects.filter(period.on("started_on"), period.where("interest__opportunity")),
        "interest__opportunity",
        by,
        placements=Count("id"),
    )
    hours = _grouped(
        HourEntry.objects.filter(
            period.on("on"), period.where("placement__interest__opportunity"), status=vr.CONFIRMED
        ),
        "placement__interest__opportunity",
        by,
        hours=Sum("hours"),
    )
    labels = set(interests) | set(placements) | set(hours)
    rows = [
        {
            "label": label,
            "sent": interests.get(label, {}).get("sent", 0),
            "accepted": interests.get(label, {}).get("accepted", 0),
            "placements": placements.get(label, {}).get("placements", 0),
            "hours": Decimal(hours.get(label, {}).get("hours", 0)),
        }
        for label in labels
    ]
    rows.sort(key=lambda r: (-r["hours"], -r["placements"], -r["sent"], r["label"]))
    return rows
