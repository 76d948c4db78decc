"""A round's report for managers: applications per community, must-have failures, score
spreads, conflicts declared, and the time from closing to the decision.

`read_round_report` reads the round in a fixed number of queries, whatever the
number of applications; the pure functions below turn the rows into the
report's sections, so each is tested without a database.

Time to decision is counted in **working days** (weekends, bank holidays and
the managers' one-off days off skipped), from the day the round closed to the
day of the community's **first** decision (an offer or no award): how long
assessing took. A later offer to the next-ranked, after a decline, does not
restart the count.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Min

from notifications.calendar import is_working_day
from notifications.working_days import non_working_days
from organisations.models import PostcodePrefix

from . import application_rules as moves
from . import assessment_rules as marking
from . import rules
from .application_models import Application
from .assessment_models import Assessment, CommunityDecision, CriterionMark, ModeratedMark
from .models import RoundCommunity, RoundCriterion

PROPOSED = "Communities proposed by applicants"
SERVICE, PANEL = "The service", "The panel"


# --------------------------------------------------------------- the rows read


@dataclass(frozen=True)
class AppRow:
    """One application as the report needs it."""

    pk: int
    reference: str
    community: str  # its community's name, or PROPOSED
    status: str
    sent: bool  # was sent at some point (a sent one may since have been withdrawn)
    postcode: str
    size: int | None


@dataclass(frozen=True)
class CriterionRow:
    pk: int
    title: str
    kind: str
    automatic_check: str


# --------------------------------------------------------------- the sections


@dataclass(frozen=True)
class CommunityCount:
    community: str
    sent: int  # sent and still in the running
    withdrawn: int  # withdrawn after being sent
    not_sent: int  # drafts, and drafts withdrawn before sending: not counted as applications

    @property
    def received(self) -> int:
        return self.sent + self.withdrawn


@dataclass(frozen=True)
class MustHaveFailure:
    criterion: str
    checked_by: str  # "The service" or "The panel"
    sent: tuple[str, ...]  # references of sent applications that fail it
    not_sent: tuple[str, ...] = ()  # drafts that fail an automatic check (they cannot be sent)


@dataclass(frozen=True)
class Spread:
    reference: str
    community: str
    criterion: str
    marks: tuple[int, ...]

    @property
    def spread(self) -> int:
        return marking.spread(list(self.marks))


@dataclass(frozen=True)
class DecisionTime:
    community: str
    decided_on: date | None
    working_days: int | None  # None: not decided yet


@dataclass
class RoundReport:
    closed_on: date
    counts: list[CommunityCount] = field(default_factory=list)
    failures: list[MustHaveFailure] = field(default_factory=list)
    spreads: list[Spread] = field(default_factory=list)
    conflicts: list[tuple[str, int]] = field(default_factory=list)
    times: list[DecisionTime] = field(default_factory=list)
    median_working_days: float | None = None

    @property
    def totals(self) -> CommunityCount:
        return CommunityCount(
            "All communities",
            sum(c.sent for c in self.counts),
            sum(c.withdrawn for c in self.counts),
            sum(c.not_sent for c in self.counts),
        )

    @property
    def conflicts_total(self) -> int:
        return sum(n for _, n in self.conflicts)


def community_counts(communities: list[str], applications: list[AppRow]) -> list[CommunityCount]:
    """Each community's sent, withdrawn-after-sending and never-sent applications, in the
    communities' order, then those for proposed communities (if any)."""
    tally: dict[str, Counter] = defaultdict(Counter)
    for a in applications:
        if a.status == moves.SUBMITTED:
            tally[a.community]["sent"] += 1
        elif a.status == moves.WITHDRAWN and a.sent:
            tally[a.community]["withdrawn"] += 1
        else:
            tally[a.community]["not_sent"] += 1
    names = list(communities) + ([PROPOSED] if PROPOSED in tally else [])
    return [
        CommunityCount(n, tally[n]["sent"], tally[n]["withdrawn"], tally[n]["not_sent"])
        for n in names
    ]


def must_have_failures(
    criteria: list[CriterionRow],
    applications: list[AppRow],
    moderated: list[tuple[int, int, int]],
    *,
    area_table: dict[str, bool],
    area_name: str,
    city: rules.CityPopulation,
) -> list[MustHaveFailure]:
    """Each must-have with the applications that fail it: the service's own checks (on sent
    applications and on drafts, which they stop being sent) and the panel's, as moderated
    "not met" (on sent applications)."""
    automatic = [(c.title, c.automatic_check) for c in criteria if c.automatic_check]
    failing: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"sent": [], "not_sent": []})
    for a in applications:
        if a.status == moves.WITHDRAWN:
            continue
        checked = moves.automatic_must_haves(
            automatic,
            postcode=a.postcode,
            area_table=area_table,
            area_name=area_name,
            size=a.size,
            city=city,
        )
        for check in checked:
            if not check.decision:
                bucket = "sent" if a.status == moves.SUBMITTED else "not_sent"
                failing[check.title][bucket].append(a.reference)
    live = {a.pk: a for a in applications if a.status == moves.SUBMITTED}
    not_met: dict[int, list[str]] = defaultdict(list)
    for application_id, criterion_id, mark in moderated:
        if application_id in live and mark == marking.NOT_MET:
            not_met[criterion_id].append(live[application_id].reference)
    result = []
    for c in criteria:
        if c.kind != marking.MUST_HAVE:
            continue
        if c.automatic_check:
            found = failing.get(c.title, {"sent": [], "not_sent": []})
            result.append(
                MustHaveFailure(
                    c.title, SERVICE, tuple(sorted(found["sent"])), tuple(sorted(found["not_sent"]))
                )
            )
        else:
            result.append(MustHaveFailure(c.title, PANEL, tuple(sorted(not_met[c.pk]))))
    return result


def score_spreads(
    criteria: list[CriterionRow], applications: list[AppRow], marks: list[tuple[int, int, int]]
) -> list[Spread]:
    """Each criterion of each application where the assessors' sent marks differ by 2 or more
    (assessment_rules.disagree), by application then criterion order."""
    given: dict[tuple[int, int], list[int]] = defaultdict(list)
    for application_id, criterion_id, mark in marks:
        given[(application_id, criterion_id)].append(mark)
    order = {c.pk: i for i, c in enumerate(criteria)}
    titles = {c.pk: c.title for c in criteria}
    by_pk = {a.pk: a for a in applications}
    rows = []
    for (application_id, criterion_id), values in given.items():
        application = by_pk.get(application_id)
        if application is None or criterion_id not in titles or not marking.disagree(values):
            continue
        rows.append(
            (
                application.reference,
                order[criterion_id],
                Spread(
                    application.reference,
                    application.community,
                    titles[criterion_id],
                    tuple(sorted(values)),
                ),
            )
        )
    return [spread for _, _, spread in sorted(rows, key=lambda r: (r[0], r[1]))]


def conflicts_per_community(
    communities: list[str], declared: dict[str, int]
) -> list[tuple[str, int]]:
    """Conflicts of interest declared, per community (every community shown, 0 included)."""
    names = list(communities) + ([PROPOSED] if declared.get(PROPOSED) else [])
    return [(name, declared.get(name, 0)) for name in names]


def working_days_between(start: date, end: date, holidays: Container[date]) -> int:
    """Working days after `start` up to and including `end` (0 when decided the same day)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days += 1
    return days


def decision_times(
    communities: list[str],
    closed_on: date,
    first_decided: dict[str, date],
    holidays: Container[date],
) -> tuple[list[DecisionTime], float | None]:
    """Each community's working days from closing to its first decision, and the median of
    those decided (None if none is)."""
    times = []
    for name in communities:
        decided_on = first_decided.get(name)
        days = None if decided_on is None else working_days_between(closed_on, decided_on, holidays)
        times.append(DecisionTime(name, decided_on, days))
    decided = [t.working_days for t in times if t.working_days is not None]
    return times, (statistics.median(decided) if decided else None)


# --------------------------------------------------------------- reading the round


def read_round_report(grant_round) -> RoundReport:
    """The report for one round.

    Queries: the communities, the applications with their organisations and
    communities, the criteria, the postcode table, the moderated marks, the
    assessors' sent marks, the conflicts per community, the first decision per
    community, and the days off: nine, whatever the number of applications.
    """
    entries = list(
        RoundCommunity.objects.filter(round=grant_round)
        .select_related("community")
        .order_by("community__characteristic", "community__name")
    )
    names = {rc.pk: rc.community.name for rc in entries}
    communities = [rc.community.name for rc in entries]
    applications = [
        AppRow(
            pk=a.pk,
            reference=a.reference,
            community=names.get(a.round_community_id, PROPOSED),
            status=a.status,
            sent=a.submitted_at is not None,
            postcode=a.organisation.postcode,
            size=a.size,
        )
        for a in Application.objects.filter(round=grant_round)
        .select_related("organisation", "round_community__community")
        .order_by("pk")
    ]
    criteria = [
        CriterionRow(c.pk, c.title, c.kind, c.automatic_check)
        for c in RoundCriterion.objects.filter(round=grant_round).order_by("position")
    ]
    area_table = PostcodePrefix.objects.table()
    moderated = list(
        ModeratedMark.objects.filter(application__round=grant_round).values_list(
            "application_id", "criterion_id", "mark"
        )
    )
    sent_marks = list(
        CriterionMark.objects.filter(
            assessment__application__round=grant_round, assessment__submitted_at__isnull=False
        ).values_list("assessment__application_id", "criterion_id", "mark")
    )
    conflicts = {
        names.get(row["application__round_community_id"], PROPOSED): row["n"]
        for row in Assessment.objects.filter(application__round=grant_round, has_conflict=True)
        .values("application__round_community_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    first_decided = {
        names[row["round_community_id"]]: rules.in_london(row["first"]).date()
        for row in CommunityDecision.objects.filter(round_community__round=grant_round)
        .values("round_community_id")
        .annotate(first=Min("decided_at"))
        .order_by()
    }
    closed_on = rules.in_london(grant_round.closes_at).date()
    report = RoundReport(closed_on=closed_on)
    report.counts = community_counts(communities, applications)
    report.failures = must_have_failures(
        criteria,
        applications,
        moderated,
        area_table=area_table,
        area_name=settings.COUNCIL_AREA_NAME,
        city=rules.city_population(),
    )
    report.spreads = score_spreads(criteria, applications, sent_marks)
    report.conflicts = conflicts_per_community(communities, conflicts)
    report.times, report.median_working_days = decision_times(
        communities, closed_on, first_decided, non_working_days()
    )
    return report


# --------------------------------------------------------------- as a spreadsheet

CSV_HEADER = ("Section", "Community or criterion", "Figure", "Value", "Detail")
# Text a spreadsheet would read as a formula gets an apostrophe (as reports.exports does;
# grants sits below reports, so the rule is repeated rather than imported).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(report: RoundReport) -> list[list[str]]:
    """The report's figures as rows under CSV_HEADER: each row names its section."""
    rows: list[tuple] = []
    for c in report.counts:
        rows.append(("Applications", c.community, "Sent", c.sent, ""))
        rows.append(("Applications", c.community, "Withdrawn after sending", c.withdrawn, ""))
        rows.append(("Applications", c.community, "Started, not sent", c.not_sent, ""))
    for f in report.failures:
        checked = f"Sent applications ({f.checked_by.lower()} checks it)"
        rows.append(("Must-have failures", f.criterion, checked, len(f.sent), " ".join(f.sent)))
        if f.checked_by == SERVICE:
            rows.append(
                (
                    "Must-have failures",
                    f.criterion,
                    "Not sent",
                    len(f.not_sent),
                    " ".join(f.not_sent),
                )
            )
    for s in report.spreads:
        marks = " ".join(str(m) for m in s.marks)
        rows.append(("Score spreads", s.criterion, s.reference, s.spread, marks))
    for community, n in report.conflicts:
        rows.append(("Conflicts declared", community, "Declarations", n, ""))
    for t in report.times:
        when = t.decided_on.isoformat() if t.decided_on else "Not decided"
        rows.append(
            ("Working days from closing to decision", t.community, when, t.working_days, "")
        )
    rows.append(
        ("Working days from closing to decision", "Median", "", report.median_working_days, "")
    )
    return [[_cell(v) for v in row] for row in rows]
