"""Managers draft, change and publish questionnaire versions; old diagnostics keep theirs."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from diagnostics.diagnostic_services import (
    complete_diagnostic,
    current_questionnaire,
    start_diagnostic,
    theme_results,
    themes_of,
)
from diagnostics.models import Diagnostic, Questionnaire, Statement, Theme
from diagnostics.questionnaire_services import (
    QuestionnaireError,
    draft_questionnaire,
    publish_questionnaire,
    remove_statement,
    update_statement,
)
from packages.models import Package

from ..conftest import assert_constant_queries, client_for
from ..factories import (
    DiagnosticFactory,
    EligibilityDecisionFactory,
    ManagerFactory,
    PackageFactory,
)


@pytest.fixture
def manager(world):
    return client_for(world.manager)


@pytest.fixture
def draft(world):
    return draft_questionnaire(by=world.manager)


def _theme(questionnaire, slug) -> Theme:
    return questionnaire.themes.get(slug=slug)


def _mapping(questionnaire) -> dict:
    """Each theme's name, statements and package slugs, to compare versions by."""
    return {
        theme.slug: (
            theme.name,
            [(s.text, s.short) for s in theme.statements.all()],
            sorted(p.slug for p in theme.packages.all()),
        )
        for theme in themes_of(questionnaire)
    }


def _publish(world, draft):
    return publish_questionnaire(questionnaire=draft, by=world.manager)


def test_a_manager_drafts_changes_and_publishes_a_version(world, manager):
    v1 = current_questionnaire()
    response = manager.post(reverse("diagnostics:questionnaire_draft"))
    v2 = Questionnaire.objects.get(number=2)
    assert response.url == reverse("diagnostics:questionnaire_detail", args=[v2.pk])
    assert not v2.is_published
    assert _mapping(v2) == _mapping(v1), "a draft starts as a copy of the current version"

    governance = _theme(v2, "governance")
    volunteering = Package.objects.get(slug="volunteering")
    response = manager.post(
        reverse("diagnostics:questionnaire_theme_edit", args=[governance.pk]),
        {
            "name": "Good governance",
            "description": "How the board works",
            "packages": [volunteering.pk],
        },
    )
    assert response.status_code == 302
    response = manager.post(
        reverse("diagnostics:questionnaire_statement_add", args=[governance.pk]),
        {"text": "Trustees have a skills audit every year", "short": "trustee skills audit"},
    )
    assert response.status_code == 302
    first = governance.statements.first()
    manager.post(
        reverse("diagnostics:questionnaire_statement_edit", args=[first.pk]),
        {"text": "Trustees know their legal duties", "short": "trustees' duties"},
    )
    second = governance.statements.all()[1]
    manager.post(reverse("diagnostics:questionnaire_statement_remove", args=[second.pk]))

    page = manager.get(reverse("diagnostics:questionnaire_detail", args=[v2.pk])).content.decode()
    assert "Good governance" in page
    assert "Trustees have a skills audit every year" in page
    response = manager.post(reverse("diagnostics:questionnaire_publish", args=[v2.pk]))
    assert response.url == reverse("diagnostics:questionnaire_versions")

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.is_current, v2.is_current, v2.is_published) == (False, True, True)
    assert current_questionnaire() == v2
    governance = _theme(v2, "governance")
    assert (governance.name, governance.description) == ("Good governance", "How the board works")
    assert list(governance.packages.values_list("slug", flat=True)) == ["volunteering"]
    assert list(governance.statements.values_list("text", flat=True)) == [
        "Trustees know their legal duties",
        "The board reviews risks and performance at least yearly",
        "Trustees have a skills audit every year",
    ]
    assert _theme(v1, "governance").name == "Governance", "the old version is untouched"
    actions = set(
        AuditEvent.objects.filter(action__startswith="questionnaire.").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "questionnaire.drafted",
        "questionnaire.theme_changed",
        "questionnaire.statement_added",
        "questionnaire.statement_changed",
        "questionnaire.statement_removed",
        "questionnaire.published",
    }
    versions = manager.get(reverse("diagnostics:questionnaire_versions")).content.decode()
    assert "New diagnostics start on this version" in versions
    assert "Replaced" in versions


def _rework_finance(world, draft):
    """v2: financial management leads only to volunteering, with one new statement."""
    finance = _theme(draft, "financial-management")
    finance.packages.set([Package.objects.get(slug="volunteering")])
    Statement.objects.create(theme=finance, text="Reserves policy", short="reserves", position=9)
    return _publish(world, draft)


def test_a_diagnostic_started_before_keeps_its_version_and_results(world, draft):
    EligibilityDecisionFactory(organisation=world.org_a, decided_by=world.officer)
    done = DiagnosticFactory(organisation=world.org_b, status="session_booked", score=1)
    complete_diagnostic(diagnostic=done, by=world.officer, notes="Notes.")
    before = list(done.recommendations.values_list("package__slug", "rank", "reason"))
    open_one = DiagnosticFactory(
        organisation=world.org_a,
        status="session_booked",
        score=3,
        scores={"budget monitoring": 1, "cash-flow forecasting": 1},
    )
    v1 = open_one.questionnaire
    results_before = theme_results(open_one, themes_of(v1))

    _rework_finance(world, draft)

    done.refresh_from_db()
    assert done.questionnaire == v1
    assert list(done.recommendations.values_list("package__slug", "rank", "reason")) == before
    # Started on version 1 and completed after version 2: ranked on version 1's mapping.
    open_one.refresh_from_db()
    assert theme_results(open_one, themes_of(open_one.questionnaire)) == results_before
    complete_diagnostic(diagnostic=open_one, by=world.officer, notes="")
    assert open_one.scores.count() == 30
    assert list(open_one.recommendations.values_list("package__slug", flat=True)) == [
        "financial-sustainability",
        "professional-support",
    ]
    report = client_for(world.org_a_admin).get(
        reverse("diagnostics:diagnostic_report", args=[open_one.pk])
    )
    assert "Reserves policy" not in report.content.decode()


def test_a_diagnostic_started_after_uses_the_new_version(world, draft):
    EligibilityDecisionFactory(organisation=world.org_a, decided_by=world.officer)
    v2 = _rework_finance(world, draft)
    diagnostic = start_diagnostic(organisation=world.org_a, by=world.org_a_admin)
    assert diagnostic.questionnaire == v2
    assert diagnostic.scores.count() == 31
    assert diagnostic.scores.filter(statement__short="reserves").exists()


def test_editing_a_published_version_is_refused_and_changes_nothing(world, manager, draft):
    theme = _theme(draft, "governance")
    url = reverse("diagnostics:questionnaire_theme_edit", args=[theme.pk])
    manager.get(url)  # the manager opens the form...
    _publish(world, draft)  # ...and another publishes the version meanwhile
    response = manager.post(
        url, {"name": "Renamed", "description": "", "packages": [Package.objects.first().pk]}
    )
    assert response.status_code == 200
    assert "Version 2 is published, so it cannot be changed" in response.content.decode()
    assert 'value="Renamed"' in response.content.decode(), "what was typed is kept"
    theme.refresh_from_db()
    assert theme.name == "Governance"

    statement = theme.statements.first()
    response = manager.get(reverse("diagnostics:questionnaire_statement_edit", args=[statement.pk]))
    assert response.url == reverse("diagnostics:questionnaire_detail", args=[draft.pk])
    page = manager.get(response.url).content.decode()
    assert "Version 2 is published, so it cannot be changed" in page
    assert "Publish version 2" not in page
    response = manager.post(
        reverse("diagnostics:questionnaire_statement_remove", args=[statement.pk])
    )
    assert Statement.objects.filter(pk=statement.pk).exists()
    with pytest.raises(QuestionnaireError, match="published"):
        update_statement(statement=statement, by=world.manager, text="x", short="y")
    with pytest.raises(QuestionnaireError, match="already published"):
        _publish(world, draft)
    assert not AuditEvent.objects.filter(action="questionnaire.statement_removed").exists()


def test_a_draft_with_diagnostics_answered_on_it_cannot_be_changed(world, draft):
    DiagnosticFactory(questionnaire=draft)
    with pytest.raises(QuestionnaireError, match="has diagnostics answered on it"):
        remove_statement(
            statement=Statement.objects.filter(theme__questionnaire=draft).first(), by=world.manager
        )


@pytest.mark.parametrize(
    "name",
    [
        "questionnaire_versions",
        "questionnaire_detail",
        "questionnaire_theme_edit",
        "questionnaire_statement_add",
        "questionnaire_statement_edit",
    ],
)
def test_officers_get_403_and_everyone_else_404(world, draft, name):
    theme = _theme(draft, "ict")
    args = {
        "questionnaire_versions": [],
        "questionnaire_detail": [draft.pk],
        "questionnaire_theme_edit": [theme.pk],
        "questionnaire_statement_add": [theme.pk],
        "questionnaire_statement_edit": [theme.statements.first().pk],
    }[name]
    url = reverse(f"diagnostics:{name}", args=args)
    assert client_for(world.officer).get(url).status_code == 403
    if name not in ("questionnaire_versions", "questionnaire_detail"):  # GET only: 405
        assert client_for(world.officer).post(url).status_code == 403
    for user in (world.org_a_admin, world.provider_user, world.outsider):
        assert client_for(user).get(url).status_code == 404


def test_only_managers_publish(world, draft):
    for url in (
        reverse("diagnostics:questionnaire_publish", args=[draft.pk]),
        reverse("diagnostics:questionnaire_draft"),
    ):
        assert client_for(world.officer).post(url).status_code == 403
        assert client_for(world.org_a_admin).post(url).status_code == 404
    with pytest.raises(QuestionnaireError, match="Only managers"):
        publish_questionnaire(questionnaire=draft, by=world.officer)
    draft.refresh_from_db()
    assert not draft.is_published


def test_an_empty_statement_is_refused_and_what_was_typed_is_kept(world, manager, draft):
    theme = _theme(draft, "ict")
    response = manager.post(
        reverse("diagnostics:questionnaire_statement_add", args=[theme.pk]),
        {"text": "  ", "short": "cyber security"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the statement" in html
    assert 'value="cyber security"' in html
    assert theme.statements.count() == 3


def test_a_theme_with_no_packages_is_refused_and_what_was_typed_is_kept(world, manager, draft):
    theme = _theme(draft, "ict")
    before = list(theme.packages.all())
    response = manager.post(
        reverse("diagnostics:questionnaire_theme_edit", args=[theme.pk]),
        {"name": "Digital", "description": "Computers and data"},
    )
    html = response.content.decode()
    assert "Select at least one package that addresses this theme" in html
    assert 'value="Digital"' in html
    assert "Computers and data" in html
    theme.refresh_from_db()
    assert theme.name != "Digital"
    assert list(theme.packages.all()) == before


def test_a_withdrawn_package_is_offered_only_where_a_theme_already_has_it(world, manager, draft):
    withdrawn = PackageFactory(name="Old package", status="withdrawn")
    other = PackageFactory(name="Never mapped", status="withdrawn")
    theme = _theme(draft, "ict")
    theme.packages.add(withdrawn)
    page = manager.get(reverse("diagnostics:questionnaire_theme_edit", args=[theme.pk]))
    html = page.content.decode()
    assert "Old package (withdrawn)" in html
    assert other.name not in html


def test_the_last_statement_of_a_theme_cannot_be_removed(world, manager, draft):
    theme = _theme(draft, "ict")
    *others, last = theme.statements.all()
    for statement in others:
        remove_statement(statement=statement, by=world.manager)
    response = manager.post(
        reverse("diagnostics:questionnaire_statement_remove", args=[last.pk]), follow=True
    )
    assert "needs at least one statement" in response.content.decode()
    assert theme.statements.get() == last


def test_a_version_with_a_theme_without_packages_cannot_be_published(world, draft):
    _theme(draft, "ict").packages.clear()
    with pytest.raises(QuestionnaireError, match="ICT has no packages"):
        _publish(world, draft)
    draft.refresh_from_db()
    assert not draft.is_published
    assert current_questionnaire().number == 1


def test_starting_a_draft_twice_gives_the_same_draft(world, draft):
    assert draft_questionnaire(by=world.manager) == draft
    assert Questionnaire.objects.filter(published_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"number": 3},  # a second draft
        {"number": 3, "published_at": timezone.now(), "is_current": True},  # a second current
        {"number": 3, "is_current": True},  # a current version that is not published
    ],
)
def test_the_database_refuses_a_second_draft_or_current_version(world, draft, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Questionnaire.objects.create(**fields)


def test_the_versions_list_runs_a_fixed_number_of_queries(world, manager):
    number = iter(range(2, 200))

    def make_rows(n):
        for _ in range(n):
            version = Questionnaire.objects.create(number=next(number), published_at=timezone.now())
            DiagnosticFactory(questionnaire=version, score=None)

    count = assert_constant_queries(
        make_rows, lambda: manager.get(reverse("diagnostics:questionnaire_versions"))
    )
    # 1 session, 2 user, 3 authenticator (staff two-factor check), 4 the
    # versions, 5 the number of diagnostics on each version (one grouped query).
    assert count == 5
    assert Diagnostic.objects.count() == 50


def _at_once(*calls):
    """Run the calls in threads released together; each returns a result or the refusal."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except QuestionnaireError as exc:
            outcomes[index] = exc.reason
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(2))
def test_two_managers_drafting_then_publishing_at_once_make_one_of_each(attempt):
    first, second = ManagerFactory(), ManagerFactory()
    drafts = _at_once(lambda: draft_questionnaire(by=first), lambda: draft_questionnaire(by=second))
    assert drafts[0] == drafts[1], drafts
    assert Questionnaire.objects.filter(published_at__isnull=True).count() == 1

    draft = drafts[0]
    outcomes = _at_once(
        lambda: publish_questionnaire(questionnaire=draft, by=first),
        lambda: publish_questionnaire(questionnaire=draft, by=second),
    )
    refusals = [o for o in outcomes if isinstance(o, str)]
    assert refusals == [f"Version {draft.number} is already published."], outcomes
    assert list(Questionnaire.objects.filter(is_current=True)) == [draft]
    assert AuditEvent.objects.filter(action="questionnaire.published").count() == 1
