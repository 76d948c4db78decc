"""Every change to a provider, its people, its essentials and its package applications.

Each write locks the row it changes, checks the rule in one named place
(essentials.py, rules.py), saves with update_fields, records an audit event and
writes any email to the outbox in the same transaction (sent after commit).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from diagnostics import uploads
from notifications.services import absolute_url, queue_for_each, queue_templated_email
from organisations.models import Membership
from organisations.services import (
    cancel_invitation,
    create_invitation,
    lock_invitation,
    mark_accepted,
    may_accept,
)

from .essentials import EXCLUSION_GROUNDS
from .models import (
    STANDING,
    ApplicationStatus,
    InsuranceCertificate,
    InsuranceKind,
    PackageApplication,
    PolicyDocument,
    PolicyKind,
    Provider,
    ProviderInvitation,
    ProviderMembership,
)
from .rules import (
    APPLICATION_TRANSITIONS,
    VERBS_NEEDING_REASON,
    application_move,
    certificate_problems,
    state_words,
    word_limit_problem,
)
from .selectors import essential_failures, minimum_cover, people_of


class ProviderError(Exception):
    """A refused change; `.reason` is the sentence shown, `.problems` the list behind it."""

    def __init__(self, reason: str, problems: list[str] | None = None, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or [reason]
        self.field = field


# --- The provider and its people


def _duplicate_number_message(exc: IntegrityError) -> str:
    which = "charity" if "charity_number" in str(exc) else "company"
    return (
        f"A provider with this {which} number is already registered. "
        "Ask one of the people who act for it to invite you."
    )


@transaction.atomic
def register_provider(*, user, data: dict, areas=(), languages=()) -> Provider:
    """Create a provider with `user` as the first person acting for it."""
    if ProviderMembership.objects.filter(user=user).exists():
        raise ProviderError("You already act for a provider.")
    try:
        # A savepoint, so a registration number taken a moment ago by someone
        # else is a clear refusal rather than a broken transaction.
        with transaction.atomic():
            provider = Provider.objects.create(**data)
    except IntegrityError as exc:
        raise ProviderError(_duplicate_number_message(exc)) from None
    provider.areas.set(areas)
    provider.languages.set(languages)
    ProviderMembership.objects.create(user=user, provider=provider)
    record(actor=user, action="provider.registered", obj=provider)
    return provider


@transaction.atomic
def update_profile(*, provider: Provider, by, data: dict, areas, languages) -> Provider:
    """Save profile changes and record which fields changed (compared with the stored row)."""
    stored = Provider.objects.select_for_update().get(pk=provider.pk)
    changed = sorted(k for k, v in data.items() if getattr(stored, k) != v)
    for name, value in data.items():
        setattr(stored, name, value)
    try:
        with transaction.atomic():
            stored.save(update_fields=list(data))
    except IntegrityError as exc:
        raise ProviderError(_duplicate_number_message(exc)) from None
    stored.areas.set(areas)
    stored.languages.set(languages)
    record(actor=by, action="provider.updated", obj=stored, data={"fields": changed})
    return stored


def _email_provider(provider: Provider, template: str, context: dict, kind: str) -> None:
    queue_for_each(
        people_of(provider), template=template, context={"provider": provider, **context}, kind=kind
    )


@transaction.atomic
def invite_colleague(*, provider: Provider, email: str, by) -> ProviderInvitation:
    """Invite `email` to act for the provider; expires after INVITATION_VALID_DAYS."""
    return create_invitation(
        owner=provider,
        email=email,
        by=by,
        already_in=f"already acts for {provider.name}.",
        audit_action="provider_invitation.sent",
        email_template="provider_invitation",
        email_kind="provider:invitation",
        accept_url=lambda token: absolute_url(reverse("providers:invitation_accept", args=[token])),
        error=ProviderError,
    )


@transaction.atomic
def withdraw_invitation(*, invitation: ProviderInvitation, by) -> None:
    cancel_invitation(
        invitation=invitation,
        by=by,
        audit_action="provider_invitation.withdrawn",
        error=ProviderError,
    )


@transaction.atomic
def accept_invitation(*, invitation: ProviderInvitation, user) -> ProviderMembership:
    """Act for the provider; only the invited address, only once, only before expiry."""
    invitation = lock_invitation(invitation)
    decision = may_accept(invitation, user, already_member_of=None)
    if not decision:
        raise ProviderError(decision.reason)
    # A person acts for one organisation or one provider, never both, and
    # council staff for neither.
    existing = ProviderMembership.objects.select_related("provider").filter(user=user).first()
    if existing is not None:
        raise ProviderError(
            f"You already act for {existing.provider.name}. A person can act for one provider."
        )
    if user.is_officer or Membership.objects.filter(user=user).exists():
        raise ProviderError(
            "You belong to an organisation or to the council, so you cannot also act for "
            "a provider. Use a different account."
        )
    membership = ProviderMembership.objects.create(user=user, provider=invitation.provider)
    mark_accepted(invitation, user, audit_action="provider_invitation.accepted")
    return membership


# --- Essentials: certificates, policies, declarations


def _store(model, *, provider, kind, upload, by, **fields):
    """Check an upload with the evidence rules, store it and replace the provider's
    earlier file of the same kind (deleted from disk once the change commits)."""
    decision, checked = uploads.check_upload(upload)
    if not decision:
        raise ProviderError(decision.reason, field="file")
    # Written before the row; a rollback leaves an unreferenced file under a
    # random name, never a row without its file.
    stored_name, sha256 = uploads.store(upload)
    old = model.objects.filter(provider=provider, kind=kind).first()
    if old is not None:
        old_name = old.stored_name
        old.delete()
        transaction.on_commit(lambda: uploads.delete_stored(old_name))
    return model.objects.create(
        provider=provider,
        kind=kind,
        original_name=checked.original_name,
        stored_name=stored_name,
        content_type=checked.content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=by,
        **fields,
    )


def _lock(provider) -> Provider:
    return Provider.objects.select_for_update().get(pk=provider.pk)


@transaction.atomic
def upload_certificate(
    *, provider: Provider, kind: str, cover, expires_on, upload, by
) -> InsuranceCertificate:
    """Store a current insurance certificate with at least the minimum cover."""
    provider = _lock(provider)
    kind = InsuranceKind(kind)
    problems = certificate_problems(
        name=kind.label.lower(),
        cover=cover,
        expires_on=expires_on,
        minimum=minimum_cover()[kind],
        today=timezone.localdate(),
    )
    if problems:
        field, reason = next(iter(problems.items()))
        raise ProviderError(reason, list(problems.values()), field=field)
    certificate = _store(
        InsuranceCertificate,
        provider=provider,
        kind=kind,
        upload=upload,
        by=by,
        cover=cover,
        expires_on=expires_on,
    )
    record(
        actor=by,
        action="provider.certificate_uploaded",
        obj=provider,
        data={
            "kind": kind.value,
            "cover": str(cover),
            "expires_on": expires_on.isoformat(),
            "sha256": certificate.sha256,
        },
    )
    return certificate


@transaction.atomic
def upload_policy(*, provider: Provider, kind: str, upload, by) -> PolicyDocument:
    provider = _lock(provider)
    kind = PolicyKind(kind)
    document = _store(PolicyDocument, provider=provider, kind=kind, upload=upload, by=by)
    record(
        actor=by,
        action="provider.policy_uploaded",
        obj=provider,
        data={"kind": kind.value, "sha256": document.sha256},
    )
    return document


@transaction.atomic
def declare_exclusions(*, provider: Provider, answers: dict[str, str], by) -> Provider:
    """Record the answer ("yes" or "no") to every exclusion ground."""
    slugs = [slug for slug, _, _ in EXCLUSION_GROUNDS]
    if set(answers) != set(slugs) or not set(answers.values()) <= {"yes", "no"}:
        raise ProviderError("Answer every declaration with yes or no.")
    provider = _lock(provider)
    provider.exclusion_answers = {slug: answers[slug] for slug in slugs}
    provider.save(update_fields=["exclusion_answers"])
    record(
        actor=by,
        action="provider.exclusions_declared",
        obj=provider,
        data={"answers": provider.exclusion_answers},
    )
    return provider


@transaction.atomic
def declare_conflicts(
    *, provider: Provider, answer: str, statement: str, organisations, by
) -> Provider:
    """Record whether the provider has conflicts of interest, and which organisations."""
    if answer not in ("yes", "no"):
        raise ProviderError("Select whether you have any conflicts of interest")
    organisations = list(organisations) if answer == "yes" else []
    statement = statement.strip() if answer == "yes" else ""
    if answer == "yes" and not statement and not organisations:
        raise ProviderError("Describe your conflicts of interest", field="statement")
    provider = _lock(provider)
    provider.conflicts_answer = answer
    provider.conflicts_statement = statement
    provider.save(update_fields=["conflicts_answer", "conflicts_statement"])
    provider.declared_conflicts.set(organisations)
    record(
        actor=by,
        action="provider.conflicts_declared",
        obj=provider,
        data={"answer": answer, "organisations": [o.pk for o in organisations]},
    )
    return provider


@transaction.atomic
def submit_register_application(*, provider: Provider, by, declaration_name: str) -> Provider:
    """Send the application to join the register: refused, with every failing
    essential, unless all pass. Records who sent it and when."""
    provider = _lock(provider)
    if provider.register_submitted_at is not None:
        raise ProviderError(
            f"{provider.name} has already applied to join the register "
            f"(on {timezone.localtime(provider.register_submitted_at):%-d %B %Y}). "
            "Nothing was changed."
        )
    failures = essential_failures(provider, timezone.localdate())
    if failures:
        raise ProviderError(
            "You cannot apply to join the register until you meet every essential.",
            [f.message for f in failures],
        )
    provider.register_submitted_at = timezone.now()
    provider.register_submitted_by = by
    provider.declaration_name = declaration_name
    provider.save(
        update_fields=["register_submitted_at", "register_submitted_by", "declaration_name"]
    )
    record(
        actor=by,
        action="provider.register_submitted",
        obj=provider,
        data={"declaration_name": declaration_name},
    )
    _email_provider(provider, "provider_register_submitted", {}, "provider:register_submitted")
    return provider


# --- Package applications


LONG_ANSWERS = {
    "experience": "your relevant experience",
    "approach": "your approach",
    "example_1": "the first example",
    "example_2": "the second example",
}


@transaction.atomic
def start_package_application(*, provider: Provider, package, by) -> PackageApplication:
    """The provider's standing application for `package`, or a new draft.

    The provider row is locked, so a double-clicked "Apply" (or two colleagues
    at once) gets the same application; the partial unique constraint backs it.
    """
    provider = _lock(provider)
    existing = PackageApplication.objects.filter(
        provider=provider, package=package, status__in=STANDING
    ).first()
    if existing is not None:
        return existing
    if not package.is_active:
        raise ProviderError(f"{package.name} has been withdrawn from the menu.")
    application = PackageApplication.objects.create(
        provider=provider, package=package, created_by=by
    )
    record(actor=by, action="package_application.started", obj=application, to_state="draft")
    return application


def _lock_application(application) -> PackageApplication:
    return (
        PackageApplication.objects.select_related("provider", "package")
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )


@transaction.atomic
def save_package_application(*, application, by, data: dict) -> PackageApplication:
    """Save the long answers of a draft, or of one returned for more information."""
    application = _lock_application(application)
    if not application.is_editable:
        raise ProviderError(
            f"This application {state_words(application.status)}, so it cannot be changed now."
        )
    for name in LONG_ANSWERS:
        setattr(application, name, data.get(name, "").strip())
    application.save(update_fields=[*LONG_ANSWERS, "updated_at"])
    return application


def application_problems(application) -> list[str]:
    """What stops a package application being sent: unanswered or too-long answers."""
    problems = []
    for name, what in LONG_ANSWERS.items():
        value = getattr(application, name)
        if not value.strip():
            problems.append(f"Enter {what}")
        else:
            problem = word_limit_problem(value, what=what.removeprefix("your "))
            if problem:
                problems.append(problem)
    return problems


def _move(application, *, verb: str) -> tuple[PackageApplication, str]:
    """Lock, check the move against APPLICATION_TRANSITIONS, and change the status.

    The row lock makes two officers deciding at once take turns; the second
    then finds the move no longer allowed and is told so.
    """
    application = _lock_application(application)
    move = application_move(application.status, verb)
    if not move:
        raise ProviderError(f"{move.reason} Nothing was changed.")
    from_state = application.status
    application.status = APPLICATION_TRANSITIONS[verb][1]
    return application, from_state


def _record_move(application, *, verb, by, from_state, reason="") -> None:
    record(
        actor=by,
        action=f"package_application.{verb}",
        obj=application,
        from_state=from_state,
        to_state=application.status,
        reason=reason,
    )


@transaction.atomic
def submit_package_application(*, application, by) -> PackageApplication:
    """Send a draft (or a returned application) to the council for assessment.

    Refused unless the provider has applied to join the register and still
    meets every essential, and every answer is given within its word limit.
    """
    application = _lock_application(application)
    verb = "resubmit" if application.status == ApplicationStatus.MORE_INFO else "submit"
    move = application_move(application.status, verb)
    if not move:
        raise ProviderError(f"{move.reason} Nothing was changed.")
    provider = application.provider
    problems = []
    if not provider.has_joined_register:
        problems.append("Apply to join the register first, from your provider home page")
    problems += [f.message for f in essential_failures(provider, timezone.localdate())]
    problems += application_problems(application)
    if problems:
        raise ProviderError("This application cannot be sent yet.", problems)
    from_state = application.status
    application.status = APPLICATION_TRANSITIONS[verb][1]
    application.submitted_at = timezone.now()
    application.submitted_by = by
    application.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _record_move(application, verb=verb, by=by, from_state=from_state)
    context = {"application": application, "package": application.package}
    _email_provider(provider, "provider_application_submitted", context, "provider:submitted")
    queue_templated_email(
        to=settings.PROVIDER_ASSESSORS_EMAIL,
        template="provider_application_to_assess",
        context={
            **context,
            "provider": provider,
            "resubmitted": verb == "resubmit",
            "url": absolute_url(reverse("providers:officer_application", args=[application.pk])),
        },
        kind="provider:to_assess",
    )
    return application


# The email each officer's move sends to the provider's people.
DECISION_EMAILS = {
    "approve": "provider_application_approved",
    "reject": "provider_application_rejected",
    "ask_for_more_information": "provider_application_more_info",
    "suspend": "provider_application_suspended",
    "reinstate": "provider_application_reinstated",
    "remove": "provider_application_removed",
}


def _officer_move(application, *, verb: str, by, message: str = "") -> PackageApplication:
    """An officer's decision on an application: checks, moves, records and emails."""
    if not (by.is_authenticated and by.is_officer):
        raise ProviderError("Only council officers assess providers.")
    message = (message or "").strip()
    if verb in VERBS_NEEDING_REASON and not message:
        raise ProviderError(VERBS_NEEDING_REASON[verb], field="message")
    application, from_state = _move(application, verb=verb)
    now = timezone.now()
    fields = ["status", "decided_at", "decided_by", "officer_message", "updated_at"]
    application.decided_at = now
    application.decided_by = by
    application.officer_message = message
    if verb == "approve":
        application.approved_at = now
        fields.append("approved_at")
    application.save(update_fields=fields)
    _record_move(application, verb=verb, by=by, from_state=from_state, reason=message)
    _email_provider(
        application.provider,
        DECISION_EMAILS[verb],
        {"application": application, "package": application.package, "message": message},
        f"provider:{verb}",
    )
    return application


def approve_application(*, application, by, note: str = "") -> PackageApplication:
    """Approve the provider to deliver the package."""
    return _officer_move_atomic(application, verb="approve", by=by, message=note)


def reject_application(*, application, by, reason: str) -> PackageApplication:
    """Reject, with the reasons the provider will read."""
    return _officer_move_atomic(application, verb="reject", by=by, message=reason)


def ask_for_more_information(*, application, by, question: str) -> PackageApplication:
    """Send the application back to the provider, answers kept, with the officer's question."""
    return _officer_move_atomic(
        application, verb="ask_for_more_information", by=by, message=question
    )


def suspend_approval(*, application, by, reason: str) -> PackageApplication:
    """Stop an approval for now; the provider is not offered for the package meanwhile."""
    return _officer_move_atomic(application, verb="suspend", by=by, message=reason)


def reinstate_approval(*, application, by, note: str = "") -> PackageApplication:
    return _officer_move_atomic(application, verb="reinstate", by=by, message=note)


def remove_approval(*, application, by, reason: str) -> PackageApplication:
    """End an approval for good; the provider may apply again later."""
    return _officer_move_atomic(application, verb="remove", by=by, message=reason)


@transaction.atomic
def _officer_move_atomic(application, **kwargs) -> PackageApplication:
    return _officer_move(application, **kwargs)
