"""Concerns about representatives ("I feel misrepresented"): one service per move, and the jobs.

Anyone may raise a concern without an account. It is saved unconfirmed and
changes nothing until the person follows the link emailed to them; confirming
gives it a reference, tells them at once and asks the representative
organisation to respond by the `concern_response` deadline. An officer then
records the outcome, with reasons, and the person is told. The person's name
and email address never reach the representative or a public page.

Locks: the concern's row, in every move, so two officers deciding at once (or
a response arriving as an officer decides) cannot both go through.
"""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from diagnostics.rules import long_date
from notifications.deadlines import CONCERN_RESPONSE, deadline
from notifications.services import absolute_url, queue_for_each, queue_templated_email
from organisations.models import Membership

from . import concern_rules as moves
from .accountability_models import Concern, ConcernOutcome
from .assessment_models import DecisionOutcome

KIND = "grants:concern"
# pg_advisory_xact_lock's key for raising concerns ("VCSC"): see _one_at_a_time.
RAISING_LOCK = 0x56435343


class ConcernError(Exception):
    """A refused change: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


class RateLimited(ConcernError):
    """Too many concerns from one email address or network: nothing was saved."""


class LinkRefused(ConcernError):
    """A confirmation link that is unknown, used or expired; `.concern` if it found one."""

    def __init__(self, reason: str, concern=None):
        super().__init__(reason)
        self.concern = concern


def _concerns():
    return Concern.objects.select_related(
        "representative__application__organisation",
        "representative__round_community__community",
    )


def _about(concern) -> dict:
    """What every email says about the concern: the representative and its community."""
    decision = concern.representative
    return {
        "organisation": decision.application.organisation,
        "community_name": decision.round_community.community.name,
        "reference": concern.reference,
    }


# --------------------------------------------------------------- raising


def _input_problems(what_happened: str, email: str) -> dict:
    problems = {}
    if not what_happened:
        problems["what_happened"] = "Describe what happened"
    elif problem := moves.word_limit_problem(
        what_happened, moves.WHAT_HAPPENED_WORDS, "What happened"
    ):
        problems["what_happened"] = problem
    if not email:
        problems["email"] = "Enter your email address"
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = (
                "Enter an email address in the correct format, like name@example.com"
            )
    return problems


def _one_at_a_time() -> None:
    """Raise concerns one at a time, so two sent at once cannot both slip under a limit.

    PostgreSQL: a lock held until the transaction ends (concerns are few, the
    wait milliseconds). SQLite, for the quick demo, writes one at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RAISING_LOCK])


def _recent(since: datetime, **match) -> moves.Recent:
    figures = Concern.objects.filter(created_at__gte=since, **match).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    return moves.Recent(figures["n"], figures["oldest"])


def raise_concern(
    *, representative, what_happened: str, email: str, name: str = "", ip_address: str = ""
) -> tuple[Concern | None, str]:
    """Save an unconfirmed concern and email the link that confirms it, or refuse and save nothing.

    Refused (RateLimited) past moves.SOURCE_LIMIT an hour from one network; past
    moves.EMAIL_LIMIT a day for one email address, nothing is saved or sent and
    (None, "") is returned, which the page does not tell apart from sending.
    Returns the concern and the link's token: only its hash is stored; the
    token itself goes in the email.
    """
    what_happened = what_happened.strip()
    # Lower case, so that the limit counts Name@Example.org and name@example.org as one.
    email = email.strip().lower()
    if problems := _input_problems(what_happened, email):
        raise ConcernError(next(iter(problems.values())), problems)
    if representative.outcome != DecisionOutcome.ACCEPTED:
        raise ConcernError("This organisation is not a representative. Nothing was sent.")
    source = moves.source_hash(ip_address, settings.SECRET_KEY)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        _one_at_a_time()
        now = timezone.now()
        allowed = moves.source_limit_decision(
            _recent(now - moves.SOURCE_WINDOW, source_hash=source)
        )
        if not allowed:
            raise RateLimited(allowed.reason)
        if moves.email_limit_reached(_recent(now - moves.EMAIL_WINDOW, email=email)):
            # Quietly: the page reads as if sent (see moves.email_limit_reached).
            return None, ""
        concern = Concern.objects.create(
            representative=representative,
            name=name.strip(),
            email=email,
            what_happened=what_happened,
            token_hash=moves.token_hash(token),
            source_hash=source,
            created_at=now,
        )
        record(
            actor=None,
            action="grant_concern.raised",
            obj=concern,
            to_state=moves.UNCONFIRMED,
            data={"representative": representative.pk},
        )
        queue_templated_email(
            to=email,
            template="grant_concern_confirm",
            context={
                **_about(concern),
                "url": absolute_url(reverse("grants:concern_confirm", args=[token])),
            },
            kind=KIND,
        )
    return concern, token


# --------------------------------------------------------------- confirming


def find_by_token(token: str) -> Concern | None:
    """The concern a confirmation link points at, if any (reading only)."""
    return _concerns().filter(token_hash=moves.token_hash(token)).first()


@transaction.atomic
def confirm_concern(*, token: str) -> Concern:
    """Confirm the email address: the concern gets its reference and the representative is
    asked to respond by the deadline; or LinkRefused (unknown, used, expired), nothing changed."""
    concern = (
        _concerns()
        .select_for_update(of=("self",))
        .filter(token_hash=moves.token_hash(token))
        .first()
    )
    now = timezone.now()
    link = moves.link_decision(
        status=concern.status if concern else None,
        created_at=concern.created_at if concern else None,
        now=now,
    )
    if not link:
        raise LinkRefused(link.reason, concern)
    respond_by = deadline(CONCERN_RESPONSE).due_on(timezone.localdate(now))
    concern.status = moves.AWAITING_RESPONSE
    concern.confirmed_at, concern.respond_by = now, respond_by
    concern.save(update_fields=["status", "confirmed_at", "respond_by"])
    record(
        actor=None,
        action="grant_concern.confirmed",
        obj=concern,
        from_state=moves.UNCONFIRMED,
        to_state=moves.AWAITING_RESPONSE,
        data={"representative": concern.representative_id, "respond_by": respond_by.isoformat()},
    )
    about = {**_about(concern), "last_day": long_date(respond_by)}
    queue_templated_email(
        to=concern.email, template="grant_concern_acknowledged", context=about, kind=KIND
    )
    queue_for_each(
        Membership.objects.admin_users(concern.representative.application.organisation),
        template="grant_concern_to_respond",
        context={
            **about,
            "link": absolute_url(reverse("grants:concern_respond", args=[concern.pk])),
        },
        kind=KIND,
        key=f"concern-to-respond:{concern.pk}",
    )
    return concern


# --------------------------------------------------------------- a review the service opens


def open_review(*, representative, what_happened: str) -> Concern:
    """Open a review of a representative without a person behind it (the community's yearly
    verdict fell under the round's threshold): it waits for the representative's response at
    once, and goes on as any concern. Nobody is emailed the outcome: there is no address.
    """
    now = timezone.now()
    respond_by = deadline(CONCERN_RESPONSE).due_on(timezone.localdate(now))
    with transaction.atomic():
        concern = Concern.objects.create(
            representative=representative,
            status=moves.AWAITING_RESPONSE,
            name="",
            email="",
            what_happened=what_happened.strip(),
            # No link is ever sent: a random token's hash, so the unique column holds
            # something nobody can guess or confirm.
            token_hash=moves.token_hash(secrets.token_urlsafe(32)),
            created_at=now,
            confirmed_at=now,
            respond_by=respond_by,
        )
        record(
            actor=None,
            action="grant_concern.review_opened",
            obj=concern,
            to_state=moves.AWAITING_RESPONSE,
            data={"representative": representative.pk, "respond_by": respond_by.isoformat()},
        )
        concern = _concerns().get(pk=concern.pk)
        queue_for_each(
            Membership.objects.admin_users(representative.application.organisation),
            template="grant_concern_review",
            context={
                **_about(concern),
                "last_day": long_date(respond_by),
                "link": absolute_url(reverse("grants:concern_respond", args=[concern.pk])),
            },
            kind=KIND,
            key=f"concern-to-respond:{concern.pk}",
        )
    return concern


# --------------------------------------------------------------- responding and deciding


def _lock(concern) -> Concern:
    return _concerns().select_for_update(of=("self",)).get(pk=concern.pk)


def _check_move(concern, to: str) -> None:
    move = moves.concern_move(concern.status, to)
    if not move:
        raise ConcernError(move.reason)


@transaction.atomic
def respond_to_concern(*, concern, by, response: str) -> Concern:
    """The representative organisation's response (its administrators): the concern then
    waits for the council's review."""
    response = response.strip()
    problem = moves.word_limit_problem(response, moves.RESPONSE_WORDS, "Your response")
    if not response or problem:
        message = problem or "Enter your response to the concern"
        raise ConcernError(message, {"response": message})
    concern = _lock(concern)
    organisation = concern.representative.application.organisation
    if not Membership.objects.is_admin(organisation, by):
        raise ConcernError("Only an administrator of the representative organisation can respond.")
    _check_move(concern, moves.AWAITING_REVIEW)
    concern.status = moves.AWAITING_REVIEW
    concern.response = response
    concern.responded_by, concern.responded_at = by, timezone.now()
    concern.save(update_fields=["status", "response", "responded_by", "responded_at"])
    record(
        actor=by,
        action="grant_concern.responded",
        obj=concern,
        from_state=moves.AWAITING_RESPONSE,
        to_state=moves.AWAITING_REVIEW,
        data={"organisation": organisation.name},
    )
    return concern


@transaction.atomic
def decide_concern(*, concern, by, outcome: str, reasons: str) -> Concern:
    """An officer's outcome and reasons; the person who raised it is told (not who decided).

    Once the representative has responded, or its date has passed without a
    response (concern_rules.may_review). The row lock makes a second officer
    deciding at the same moment wait, then find it closed.
    """
    if not by.is_officer:
        raise ConcernError("Only council officers can record the outcome of a concern.")
    reasons = reasons.strip()
    problems = {}
    if outcome not in ConcernOutcome.values:
        problems["outcome"] = "Select the outcome"
    if not reasons:
        problems["reasons"] = "Enter the reasons for the outcome"
    if problems:
        raise ConcernError(next(iter(problems.values())), problems)
    concern = _lock(concern)
    review = moves.may_review(
        status=concern.status, respond_by=concern.respond_by, today=timezone.localdate()
    )
    if not review:
        raise ConcernError(review.reason)
    from_state = concern.status
    _check_move(concern, moves.CLOSED)
    concern.status = moves.CLOSED
    concern.outcome, concern.outcome_reasons = outcome, reasons
    concern.decided_by, concern.decided_at = by, timezone.now()
    concern.save(update_fields=["status", "outcome", "outcome_reasons", "decided_by", "decided_at"])
    record(
        actor=by,
        action="grant_concern.decided",
        obj=concern,
        from_state=from_state,
        to_state=moves.CLOSED,
        reason=reasons,
        data={"outcome": outcome, "responded": bool(concern.response)},
    )
    if not concern.email:
        # A review the yearly verdict opened (open_review): nobody to tell.
        return concern
    queue_templated_email(
        to=concern.email,
        template="grant_concern_outcome",
        context={
            **_about(concern),
            "outcome": concern.get_outcome_display(),
            "reasons": reasons,
            "responded": bool(concern.response),
        },
        kind=KIND,
    )
    # The person has been told: their name and address are kept no longer (the privacy
    # notice says they are used only to handle the concern).
    concern.email, concern.name = "", ""
    concern.save(update_fields=["email", "name"])
    return concern


# --------------------------------------------------------------- the daily jobs


def send_concern_reminders(today: date) -> int:
    """Remind representatives of concerns waiting for their response: once when the
    reminder is due, and once when the date is missed. Returns how many concerns got one.

    Safe to run twice, or on two workers at once: each notice has an idempotency
    key (concern, notice, date, recipient) unique in the outbox, and
    `response_reminded_on` keeps the rows already told out of the next run.
    """
    rule = deadline(CONCERN_RESPONSE)
    horizon = today + timedelta(days=rule.longest_reminder_in_days())
    waiting = (
        _concerns()
        .filter(status=moves.AWAITING_RESPONSE, respond_by__lte=horizon)
        .filter(Q(response_reminded_on__isnull=True) | Q(response_reminded_on__lte=F("respond_by")))
        .order_by("respond_by", "pk")
    )
    reminded = 0
    for concern in waiting:
        notice = moves.reminder_kind(
            rule,
            respond_by=concern.respond_by,
            reminded_on=concern.response_reminded_on,
            today=today,
        )
        if notice is None:
            continue
        with transaction.atomic():
            queued = queue_for_each(
                Membership.objects.admin_users(concern.representative.application.organisation),
                template=f"grant_concern_{notice}",
                context={
                    **_about(concern),
                    "last_day": long_date(concern.respond_by),
                    "link": absolute_url(reverse("grants:concern_respond", args=[concern.pk])),
                },
                kind=f"{KIND}_{notice}",
                key=f"concern-{notice}:{concern.pk}:{concern.respond_by.isoformat()}",
            )
            Concern.objects.filter(pk=concern.pk, status=moves.AWAITING_RESPONSE).update(
                response_reminded_on=today
            )
        reminded += queued > 0
    return reminded


def purge_unconfirmed(now: datetime) -> int:
    """Delete concerns not confirmed within 24 hours: they changed nothing, and an address
    nobody confirmed is not kept. Returns how many."""
    deleted, _ = Concern.objects.filter(
        status=moves.UNCONFIRMED, created_at__lt=now - moves.CONFIRM_WITHIN
    ).delete()
    return deleted
