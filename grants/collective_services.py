"""Officers' records of meetings across communities, the issues more than one
representative raised there, and the council's response. Each write is audited.

A response is given once: the issue's row is locked, so two officers answering
at once take turns and the second is told the first has answered.
"""

from django.db import transaction
from django.utils import timezone

from audit.services import record

from . import collective_rules
from .accountability_models import CollectiveIssue, CollectiveMeeting
from .assessment_models import CommunityDecision, DecisionOutcome

NOTHING_CHANGED = "Nothing was changed."


class CollectiveError(Exception):
    """A refused change: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


def _require_officer(by) -> None:
    if not by.is_officer:
        raise CollectiveError("Only council officers can record collective issues.")


def _required(values: dict[str, tuple[str, str]]) -> dict[str, str]:
    """{field: message} for each (text, message) left empty."""
    return {name: message for name, (text, message) in values.items() if not text.strip()}


@transaction.atomic
def record_meeting(*, by, title: str, held_on, summary: str, today=None) -> CollectiveMeeting:
    """A meeting of representatives across communities, once it has been held."""
    _require_officer(by)
    today = today or timezone.localdate()
    problems = _required(
        {
            "title": (title, "Enter the title of the meeting"),
            "summary": (summary, "Enter a summary of the meeting"),
        }
    )
    when = collective_rules.meeting_date_problem(held_on, today)
    if when:
        problems["held_on"] = when
    if problems:
        raise CollectiveError(next(iter(problems.values())), problems)
    meeting = CollectiveMeeting.objects.create(
        title=title.strip(), held_on=held_on, summary=summary.strip(), recorded_by=by
    )
    record(
        actor=by,
        action="collective_meeting.recorded",
        obj=meeting,
        data={"title": meeting.title, "held_on": held_on.isoformat()},
    )
    return meeting


@transaction.atomic
def record_issue(
    *, by, title: str, description: str, raised_by: list[int], meeting=None
) -> CollectiveIssue:
    """An issue raised by at least two representatives (accepted awards), optionally at a
    recorded meeting."""
    _require_officer(by)
    problems = _required(
        {
            "title": (title, "Enter the title of the issue"),
            "description": (description, "Enter a description of the issue"),
        }
    )
    chosen = set(raised_by)
    representatives = list(
        CommunityDecision.objects.filter(pk__in=chosen, outcome=DecisionOutcome.ACCEPTED)
        .select_related("application__organisation", "round_community__community")
        .order_by("pk")
    )
    if len(representatives) != len(chosen):
        problems["raised_by"] = "Select representatives from the list"
    else:
        too_few = collective_rules.raised_by_problem(len(representatives))
        if too_few:
            problems["raised_by"] = too_few
    if problems:
        raise CollectiveError(next(iter(problems.values())), problems)
    issue = CollectiveIssue.objects.create(
        meeting=meeting, title=title.strip(), description=description.strip(), recorded_by=by
    )
    issue.raised_by.set(representatives)
    record(
        actor=by,
        action="collective_issue.recorded",
        obj=issue,
        data={
            "title": issue.title,
            "meeting": meeting.pk if meeting else None,
            "raised_by": [
                f"{d.application.organisation.name} ({d.round_community.community.name})"
                for d in representatives
            ],
        },
    )
    return issue


@transaction.atomic
def respond_to_issue(*, issue, by, response: str) -> CollectiveIssue:
    """The council's response to an issue, dated; given once."""
    _require_officer(by)
    # Who responded is read after the lock, not joined into the locking query (a joined
    # row keeps its value from before the wait).
    issue = CollectiveIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.council_response:
        raise CollectiveError(
            f"{issue.responded_by} gave the council's response to this issue on "
            f"{timezone.localtime(issue.responded_at):%-d %B %Y}. {NOTHING_CHANGED}"
        )
    response = response.strip()
    if not response:
        message = "Enter the council's response"
        raise CollectiveError(message, {"response": message})
    issue.council_response = response
    issue.responded_by, issue.responded_at = by, timezone.now()
    issue.save(update_fields=["council_response", "responded_by", "responded_at"])
    record(
        actor=by,
        action="collective_issue.responded",
        obj=issue,
        reason=response,
        data={"title": issue.title},
    )
    return issue
