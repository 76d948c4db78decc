"""Reads for the application pages: each a fixed number of queries, however many rows.

`read_application` gathers what the task list, the check page and the staff's
view all show, in one query per kind of row; `task_sections` turns it into the
GOV.UK task list that `templates/includes/task_list.html` draws.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from . import application_rules as moves
from .application_models import (
    Application,
    ApplicationEvidence,
    ConsortiumMember,
    EvidenceKind,
    MemberStatus,
)
from .application_services import REQUIRED_EVIDENCE, application_facts
from .models import RoundCommunity


def applications_of(organisation):
    """The organisation's applications, newest first, with their rounds and communities."""
    return list(
        Application.objects.of_organisation(organisation)
        .select_related("round", "round_community__community")
        .order_by("-created_at", "-pk")
    )


def consortium_requests_of(organisation):
    """Requests for the organisation to join another's consortium, newest first."""
    return list(
        ConsortiumMember.objects.filter(organisation=organisation)
        .select_related(
            "application__organisation",
            "application__round",
            "application__round_community__community",
        )
        .order_by("-invited_at", "-pk")
    )


@dataclass
class ApplicationState:
    criteria: list
    answers: dict  # criterion pk -> Answer
    evidence: dict  # kind -> ApplicationEvidence
    members: list
    must_haves: list
    problems: list[str]
    checks: dict = field(default_factory=dict)  # criterion title -> CheckedMustHave

    def rows(self):
        """(criterion, its answer or None, its automatic check or None), in order."""
        return [(c, self.answers.get(c.pk), self.checks.get(c.title)) for c in self.criteria]

    def evidence_rows(self):
        return [(kind, self.evidence.get(kind.value)) for kind in EvidenceKind]


def read_application(application) -> ApplicationState:
    """Everything about one application, loaded with its round, organisation and community.

    Queries: the criteria, the answers, the evidence, the members with their
    organisations, and the postcode table for the must-have checks.
    """
    criteria = list(application.round.criteria.all())
    answers = {a.criterion_id: a for a in application.answers.all()}
    evidence = {e.kind: e for e in ApplicationEvidence.objects.filter(application=application)}
    members = list(application.members.select_related("organisation"))
    facts = application_facts(application, criteria, answers, set(evidence), members)
    return ApplicationState(
        criteria=criteria,
        answers=answers,
        evidence=evidence,
        members=members,
        must_haves=list(facts.must_haves),
        problems=moves.submission_problems(facts),
        checks={check.title: check for check in facts.must_haves},
    )


# --------------------------------------------------------------- the task list


@dataclass(frozen=True)
class Task:
    """What includes/task_list.html draws: to_do (blue), waiting (grey), overdue (red) or done."""

    name: str
    status: str
    status_label: str
    hint: str = ""
    count: int | None = None


@dataclass(frozen=True)
class Section:
    title: str
    empty: str = ""


def _row(task: Task, url: str | None) -> dict:
    return {"task": task, "url": url}


def _community_task(application) -> dict:
    size = application.size
    hint = (
        f"{size:,} people ({application.size_source})"
        if size is not None
        else "Give the community's size and where the figure comes from."
    )
    name = f"The community: {application.community_name}"
    if application.known_population is not None:
        return _row(Task(name, "done", "Completed", hint), None)
    url = reverse("grants:application_size", args=[application.pk])
    if size is None:
        return _row(Task(name, "to_do", "Not yet started", hint), url)
    return _row(Task(name, "done", "Completed", hint), url)


def _consortium_task(application, members) -> dict:
    url = reverse("grants:consortium", args=[application.pk])
    name = "Consortium members (optional)"
    waiting = sum(m.status == MemberStatus.INVITED for m in members)
    declined = sum(m.status == MemberStatus.DECLINED for m in members)
    if not members:
        return _row(Task(name, "done", "Applying alone", "Name other organisations here."), url)
    if declined:
        return _row(Task(name, "overdue", "Declined", f"{declined} declined: remove them."), url)
    if waiting:
        hint = f"{waiting} of {len(members)} yet to confirm."
        return _row(Task(name, "waiting", "Waiting", hint), url)
    return _row(Task(name, "done", "Completed", f"{len(members)} confirmed."), url)


def _criterion_task(application, criterion, answer, check) -> dict:
    hint = f"Checked by the service: {check.decision.reason}" if check else ""
    if not moves.needs_answer(criterion.automatic_check):
        status, label = ("done", "Met") if check.decision else ("overdue", "Not met")
        return _row(Task(criterion.title, status, label, hint), None)
    url = reverse("grants:application_question", args=[application.pk, criterion.pk])
    if check and not check.decision:
        return _row(Task(criterion.title, "overdue", "Not met", hint), url)
    if answer is None:
        return _row(Task(criterion.title, "to_do", "Not yet started", hint), url)
    words = f"{answer.word_count:,} of {criterion.word_limit:,} words."
    return _row(Task(criterion.title, "done", "Completed", f"{words} {hint}".strip()), url)


def _evidence_task(application, kind, file) -> dict:
    url = reverse("grants:application_evidence", args=[application.pk, kind.value])
    optional = kind not in REQUIRED_EVIDENCE
    name = f"{kind.label}{' (optional)' if optional else ''}"
    if file is not None:
        return _row(Task(name, "done", "Uploaded", file.original_name), url)
    if optional:
        return _row(Task(name, "done", "Optional"), url)
    return _row(Task(name, "to_do", "Not yet uploaded"), url)


def task_sections(application, state: ApplicationState) -> list[dict]:
    """The application's GOV.UK task list, section by section, each task with its link."""
    rows = state.rows()
    by_section = {
        "eligibility": [r for r in rows if r[0].section == "eligibility"],
        "representation": [r for r in rows if r[0].section == "representation"],
    }
    check_url = reverse("grants:application_check", args=[application.pk])
    ready = not state.problems
    return [
        {
            "section": Section("About your application"),
            "tasks": [_community_task(application), _consortium_task(application, state.members)],
        },
        {
            "section": Section("Criteria for your organisation"),
            "tasks": [_criterion_task(application, *r) for r in by_section["eligibility"]],
        },
        {
            "section": Section("How you will represent the community"),
            "tasks": [_criterion_task(application, *r) for r in by_section["representation"]],
        },
        {
            "section": Section("Evidence"),
            "tasks": [_evidence_task(application, *r) for r in state.evidence_rows()],
        },
        {
            "section": Section("Send your application"),
            "tasks": [
                _row(
                    Task(
                        "Check your answers and send",
                        "to_do" if ready else "cannot_start",
                        "Not yet started" if ready else "Cannot start yet",
                        "" if ready else f"{len(state.problems)} thing(s) to put right first.",
                    ),
                    check_url,
                )
            ],
        },
    ]


# --------------------------------------------------------------- staff


def round_application_counts(grant_round) -> list[dict]:
    """Each community the round is open to, with how many applications were sent for it.

    One query: the communities with their counts (a grouped join); proposed
    communities, which have no row, are counted by `proposed_count`.
    """
    return list(
        RoundCommunity.objects.filter(round=grant_round)
        .select_related("community")
        .annotate(
            sent=Count("applications", filter=Q(applications__status=moves.SUBMITTED)),
            drafts=Count("applications", filter=Q(applications__status=moves.DRAFT)),
        )
        .order_by("community__characteristic", "community__name")
    )


def proposed_count(grant_round) -> int:
    return Application.objects.filter(
        round=grant_round, round_community__isnull=True, status=moves.SUBMITTED
    ).count()


def sent_applications(grant_round):
    """The round's sent applications, by community then organisation, for a page of them."""
    return (
        Application.objects.filter(round=grant_round, status=moves.SUBMITTED)
        .select_related("organisation", "round_community__community")
        .annotate(member_count=Count("members"))
        .order_by("round_community__community__name", "proposed_name", "organisation__name", "pk")
    )
