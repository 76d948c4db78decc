"""Every write to an application to a grant round. Moves and consortium changes are audited.

Locks are taken in one order: the round, then the application, then a
consortium member. Sending locks the round and the application and reads the
clock only once it holds them, so nothing is accepted after the closing time
(even from a form opened before it), a round withdrawn at the same moment and a
send take turns, and a member declining while the lead sends cannot leave a
sent application with a member who did not confirm. Changes to a draft lock
the application alone: applicants to one round never queue behind each other.
Emails go to the outbox in the same transaction, sent after it commits.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record
from diagnostics import uploads
from notifications.services import queue_for_each
from organisations.models import Membership, Organisation, PostcodePrefix

from . import application_rules as moves
from . import rules
from .application_models import (
    Answer,
    Application,
    ApplicationEvidence,
    ConsortiumMember,
    EvidenceKind,
    MemberStatus,
)
from .assessment_models import CommunityDecision, DecisionOutcome
from .models import GrantRound, RoundCommunity, RoundCriterion

REQUIRED_EVIDENCE = tuple(k for k in EvidenceKind if k != EvidenceKind.LETTERS_OF_SUPPORT)


class ApplicationError(Exception):
    """A refused change; `.reason` is the sentence shown, `.problems` each thing to put right."""

    def __init__(self, reason: str, problems: list[str] | None = None, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or []
        self.field = field


# --------------------------------------------------------------- reads shared with the views


def must_have_checks(application, criteria) -> list[moves.CheckedMustHave]:
    """The must-haves the service checks itself, for an application with its organisation."""
    return moves.automatic_must_haves(
        [(c.title, c.automatic_check) for c in criteria if c.automatic_check],
        postcode=application.organisation.postcode,
        area_table=PostcodePrefix.objects.table(),
        area_name=settings.COUNCIL_AREA_NAME,
        size=application.size,
        city=rules.city_population(),
    )


def application_facts(application, criteria, answers, evidence_kinds, members):
    """What sending checks, from rows already read (the check page shows the same)."""
    return moves.ApplicationFacts(
        status=application.status,
        unanswered=tuple(
            c.title
            for c in criteria
            if moves.needs_answer(c.automatic_check) and c.pk not in answers
        ),
        missing_evidence=tuple(k.label for k in REQUIRED_EVIDENCE if k not in evidence_kinds),
        must_haves=tuple(must_have_checks(application, criteria)),
        members_waiting=tuple(
            m.organisation.name for m in members if m.status == MemberStatus.INVITED
        ),
        members_declined=tuple(
            m.organisation.name for m in members if m.status == MemberStatus.DECLINED
        ),
    )


# --------------------------------------------------------------- locks and guards


def _require_admin(organisation, by) -> None:
    if not Membership.objects.is_admin(organisation, by):
        raise ApplicationError("Only an administrator of the organisation can do this.")


def _require_accepting(grant_round, now) -> None:
    open_now = moves.accepting(
        grant_round.phase(now), opens_at=grant_round.opens_at, closes_at=grant_round.closes_at
    )
    if not open_now:
        raise ApplicationError(f"{open_now.reason} Nothing was changed.")


def _lock_draft(application) -> Application:
    """The application's row, locked, if it may still be changed now; else a clear refusal."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organisation")
        .get(pk=application.pk)
    )
    if not locked.is_draft:
        raise ApplicationError(
            f"This application {moves.STATE_WORDS[locked.status]}, so it cannot be changed. "
            "Nothing was changed."
        )
    _require_accepting(locked.round, timezone.now())
    return locked


def _email_admins(organisation, template: str, context: dict, kind: str) -> None:
    queue_for_each(
        Membership.objects.admin_users(organisation),
        template=template,
        context={"organisation": organisation, **context},
        kind=kind,
    )


# --------------------------------------------------------------- starting


@transaction.atomic
def start_application(
    *, grant_round, organisation, by, round_community=None, proposal: dict | None = None
) -> Application:
    """A draft for one community the round is open to, or for a community proposed here.

    `proposal` holds characteristic, name, population and population_source.
    The database allows one live application per organisation and community.
    """
    _require_admin(organisation, by)
    _require_accepting(grant_round, timezone.now())
    if (round_community is None) == (proposal is None):
        raise ApplicationError("Choose one community to apply for.")
    if round_community is not None and round_community.round_id != grant_round.pk:
        raise ApplicationError("That community is not open in this round.")
    values = {}
    if proposal is not None:
        values = {
            "proposed_characteristic": proposal["characteristic"],
            "proposed_name": proposal["name"].strip(),
            "population": proposal["population"],
            "population_source": proposal["population_source"].strip(),
        }
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=grant_round,
                organisation=organisation,
                round_community=round_community,
                created_by=by,
                **values,
            )
    except IntegrityError:
        name = round_community.community.name if round_community else values["proposed_name"]
        raise ApplicationError(
            f"{organisation.name} has already applied for the {name} in this round. "
            "Carry on with that application.",
            field="community",
        ) from None
    record(
        actor=by,
        action="grant_application.started",
        obj=application,
        to_state=application.status,
        data={"round": grant_round.name, "community": application.community_name},
    )
    return application


# --------------------------------------------------------------- filling in


@transaction.atomic
def save_answer(*, application, criterion: RoundCriterion, text: str, by) -> Answer | None:
    """Save (or, when empty, clear) one answer, within its word limit. Not audited: a draft."""
    _require_admin(application.organisation, by)
    application = _lock_draft(application)
    if criterion.round_id != application.round_id:
        raise ApplicationError("That question is not part of this application.")
    text = text.strip()
    problem = moves.word_limit_problem(text, criterion.word_limit)
    if problem:
        raise ApplicationError(problem, field="answer")
    if not text:
        Answer.objects.filter(application=application, criterion=criterion).delete()
        return None
    answer, _ = Answer.objects.update_or_create(
        application=application,
        criterion=criterion,
        defaults={"text": text, "word_count": moves.word_count(text), "updated_by": by},
    )
    return answer


@transaction.atomic
def set_community_size(*, application, population: int, source: str, by) -> Application:
    """The applicant's figure for the community's size, and where it comes from."""
    _require_admin(application.organisation, by)
    application = _lock_draft(application)
    if application.known_population is not None:
        raise ApplicationError(
            "The council's own figure is used for this community's size. Nothing was changed."
        )
    if not source.strip():
        raise ApplicationError("Enter where the figure comes from", field="population_source")
    application.population, application.population_source = population, source.strip()
    application.save(update_fields=["population", "population_source", "updated_at"])
    record(
        actor=by,
        action="grant_application.size_given",
        obj=application,
        data={"population": population, "source": application.population_source},
    )
    return application


@transaction.atomic
def attach_evidence(*, application, kind: str, upload, by) -> ApplicationEvidence:
    """Check and store one file under the evidence upload rules, replacing one of its kind."""
    _require_admin(application.organisation, by)
    application = _lock_draft(application)
    decision, checked = uploads.check_upload(upload)
    if not decision:
        raise ApplicationError(decision.reason, field="file")
    # Written before the row: a rollback after this leaves an unreferenced file
    # under a random name, never a row without its file.
    stored_name, sha256 = uploads.store(upload)
    old = ApplicationEvidence.objects.filter(application=application, kind=kind).first()
    if old is not None:
        old_name = old.stored_name
        old.delete()
        transaction.on_commit(lambda: uploads.delete_stored(old_name))
    evidence = ApplicationEvidence.objects.create(
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
        action="grant_application.evidence_uploaded",
        obj=application,
        data={"kind": kind, "name": checked.original_name, "sha256": sha256},
    )
    return evidence


# --------------------------------------------------------------- the consortium


@transaction.atomic
def add_member(*, application, organisation: Organisation, by) -> ConsortiumMember:
    """Name another registered organisation; its administrators are asked to confirm."""
    _require_admin(application.organisation, by)
    application = _lock_draft(application)
    if organisation.pk == application.organisation_id:
        raise ApplicationError("Your own organisation leads the consortium: choose another.")
    member, created = ConsortiumMember.objects.get_or_create(
        application=application, organisation=organisation, defaults={"invited_by": by}
    )
    if not created:
        raise ApplicationError(f"{organisation.name} is already in the consortium.")
    record(
        actor=by,
        action="grant_application.member_invited",
        obj=application,
        data={"organisation": organisation.name},
    )
    _email_admins(
        organisation,
        "grant_consortium_request",
        {"lead": application.organisation, "grant_application": application},
        "grants:consortium_request",
    )
    return member


@transaction.atomic
def remove_member(*, member: ConsortiumMember, by) -> None:
    application = member.application
    _require_admin(application.organisation, by)
    application = _lock_draft(application)
    name = member.organisation.name
    ConsortiumMember.objects.filter(pk=member.pk).delete()
    record(
        actor=by,
        action="grant_application.member_removed",
        obj=application,
        data={"organisation": name},
    )


def _respond(member, by, status: str, *, action: str, reason: str = "") -> ConsortiumMember:
    """Lock the application then the member; only a draft's invitation may be answered."""
    _require_admin(member.organisation, by)
    application = Application.objects.select_for_update().get(pk=member.application_id)
    member = (
        ConsortiumMember.objects.select_for_update(of=("self",))
        .select_related("organisation", "application__organisation", "application__round")
        .get(pk=member.pk)
    )
    if application.status != moves.DRAFT:
        raise ApplicationError(
            f"This application {moves.STATE_WORDS[application.status]}, so the request can no "
            "longer be answered. Nothing was changed."
        )
    if member.status != MemberStatus.INVITED:
        raise ApplicationError(
            f"Your organisation has already {member.get_status_display().lower()} this request. "
            "Nothing was changed."
        )
    member.status = status
    member.responded_by, member.responded_at = by, timezone.now()
    member.decline_reason = reason.strip()
    member.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    record(
        actor=by,
        action=action,
        obj=member.application,
        from_state=MemberStatus.INVITED,
        to_state=status,
        reason=member.decline_reason,
        data={"organisation": member.organisation.name},
    )
    _email_admins(
        member.application.organisation,
        "grant_consortium_answered",
        {"member": member, "grant_application": member.application},
        "grants:consortium_answered",
    )
    return member


@transaction.atomic
def confirm_membership(*, member, by) -> ConsortiumMember:
    """The named organisation confirms it is part of the consortium."""
    return _respond(member, by, MemberStatus.CONFIRMED, action="consortium_member.confirmed")


@transaction.atomic
def decline_membership(*, member, by, reason: str = "") -> ConsortiumMember:
    """The named organisation declines; the lead removes it before sending."""
    return _respond(
        member, by, MemberStatus.DECLINED, action="consortium_member.declined", reason=reason
    )


# --------------------------------------------------------------- the moves


@transaction.atomic
def submit_application(*, application, by, declaration_name: str) -> Application:
    """Send a complete application that meets the service's must-haves, before the round closes."""
    _require_admin(application.organisation, by)
    if not declaration_name.strip():
        raise ApplicationError("Enter your full name", field="full_name")
    grant_round = GrantRound.objects.select_for_update().get(pk=application.round_id)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "round_community__community")
        .get(pk=application.pk)
    )
    move = moves.application_move("submit", application.status)
    if not move:
        raise ApplicationError(f"{move.reason} Nothing was sent.")
    # The clock is read only now, holding the locks: a form opened before the
    # closing time and sent after it is refused.
    now = timezone.now()
    _require_accepting(grant_round, now)
    criteria = list(grant_round.criteria.all())
    answers = set(application.answers.values_list("criterion_id", flat=True))
    kinds = set(application.evidence.values_list("kind", flat=True))
    members = list(application.members.select_related("organisation"))
    problems = moves.submission_problems(
        application_facts(application, criteria, answers, kinds, members)
    )
    if problems:
        raise ApplicationError("This application cannot be sent yet.", problems)
    application.status = moves.APPLICATION_TRANSITIONS["submit"][1]
    application.submitted_at, application.submitted_by = now, by
    application.declaration_name = declaration_name.strip()
    application.save(
        update_fields=["status", "submitted_at", "submitted_by", "declaration_name", "updated_at"]
    )
    record(
        actor=by,
        action="grant_application.submitted",
        obj=application,
        from_state=moves.DRAFT,
        to_state=application.status,
        data={"declaration_name": application.declaration_name},
    )
    application.round = grant_round
    _email_admins(
        application.organisation,
        "grant_application_submitted",
        {"grant_application": application, "members": members},
        "grants:application_submitted",
    )
    return application


@transaction.atomic
def withdraw_application(*, application, by, reason: str = "") -> Application:
    """Withdraw a draft or a sent application; the organisation may then apply again."""
    _require_admin(application.organisation, by)
    # The community first, as deciding and answering an offer lock it, so that a withdrawal
    # and a decision on the same community queue rather than deadlock.
    if application.round_community_id:
        RoundCommunity.objects.select_for_update().get(pk=application.round_community_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    move = moves.application_move("withdraw", application.status)
    if not move:
        raise ApplicationError(f"{move.reason} Nothing was changed.")
    decisions = CommunityDecision.objects.select_for_update().filter(
        application=application,
        outcome__in=[DecisionOutcome.OFFERED, DecisionOutcome.ACCEPTED],
    )
    offer = None
    for decision in decisions:
        if decision.outcome == DecisionOutcome.ACCEPTED:
            raise ApplicationError(
                "This application's grant has been accepted, so it cannot be withdrawn here. "
                "Contact the council to end the grant. Nothing was changed."
            )
        offer = decision
    from_state = application.status
    now = timezone.now()
    application.status = moves.APPLICATION_TRANSITIONS["withdraw"][1]
    application.withdrawn_at, application.withdrawn_reason = now, reason.strip()
    application.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    if offer is not None:
        # An open offer is declined by the withdrawal, so a manager may offer the next-ranked.
        offer.outcome = DecisionOutcome.DECLINED
        offer.responded_by, offer.responded_at = by, now
        offer.decline_reason = "The application was withdrawn" + (
            f": {application.withdrawn_reason}" if application.withdrawn_reason else "."
        )
        offer.save(update_fields=["outcome", "responded_by", "responded_at", "decline_reason"])
        record(
            actor=by,
            action="grant_offer.declined",
            obj=application,
            from_state=DecisionOutcome.OFFERED,
            to_state=DecisionOutcome.DECLINED,
            reason=offer.decline_reason,
            data={"organisation": application.organisation.name, "withdrawn": True},
        )
    record(
        actor=by,
        action="grant_application.withdrawn",
        obj=application,
        from_state=from_state,
        to_state=application.status,
        reason=application.withdrawn_reason,
    )
    return application
