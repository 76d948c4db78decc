"""Reads for collective issues: the representatives, the meetings and the issues.

A representative is an organisation holding an accepted award (a
CommunityDecision ACCEPTED): its members see every collective issue with the
council's response. Each list is a fixed number of queries, whatever its length.
"""

from django.db.models import Count, Prefetch

from .accountability_models import CollectiveIssue, CollectiveMeeting
from .assessment_models import CommunityDecision, DecisionOutcome

# Every accepted award, newest grant period first: the choices when recording an issue.
from .concern_selectors import representatives as awarded_representatives  # noqa: F401

# The meetings offered when recording an issue: the most recent.
MEETINGS_OFFERED = 50


def is_representative(user) -> bool:
    """Whether the person belongs to an organisation holding an accepted award (one query)."""
    if not user.is_authenticated:
        return False
    return CommunityDecision.objects.filter(
        outcome=DecisionOutcome.ACCEPTED, application__organisation__memberships__user=user
    ).exists()


def recent_meetings():
    return CollectiveMeeting.objects.order_by("-held_on", "-pk")[:MEETINGS_OFFERED]


def meetings_for_officers():
    return CollectiveMeeting.objects.select_related("recorded_by").annotate(
        issue_count=Count("issues")
    )


def _raisers():
    return Prefetch(
        "raised_by",
        queryset=CommunityDecision.objects.select_related(
            "application__organisation", "round_community__community"
        ).order_by("round_community__community__name", "pk"),
    )


def collective_issues():
    """Every issue, newest first, with its meeting and who raised it (prefetched: one more
    query for the page's representatives)."""
    return (
        CollectiveIssue.objects.select_related("meeting", "responded_by", "recorded_by")
        .prefetch_related(_raisers())
        .order_by("-recorded_at", "-pk")
    )
