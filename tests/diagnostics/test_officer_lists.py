"""The officer's diagnostics tabs, the eligibility queue's search, distance travelled's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations import listing

from ..conftest import client_for
from ..factories import DiagnosticFactory, EligibilityApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
DIAGNOSTICS = reverse("diagnostics:officer_diagnostics")


def organisations(response):
    return [row[0].organisation.name for row in response.context["rows"]]


def test_each_tab_lists_its_diagnostics_and_every_tab_says_how_many(world):
    DiagnosticFactory(organisation__name="Waiting One", status="awaiting_session")
    DiagnosticFactory(organisation__name="Booked Two", status="session_booked")
    DiagnosticFactory(organisation__name="Filling In", status="self_assessment")
    DiagnosticFactory(organisation__name="All Done", status="completed")
    client = client_for(world.officer)
    waiting = client.get(DIAGNOSTICS)
    assert set(organisations(waiting)) == {"Waiting One", "Booked Two"}
    assert waiting.context["tabs"] == [
        ("waiting", "Waiting for a session or in a session", 2),
        ("in_progress", "Self-assessment in progress", 1),
        ("completed", "Completed", 1),
    ]
    assert organisations(client.get(DIAGNOSTICS, {"show": "in_progress"})) == ["Filling In"]
    assert organisations(client.get(DIAGNOSTICS, {"show": "completed"})) == ["All Done"]
    assert client.get(DIAGNOSTICS, {"show": "nonsense"}).context["shown"] == "waiting"
    content = waiting.content.decode()
    assert '<strong aria-current="page">Waiting for a session or in a session (2)</strong>' in (
        content
    )
    assert 'href="?show=completed"' in content


def test_completed_diagnostics_are_newest_first(world):
    older = DiagnosticFactory(organisation__name="Older", status="completed")
    older.completed_at = timezone.now() - timedelta(days=30)
    older.save(update_fields=["completed_at"])
    DiagnosticFactory(organisation__name="Newer", status="completed")
    response = client_for(world.officer).get(DIAGNOSTICS, {"show": "completed"})
    assert organisations(response) == ["Newer", "Older"]


def test_the_search_narrows_every_tab_and_is_carried_with_the_tab_and_pages(world):
    DiagnosticFactory(organisation__name="Food Bank", status="completed")
    DiagnosticFactory(organisation__name="Knitting Circle", status="completed")
    DiagnosticFactory.create_batch(
        listing.PAGE_SIZE + 1, organisation__name="Food Club", status="awaiting_session"
    )
    client = client_for(world.officer)
    response = client.get(DIAGNOSTICS, {"show": "completed", "q": "food"})
    assert organisations(response) == ["Food Bank"]
    content = response.content.decode()
    assert '<input type="hidden" name="show" value="completed">' in content
    assert [count for _, _, count in response.context["tabs"]] == [listing.PAGE_SIZE + 1, 0, 1]
    waiting = client.get(DIAGNOSTICS, {"q": "food"}).content.decode()
    assert 'href="?q=food&amp;page=2"' in waiting
    assert "No diagnostics match ‘knit’." in (
        client.get(DIAGNOSTICS, {"q": "knit"}).content.decode()
    )


def test_each_row_links_to_the_diagnostic(world):
    diagnostic = DiagnosticFactory(status="awaiting_session")
    response = client_for(world.officer).get(DIAGNOSTICS)
    [(_, url)] = response.context["rows"]
    assert url == reverse("diagnostics:officer_diagnostic", args=[diagnostic.pk])


def test_the_eligibility_queue_finds_an_organisation_by_part_of_its_name(world):
    EligibilityApplicationFactory(organisation__name="Leicester Food Bank", status="submitted")
    EligibilityApplicationFactory(organisation__name="Knitting Circle", status="submitted")
    url = reverse("diagnostics:officer_applications")
    response = client_for(world.officer).get(url, {"q": " food  bank "})
    assert [a.organisation.name for a, _, _ in response.context["rows"]] == ["Leicester Food Bank"]
    [(application, link, _)] = response.context["rows"]
    assert link == reverse("diagnostics:officer_application_detail", args=[application.pk])
    content = response.content.decode()
    assert "1 application, oldest first" in content
    assert 'for="id_q"' in content


def test_distance_travelled_is_searchable_and_links_to_the_latest_report(world):
    for name in ("Food Bank", "Knitting Circle"):
        organisation = OrganisationFactory(name=name)
        first = DiagnosticFactory(organisation=organisation, status="completed", score=1)
        first.completed_at = timezone.now() - timedelta(days=365)
        first.save(update_fields=["completed_at"])
        latest = DiagnosticFactory(organisation=organisation, status="completed", score=3)
    DiagnosticFactory(organisation__name="Food Once", status="completed")
    url = reverse("diagnostics:distance_travelled")
    client = client_for(world.manager)
    rows = client.get(url).context["rows"]
    assert [row[0].name for row in rows] == ["Food Bank", "Knitting Circle"]
    [(organisation, link, *_)] = client.get(url, {"q": "knit"}).context["rows"]
    assert organisation.name == "Knitting Circle"
    assert link == reverse("diagnostics:diagnostic_report", args=[latest.pk])
