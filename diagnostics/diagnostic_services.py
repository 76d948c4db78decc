"""Every change to a diagnostic goes through here.

Moves are checked against rules.DIAGNOSTIC_TRANSITIONS under a row lock, saved
with update_fields, audited, and the organisation's administrators are emailed
when a session is booked and when the diagnostic is completed.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import record
from organisations.models import Organisation

from .eligibility_services import _email_admins
from .models import Diagnostic, Questionnaire, Recommendation, Score, Statement
from .rules import (
    DIAGNOSTIC_TRANSITIONS,
    ThemeResult,
    diagnostic_move,
    long_date,
    rank_packages,
    session_held_on,
    theme_score,
    valid_score,
)
from .selectors import eligibility_on

Status = Diagnostic.Status


class DiagnosticError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def current_questionnaire() -> Questionnaire | None:
    """The version new diagnostics start on (a database constraint allows only one)."""
    return Questionnaire.objects.filter(is_current=True).first()


def theme_results(diagnostic, themes) -> list[ThemeResult]:
    """Each theme's final result; `themes` prefetched with statements and packages."""
    finals = {s.statement_id: s.final for s in diagnostic.scores.all()}
    priorities = {t.pk for t in diagnostic.priority_themes.all()}
    results = []
    for theme in themes:
        statements = tuple((s.short, finals.get(s.pk)) for s in theme.statements.all())
        results.append(
            ThemeResult(
                name=theme.name,
                score=theme_score([score for _, score in statements]),
                statements=statements,
                is_priority=theme.pk in priorities,
                packages=tuple(p.slug for p in theme.packages.all()),
            )
        )
    return results


def themes_of(questionnaire):
    return questionnaire.themes.prefetch_related("statements", "packages")


def _lock(diagnostic) -> Diagnostic:
    return Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)


def _check(diagnostic, verb: str) -> None:
    move = diagnostic_move(diagnostic.status, verb)
    if not move:
        raise DiagnosticError(move.reason)


def _officer(by) -> None:
    if not by.is_officer:
        raise DiagnosticError("Only council officers can do this.")


@transaction.atomic
def start_diagnostic(*, organisation, by) -> Diagnostic:
    """The open diagnostic, or a new one on the current questionnaire (eligible only)."""
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    existing = Diagnostic.objects.filter(
        organisation=organisation, status__in=Diagnostic.OPEN_STATUSES
    ).first()
    if existing:
        return existing
    eligible = eligibility_on(organisation, timezone.localdate())
    if not eligible:
        raise DiagnosticError(eligible.reason)
    questionnaire = current_questionnaire()
    diagnostic = Diagnostic.objects.create(
        organisation=organisation, questionnaire=questionnaire, started_by=by
    )
    statements = Statement.objects.filter(theme__questionnaire=questionnaire)
    Score.objects.bulk_create(Score(diagnostic=diagnostic, statement=s) for s in statements)
    record(
        actor=by,
        action="diagnostic.started",
        obj=diagnostic,
        to_state=diagnostic.status,
        data={"questionnaire": questionnaire.number},
    )
    return diagnostic


@transaction.atomic
def save_theme(*, diagnostic, theme, scores: dict[int, int], is_priority: bool, by) -> None:
    """Save the organisation's scores for one theme's statements, as it goes."""
    diagnostic = _lock(diagnostic)
    if diagnostic.status != Status.SELF_ASSESSMENT:
        raise DiagnosticError(
            "Your self-assessment has been sent to the council, so it cannot be changed now."
        )
    if theme.questionnaire_id != diagnostic.questionnaire_id:
        raise DiagnosticError("That theme is not part of this diagnostic.")
    for statement_id, value in scores.items():
        if not valid_score(value):
            raise DiagnosticError("Each score must be 1, 2, 3 or 4.")
        updated = Score.objects.filter(
            diagnostic=diagnostic, statement_id=statement_id, statement__theme=theme
        ).update(self_score=value)
        if not updated:
            raise DiagnosticError("That statement is not part of this theme.")
    if is_priority:
        diagnostic.priority_themes.add(theme)
    else:
        diagnostic.priority_themes.remove(theme)


@transaction.atomic
def submit_self_assessment(*, diagnostic, by) -> Diagnostic:
    """Send the finished self-assessment; every statement must have a score."""
    diagnostic = _lock(diagnostic)
    _check(diagnostic, "submit_self_assessment")
    if diagnostic.scores.filter(self_score__isnull=True).exists():
        raise DiagnosticError("Score every statement in every theme before you send it.")
    from_state = diagnostic.status
    diagnostic.status = DIAGNOSTIC_TRANSITIONS["submit_self_assessment"][1]
    diagnostic.self_assessment_submitted_at = timezone.now()
    diagnostic.save(update_fields=["status", "self_assessment_submitted_at"])
    record(
        actor=by,
        action="diagnostic.self_assessment_submitted",
        obj=diagnostic,
        from_state=from_state,
        to_state=diagnostic.status,
    )
    return diagnostic


@transaction.atomic
def book_session(*, diagnostic, by, date, time, place: str, online: bool) -> Diagnostic:
    """Book (or move) the diagnostic session; the organisation sees it and is emailed."""
    _officer(by)
    diagnostic = _lock(diagnostic)
    _check(diagnostic, "book_session")
    from_state = diagnostic.status
    diagnostic.status = Status.SESSION_BOOKED
    diagnostic.session_date, diagnostic.session_time = date, time
    diagnostic.session_place, diagnostic.session_online = place, online
    diagnostic.session_booked_by = by
    diagnostic.save(
        update_fields=[
            "status",
            "session_date",
            "session_time",
            "session_place",
            "session_online",
            "session_booked_by",
        ]
    )
    record(
        actor=by,
        action="diagnostic.session_booked",
        obj=diagnostic,
        from_state=from_state,
        to_state=diagnostic.status,
        data={"date": str(date), "time": str(time), "place": place, "online": online},
    )
    _email_admins(
        diagnostic.organisation,
        "diagnostic_session_booked",
        {"diagnostic": diagnostic, "session_date": long_date(date), "officer": by},
        "diagnostic:session_booked",
    )
    return diagnostic


@transaction.atomic
def adjust_score(*, diagnostic, statement_id: int, value: int, note: str, by) -> Score:
    """Set the officer's score for one statement, with the note saying why."""
    _officer(by)
    diagnostic = _lock(diagnostic)
    _check(diagnostic, "adjust_score")
    if not valid_score(value):
        raise DiagnosticError("The score must be 1, 2, 3 or 4.")
    if not note.strip():
        raise DiagnosticError("Enter a note saying why the score changed")
    score = Score.objects.select_for_update().get(diagnostic=diagnostic, statement_id=statement_id)
    before = score.final
    score.officer_score, score.officer_note = value, note
    score.adjusted_by, score.adjusted_at = by, timezone.now()
    score.save(update_fields=["officer_score", "officer_note", "adjusted_by", "adjusted_at"])
    record(
        actor=by,
        action="diagnostic.score_adjusted",
        obj=diagnostic,
        reason=note,
        data={"statement": statement_id, "from": before, "to": value},
    )
    return score


@transaction.atomic
def complete_diagnostic(*, diagnostic, by, notes: str, held_on=None) -> Diagnostic:
    """Complete the diagnostic, record the day its session took place, and rank the
    packages from the final scores and priorities.

    `held_on` is the officer's date; it is needed when completing before the
    booked day (rules.session_held_on), otherwise the booked day (or today) is taken.
    """
    _officer(by)
    diagnostic = _lock(diagnostic)
    _check(diagnostic, "complete")
    session_day, reason = session_held_on(
        booked_for=diagnostic.session_date,
        given=held_on,
        today=timezone.localdate(),
        started_on=timezone.localtime(diagnostic.started_at).date(),
    )
    if session_day is None:
        raise DiagnosticError(reason)
    themes = list(themes_of(diagnostic.questionnaire))
    # Recommendations rank the final scores, so every statement needs one.
    finals = {s.statement_id: s.final for s in diagnostic.scores.all()}
    unscored = [
        t.name for t in themes if any(finals.get(st.pk) is None for st in t.statements.all())
    ]
    if unscored:
        raise DiagnosticError(
            "Score every statement before completing the diagnostic. Not yet scored: "
            + ", ".join(unscored)
            + "."
        )
    from_state = diagnostic.status
    diagnostic.status = Status.COMPLETED
    diagnostic.officer_notes = notes
    diagnostic.completed_at, diagnostic.completed_by = timezone.now(), by
    diagnostic.session_held_on = session_day
    diagnostic.save(
        update_fields=[
            "status",
            "officer_notes",
            "completed_at",
            "completed_by",
            "session_held_on",
        ]
    )
    packages = {p.slug: p for t in themes for p in t.packages.all()}
    # A withdrawn package is ranked but not recommended, so it is not counted either.
    ranked = [
        r for r in rank_packages(theme_results(diagnostic, themes)) if packages[r.package].is_active
    ]
    Recommendation.objects.bulk_create(
        Recommendation(
            diagnostic=diagnostic,
            package=packages[r.package],
            rank=r.rank,
            reason=r.reason,
            source=Recommendation.Source.SYSTEM,
        )
        for r in ranked
    )
    record(
        actor=by,
        action="diagnostic.completed",
        obj=diagnostic,
        from_state=from_state,
        to_state=diagnostic.status,
        data={
            "recommended": [r.package for r in ranked],
            "session_held_on": str(session_day),
            "session_booked_for": str(diagnostic.session_date or ""),
        },
    )
    _email_admins(
        diagnostic.organisation,
        "diagnostic_completed",
        {"diagnostic": diagnostic, "count": len(ranked)},
        "diagnostic:completed",
    )
    return diagnostic


@transaction.atomic
def add_recommendation(*, diagnostic, package, reason: str, by) -> Recommendation:
    """An officer recommends a package the ranking did not, saying why."""
    _officer(by)
    diagnostic = _lock(diagnostic)
    _check(diagnostic, "change_recommendations")
    if not reason.strip():
        raise DiagnosticError("Enter why you are recommending this package")
    if diagnostic.recommendations.filter(package=package, removed_at__isnull=True).exists():
        raise DiagnosticError(f"{package.name} is already recommended.")
    last = diagnostic.recommendations.aggregate(last=Max("rank"))["last"] or 0
    recommendation = Recommendation.objects.create(
        diagnostic=diagnostic,
        package=package,
        rank=last + 1,
        reason=reason,
        source=Recommendation.Source.OFFICER,
        created_by=by,
    )
    record(
        actor=by,
        action="diagnostic.recommendation_added",
        obj=diagnostic,
        reason=reason,
        data={"package": package.slug},
    )
    return recommendation


@transaction.atomic
def remove_recommendation(*, recommendation, reason: str, by) -> Recommendation:
    """An officer removes a recommendation; it is kept, marked removed, with the reason."""
    _officer(by)
    diagnostic = _lock(recommendation.diagnostic)
    _check(diagnostic, "change_recommendations")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.removed_at is not None:
        raise DiagnosticError("This recommendation has already been removed.")
    if not reason.strip():
        raise DiagnosticError("Enter why you are removing this recommendation")
    recommendation.removed_at, recommendation.removed_by = timezone.now(), by
    recommendation.removed_reason = reason
    recommendation.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    record(
        actor=by,
        action="diagnostic.recommendation_removed",
        obj=diagnostic,
        reason=reason,
        data={"package": recommendation.package.slug},
    )
    return recommendation
