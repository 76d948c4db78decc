"""Appeals through the pages: the link on the outcome, lodging with its errors, the window
closing, who may see what; the managers' list and review page, and the home page task."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.accountability_models import Appeal
from grants.appeal_services import review_appeal
from grants.assessment_models import CommunityDecision
from grants.models import Application
from notifications.deadlines import GRANT_APPEAL, deadline

from ..conftest import assert_constant_queries, client_for
from ..factories import MembershipFactory, OrganisationFactory
from .appeal_support import GROUNDS, appealed, decided, outsider_manager

pytestmark = pytest.mark.django_db

LIST_QUERIES = 5


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def due_words(state) -> str:
    due = deadline(GRANT_APPEAL).due_on(timezone.localdate(state.decision.responded_at))
    return f"{due.day} {due:%B %Y}"


# --------------------------------------------------------------- the applicant


def test_the_outcome_offers_the_appeal_with_its_last_day(world):
    state = decided(world)
    client = client_for(state.loser_admin)
    page = text(client.get(reverse("grants:application", args=[state.loser.pk])))
    assert f"Appeal this decision (by {due_words(state)})" in page
    assert reverse("grants:appeal", args=[state.loser.pk]) in (
        client.get(reverse("grants:application", args=[state.loser.pk])).content.decode()
    )
    # A plain member is told who appeals, and by when.
    member = MembershipFactory(organisation=state.loser.organisation, role="member").user
    page = text(client_for(member).get(reverse("grants:application", args=[state.loser.pk])))
    assert f"Only an administrator of your organisation can appeal, by {due_words(state)}." in page
    assert "Appeal this decision" not in page
    # The winner has nothing to appeal, and no appeal page.
    winner = client_for(world.org_a_admin)
    page = text(winner.get(reverse("grants:application", args=[state.winner.pk])))
    assert "Appeal this decision" not in page
    assert winner.get(reverse("grants:appeal", args=[state.winner.pk])).status_code == 404


def test_lodging_through_the_page_needs_the_grounds_then_sends_it(world):
    state = decided(world)
    client = client_for(state.loser_admin)
    url = reverse("grants:appeal", args=[state.loser.pk])
    assert "Send the appeal" in text(client.get(url))
    response = client.post(url, {"grounds": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "Enter the grounds for your appeal" in page
    response = client.post(url, {"grounds": "word " * 501})
    assert "The grounds must be 500 words or fewer" in response.content.decode()
    assert not Appeal.objects.exists()
    response = client.post(url, {"grounds": GROUNDS})
    assert response.status_code == 302
    assert Appeal.objects.get().grounds == GROUNDS
    after = text(client.get(reverse("grants:application", args=[state.loser.pk])))
    assert "Your organisation appealed on" in after
    assert "a manager who took no part in the decision will review it" in after
    # The appeal page now shows it; sending again is refused, and nothing changes.
    shown = text(client.get(url))
    assert GROUNDS in shown and "Waiting for a review" in shown
    again = client.post(url, {"grounds": "Again."})
    assert again.status_code == 200
    assert "Your organisation has already appealed this decision" in again.content.decode()
    assert Appeal.objects.count() == 1


def test_after_the_window_the_page_says_so_and_a_late_form_saves_nothing(world):
    state = decided(world)
    # Accepted a month ago: the ten working days have gone by.
    CommunityDecision.objects.filter(pk=state.decision.pk).update(
        responded_at=timezone.now() - timedelta(days=31)
    )
    client = client_for(state.loser_admin)
    url = reverse("grants:application", args=[state.loser.pk])
    assert "The time to appeal ended on" in text(client.get(url))
    appeal_url = reverse("grants:appeal", args=[state.loser.pk])
    page = text(client.get(appeal_url))
    assert "The time to appeal ended on" in page and "Send the appeal" not in page
    response = client.post(appeal_url, {"grounds": GROUNDS})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert "Appeals are not accepted after that date." in text(response)
    assert "What you wrote" in text(response) and GROUNDS.split()[0] in text(response)
    assert not Appeal.objects.exists()


def test_the_appeal_page_is_the_organisations_and_its_administrators_send_it(world):
    state = decided(world)
    url = reverse("grants:appeal", args=[state.loser.pk])
    for person in (world.org_b_admin, world.officer, world.manager, world.provider_user):
        assert client_for(person).get(url).status_code == 404
    member = MembershipFactory(organisation=state.loser.organisation, role="member").user
    client = client_for(member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"grounds": GROUNDS}).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert not Appeal.objects.exists()


# --------------------------------------------------------------- the managers


def test_a_manager_who_took_part_sees_the_appeal_but_not_the_form(world):
    _, appeal = appealed(world)
    client = client_for(world.manager)  # moderated and decided the community
    url = reverse("grants:appeal_review", args=[appeal.pk])
    page = text(client.get(url))
    assert GROUNDS in page
    assert "so you cannot review this appeal" in page
    assert "Record the outcome" not in page
    response = client.post(url, {"outcome": "upheld", "reasons": "Upheld."})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert "You made a decision for this community" in text(response)
    appeal.refresh_from_db()
    assert appeal.outcome == ""


def test_an_uninvolved_manager_records_the_outcome_with_reasons(world):
    state, appeal = appealed(world)
    reviewer = outsider_manager()
    client = client_for(reviewer)
    url = reverse("grants:appeal_review", args=[appeal.pk])
    assert "Record the outcome" in text(client.get(url))
    response = client.post(url, {})
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "Select whether the appeal is upheld or not upheld" in page
    assert "Enter the reasons for the outcome" in page
    response = client.post(url, {"outcome": "upheld", "reasons": "The letters were not read."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.reviewed_by) == ("upheld", reviewer)
    page = text(client.get(url, follow=True))
    assert "The decision for the" in page and "must be made again" in page
    assert "Record the outcome" not in page
    # The applicant reads the outcome on its application and on the appeal page.
    applicant = client_for(state.loser_admin)
    shown = text(applicant.get(reverse("grants:appeal", args=[state.loser.pk])))
    assert "Upheld" in shown and "The letters were not read." in shown


def test_the_review_page_is_for_managers(world):
    _, appeal = appealed(world)
    url = reverse("grants:appeal_review", args=[appeal.pk])
    assert client_for(world.officer).get(url).status_code == 403
    for person in (world.org_a_admin, world.org_b_admin, world.provider_user):
        assert client_for(person).get(url).status_code == 404
    assert client_for(world.officer).post(url, {"outcome": "upheld"}).status_code == 403


def _more_appeals(state, n):
    """n more appeals against the same decision, from new organisations (rows written directly:
    the list reads them, it does not judge them)."""
    for _ in range(n):
        organisation = OrganisationFactory()
        application = Application.objects.create(
            round=state.grant_round,
            organisation=organisation,
            round_community=state.community,
            created_by=state.loser_admin,
        )
        Appeal.objects.create(
            application=application,
            decision=state.decision,
            grounds="We disagree.",
            lodged_by=state.loser_admin,
        )


def test_the_list_puts_waiting_appeals_first_and_pages_them(world):
    state, first = appealed(world)
    review_appeal(appeal=first, by=outsider_manager(), outcome="not_upheld", reasons="Stands.")
    _more_appeals(state, 50)
    client = client_for(world.manager)
    response = client.get(reverse("grants:appeals"))
    rows = list(response.context["page"])
    assert len(rows) == 50 and response.context["page"].paginator.count == 51
    assert all(row.outcome == "" for row in rows)  # the reviewed one comes last
    assert "Page 1 of 2" in text(response)
    second = client.get(reverse("grants:appeals") + "?page=2")
    assert [row.pk for row in second.context["page"]] == [first.pk]
    assert "Not upheld" in text(second)


def test_the_list_costs_the_same_queries_with_one_appeal_or_fifty(world):
    state, _ = appealed(world)
    client = client_for(world.manager)
    count = assert_constant_queries(
        lambda n: _more_appeals(state, n), lambda: client.get(reverse("grants:appeals"))
    )
    # The session, the user (and the second factor's check), then the count and the page
    # of appeals with their applications, organisations, rounds, communities and reviewers.
    assert count == LIST_QUERIES


def test_the_managers_home_lists_the_appeals_waiting(world):
    _, appeal = appealed(world)
    page = text(client_for(world.manager).get(reverse("home")))
    assert "Grant appeals to review (1)" in page
    assert (
        reverse("grants:appeals") in client_for(world.manager).get(reverse("home")).content.decode()
    )
    review_appeal(appeal=appeal, by=outsider_manager(), outcome="upheld", reasons="Upheld.")
    assert "Grant appeals to review" not in text(client_for(world.manager).get(reverse("home")))
