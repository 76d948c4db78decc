"""What assessing and deciding a round both check: the refusal, the round closed, the
community not yet decided, the application still sent."""

from . import rules
from .application_models import Application, ApplicationStatus
from .assessment_models import LIVE_OUTCOMES, CommunityDecision
from .models import GrantRound


class AssessmentError(Exception):
    """A refused change: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


NOTHING_CHANGED = "Nothing was changed."


def _refuse(reason: str, problems: dict | None = None):
    raise AssessmentError(reason, problems)


def _require_closed(grant_round) -> None:
    if grant_round.status != GrantRound.Status.PUBLISHED:
        _refuse(
            f"This round is not being assessed: it is {grant_round.get_status_display().lower()}."
        )
    if grant_round.phase() != rules.CLOSED:
        _refuse(
            f"Assessing starts when the round closes, at {grant_round.closes_words}. "
            f"{NOTHING_CHANGED}"
        )


def _live_decision(round_community_id) -> CommunityDecision | None:
    return (
        CommunityDecision.objects.filter(
            round_community_id=round_community_id, outcome__in=LIVE_OUTCOMES
        )
        .select_related("application__organisation")
        .first()
    )


def _require_undecided(application) -> None:
    if application.round_community_id is None:
        return
    if _live_decision(application.round_community_id):
        _refuse(
            f"The decision for the {application.community_name} has been made, so its "
            f"applications' scores cannot change. {NOTHING_CHANGED}"
        )


def _lock_sent_application(application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "round_community__community")
        .get(pk=application.pk)
    )
    if locked.status != ApplicationStatus.SUBMITTED:
        words = "has been withdrawn" if locked.status == "withdrawn" else "is not sent"
        _refuse(f"This application {words}. {NOTHING_CHANGED}")
    return locked
