"""What each person should do next: one pure function per role.

Each takes plain facts (read by `home_selectors` in a fixed number of queries)
and today's date, and returns the sections of that person's home page: a GOV.UK
task list, each task with its words, its link (a URL name and arguments, so
these functions stay pure and the view reverses them), its status and, where
there is one, its deadline. Nothing that is not yet possible is offered as a
link, and nothing is said that the facts do not bear out.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from diagnostics.rules import long_date

# A task's status, as the GOV.UK task list shows it.
TO_DO = "to_do"  # the person can do it now
OVERDUE = "overdue"  # they can do it now, and its deadline has passed
WAITING = "waiting"  # someone else is doing their part
DONE = "done"
CANNOT_START = "cannot_start"

STATUS_LABELS = {
    TO_DO: "To do",
    OVERDUE: "Overdue",
    WAITING: "Waiting",
    DONE: "Completed",
    CANNOT_START: "Cannot start yet",
}


@dataclass(frozen=True)
class Task:
    name: str
    status: str
    hint: str = ""
    link: tuple | None = None  # (URL name, args) or (URL name, args, query string)
    count: int | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def needs_action(self) -> bool:
        return self.status in (TO_DO, OVERDUE)


@dataclass(frozen=True)
class Section:
    title: str
    tasks: list[Task] = field(default_factory=list)
    empty: str = ""  # said when there are no tasks


def _due(deadline: date, today: date, done_by: str = "by") -> tuple[str, str]:
    """The status and words for a step the person can take, due on `deadline`."""
    if deadline < today:
        return OVERDUE, f"This was due {done_by} {long_date(deadline)}."
    return TO_DO, f"Do this by {long_date(deadline)}."


def age_in_words(since: datetime | date | None, today: date) -> str:
    """How long the oldest item has waited: "oldest waiting 12 days"."""
    if since is None:
        return ""
    day = since.date() if isinstance(since, datetime) else since
    days = (today - day).days
    if days <= 0:
        return "oldest from today"
    return f"oldest waiting {days} day{'s' if days != 1 else ''}"


# ------------------------------------------------------------------ organisation


@dataclass(frozen=True)
class PackageFacts:
    pk: int
    name: str
    status: str  # allowances.AgreedStatus
    choose_by: date | None = None  # while no provider is chosen
    provider: str = ""  # the provider asked, or the one delivering
    answer_by: date | None = None
    deliver_by: date | None = None
    confirm_by: date | None = None


@dataclass(frozen=True)
class GrantDraftFacts:
    """A draft application to a grant round that is still open (section B)."""

    pk: int
    community: str
    closes_words: str  # "5pm on Friday 12 June 2026", London time


@dataclass(frozen=True)
class OrganisationFacts:
    name: str
    is_admin: bool
    application_status: str | None  # the latest eligibility application's, if any
    decision_outcome: str | None  # the latest eligibility decision's, if any
    eligible_until: date | None  # when the latest decision is "eligible"
    eligible_now: bool
    renew_from: date | None  # when a renewal should be started (the first reminder's date)
    diagnostic_status: str | None  # the latest diagnostic's, if any
    diagnostic_pk: int | None
    session_on: date | None
    session_at: time | None
    packages: list[PackageFacts]
    more_packages: int  # open packages not listed (the list shows the first few)
    next_package: str  # the allowance in words
    can_have_package_now: bool
    grant_drafts: tuple[GrantDraftFacts, ...] = ()  # open rounds' drafts, closing first


def _eligibility_task(f: OrganisationFacts, today: date) -> Task:
    apply_link = ("diagnostics:eligibility", ())
    status = f.application_status
    if status == "draft":
        if f.is_admin:
            return Task("Finish and send your eligibility application", TO_DO, link=apply_link)
        return Task(
            "Your eligibility application has been started",
            WAITING,
            "An administrator of your organisation finishes and sends it.",
        )
    if status == "submitted":
        return Task(
            "Eligibility application sent",
            WAITING,
            "A council officer is checking it. You will get an email when they decide.",
            link=apply_link,
        )
    if status == "more_info":
        return Task(
            "Give the council the information it asked for",
            TO_DO if f.is_admin else WAITING,
            "A council officer needs more information before deciding.",
            link=apply_link,
        )
    if f.eligible_now:
        hint = f"Eligible until {long_date(f.eligible_until)}."
        if f.renew_from is not None and today >= f.renew_from:
            return Task(
                "Apply to renew your eligibility",
                TO_DO if f.is_admin else WAITING,
                f"{hint} Apply again before then so that support is not interrupted.",
                link=apply_link,
            )
        return Task("Eligibility", DONE, hint)
    if f.decision_outcome == "eligible":
        return Task(
            "Apply again to show your organisation is still eligible",
            TO_DO if f.is_admin else WAITING,
            f"Your eligibility ended on {long_date(f.eligible_until)}.",
            link=apply_link,
        )
    if f.decision_outcome == "not_eligible":
        return Task(
            "Your organisation was found not eligible",
            TO_DO if f.is_admin else WAITING,
            "You can read the reasons, change your answers and apply again.",
            link=apply_link,
        )
    return Task(
        "Show that your organisation is eligible",
        TO_DO if f.is_admin else WAITING,
        "Answer a few questions and upload your governing document.",
        link=apply_link,
    )


def _diagnostic_task(f: OrganisationFacts) -> Task:
    status = f.diagnostic_status
    link = ("diagnostics:diagnostic", ())
    if status == "self_assessment":
        return Task("Finish and send your self-assessment", TO_DO, link=link)
    if status == "awaiting_session":
        return Task(
            "Self-assessment sent",
            WAITING,
            "A council officer will contact you to book a diagnostic session.",
            link=link,
        )
    if status == "session_booked":
        when = long_date(f.session_on) if f.session_on else "a date to be confirmed"
        if f.session_at:
            when = f"{when} at {f.session_at:%H:%M}"
        return Task("Diagnostic session booked", WAITING, f"Your session is on {when}.", link=link)
    if status == "completed":
        return Task(
            "Read your diagnostic report",
            DONE,
            "It sets out the support packages recommended for your organisation.",
            link=("diagnostics:diagnostic_report", (f.diagnostic_pk,)),
        )
    if not f.eligible_now:
        return Task(
            "Complete a self-assessment of your organisation's needs",
            CANNOT_START,
            "You can start this once your organisation is eligible.",
        )
    return Task(
        "Complete a self-assessment of your organisation's needs",
        TO_DO,
        "It takes about 20 minutes and you can save your answers and come back.",
        link=link,
    )


def _package_task(p: PackageFacts, is_admin: bool, today: date) -> Task:
    page = ("delivery:package", (p.pk,))
    if p.status == "agreed":
        status, hint = _due(p.choose_by, today) if p.choose_by else (TO_DO, "")
        if not is_admin:
            status = WAITING
            hint = f"An administrator of your organisation chooses. {hint}".strip()
        return Task(f"Choose a provider for {p.name}", status, hint, ("delivery:choose", (p.pk,)))
    if p.status == "provider_requested":
        hint = f"They answer by {long_date(p.answer_by)}." if p.answer_by else ""
        return Task(f"{p.provider} has been asked to deliver {p.name}", WAITING, hint, page)
    if p.status in ("accepted", "in_delivery"):
        hint = f"Planned to finish by {long_date(p.deliver_by)}." if p.deliver_by else ""
        return Task(f"{p.provider} is delivering {p.name}", WAITING, hint, page)
    if p.status == "delivered":
        status, hint = _due(p.confirm_by, today) if p.confirm_by else (TO_DO, "")
        if not is_admin:
            status = WAITING
            hint = f"An administrator of your organisation confirms. {hint}".strip()
        return Task(
            f"Confirm that {p.provider} delivered {p.name}, and rate them",
            status,
            hint,
            ("delivery:confirm", (p.pk,)),
        )
    if p.status == "disputed":
        return Task(
            f"{p.name}: a council officer is looking at your dispute",
            WAITING,
            "You will get an email when they decide.",
            page,
        )
    return Task(f"{p.name} delivered and confirmed", DONE, "", page)


def organisation_tasks(f: OrganisationFacts, today: date) -> list[Section]:
    packages = [_package_task(p, f.is_admin, today) for p in f.packages]
    if f.more_packages:
        packages.append(
            Task(
                f"{f.more_packages} more package{'s' if f.more_packages != 1 else ''} in progress",
                WAITING,
                link=("allowances:organisation_packages", ()),
            )
        )
    allowance = Task(
        "Another support package" if f.can_have_package_now else "Your next support package",
        WAITING if f.can_have_package_now else CANNOT_START,
        f.next_package
        + (
            " A council officer agrees packages with you after your diagnostic."
            if f.can_have_package_now
            else ""
        ),
        ("allowances:organisation_packages", ()),
    )
    sections = [
        Section("Eligibility and diagnostic", [_eligibility_task(f, today), _diagnostic_task(f)]),
        Section(
            "Your support packages",
            packages + [allowance],
        ),
    ]
    if f.grant_drafts:
        sections.append(
            Section("Your grant applications", [_grant_task(d, f) for d in f.grant_drafts])
        )
    return sections


def _grant_task(draft: GrantDraftFacts, f: OrganisationFacts) -> Task:
    name = f"Finish your application for the {draft.community} by {draft.closes_words}"
    if not f.is_admin:
        return Task(name, WAITING, "An administrator of your organisation finishes and sends it.")
    return Task(
        name,
        TO_DO,
        "Nothing can be sent after the closing time.",
        ("grants:application", (draft.pk,)),
    )


# ---------------------------------------------------------------------- provider


@dataclass(frozen=True)
class Queue:
    """A count of things waiting, the oldest's start and the earliest deadline among them."""

    count: int
    oldest: datetime | date | None = None
    overdue: int = 0
    next_due: date | None = None


@dataclass(frozen=True)
class ProviderFacts:
    name: str
    on_register: bool
    essentials_missing: int
    new_requests: Queue  # pending: next_due is the earliest answer-by date
    delivering: Queue  # accepted, not yet delivered: next_due is the earliest deliver-by
    awaiting_confirmation: Queue  # delivered, not yet confirmed
    to_claim: Queue  # confirmed, no live claim
    claims_waiting: Queue  # submitted, not decided
    insurance_ending: list[tuple[str, date]]  # (certificate, ends on) within 30 days
    applications_waiting: int  # package applications with the council
    applications_to_finish: int  # drafts and "more information" ones


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def provider_tasks(f: ProviderFacts, today: date) -> list[Section]:
    requests = ("delivery:provider_requests", ())
    work: list[Task] = []
    q = f.new_requests
    if q.count:
        status = OVERDUE if q.overdue else TO_DO
        hint = f"Answer the first by {long_date(q.next_due)}." if q.next_due else ""
        if q.overdue:
            hint = f"{_plural(q.overdue, 'request')} past the deadline to answer. " + hint
        work.append(Task("Answer new requests", status, hint, requests, q.count))
    q = f.delivering
    if q.count:
        status = OVERDUE if q.overdue else TO_DO
        hint = f"The next is due to finish by {long_date(q.next_due)}." if q.next_due else ""
        if q.overdue:
            hint = f"{_plural(q.overdue, 'package')} past the date to finish. " + hint
        work.append(
            Task(
                "Log sessions and mark packages delivered",
                status,
                hint,
                requests,
                q.count,
            )
        )
    q = f.awaiting_confirmation
    if q.count:
        hint = f"The organisation confirms by {long_date(q.next_due)}." if q.next_due else ""
        work.append(
            Task("Waiting for organisations to confirm delivery", WAITING, hint, requests, q.count)
        )
    q = f.to_claim
    if q.count:
        work.append(
            Task(
                "Claim payment for confirmed work",
                TO_DO,
                "The organisation has confirmed delivery.",
                requests,
                q.count,
            )
        )
    q = f.claims_waiting
    if q.count:
        hint = f"The council approves claims within its deadline; {age_in_words(q.oldest, today)}."
        work.append(Task("Claims waiting for the council to pay", WAITING, hint, requests, q.count))
    register: list[Task] = []
    for certificate, ends in f.insurance_ending:
        status = OVERDUE if ends < today else TO_DO
        verb = "ended" if ends < today else "ends"
        register.append(
            Task(
                f"Upload a new {certificate} certificate",
                status,
                f"Your current certificate {verb} on {long_date(ends)}.",
                ("providers:home", ()),
            )
        )
    if not f.on_register:
        register.append(
            Task(
                "Join the council's register of providers",
                TO_DO,
                _plural(f.essentials_missing, "essential") + " still to meet."
                if f.essentials_missing
                else "You meet every essential: check your answers and apply.",
                ("providers:home", ()),
            )
        )
    if f.applications_to_finish:
        register.append(
            Task(
                "Finish your package applications",
                TO_DO,
                "Drafts, and applications the council asked more about.",
                ("providers:home", ()),
                f.applications_to_finish,
            )
        )
    if f.applications_waiting:
        register.append(
            Task(
                "Package applications with the council",
                WAITING,
                "A council officer assesses each one.",
                ("providers:home", ()),
                f.applications_waiting,
            )
        )
    return [
        Section("Your work", work, "No requests or packages need anything from you."),
        Section("Your place on the register", register, "Nothing to do."),
    ]
