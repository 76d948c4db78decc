"""Demo data for appeals and collective issues, called by `seed_demo` after grants/demo.py.

`seed(grant_round)` adds, through the services (so the audit trail is real):

- an appeal by each unsuccessful applicant in `grant_round` whose community's
  decision is final (in "Representation grants 2025": Braunstone, which lost
  the Indian community to Highfields), waiting for a manager's review;
- a meeting of representatives across communities; and, when at least two
  organisations hold an accepted award, an issue they both raised, with the
  council's response.

Idempotent: an application already appealed, a meeting or an issue already
recorded (by title) is left as it is. Returns the lines to print.

manager@example.org sat on the round's panel, moderated and decided it, so
cannot review the appeal (the page says why); manager2@example.org, who took no
part, can. With only one awarded representative, the collective issue is not
made (it needs two).
"""

from datetime import timedelta

from django.utils import timezone

from organisations.models import Membership, User

from .accountability_models import CollectiveIssue, CollectiveMeeting
from .appeal_selectors import appeal_position
from .appeal_services import AppealError, lodge_appeal
from .application_models import Application, ApplicationStatus
from .assessment_selectors import applicant_outcome
from .collective_selectors import awarded_representatives
from .collective_services import record_issue, record_meeting, respond_to_issue

GROUNDS = (
    "We believe the panel did not give weight to the letters of support from eleven of the "
    "community's temples and associations, sent with our application, when it scored the "
    "support of the majority of the community. Our moderated score on that criterion is the "
    "same as an applicant who sent a petition alone."
)
MEETING = "Representatives' forum"
ISSUE = "Reporting hate crime"


def seed(grant_round, *, officer=None) -> list[str]:
    """Add an appeal waiting for review and a collective meeting (and issue); see above."""
    lines = [_seed_appeals(grant_round)]
    lines += _seed_collective(officer or User.objects.get(email="officer@example.org"))
    return lines


def _seed_appeals(grant_round) -> str:
    lodged = []
    applications = (
        Application.objects.filter(round=grant_round, status=ApplicationStatus.SUBMITTED)
        .select_related("organisation", "round", "round_community__community")
        .order_by("pk")
    )
    for application in applications:
        position = appeal_position(application, applicant_outcome(application), is_admin=True)
        if position is None or position.appeal is not None or not position.may_appeal:
            continue
        admin = Membership.objects.admin_users(application.organisation)[0]
        try:
            lodge_appeal(application=application, by=admin, grounds=GROUNDS)
        except AppealError:
            continue
        lodged.append(f"{application.organisation.name} ({application.community_name})")
    if not lodged:
        return f"Appeals in {grant_round.name}: none lodged now (none may appeal, or done)."
    return (
        f"Appeals in {grant_round.name}: {', '.join(lodged)}, waiting for review by a "
        "manager who took no part (manager2@example.org; manager@example.org decided it)."
    )


def _seed_collective(officer) -> list[str]:
    meeting = CollectiveMeeting.objects.filter(title=MEETING).first()
    if meeting is None:
        meeting = record_meeting(
            by=officer,
            title=MEETING,
            held_on=timezone.localdate() - timedelta(days=7),
            summary=(
                "Representatives of the city's communities met at the town hall. They "
                "discussed hate crime reporting, access to council consultations and the "
                "year's community events."
            ),
        )
    lines = [f"Collective issues: the meeting \u201c{meeting.title}\u201d recorded."]
    if CollectiveIssue.objects.filter(title=ISSUE).exists():
        return lines
    representatives = list(awarded_representatives()[:2])
    if len(representatives) < 2:
        lines.append(
            "No collective issue: it needs two representatives, and only "
            f"{len(representatives)} organisation holds an accepted award."
        )
        return lines
    issue = record_issue(
        by=officer,
        title=ISSUE,
        description=(
            "People in both communities say they do not know where to report hate crime "
            "that falls short of a criminal offence, and do not hear what happened next."
        ),
        raised_by=[d.pk for d in representatives],
        meeting=meeting,
    )
    respond_to_issue(
        issue=issue,
        by=officer,
        response=(
            "The council will publish one page listing every way to report, in the city's "
            "five most spoken languages, and will tell representatives each quarter how "
            "many reports were made and what was done."
        ),
    )
    lines.append(f"Collective issue \u201c{ISSUE}\u201d raised by two representatives, answered.")
    return lines
