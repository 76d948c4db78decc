"""Collective issues: meetings recorded once held, issues raised by at least two awarded
representatives, the council's response given once; each audited."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from grants import collective_rules
from grants.accountability_models import CollectiveIssue, CollectiveMeeting
from grants.collective_selectors import awarded_representatives, is_representative
from grants.collective_services import (
    CollectiveError,
    record_issue,
    record_meeting,
    respond_to_issue,
)
from grants.models import CommunityDecision

from ..factories import MembershipFactory
from .collective_support import representatives

# --------------------------------------------------------------- the rules (no database)


@pytest.mark.parametrize(
    "count, problem",
    [
        (0, "Select at least two representatives who raised the issue"),
        (1, "Select at least two representatives who raised the issue"),
        (2, None),
        (7, None),
    ],
)
def test_an_issue_needs_more_than_one_representative(count, problem):
    assert collective_rules.raised_by_problem(count) == problem


@pytest.mark.parametrize(
    "held_on, problem",
    [
        (date(2026, 6, 1), None),
        (date(2026, 6, 2), None),
        (date(2026, 6, 3), "The date of the meeting must be today or in the past"),
    ],
)
def test_a_meeting_is_recorded_once_held(held_on, problem):
    assert collective_rules.meeting_date_problem(held_on, date(2026, 6, 2)) == problem


# --------------------------------------------------------------- the services


def meeting(world, **overrides):
    data = {
        "title": "Representatives' forum",
        "held_on": timezone.localdate() - timedelta(days=2),
        "summary": "Six representatives discussed hate crime reporting.",
    }
    data.update(overrides)
    return record_meeting(by=world.officer, **data)


@pytest.mark.django_db
def test_an_officer_records_a_meeting_and_it_is_audited(world):
    made = meeting(world)
    assert made.recorded_by == world.officer and made.title == "Representatives' forum"
    event = AuditEvent.objects.get(action="collective_meeting.recorded")
    assert event.object_id == str(made.pk) and event.actor == world.officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"held_on": date.today() + timedelta(days=2)}, "held_on", "must be today or in the past"),
        ({"title": "  "}, "title", "Enter the title of the meeting"),
        ({"summary": ""}, "summary", "Enter a summary of the meeting"),
    ],
)
def test_a_meeting_in_the_future_or_without_words_is_refused(world, overrides, field, message):
    with pytest.raises(CollectiveError) as refused:
        meeting(world, **overrides)
    assert message in refused.value.problems[field]
    assert not CollectiveMeeting.objects.exists()
    assert not AuditEvent.objects.filter(action="collective_meeting.recorded").exists()


@pytest.mark.django_db
def test_only_staff_record_them(world):
    with pytest.raises(CollectiveError) as refused:
        record_meeting(by=world.org_a_admin, title="T", held_on=timezone.localdate(), summary="S.")
    assert refused.value.reason == "Only council officers can record collective issues."


@pytest.mark.django_db
def test_an_issue_raised_by_two_representatives_at_a_meeting(world):
    first, second = representatives(world)
    at = meeting(world)
    issue = record_issue(
        by=world.officer,
        title="Hate crime reporting",
        description="Victims do not know where to report.",
        raised_by=[first.pk, second.pk],
        meeting=at,
    )
    assert set(issue.raised_by.all()) == {first, second}
    assert issue.meeting == at and issue.council_response == ""
    event = AuditEvent.objects.get(action="collective_issue.recorded")
    assert len(event.data["raised_by"]) == 2


@pytest.mark.django_db
def test_an_issue_needs_two_awarded_representatives(world):
    first, second = representatives(world)
    for choice, message in (
        ([first.pk], "Select at least two representatives who raised the issue"),
        ([first.pk, first.pk], "Select at least two representatives who raised the issue"),
        ([first.pk, 999_999], "Select representatives from the list"),
    ):
        with pytest.raises(CollectiveError) as refused:
            record_issue(by=world.officer, title="T", description="D.", raised_by=choice)
        assert refused.value.problems == {"raised_by": message}
    # A decision that is not an accepted award is not a representative.
    CommunityDecision.objects.filter(pk=second.pk).update(
        outcome="declined", award=None, decline_reason="Written here for the test."
    )
    with pytest.raises(CollectiveError) as refused:
        record_issue(by=world.officer, title="T", description="D.", raised_by=[first.pk, second.pk])
    assert refused.value.problems == {"raised_by": "Select representatives from the list"}
    assert not CollectiveIssue.objects.exists()
    assert not AuditEvent.objects.filter(action="collective_issue.recorded").exists()


@pytest.mark.django_db
def test_the_council_responds_once_with_the_date(world):
    first, second = representatives(world)
    issue = record_issue(
        by=world.officer, title="T", description="D.", raised_by=[first.pk, second.pk]
    )
    with pytest.raises(CollectiveError) as refused:
        respond_to_issue(issue=issue, by=world.officer, response="  ")
    assert refused.value.problems == {"response": "Enter the council's response"}
    respond_to_issue(issue=issue, by=world.manager, response="We will fund a reporting centre.")
    issue.refresh_from_db()
    assert issue.council_response == "We will fund a reporting centre."
    assert issue.responded_by == world.manager
    assert issue.responded_at.date() == timezone.now().date()
    assert AuditEvent.objects.filter(action="collective_issue.responded").count() == 1
    with pytest.raises(CollectiveError) as refused:
        respond_to_issue(issue=issue, by=world.officer, response="Another answer.")
    assert refused.value.reason.startswith(f"{world.manager} gave the council's response")
    issue.refresh_from_db()
    assert issue.council_response == "We will fund a reporting centre."


@pytest.mark.django_db
def test_representatives_are_the_members_of_an_awarded_organisation(world):
    first, _ = representatives(world)
    member = MembershipFactory(organisation=world.org_a, role="member").user
    assert is_representative(world.org_a_admin) and is_representative(member)
    assert not is_representative(world.org_b_admin)
    assert not is_representative(world.officer)
    assert first in list(awarded_representatives())
