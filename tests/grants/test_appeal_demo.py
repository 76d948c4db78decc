"""The demo's appeals and collective issues: made through the services, idempotent."""

import pytest

from audit.models import AuditEvent
from grants.accountability_models import Appeal, CollectiveIssue, CollectiveMeeting
from grants.demo_appeals import ISSUE, MEETING, seed

from .appeal_support import decided
from .collective_support import representatives

pytestmark = pytest.mark.django_db


def test_the_demo_lodges_the_losers_appeal_and_a_meeting_once(world):
    state = decided(world)
    lines = seed(state.grant_round, officer=world.officer)
    appeal = Appeal.objects.get()
    assert appeal.application == state.loser and appeal.outcome == ""
    assert CollectiveMeeting.objects.get().title == MEETING
    # One representative only: no issue, and the demo says why.
    assert not CollectiveIssue.objects.exists()
    assert any("needs two representatives" in line for line in lines)
    seed(state.grant_round, officer=world.officer)
    assert Appeal.objects.count() == 1 and CollectiveMeeting.objects.count() == 1
    assert AuditEvent.objects.filter(action="grant_appeal.lodged").count() == 1


def test_with_two_representatives_the_demo_answers_their_issue(world):
    first, second = representatives(world)
    seed(first.round_community.round, officer=world.officer)
    issue = CollectiveIssue.objects.get(title=ISSUE)
    assert set(issue.raised_by.all()) == {first, second}
    assert issue.council_response and issue.meeting.title == MEETING
    seed(first.round_community.round, officer=world.officer)
    assert CollectiveIssue.objects.count() == 1
