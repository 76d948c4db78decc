"""The diagnostic: self-assessment, session, adjustments, completion, recommendations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.diagnostic_services import (
    DiagnosticError,
    add_recommendation,
    adjust_score,
    book_session,
    complete_diagnostic,
    remove_recommendation,
    save_theme,
    start_diagnostic,
    submit_self_assessment,
)
from diagnostics.models import Diagnostic, Questionnaire, Recommendation, Score, Theme
from notifications.models import Notification
from packages.models import Package

from ..conftest import client_for
from ..factories import DiagnosticFactory, EligibilityDecisionFactory

Status = Diagnostic.Status


@pytest.fixture
def eligible(world):
    EligibilityDecisionFactory(organisation=world.org_a, decided_by=world.officer)
    return world.org_a


@pytest.fixture
def ready(world, eligible):
    """A's self-assessment, sent: finance weak (1), everything else in place (3)."""
    diagnostic = DiagnosticFactory(
        organisation=world.org_a,
        status="awaiting_session",
        score=3,
        scores={"budget monitoring": 1, "cash-flow forecasting": 1, "full cost recovery": 2},
    )
    return diagnostic


def test_only_an_eligible_organisation_may_start(world):
    with pytest.raises(DiagnosticError, match="no eligibility decision"):
        start_diagnostic(organisation=world.org_a, by=world.org_a_admin)
    assert not Diagnostic.objects.exists()


def test_an_expired_organisation_may_not_start(world):
    EligibilityDecisionFactory(
        organisation=world.org_a,
        valid_from=timezone.localdate() - timedelta(days=1200),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(DiagnosticError, match="expired"):
        start_diagnostic(organisation=world.org_a, by=world.org_a_admin)


def test_start_creates_a_score_for_every_statement(world, eligible):
    diagnostic = start_diagnostic(organisation=world.org_a, by=world.org_a_admin)
    questionnaire = Questionnaire.objects.get(number=1)
    assert diagnostic.questionnaire == questionnaire
    assert diagnostic.scores.count() == 30
    assert start_diagnostic(organisation=world.org_a, by=world.org_a_admin) == diagnostic


def test_the_self_assessment_saves_a_theme_at_a_time_and_is_sent_complete(world, eligible):
    diagnostic = start_diagnostic(organisation=world.org_a, by=world.org_a_admin)
    client = client_for(world.org_a_admin)
    theme = diagnostic.questionnaire.themes.get(slug="governance")
    statements = list(theme.statements.all())
    url = reverse("diagnostics:diagnostic_theme", args=["governance"])
    response = client.post(url, {f"statement_{statements[0].pk}": "2"})
    assert response.status_code == 200
    assert "Select a score for" in response.content.decode()
    data = {f"statement_{s.pk}": "2" for s in statements} | {"is_priority": "on"}
    response = client.post(url, data)
    assert response.url == reverse("diagnostics:diagnostic_theme", args=["financial-management"])
    assert diagnostic.priority_themes.get() == theme
    with pytest.raises(DiagnosticError, match="Score every statement"):
        submit_self_assessment(diagnostic=diagnostic, by=world.org_a_admin)
    diagnostic.scores.update(self_score=3)
    response = client.post(reverse("diagnostics:diagnostic_summary"))
    assert response.url == reverse("diagnostics:self_assessment_sent")  # its confirmation page
    diagnostic.refresh_from_db()
    assert diagnostic.status == Status.AWAITING_SESSION


@pytest.mark.parametrize("value", [0, 5, -1])
def test_a_score_outside_the_scale_is_refused(world, eligible, value):
    diagnostic = start_diagnostic(organisation=world.org_a, by=world.org_a_admin)
    theme = diagnostic.questionnaire.themes.get(slug="ict")
    statement = theme.statements.first()
    with pytest.raises(DiagnosticError, match="1, 2, 3 or 4"):
        save_theme(
            diagnostic=diagnostic,
            theme=theme,
            scores={statement.pk: value},
            is_priority=False,
            by=world.org_a_admin,
        )
    response = client_for(world.org_a_admin).post(
        reverse("diagnostics:diagnostic_theme", args=["ict"]),
        {f"statement_{s.pk}": str(value) for s in theme.statements.all()},
    )
    assert "Select a score from 1 to 4" in response.content.decode()
    assert not Score.objects.filter(self_score__isnull=False).exists()


def test_a_sent_self_assessment_cannot_be_changed(world, ready):
    theme = ready.questionnaire.themes.get(slug="ict")
    with pytest.raises(DiagnosticError, match="cannot be changed"):
        save_theme(diagnostic=ready, theme=theme, scores={}, is_priority=True, by=world.org_a_admin)


def test_the_officer_books_a_session_the_organisation_sees(world, ready):
    day = timezone.localdate() + timedelta(days=7)
    book_session(
        diagnostic=ready,
        by=world.officer,
        date=day,
        time=timezone.datetime(2026, 1, 1, 14, 30).time(),
        place="Highfields Centre",
        online=False,
    )
    ready.refresh_from_db()
    assert ready.status == Status.SESSION_BOOKED
    assert Notification.objects.filter(kind="diagnostic:session_booked").count() == 1
    page = client_for(world.org_a_admin).get(reverse("diagnostics:diagnostic"))
    assert "Highfields Centre" in page.content.decode()
    assert "14:30" in page.content.decode()


def test_adjusting_a_score_needs_a_note_and_is_recorded(world, ready):
    statement_id = ready.scores.get(statement__short="full cost recovery").statement_id
    with pytest.raises(DiagnosticError, match="note"):
        adjust_score(
            diagnostic=ready, statement_id=statement_id, value=1, note="", by=world.officer
        )
    score = adjust_score(
        diagnostic=ready,
        statement_id=statement_id,
        value=1,
        note="No pricing for the lunch club.",
        by=world.officer,
    )
    assert (score.self_score, score.officer_score, score.final) == (2, 1, 1)
    assert score.adjusted_by == world.officer


def test_completion_ranks_packages_for_the_weakest_theme_and_says_why(world, ready):
    complete_diagnostic(diagnostic=ready, by=world.officer, notes="Good session.")
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    recommendations = list(ready.recommendations.select_related("package"))
    assert [r.package.slug for r in recommendations] == [
        "financial-sustainability",
        "professional-support",
    ]
    assert recommendations[0].reason.startswith(
        "Financial management and sustainability scored 1.3 of 4: budget monitoring not in "
        "place; cash-flow forecasting not in place"
    )
    assert Notification.objects.filter(kind="diagnostic:completed").count() == 1


def test_an_officer_adds_and_removes_recommendations_with_reasons(world, ready):
    complete_diagnostic(diagnostic=ready, by=world.officer, notes="Notes.")
    volunteering = Package.objects.get(slug="volunteering")
    added = add_recommendation(
        diagnostic=ready, package=volunteering, reason="They want to grow.", by=world.officer
    )
    assert (added.source, added.created_by, added.rank) == ("officer", world.officer, 3)
    with pytest.raises(DiagnosticError, match="already recommended"):
        add_recommendation(diagnostic=ready, package=volunteering, reason="x", by=world.officer)
    first = ready.recommendations.get(rank=1)
    with pytest.raises(DiagnosticError):
        remove_recommendation(recommendation=first, reason=" ", by=world.officer)
    remove_recommendation(recommendation=first, reason="Already funded.", by=world.officer)
    first.refresh_from_db()
    assert first.removed_by == world.officer and first.removed_reason == "Already funded."
    report = client_for(world.org_a_admin).get(
        reverse("diagnostics:diagnostic_report", args=[ready.pk])
    )
    html = report.content.decode()
    assert "Volunteering" in html and "They want to grow." in html
    assert "Already funded." not in html
    assert Recommendation.objects.filter(diagnostic=ready).count() == 3  # nothing deleted


@pytest.mark.parametrize(
    ("status", "call"),
    [
        ("self_assessment", "complete"),
        ("completed", "complete"),
        ("completed", "adjust"),
        ("self_assessment", "adjust"),
        ("awaiting_session", "submit"),
        ("completed", "book"),
        ("awaiting_session", "recommend"),
    ],
)
def test_illegal_diagnostic_moves_are_refused(world, eligible, status, call):
    diagnostic = DiagnosticFactory(organisation=world.org_a, status=status, score=2)
    statement_id = diagnostic.scores.first().statement_id
    calls = {
        "complete": lambda: complete_diagnostic(diagnostic=diagnostic, by=world.officer, notes="x"),
        "adjust": lambda: adjust_score(
            diagnostic=diagnostic, statement_id=statement_id, value=1, note="x", by=world.officer
        ),
        "submit": lambda: submit_self_assessment(diagnostic=diagnostic, by=world.org_a_admin),
        "book": lambda: book_session(
            diagnostic=diagnostic,
            by=world.officer,
            date=timezone.localdate(),
            time=timezone.now().time(),
            place="x",
            online=True,
        ),
        "recommend": lambda: add_recommendation(
            diagnostic=diagnostic,
            package=Package.objects.first(),
            reason="x",
            by=world.officer,
        ),
    }
    with pytest.raises(DiagnosticError):
        calls[call]()
    diagnostic.refresh_from_db()
    assert diagnostic.status == status


def test_a_new_questionnaire_version_never_changes_old_results(world, ready):
    complete_diagnostic(diagnostic=ready, by=world.officer, notes="Notes.")
    before = list(ready.recommendations.values_list("package__slug", "reason"))
    v2 = Questionnaire.objects.create(number=2, published_at=timezone.now())
    Theme.objects.create(questionnaire=v2, slug="governance", name="Good governance", position=1)
    ready.refresh_from_db()
    assert ready.questionnaire.number == 1
    assert list(ready.recommendations.values_list("package__slug", "reason")) == before
    report = client_for(world.org_a_admin).get(
        reverse("diagnostics:diagnostic_report", args=[ready.pk])
    )
    assert "Financial management and sustainability" in report.content.decode()


def test_two_completed_diagnostics_show_the_distance_travelled(world, eligible):
    first = DiagnosticFactory(organisation=world.org_a, status="completed", score=1)
    first.completed_at = timezone.now() - timedelta(days=400)
    first.save(update_fields=["completed_at"])
    DiagnosticFactory(organisation=world.org_a, status="completed", score=3)
    page = client_for(world.org_a_admin).get(reverse("diagnostics:diagnostic_compare"))
    changes = page.context["changes"]
    assert len(changes) == 10
    assert {c.words for c in changes} == {"Up 2"}
    manager = client_for(world.manager).get(reverse("diagnostics:distance_travelled"))
    organisation, _, _, _, summary, _ = manager.context["rows"][0]
    assert organisation == world.org_a
    assert (summary.mean_change, summary.improved, summary.worse) == (2.0, 10, 0)


def test_another_organisation_cannot_see_a_diagnostic_report(world, ready):
    url = reverse("diagnostics:diagnostic_report", args=[ready.pk])
    assert client_for(world.org_b_admin).get(url).status_code == 404
    assert client_for(world.provider_user).get(url).status_code == 404
    assert client_for(world.org_a_member).get(url).status_code == 200


def test_the_home_page_shows_eligibility_and_diagnostic_status(world, ready):
    page = client_for(world.org_a_admin).get(reverse("organisation_home"))
    html = page.content.decode()
    assert "Eligible" in html
    assert "Waiting for a session" in html


def test_an_absurd_year_for_the_session_is_a_message_not_a_crash(world, ready):
    # date() raises OverflowError, not ValueError, for a year beyond a C long.
    url = reverse("diagnostics:officer_diagnostic_session", args=[ready.pk])
    response = client_for(world.officer).post(
        url,
        {
            "date_0": "1",
            "date_1": "1",
            "date_2": "9" * 30,
            "time": "10:00",
            "how": "online",
            "place": "Teams",
        },
    )
    assert response.status_code == 200
    assert "The date of the session must be a real date" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.AWAITING_SESSION


def test_a_withdrawn_package_is_neither_recommended_nor_counted_in_the_email(world, ready):
    Package.objects.filter(slug="financial-sustainability").update(status="withdrawn")
    complete_diagnostic(diagnostic=ready, by=world.officer, notes="Good session.")
    assert [r.package.slug for r in ready.recommendations.all()] == ["professional-support"]
    email = Notification.objects.get(kind="diagnostic:completed")
    assert "1 support package is recommended" in email.body_text


def test_it_cannot_be_completed_while_a_statement_has_no_score(world, ready):
    unscored = ready.scores.get(statement__short="full cost recovery")
    unscored.self_score = None
    unscored.save(update_fields=["self_score"])
    with pytest.raises(DiagnosticError, match="Not yet scored: Financial management"):
        complete_diagnostic(diagnostic=ready, by=world.officer, notes="")
    ready.refresh_from_db()
    assert ready.status == Status.AWAITING_SESSION
    assert not ready.recommendations.exists()
    # Once the officer scores it, completion goes ahead.
    adjust_score(
        diagnostic=ready,
        statement_id=unscored.statement_id,
        value=2,
        note="Scored in the session.",
        by=world.officer,
    )
    complete_diagnostic(diagnostic=ready, by=world.officer, notes="")
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
