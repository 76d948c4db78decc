"""What council staff should do next: the officer's and the manager's pure functions.

The same shape as `next_steps` (the organisation's and the provider's): plain
facts in, the sections of the home page out, each task with its link as a URL
name and arguments.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allowances.rules import percent_used
from packages.money import format_money

from .next_steps import (
    DONE,
    OVERDUE,
    TO_DO,
    WAITING,
    Queue,
    Section,
    Task,
    age_in_words,
)

# ----------------------------------------------------------------------- officer


@dataclass(frozen=True)
class OfficerFacts:
    applications: Queue  # eligibility applications waiting for a decision
    to_book: Queue  # diagnostics waiting for a session to be booked
    to_complete: Queue  # sessions booked for today or earlier, not completed
    claims: Queue
    disputes: Queue
    provider_applications: Queue
    failed_emails: int
    no_provider_overdue: int  # agreed packages past the deadline to choose a provider
    review_deadline: str  # "10 working days"
    my_override_requests: Queue  # the officer's own override requests waiting for a manager
    grant_assessments: Queue = Queue(0)  # grant applications on their panel still to score
    grant_reports: Queue = Queue(0)  # grant monitoring reports sent, waiting for review
    grant_reports_overdue: int = 0  # grant monitoring reports not sent by their due date
    # concerns about representatives an officer may decide now (responded to, or past the date)
    grant_concerns: Queue = Queue(0)
    # comments from the community (backing, verdicts) waiting for an officer's check
    voice_comments: Queue = Queue(0)


def _queue_task(name: str, q: Queue, today: date, link: tuple, deadline: str = "") -> Task:
    if not q.count:
        return Task(name, DONE, "Nothing waiting.", link, 0)
    hint = age_in_words(q.oldest, today)
    if q.overdue:
        hint += f"; {q.overdue} waiting more than {deadline}" if deadline else ""
    return Task(
        name, OVERDUE if q.overdue else TO_DO, hint[0].upper() + hint[1:] + ".", link, q.count
    )


def officer_tasks(f: OfficerFacts, today: date) -> list[Section]:
    d = f.review_deadline
    queues = [
        _queue_task(
            "Eligibility applications to decide",
            f.applications,
            today,
            ("diagnostics:officer_applications", (), "status=submitted"),
            d,
        ),
        _queue_task(
            "Diagnostic sessions to book",
            f.to_book,
            today,
            ("diagnostics:officer_diagnostics", (), "show=waiting"),
            d,
        ),
        _queue_task(
            "Diagnostics to complete after their session",
            f.to_complete,
            today,
            ("diagnostics:officer_diagnostics", (), "show=waiting"),
        ),
        _queue_task("Payment claims to approve", f.claims, today, ("delivery:claims", ()), d),
        _queue_task("Disputed deliveries to resolve", f.disputes, today, ("delivery:disputes", ())),
        _queue_task(
            "Provider package applications to assess",
            f.provider_applications,
            today,
            ("providers:officer_queue", ()),
            d,
        ),
        _queue_task(
            "Grant applications to assess",
            f.grant_assessments,
            today,
            ("grants:my_assessments", ()),
        ),
        _queue_task(
            "Grant monitoring reports to review",
            f.grant_reports,
            today,
            ("grants:grant_reports", ()),
        ),
        _queue_task(
            "Concerns about representatives to review",
            f.grant_concerns,
            today,
            ("grants:concern_queue", ()),
        ),
        _queue_task(
            "Comments from communities to check",
            f.voice_comments,
            today,
            ("grants:voice_comments", ()),
        ),
    ]
    other = []
    if f.failed_emails:
        other.append(
            Task(
                "Emails that could not be sent",
                TO_DO,
                "Check the address and send them again.",
                ("notifications:failed", ()),
                f.failed_emails,
            )
        )
    if f.no_provider_overdue:
        other.append(
            Task(
                "Agreed packages past the deadline to choose a provider",
                TO_DO,
                "Contact the organisations: they may need help choosing.",
                ("reports:operations", ()),
                f.no_provider_overdue,
            )
        )
    if f.grant_reports_overdue:
        other.append(
            Task(
                "Grant monitoring reports overdue",
                TO_DO,
                "Contact the representatives: their instalments wait for the reports.",
                ("grants:grant_reports", ()),
                f.grant_reports_overdue,
            )
        )
    if f.my_override_requests.count:
        other.append(
            Task(
                "Your override requests waiting for a manager",
                WAITING,
                age_in_words(f.my_override_requests.oldest, today).capitalize() + ".",
                ("allowances:override_requests", ()),
                f.my_override_requests.count,
            )
        )
    return [
        Section("Queues", queues),
        Section("Also needs attention", other, "Nothing else needs attention."),
    ]


# ----------------------------------------------------------------------- manager


@dataclass(frozen=True)
class StrandFacts:
    name: str
    amount: Decimal
    used: Decimal  # committed and spent
    available: Decimal
    alert_passed: int | None  # the highest alert threshold passed (75, 90, 100), if any

    @property
    def percent_used(self) -> Decimal:
        return percent_used(amount=self.amount, used=self.used)


@dataclass(frozen=True)
class ManagerFacts:
    year_label: str | None  # None when no budget year covers today
    strands: list[StrandFacts]
    override_requests: Queue
    failed_emails: int
    grant_appeals: Queue = Queue(0)  # appeals against grant decisions waiting for a review


def manager_tasks(f: ManagerFacts, today: date) -> list[Section]:
    decide = []
    if f.override_requests.count:
        decide.append(
            Task(
                "Override requests to decide",
                TO_DO,
                "Officers asked to agree a package past a cap or the budget; "
                + age_in_words(f.override_requests.oldest, today)
                + ".",
                ("allowances:override_requests", ()),
                f.override_requests.count,
            )
        )
    if f.grant_appeals.count:
        decide.append(
            Task(
                "Grant appeals to review",
                TO_DO,
                "A manager who took no part in the decision reviews each; "
                + age_in_words(f.grant_appeals.oldest, today)
                + ".",
                ("grants:appeals", ()),
                f.grant_appeals.count,
            )
        )
    if f.year_label is None:
        decide.append(
            Task(
                "Set up this year's budget",
                TO_DO,
                "No budget year covers today, so no package can be agreed.",
                ("allowances:budget_year_create", ()),
            )
        )
    for s in f.strands:
        if s.alert_passed:
            decide.append(
                Task(
                    f"{s.name}: {s.alert_passed}% of the budget used",
                    TO_DO if s.alert_passed >= 90 else WAITING,
                    f"{format_money(s.available)} of {format_money(s.amount)} available.",
                    ("reports:budget_dashboard", ()),
                )
            )
    if f.failed_emails:
        decide.append(
            Task(
                "Emails that could not be sent",
                WAITING,
                "Officers send them again.",
                ("notifications:failed", ()),
                f.failed_emails,
            )
        )
    return [Section("Needs your decision", decide, "Nothing needs your decision.")]
