"""Collective issues through the pages: officers record meetings, issues and responses with
GOV.UK errors; representatives read every issue; other organisations cannot."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.accountability_models import CollectiveIssue, CollectiveMeeting
from grants.collective_services import record_issue, respond_to_issue

from ..conftest import assert_constant_queries, client_for
from ..factories import MembershipFactory
from .collective_support import representatives

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def issue(world, pair, title="Hate crime reporting", response=""):
    made = record_issue(
        by=world.officer,
        title=title,
        description="Victims do not know where to report.",
        raised_by=[d.pk for d in pair],
    )
    if response:
        respond_to_issue(issue=made, by=world.officer, response=response)
    return made


def test_an_officer_records_a_meeting_with_its_errors_first(world):
    client = client_for(world.officer)
    url = reverse("grants:collective_meeting_add")
    response = client.post(url, {})
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    for message in (
        "Enter the title of the meeting",
        "Enter the date of the meeting",
        "Enter a summary of the meeting",
    ):
        assert message in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "title": "Representatives' forum",
        "held_on_0": tomorrow.day,
        "held_on_1": tomorrow.month,
        "held_on_2": tomorrow.year,
        "summary": "Hate crime reporting was raised.",
    }
    response = client.post(url, data)
    assert "The date of the meeting must be today or in the past" in response.content.decode()
    assert not CollectiveMeeting.objects.exists()
    today = timezone.localdate()
    data.update(held_on_0=today.day, held_on_1=today.month, held_on_2=today.year)
    response = client.post(url, data)
    assert response.status_code == 302
    made = CollectiveMeeting.objects.get()
    assert made.held_on == today and made.recorded_by == world.officer
    assert "Representatives" in text(client.get(reverse("grants:collective_meetings")))


def test_an_issue_needs_two_representatives_on_the_page_too(world):
    first, second = representatives(world)
    client = client_for(world.officer)
    url = reverse("grants:collective_issue_add")
    page = text(client.get(url))
    assert first.application.organisation.name in page
    assert second.application.organisation.name in page
    data = {"title": "Hate crime", "description": "Where to report.", "raised_by": [first.pk]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select at least two representatives who raised the issue" in (response.content.decode())
    response = client.post(url, {**data, "raised_by": [first.pk, 999_999]})
    assert "Select representatives from the list" in response.content.decode()
    assert not CollectiveIssue.objects.exists()
    held = CollectiveMeeting.objects.create(
        title="Forum", held_on=timezone.localdate(), summary="S.", recorded_by=world.officer
    )
    # Opened from the meeting's "Record an issue" link, the meeting is chosen already.
    assert (
        f'<option value="{held.pk}" selected>'
        in client.get(f"{url}?meeting={held.pk}").content.decode()
    )
    response = client.post(url, {**data, "raised_by": [first.pk, second.pk], "meeting": held.pk})
    assert response.status_code == 302
    made = CollectiveIssue.objects.get()
    assert set(made.raised_by.all()) == {first, second} and made.meeting == held


def test_with_one_representative_the_page_says_an_issue_needs_two(world):
    representatives(world, n=1)
    page = text(client_for(world.officer).get(reverse("grants:collective_issue_add")))
    assert "fewer than two organisations hold a representation grant" in page
    assert "Record the issue" not in page


def test_the_council_responds_through_the_page_once(world):
    made = issue(world, representatives(world))
    client = client_for(world.manager)
    url = reverse("grants:collective_issue_respond", args=[made.pk])
    response = client.post(url, {"response": " "})
    assert "Enter the council&#x27;s response" in response.content.decode()
    response = client.post(url, {"response": "We will fund a reporting centre."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.council_response == "We will fund a reporting centre."
    page = text(client.get(url))
    assert "We will fund a reporting centre." in page and "Record the response" not in page
    # A second response from a form opened earlier changes nothing.
    client.post(url, {"response": "Something else."})
    made.refresh_from_db()
    assert made.council_response == "We will fund a reporting centre."


def test_every_representative_reads_every_issue_and_no_other_organisation_does(world):
    pair = representatives(world, n=3)
    raised = issue(world, pair[1:], title="Youth services", response="A review is under way.")
    url = reverse("grants:collective_issues_for_representatives")
    # Organisation A did not raise it, but it is a representative: it reads it, response too.
    member = MembershipFactory(organisation=world.org_a, role="member").user
    for person in (world.org_a_admin, member, world.officer, world.manager):
        page = text(client_for(person).get(url))
        assert raised.title in page and "A review is under way." in page
        assert pair[1].application.organisation.name in page
    for person in (world.org_b_admin, world.provider_user, world.outsider):
        assert client_for(person).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


@pytest.mark.parametrize("name", ["collective_issues", "collective_issues_for_representatives"])
def test_the_issue_lists_cost_the_same_queries_with_one_issue_or_fifty(world, name):
    pair = representatives(world)
    client = client_for(world.org_a_admin if "representatives" in name else world.officer)
    url = reverse(f"grants:{name}")

    def make_rows(n):
        for i in range(n):
            issue(world, pair, title=f"Issue {i}", response="Answered." if i % 2 else "")

    # Both: the session and the user, then the count and the page of issues with their
    # meetings and officers, and who raised them (one prefetch). The officer's page also
    # checks the second factor's record; the representatives' page, instead, whether the
    # person is a representative.
    count = assert_constant_queries(make_rows, lambda: client.get(url))
    assert count == 6


def test_the_officers_list_pages_the_issues(world):
    pair = representatives(world)
    for i in range(51):
        issue(world, pair, title=f"Issue {i}")
    response = client_for(world.officer).get(reverse("grants:collective_issues"))
    assert len(response.context["page"].object_list) == 50
    assert "Page 1 of 2" in text(response)
    assert "Issue 50" in text(response)  # newest first
