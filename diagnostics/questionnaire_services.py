"""Managers change the diagnostic questionnaire by drafting and publishing a new version.

A diagnostic keeps the version it was started on (its themes, statements and
package mappings), so only an unused draft is ever changed, and publishing a
draft only decides what new diagnostics start on.

Locks are taken in one order: questionnaire rows (by id), then the theme or
statement being changed. Every change locks its version's row first, so an
edit cannot slip in while another manager publishes that version.
"""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.services import record

from .models import Diagnostic, Questionnaire, Statement, Theme
from .rules import questionnaire_change


class QuestionnaireError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _manager(by) -> None:
    if not by.is_manager:
        raise QuestionnaireError("Only managers can change the questionnaire.")


def change_allowed(questionnaire):
    """Whether this version may be changed, and why not (a Decision)."""
    return questionnaire_change(
        number=questionnaire.number,
        is_published=questionnaire.is_published,
        diagnostics=Diagnostic.objects.filter(questionnaire=questionnaire).count(),
    )


def _lock_draft(questionnaire_id: int) -> Questionnaire:
    """The version's row, locked, if it may still be changed."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire_id)
    allowed = change_allowed(questionnaire)
    if not allowed:
        raise QuestionnaireError(allowed.reason)
    return questionnaire


@transaction.atomic
def draft_questionnaire(*, by) -> Questionnaire:
    """The draft version, made as a copy of the current one if there is no draft yet."""
    _manager(by)
    # Locking the current version makes two managers starting a draft at once
    # take turns: the second finds the first one's draft (a constraint allows one).
    current = Questionnaire.objects.select_for_update().filter(is_current=True).first()
    draft = Questionnaire.objects.filter(published_at__isnull=True).first()
    if draft:
        return draft
    number = (Questionnaire.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = Questionnaire.objects.create(number=number, created_by=by)
    if current:
        _copy_themes(current, draft)
    record(
        actor=by,
        action="questionnaire.drafted",
        obj=draft,
        data={"number": number, "copied_from": current.number if current else None},
    )
    return draft


def _copy_themes(source: Questionnaire, target: Questionnaire) -> None:
    for theme in source.themes.prefetch_related("statements", "packages"):
        copy = Theme.objects.create(
            questionnaire=target,
            slug=theme.slug,
            name=theme.name,
            description=theme.description,
            position=theme.position,
        )
        copy.packages.set(theme.packages.all())
        Statement.objects.bulk_create(
            Statement(theme=copy, text=s.text, short=s.short, position=s.position)
            for s in theme.statements.all()
        )


@transaction.atomic
def update_theme(*, theme, by, name: str, description: str, packages) -> Theme:
    """Rename or re-describe a draft's theme and choose the packages that address it."""
    _manager(by)
    _lock_draft(theme.questionnaire_id)
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    packages = list(packages)
    if not name.strip():
        raise QuestionnaireError("Enter the theme's name")
    if not packages:
        raise QuestionnaireError("Select at least one package that addresses this theme")
    before = sorted(theme.packages.values_list("slug", flat=True))
    theme.name, theme.description = name, description
    theme.save(update_fields=["name", "description"])
    theme.packages.set(packages)
    record(
        actor=by,
        action="questionnaire.theme_changed",
        obj=theme,
        data={
            "version": theme.questionnaire.number,
            "packages_before": before,
            "packages": sorted(p.slug for p in packages),
        },
    )
    return theme


def _check_statement(text: str, short: str) -> None:
    if not text.strip():
        raise QuestionnaireError("Enter the statement")
    if not short.strip():
        raise QuestionnaireError("Enter a short name for the statement")


@transaction.atomic
def add_statement(*, theme, by, text: str, short: str) -> Statement:
    """Add a statement at the end of a draft's theme."""
    _manager(by)
    _lock_draft(theme.questionnaire_id)
    _check_statement(text, short)
    last = theme.statements.aggregate(last=Max("position"))["last"] or 0
    statement = Statement.objects.create(theme=theme, text=text, short=short, position=last + 1)
    record(
        actor=by,
        action="questionnaire.statement_added",
        obj=statement,
        data={"theme": theme.slug, "version": theme.questionnaire.number},
    )
    return statement


@transaction.atomic
def update_statement(*, statement, by, text: str, short: str) -> Statement:
    """Change the wording of a draft's statement."""
    _manager(by)
    _lock_draft(statement.theme.questionnaire_id)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check_statement(text, short)
    before = {"text": statement.text, "short": statement.short}
    statement.text, statement.short = text, short
    statement.save(update_fields=["text", "short"])
    record(
        actor=by,
        action="questionnaire.statement_changed",
        obj=statement,
        data={"before": before, "after": {"text": text, "short": short}},
    )
    return statement


@transaction.atomic
def remove_statement(*, statement, by) -> None:
    """Remove a statement from a draft's theme; a theme keeps at least one."""
    _manager(by)
    _lock_draft(statement.theme.questionnaire_id)
    statement = Statement.objects.select_related("theme").filter(pk=statement.pk).first()
    if statement is None:
        raise QuestionnaireError("That statement has already been removed.")
    if statement.theme.statements.count() == 1:
        raise QuestionnaireError(
            f"{statement.theme.name} needs at least one statement, so this one cannot be removed."
        )
    record(
        actor=by,
        action="questionnaire.statement_removed",
        obj=statement,
        data={"theme": statement.theme.slug, "text": statement.text},
    )
    statement.delete()


def _publish_problems(questionnaire) -> list[str]:
    themes = list(questionnaire.themes.prefetch_related("statements", "packages"))
    if not themes:
        return ["A version needs at least one theme."]
    problems = []
    for theme in themes:
        if not theme.statements.all():
            problems.append(f"{theme.name} has no statements.")
        if not theme.packages.all():
            problems.append(f"{theme.name} has no packages.")
    return problems


@transaction.atomic
def publish_questionnaire(*, questionnaire, by) -> Questionnaire:
    """New diagnostics start on this version from now on; started ones keep theirs."""
    _manager(by)
    # The draft and the current version, locked in id order: a second publish
    # waits, then finds the draft already published.
    locked = {
        q.pk: q
        for q in Questionnaire.objects.select_for_update()
        .filter(Q(pk=questionnaire.pk) | Q(is_current=True))
        .order_by("pk")
    }
    questionnaire = locked[questionnaire.pk]
    if questionnaire.is_published:
        raise QuestionnaireError(f"Version {questionnaire.number} is already published.")
    problems = _publish_problems(questionnaire)
    if problems:
        raise QuestionnaireError(
            f"Version {questionnaire.number} cannot be published yet: {' '.join(problems)}"
        )
    previous = next((q for q in locked.values() if q.is_current), None)
    if previous:
        # Cleared first: the database allows only one current version at a time.
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    questionnaire.published_at, questionnaire.is_current = timezone.now(), True
    questionnaire.save(update_fields=["published_at", "is_current"])
    record(
        actor=by,
        action="questionnaire.published",
        obj=questionnaire,
        data={"number": questionnaire.number, "replaces": previous.number if previous else None},
    )
    return questionnaire
