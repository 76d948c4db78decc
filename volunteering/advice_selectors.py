"""Reads for advice and guidance: the brokers' queue, an organisation's requests, and the
report of requests and time spent by topic and month (one query, whatever the number)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import advice_rules as rules
from .models import AdviceRequest, AdviceTopic

ORGANISATIONS, VOLUNTEERS = "organisations", "volunteers"


def for_brokers():
    """Every request, with its organisation, as the brokers' queue lists them."""
    return AdviceRequest.objects.select_related("organisation")


def in_queue_order(requests, status: str):
    """The brokers' queue: waiting requests the longest waiting first; answered or closed
    ones (or every one) the newest first."""
    if status == rules.OPEN:
        return requests.order_by("asked_at", "id")
    return requests.order_by("-asked_at", "-id")


def of_organisation(organisation):
    """An organisation's requests, the newest first, with what the list shows."""
    return (
        AdviceRequest.objects.of_organisation(organisation)
        .select_related("asked_by")
        .only(
            "question",
            "topic",
            "status",
            "answered_at",  # the status tag: closed with or without an answer
            "asked_at",
            "asked_by__full_name",
            "asked_by__email",
        )
        .order_by("-asked_at", "-id")
    )


def topic_words(topic: str) -> str:
    """A topic's words, translated, for the report and its download."""
    return str(AdviceTopic(topic).label) if topic in AdviceTopic.values else topic


# --------------------------------------------------------------- the report


@dataclass
class Figures:
    """Counts and time spent for one topic, one month, one month's topic, or the total."""

    requests: int = 0
    answered: int = 0
    closed_unanswered: int = 0
    waiting: int = 0
    minutes: int = 0

    def add(self, other: "Figures") -> None:
        self.requests += other.requests
        self.answered += other.answered
        self.closed_unanswered += other.closed_unanswered
        self.waiting += other.waiting
        self.minutes += other.minutes

    @property
    def time_spent(self) -> str:
        return rules.hours_and_minutes(self.minutes)


@dataclass
class AdviceReport:
    by_topic: list[tuple[str, Figures]] = field(default_factory=list)
    by_month: list[tuple[date, Figures]] = field(default_factory=list)
    # (month, topic's words, figures) for every month and topic with a request: the download.
    cells: list[tuple[date, str, Figures]] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def requests_between(asked_from: date | None, asked_to: date | None, who: str = ""):
    """Requests asked in the date range (both days included), by organisations, by
    volunteers, or by anyone."""
    requests = AdviceRequest.objects.all()
    if asked_from:
        requests = requests.filter(asked_at__gte=_day_start(asked_from))
    if asked_to:
        requests = requests.filter(asked_at__lt=_day_start(asked_to + timedelta(days=1)))
    if who == ORGANISATIONS:
        requests = requests.filter(organisation__isnull=False)
    elif who == VOLUNTEERS:
        requests = requests.filter(organisation__isnull=True)
    return requests


def advice_report(asked_from: date | None = None, asked_to: date | None = None, who: str = ""):
    """Requests, answers, closures without an answer, those still waiting and the time spent,
    by topic and by the month they were asked in: one grouped query, then sums in Python.
    Every topic has its row (zero where nothing was asked); months run from the first asked
    to the last, none skipped."""
    grouped = (
        requests_between(asked_from, asked_to, who)
        .annotate(month=TruncMonth("asked_at"))
        .values("month", "topic")
        .annotate(
            requests=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            closed_unanswered=Count("id", filter=Q(status=rules.CLOSED, answered_at__isnull=True)),
            waiting=Count("id", filter=Q(status=rules.OPEN)),
            minutes=Sum("minutes"),
        )
        .order_by("month", "topic")
    )
    report = AdviceReport()
    topics = {topic: Figures() for topic in rules.TOPICS}
    months: dict[date, Figures] = {}
    for row in grouped:
        month = _as_date(row["month"])
        figures = Figures(
            requests=row["requests"],
            answered=row["answered"],
            closed_unanswered=row["closed_unanswered"],
            waiting=row["waiting"],
            minutes=row["minutes"] or 0,
        )
        report.cells.append((month, topic_words(row["topic"]), figures))
        topics.setdefault(row["topic"], Figures()).add(figures)
        months.setdefault(month, Figures()).add(figures)
        report.total.add(figures)
    report.by_topic = [(topic_words(topic), figures) for topic, figures in topics.items()]
    if months:
        every = rules.months_between(min(months), max(months))
        report.by_month = [(month, months.get(month, Figures())) for month in every]
    return report


def _as_date(value) -> date:
    """TruncMonth gives a datetime in the current time zone (a date on SQLite's older
    paths): the month's first day."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


REPORT_HEADER = [
    "Month",
    "Topic",
    "Requests",
    "Answered",
    "Closed without an answer",
    "Waiting for an answer",
    "Time spent (minutes)",
]


def report_rows(report: AdviceReport):
    """The download's rows: one a month and topic with a request, then each topic's total,
    then the grand total."""
    for month, topic, figures in report.cells:
        yield [month.strftime("%Y-%m"), topic, *_numbers(figures)]
    for topic, figures in report.by_topic:
        yield ["All months", topic, *_numbers(figures)]
    yield ["All months", "All topics", *_numbers(report.total)]


def _numbers(figures: Figures) -> list[int]:
    return [
        figures.requests,
        figures.answered,
        figures.closed_unanswered,
        figures.waiting,
        figures.minutes,
    ]
