"""Assessing through the pages: the panel, declaring, scoring, moderating, ranking, deciding;
who sees which scores when; each form's errors; and queries that do not grow."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.assessment_services import panel_criteria
from grants.models import Assessment, CommunityDecision, GrantRound, ModeratedMark, PanelMember

from ..conftest import assert_constant_queries, client_for
from ..factories import StaffFactory, UserFactory
from .assessing import (
    another_admin,
    assessor,
    closed_round,
    declared,
    marks,
    moderated,
    on_panel,
    ready_to_decide,
    scored,
    send,
    sent_marks,
)
from .factories import close, open_round

pytestmark = pytest.mark.django_db

SECRET = "Only-the-other-assessor-wrote-this"


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def _page(response):
    assert response.status_code == 200, response
    return response.content.decode()


def _error_summary(page):
    """The text of the GOV.UK error summary (it must be there)."""
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


def _marking_post(grant_round, score=3, comment="My comment.", **extra):
    data = {}
    for pk, (mark, _) in marks(grant_round, score).items():
        data[f"mark_{pk}"] = mark
        data[f"comment_{pk}"] = comment
    data.update(extra)
    return data


def _moderation_post(grant_round, score=3, reason=""):
    data = {}
    for criterion in panel_criteria(grant_round):
        data[f"mark_{criterion.pk}"] = str(score) if criterion.kind == "scored" else "1"
        data[f"reason_{criterion.pk}"] = reason
    return data


# --------------------------------------------------------------- the panel


def test_a_manager_adds_an_officer_to_the_panel(world):
    grant_round, _ = closed_round(world)
    client = client_for(world.manager)
    url = _url("round_panel", grant_round.pk)
    assert "No one is on the panel yet" in _page(client.get(url))

    response = client.post(url, {"assessor": world.officer.pk})

    assert response.status_code == 302 and response.url == url
    assert PanelMember.objects.filter(round=grant_round, assessor=world.officer).exists()
    page = _page(client.get(url))
    assert "1 assessor" in page and str(world.officer) in page
    assert _url("panel_remove", PanelMember.objects.get().pk) in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Select who to add to the panel"),
        ("public", "Select someone from the list"),
    ],
)
def test_the_panel_form_says_what_is_wrong(world, data, message):
    grant_round, _ = closed_round(world)
    if data == "public":
        data = {"assessor": UserFactory().pk}
    response = client_for(world.manager).post(_url("round_panel", grant_round.pk), data)
    assert message in _error_summary(_page(response))
    assert not PanelMember.objects.exists()


def test_a_manager_takes_someone_off_the_panel_unless_they_have_begun(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world, full_name="Olu Idle")
    on_panel(grant_round, world)
    declared(application, world.officer)
    client = client_for(world.manager)
    for person in (other, world.officer):
        member = PanelMember.objects.get(assessor=person)
        response = client.post(_url("panel_remove", member.pk))
        assert response.url == _url("round_panel", grant_round.pk)
    assert list(PanelMember.objects.values_list("assessor", flat=True)) == [world.officer.pk]
    page = _page(client.get(_url("round_panel", grant_round.pk)))
    assert "has begun assessing this round, so they stay on the panel" in page


# --------------------------------------------------------------- assessors


def test_the_assessors_list_shows_each_application_and_the_next_step(world):
    grant_round, (first, second, third) = closed_round(world, applications=3)
    on_panel(grant_round, world)
    declared(second, world.officer, conflict=True)
    sent_marks(third, world.officer)
    page = _page(client_for(world.officer).get(_url("my_assessments")))
    assert "3 applications" in page
    for application, step in [
        (first, "Declare interests"),
        (second, "Conflict declared"),
        (third, "Scores sent"),
    ]:
        row = page[page.index(application.reference) :]
        row = row[: row.index("</tr>")]
        assert step in row, (application.reference, row)
        assert _url("assess", application.pk) in page


def test_the_list_leaves_out_rounds_still_open_and_panels_the_person_is_not_on(world):
    grant_round, (application,) = closed_round(world)
    assessor(grant_round, world)  # someone else's panel
    page = _page(client_for(world.officer).get(_url("my_assessments")))
    assert application.reference not in page
    assert "There are no applications for you to assess" in page


def test_an_assessor_declares_first_then_scores(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    client = client_for(world.officer)
    url = _url("assess", application.pk)

    page = _page(client.get(url))
    assert "Do you have a conflict of interest with this application?" in page
    assert "Send my scores" not in page

    response = client.post(url, {"has_conflict": "no"})
    assert response.status_code == 302 and response.url == url
    page = _page(client.get(url))
    assert "Send my scores" in page and "Save as a draft" in page
    first = scored(grant_round)[0]
    assert f"Score for {first.title}" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Select yes if you have a conflict of interest with this application"),
        ({"has_conflict": "yes", "details": "  "}, "Describe the conflict of interest"),
    ],
)
def test_the_declaration_form_says_what_is_wrong(world, data, message):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    response = client_for(world.officer).post(_url("assess", application.pk), data)
    assert message in _error_summary(_page(response))
    assert not Assessment.objects.exists()


def test_a_conflicted_assessor_sees_no_scores_and_cannot_give_any(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world)
    on_panel(grant_round, world)
    sent_marks(application, other, comment=SECRET)
    client = client_for(world.officer)
    url = _url("assess", application.pk)

    response = client.post(url, {"has_conflict": "yes", "details": "I chair its board."})
    assert response.url == _url("my_assessments")

    page = _page(client.get(url))
    assert "You declared a conflict of interest" in page and "I chair its board." in page
    assert SECRET not in page
    assert "Send my scores" not in page and "Assessors' scores on" not in page
    # Nor by trying to declare again, or by sending marks anyway.
    assert client.get(url + "?declare=1").status_code == 403
    response = client.post(url, _marking_post(grant_round, send="1"))
    assert SECRET not in response.content.decode()
    assert not Assessment.objects.get(assessor=world.officer).marks.exists()


def test_other_assessors_comments_are_shown_only_once_the_assessors_own_are_sent(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world)
    on_panel(grant_round, world)
    sent_marks(application, other, comment=SECRET)
    client = client_for(world.officer)
    url = _url("assess", application.pk)
    client.post(url, {"has_conflict": "no"})

    response = client.post(url, _marking_post(grant_round, comment="Mine, a draft.", save="1"))
    assert response.url == url
    page = _page(client.get(url))
    assert SECRET not in page
    assert "Mine, a draft." in page  # the draft comes back in the form

    response = client.post(url, _marking_post(grant_round, comment="Mine, sent.", send="1"))
    assert response.url == url
    page = _page(client.get(url))
    assert SECRET in page and "Mine, sent." in page and "Assessors' scores on" in page
    assert "You sent your scores on" in page and "Send my scores" not in page


def test_sending_incomplete_marks_shows_each_problem(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    declared(application, world.officer)
    first = scored(grant_round)[0]
    response = client_for(world.officer).post(_url("assess", application.pk), {"send": "1"})
    summary = _error_summary(_page(response))
    assert "Give a score and a comment for every criterion before you send them" in summary
    assert f"Select a score for {first.title}" in summary
    assert f"Enter a comment on {first.title}" in summary
    assert not Assessment.objects.get().marks.exists()


def test_a_score_outside_the_scale_is_named_in_the_error_summary(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    declared(application, world.officer)
    first = scored(grant_round)[0]
    data = _marking_post(grant_round, send="1", **{f"mark_{first.pk}": "7"})
    response = client_for(world.officer).post(_url("assess", application.pk), data)
    summary = _error_summary(_page(response))
    assert f"Score must be a whole number from 0 to 4 for {first.title}" in summary
    assert not Assessment.objects.get().marks.exists()


def test_an_assessor_not_on_the_panel_is_refused(world):
    grant_round, (application,) = closed_round(world)
    assert client_for(world.officer).get(_url("assess", application.pk)).status_code == 403
    assert client_for(world.org_a_admin).get(_url("assess", application.pk)).status_code == 404


# --------------------------------------------------------------- moderation and deciding


def test_the_moderation_page_highlights_assessors_who_differ_by_2(world):
    grant_round, (application,) = closed_round(world)
    other = assessor(grant_round, world)
    on_panel(grant_round, world)
    first = scored(grant_round)[0]
    sent_marks(application, world.officer, score=3, **{first.title: 1})
    sent_marks(application, other, score=3, comment=SECRET, **{first.title: 3})
    client = client_for(world.manager)
    url = _url("moderate", application.pk)

    page = _page(client.get(url))
    assert page.count("Assessors differ by") == 1
    assert "Assessors differ by 2" in page
    assert SECRET in page

    response = client.post(url, _moderation_post(grant_round, 2))
    summary = _error_summary(_page(response))
    assert (
        "Give the reason for the moderated score: the assessors did not all give it on "
        f"{first.title}"
    ) in summary
    assert not ModeratedMark.objects.exists()

    response = client.post(url, _moderation_post(grant_round, 3, reason="Read the letters."))
    assert response.url == _url("round_ranking", grant_round.pk)
    assert ModeratedMark.objects.count() == len(panel_criteria(grant_round))


def test_the_ranking_orders_each_communitys_applications(world):
    grant_round, (best, weaker) = ready_to_decide(world, applications=2)
    moderated(weaker, world.manager, score=2, reason="Weaker.")
    page = _page(client_for(world.manager).get(_url("round_ranking", grant_round.pk)))
    assert page.index(best.reference) < page.index(weaker.reference)
    assert "75.0" in page and "50.0" in page
    community = grant_round.round_communities.order_by("pk").first()
    assert _url("decide", community.pk) in page


def test_the_decide_page_records_the_offer(world):
    grant_round, (application,) = ready_to_decide(world)
    community = grant_round.round_communities.order_by("pk").first()
    client = client_for(world.manager)
    url = _url("decide", community.pk)
    page = _page(client.get(url))
    assert f"Offer the award to Organisation A ({application.reference})" in page

    response = client.post(url, {"choice": "offer", "reasons": "The strongest case."})

    assert response.url == _url("round_ranking", grant_round.pk)
    decision = CommunityDecision.objects.get()
    assert decision.application == application and decision.outcome == "offered"
    page = _page(client.get(response.url))
    assert "Award offered" in page and "The strongest case." in page
    # Decided: the page goes back to the ranking.
    assert client.get(url).url == _url("round_ranking", grant_round.pk)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"choice": "no_award", "reasons": ""}, "Enter the reasons for the decision"),
        ({"reasons": "Because."}, "Select whether to offer the award or make no award"),
    ],
)
def test_the_decide_form_says_what_is_wrong(world, data, message):
    grant_round, _ = ready_to_decide(world)
    community = grant_round.round_communities.order_by("pk").first()
    response = client_for(world.manager).post(_url("decide", community.pk), data)
    assert message in _error_summary(_page(response))
    assert not CommunityDecision.objects.exists()


def test_no_award_is_recorded_through_the_page(world):
    grant_round, _ = ready_to_decide(world)
    community = grant_round.round_communities.order_by("pk").first()
    response = client_for(world.manager).post(
        _url("decide", community.pk), {"choice": "no_award", "reasons": "No support shown."}
    )
    assert response.status_code == 302
    assert CommunityDecision.objects.get().outcome == "no_award"


# --------------------------------------------------------------- queries


def test_the_marking_page_reads_the_same_queries_with_1_or_3_other_assessors(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world)
    sent_marks(application, world.officer)
    client = client_for(world.officer)

    def more_assessors(n):
        for _ in range(n):
            sent_marks(application, assessor(grant_round, world), comment=SECRET)

    assert_constant_queries(
        more_assessors, lambda: client.get(_url("assess", application.pk)), small=1, large=3
    )
    assert _page(client.get(_url("assess", application.pk))).count(SECRET) == 3 * len(
        panel_criteria(grant_round)
    )


def test_the_moderation_page_reads_the_same_queries_with_1_or_3_assessors(world):
    grant_round, (application,) = closed_round(world)
    client = client_for(world.manager)

    def more_assessors(n):
        for _ in range(n):
            sent_marks(application, assessor(grant_round, world))

    assert_constant_queries(
        more_assessors, lambda: client.get(_url("moderate", application.pk)), small=1, large=3
    )


def test_the_ranking_reads_the_same_queries_with_1_or_3_applications(world):
    grant_round = open_round(by=world.manager, communities=2)
    officer = on_panel(grant_round, world)
    communities = list(grant_round.round_communities.order_by("pk"))
    client = client_for(world.manager)
    made = []

    def more_applications(n):
        # Open again to send more, then closed (as a round's clock cannot, but tests may).
        GrantRound.objects.filter(pk=grant_round.pk).update(
            closes_at=timezone.now() + timedelta(days=1)
        )
        grant_round.refresh_from_db()
        sent = [
            send(grant_round, another_admin(), community=communities[(len(made) + i) % 2])
            for i in range(n)
        ]
        close(grant_round)
        for application in sent:
            sent_marks(application, officer)
            moderated(application, world.manager)
        made.extend(sent)

    assert_constant_queries(
        more_applications,
        lambda: client.get(_url("round_ranking", grant_round.pk)),
        small=1,
        large=3,
    )
    page = _page(client.get(_url("round_ranking", grant_round.pk)))
    assert all(a.reference in page for a in made)


def test_staff_not_on_a_panel_see_an_empty_list_and_the_public_none(world):
    assert client_for(StaffFactory()).get(_url("my_assessments")).status_code == 200
    assert client_for(world.org_a_admin).get(_url("my_assessments")).status_code == 404


def test_the_assessors_list_reads_the_same_queries_with_1_or_3_applications(world):
    grant_round = open_round(by=world.manager, communities=2)
    on_panel(grant_round, world)
    communities = list(grant_round.round_communities.order_by("pk"))
    client = client_for(world.officer)
    made = []

    def more_applications(n):
        GrantRound.objects.filter(pk=grant_round.pk).update(
            closes_at=timezone.now() + timedelta(days=1)
        )
        grant_round.refresh_from_db()
        sent = [
            send(grant_round, another_admin(), community=communities[(len(made) + i) % 2])
            for i in range(n)
        ]
        close(grant_round)
        # Each in a different state: to declare, to score, scores sent.
        for i, application in enumerate(sent):
            if (len(made) + i) % 3 == 1:
                declared(application, world.officer)
            elif (len(made) + i) % 3 == 2:
                sent_marks(application, world.officer)
        made.extend(sent)

    assert_constant_queries(
        more_applications, lambda: client.get(_url("my_assessments")), small=1, large=3
    )
    page = _page(client.get(_url("my_assessments")))
    assert all(a.reference in page for a in made)
    assert "To score" in page and "Scores sent" in page and "Declare interests" in page


def test_the_panel_page_reads_the_same_queries_with_1_or_3_assessors(world):
    grant_round, _ = closed_round(world)
    client = client_for(world.manager)

    def more_assessors(n):
        for _ in range(n):
            assessor(grant_round, world)

    assert_constant_queries(
        more_assessors, lambda: client.get(_url("round_panel", grant_round.pk)), small=1, large=3
    )


def test_a_manager_assessing_sees_no_other_scores_to_moderate_until_theirs_are_sent(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world, world.officer, world.manager)
    sent_marks(application, world.officer, comment=SECRET)
    declared(application, world.manager)
    client = client_for(world.manager)
    page = _page(client.get(_url("moderate", application.pk)))
    assert SECRET not in page and "Save the moderated scores" not in page
    assert "send your own scores before you see the other assessors' scores" in page
    sent_marks(application, world.manager)
    page = _page(client.get(_url("moderate", application.pk)))
    assert SECRET in page and "Save the moderated scores" in page


def test_a_conflicted_manager_sees_no_scores_on_the_moderation_page(world):
    grant_round, (application,) = closed_round(world)
    on_panel(grant_round, world, world.officer, world.manager)
    sent_marks(application, world.officer, comment=SECRET)
    declared(application, world.manager, conflict=True)
    page = _page(client_for(world.manager).get(_url("moderate", application.pk)))
    assert SECRET not in page and "Save the moderated scores" not in page
    assert "another manager must moderate its scores" in page


def test_a_manager_conflicted_in_a_community_sees_no_totals_and_cannot_decide_it(world):
    grant_round, (best, other) = ready_to_decide(world, applications=2)
    moderated(other, world.manager, score=2, reason="Weaker.")
    second_manager = StaffFactory(role="manager")
    on_panel(grant_round, world, second_manager)
    declared(other, second_manager, conflict=True)
    community = best.round_community
    client = client_for(second_manager)
    page = _page(client.get(_url("round_ranking", grant_round.pk)))
    assert "75.0" not in page and "50.0" not in page
    assert "so its scores are not shown to you" in page
    assert _url("decide", community.pk) not in page
    response = client.get(_url("decide", community.pk))
    assert response.url == _url("round_ranking", grant_round.pk)
    response = client.post(_url("decide", community.pk), {"choice": "offer", "reasons": "Best."})
    assert response.url == _url("round_ranking", grant_round.pk)
    assert not CommunityDecision.objects.exists()
    # The manager without a conflict sees the totals and decides.
    assert "75.0" in _page(client_for(world.manager).get(_url("round_ranking", grant_round.pk)))
