"""Every change to an eligibility application goes through here.

Each transition locks the application row, checks the move against
rules.APPLICATION_TRANSITIONS, saves with update_fields, records an audit event
and writes an email to each of the organisation's administrators to the outbox
(sent after the transaction commits).
"""

import shutil

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.services import queue_for_each
from organisations.models import Membership, Organisation, PostcodePrefix

from . import uploads
from .models import (
    CriteriaVersion,
    Criterion,
    EligibilityAnswer,
    EligibilityApplication,
    EligibilityDecision,
    Evidence,
    EvidenceKind,
)
from .rules import (
    APPLICATION_TRANSITIONS,
    FAIL,
    application_move,
    check_answer,
    long_date,
    missing_for_submission,
)
from .services import default_valid_until, record_eligibility_decision

Status = EligibilityApplication.Status
REQUIRED_EVIDENCE = tuple(EvidenceKind)


class EligibilityError(Exception):
    """A refused change; `.reason` is the sentence shown to the person."""

    def __init__(self, reason: str, problems: list[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or [reason]


# --- Reads the services and views share


def current_criteria() -> CriteriaVersion:
    """The latest published criteria version."""
    return CriteriaVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


def area_table(area: str | None = None) -> dict[str, bool]:
    return PostcodePrefix.objects.table(area)


def automatic_checks(criteria, answers: dict, table: dict[str, bool]):
    """[(criterion, answer or None, CheckResult)] for every criterion, in order."""
    results = []
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        result = check_answer(
            check_kind=criterion.check_kind,
            value=answer.value if answer else None,
            accepted=criterion.accepted_answers,
            fail_reason=criterion.fail_reason,
            area_table=table,
            area_name=settings.COUNCIL_NAME,
        )
        results.append((criterion, answer, result))
    return results


def submission_problems(application, criteria, answers, evidence_kinds, table) -> list[str]:
    checks = automatic_checks(criteria, answers, table)
    unanswered = [c.title for c, a, _ in checks if a is None]
    failed = [r.reason for _, a, r in checks if a is not None and r.outcome == FAIL]
    missing = [k.label for k in REQUIRED_EVIDENCE if k not in evidence_kinds]
    return missing_for_submission(unanswered=unanswered, missing_evidence=missing, failed=failed)


# --- Writes


def _lock(application) -> EligibilityApplication:
    return EligibilityApplication.objects.select_for_update().get(pk=application.pk)


def _require_editable(application) -> None:
    if not application.is_editable:
        raise EligibilityError(
            "This application has been sent to the council, so it cannot be changed now. "
            "If something is wrong, contact the council."
        )


def _email_admins(organisation, template: str, context: dict, kind: str) -> None:
    queue_for_each(
        Membership.objects.admin_users(organisation),
        template=template,
        context={"organisation": organisation, **context},
        kind=kind,
    )


@transaction.atomic
def start_application(*, organisation, by) -> EligibilityApplication:
    """The organisation's open application, or a new one that starts from its last answers.

    The organisation row is locked so two members starting at the same moment
    get the same application (the partial unique constraint backs this).
    """
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    existing = EligibilityApplication.objects.open().filter(organisation=organisation).first()
    if existing:
        return existing
    previous = (
        EligibilityApplication.objects.filter(organisation=organisation)
        .order_by("-created_at", "-id")
        .first()
    )
    criteria_version = current_criteria()
    application = EligibilityApplication.objects.create(
        organisation=organisation,
        criteria_version=criteria_version,
        previous=previous,
        created_by=by,
    )
    if previous is not None:
        _copy_from(previous, application, by)
    record(
        actor=by,
        action="eligibility_application.started",
        obj=application,
        to_state=Status.DRAFT,
        data={"previous": previous.pk if previous else None},
    )
    return application


def _copy_from(previous, application, by) -> None:
    """Renewal and second tries start from the previous answers and evidence."""
    criteria = {c.slug: c for c in application.criteria_version.criteria.all()}
    for answer in previous.answers.select_related("criterion"):
        criterion = criteria.get(answer.criterion.slug)
        if criterion is not None:
            EligibilityAnswer.objects.create(
                application=application,
                criterion=criterion,
                value=answer.value,
                detail=answer.detail,
            )
    for evidence in previous.evidence.all():
        source = uploads.path_of(evidence.stored_name)
        if not source.exists():
            continue
        stored_name = uploads.secrets.token_hex(24)
        shutil.copyfile(source, uploads.path_of(stored_name))
        Evidence.objects.create(
            application=application,
            kind=evidence.kind,
            original_name=evidence.original_name,
            stored_name=stored_name,
            content_type=evidence.content_type,
            size=evidence.size,
            sha256=evidence.sha256,
            uploaded_by=evidence.uploaded_by,
            uploaded_at=evidence.uploaded_at,
        )


@transaction.atomic
def save_answer(*, application, criterion: Criterion, value: str, detail: str, by):
    """Save one answer to a draft (or returned) application."""
    application = _lock(application)
    _require_editable(application)
    if criterion.version_id != application.criteria_version_id:
        raise EligibilityError("That question is not part of this application.")
    answer, _ = EligibilityAnswer.objects.update_or_create(
        application=application, criterion=criterion, defaults={"value": value, "detail": detail}
    )
    return answer


@transaction.atomic
def attach_evidence(*, application, kind: str, upload, by) -> Evidence:
    """Check and store one evidence file, replacing any earlier file of the same kind."""
    application = _lock(application)
    _require_editable(application)
    decision, checked = uploads.check_upload(upload)
    if not decision:
        raise EligibilityError(decision.reason)
    # Written before the row; a rollback after this leaves an unreferenced file
    # under a random name, never a row without its file.
    stored_name, sha256 = uploads.store(upload)
    old = Evidence.objects.filter(application=application, kind=kind).first()
    if old is not None:
        old_name = old.stored_name
        old.delete()
        transaction.on_commit(lambda: uploads.delete_stored(old_name))
    evidence = Evidence.objects.create(
        application=application,
        kind=kind,
        original_name=checked.original_name,
        stored_name=stored_name,
        content_type=checked.content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=by,
    )
    record(
        actor=by,
        action="evidence.uploaded",
        obj=application,
        data={"kind": kind, "name": checked.original_name, "sha256": sha256},
    )
    return evidence


@transaction.atomic
def submit_application(*, application, by, declaration_name: str) -> EligibilityApplication:
    """Send a complete application to the council, with the person's declaration."""
    application = _lock(application)
    move = application_move(application.status, "submit")
    if not move:
        raise EligibilityError(move.reason)
    criteria = list(application.criteria_version.criteria.all())
    answers = {a.criterion_id: a for a in application.answers.all()}
    kinds = set(application.evidence.values_list("kind", flat=True))
    problems = submission_problems(application, criteria, answers, kinds, area_table())
    if problems:
        raise EligibilityError("This application is not complete.", problems)
    from_state = application.status
    application.status = APPLICATION_TRANSITIONS["submit"][1]
    application.submitted_at = timezone.now()
    application.submitted_by = by
    application.declaration_name = declaration_name
    application.save(
        update_fields=["status", "submitted_at", "submitted_by", "declaration_name", "updated_at"]
    )
    record(
        actor=by,
        action="eligibility_application.submitted",
        obj=application,
        from_state=from_state,
        to_state=application.status,
        data={"declaration_name": declaration_name},
    )
    _email_admins(
        application.organisation,
        "eligibility_submitted",
        {"application": application},
        "eligibility:submitted",
    )
    return application


def _decide(application, *, by, verb: str, message: str) -> tuple[EligibilityApplication, str]:
    """Lock, check and move an application for an officer's decision.

    The row lock makes two officers deciding at once take turns; the second
    then finds the application no longer submitted and is told who decided.
    """
    if not by.is_officer:
        raise EligibilityError("Only council officers decide eligibility.")
    application = _lock(application)
    move = application_move(application.status, verb)
    if not move:
        if application.decided_by_id and application.status != Status.DRAFT:
            decider = application.decided_by
            raise EligibilityError(
                f"{move.reason} {decider} decided it at "
                f"{timezone.localtime(application.decided_at):%H:%M on %-d %B %Y}. "
                "Nothing was changed."
            )
        raise EligibilityError(f"{move.reason} Nothing was changed.")
    from_state = application.status
    application.status = APPLICATION_TRANSITIONS[verb][1]
    application.decided_at = timezone.now()
    application.decided_by = by
    application.officer_message = message
    application.save(
        update_fields=["status", "decided_at", "decided_by", "officer_message", "updated_at"]
    )
    record(
        actor=by,
        action=f"eligibility_application.{verb}",
        obj=application,
        from_state=from_state,
        to_state=application.status,
        reason=message,
    )
    return application, from_state


@transaction.atomic
def find_eligible(*, application, by, valid_until=None, note: str = "") -> EligibilityDecision:
    """Decide eligible; the decision lasts ELIGIBILITY_VALID_YEARS unless a date is given."""
    application, _ = _decide(application, by=by, verb="find_eligible", message=note)
    today = timezone.localdate()
    valid_until = valid_until or default_valid_until(today)
    if valid_until < today:
        raise EligibilityError("The expiry date must be today or in the future.")
    decision = record_eligibility_decision(
        organisation=application.organisation,
        outcome=EligibilityDecision.Outcome.ELIGIBLE,
        decided_by=by,
        reasons=note or "Meets the eligibility criteria.",
        valid_from=today,
        valid_until=valid_until,
        application=application,
    )
    _email_admins(
        application.organisation,
        "eligibility_eligible",
        {"application": application, "valid_until": long_date(valid_until)},
        "eligibility:eligible",
    )
    return decision


@transaction.atomic
def find_not_eligible(*, application, by, reasons: str) -> EligibilityDecision:
    """Decide not eligible, with the reasons the organisation will read."""
    if not reasons.strip():
        raise EligibilityError("Enter the reasons the organisation is not eligible")
    application, _ = _decide(application, by=by, verb="find_not_eligible", message=reasons)
    decision = record_eligibility_decision(
        organisation=application.organisation,
        outcome=EligibilityDecision.Outcome.NOT_ELIGIBLE,
        decided_by=by,
        reasons=reasons,
        application=application,
    )
    _email_admins(
        application.organisation,
        "eligibility_not_eligible",
        {"application": application, "reasons": reasons},
        "eligibility:not_eligible",
    )
    return decision


@transaction.atomic
def ask_for_more_information(*, application, by, message: str) -> EligibilityApplication:
    """Send the application back to the organisation, answers kept, with what to add."""
    if not message.strip():
        raise EligibilityError("Enter what the organisation needs to add or change")
    application, _ = _decide(application, by=by, verb="ask_for_more_information", message=message)
    _email_admins(
        application.organisation,
        "eligibility_more_info",
        {"application": application, "message": message},
        "eligibility:more_info",
    )
    return application
