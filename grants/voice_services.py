"""The community's voice: one service per move (send, confirm) and the purge; a voice an
officer records for someone is in assisted_voice_services.py, under the same rules.

A person without an account sends a voice (backing one applicant or "none of
these", or rating the representative); it is saved unconfirmed and counts for
nothing until they follow the link emailed to them. Confirming counts it,
under the one-voice rule: a second voice from the same person (the keyed hash
of the address) replaces the first one's choice, and a voice the moderator set
aside stays set aside.

Never in an audit record, a log line or an exception message: the raw address,
or anything that says whom a person backed.

Locks, in one order: (sending only: the advisory lock for the rate limits), the
consultation's row, then the voices' rows. Holding the
consultation's row while counting makes two confirmations of one person (from
two links) take turns, so the second finds the first and replaces it rather
than breaking the one-voice constraint; and a confirmation made as the closing
job runs (it locks the same row) either goes first or finds the window closed; so does
a voice being sent, so that no raw address is saved after the job blanked them.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from notifications.models import Notification
from notifications.services import absolute_url, queue_templated_email
from organisations.models import PostcodePrefix

from . import voice_rules as rules
from . import voice_selectors
from .voice_models import AssistedHow, CommentStatus, Consultation, Voice, VoiceStatus

KIND = "grants:voice"
# pg_advisory_xact_lock's key for sending voices ("VCSV"): see _one_at_a_time.
SENDING_LOCK = 0x56435356
ONE_VOICE = (VoiceStatus.COUNTED, VoiceStatus.SET_ASIDE)


class VoiceError(Exception):
    """A refused change: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


class RateLimited(VoiceError):
    """Too many voices from one network: nothing was saved."""


class LinkRefused(VoiceError):
    """A confirmation link that is unknown, used or expired; `.voice` if it found one."""

    def __init__(self, reason: str, voice=None):
        super().__init__(reason)
        self.voice = voice


def _voices():
    return Voice.objects.select_related(
        "consultation__round_community__community",
        "consultation__round_community__round",
        "consultation__representative__application__organisation",
        "application__organisation",
    )


def _refuse(problems: dict) -> None:
    if problems:
        raise VoiceError(next(iter(problems.values())), problems)


# --------------------------------------------------------------- what was said


def _what_problems(consultation, *, application, none_of_these, rating, comment) -> dict:
    """The choice (backing) or the rating (verdict), and the comment."""
    problems = {}
    if consultation.is_backing:
        if rating is not None:
            problems["choice"] = _("A backing has no rating. Nothing was recorded.")
        elif application is None and not none_of_these:
            problems["choice"] = _("Select the applicant you back, or none of these")
        elif application is not None and none_of_these:
            problems["choice"] = _("Select one applicant, or none of these, not both")
        elif application is not None and not any(
            a.pk == application.pk for a in voice_selectors.applicants(consultation)
        ):
            problems["choice"] = _("Select one of the applicants listed")
    elif application is not None or rating not in rules.SCALE:
        organisation = consultation.representative.application.organisation
        problems["rating"] = _("Select how well %(organisation)s represents you") % {
            "organisation": organisation.name
        }
    if problem := rules.comment_problem(comment):
        problems["comment"] = problem
    return problems


def _where_problems(postcode: str) -> dict:
    table = PostcodePrefix.objects.table()
    if problem := rules.postcode_problem(postcode, table, settings.COUNCIL_AREA_NAME):
        return {"postcode": problem}
    return {}


def _email_problem(email: str, *, required: bool = True) -> str | None:
    if not email:
        return _("Enter your email address") if required else None
    try:
        validate_email(email)
    except ValidationError:
        return _("Enter an email address in the correct format, like name@example.com")
    return None


def _check_window(consultation, now: datetime) -> None:
    window = rules.window_decision(
        opens_at=consultation.opens_at,
        closes_at=consultation.closes_at,
        closed=consultation.closed_at is not None,
        now=now,
    )
    if not window:
        raise VoiceError(window.reason)


def _locked_consultation(consultation_id) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation_id)


# --------------------------------------------------------------- sending


def _one_at_a_time() -> None:
    """Send voices one at a time, so two sent at once cannot both slip under a limit.

    PostgreSQL: a lock held until the transaction ends (the wait is milliseconds).
    SQLite, for the quick demo, writes one at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SENDING_LOCK])


def _recent(since: datetime, **match) -> rules.Recent:
    figures = Voice.objects.filter(created_at__gte=since, **match).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    return rules.Recent(figures["n"], figures["oldest"])


def send_voice(
    *,
    consultation,
    email: str,
    postcode: str,
    lives_in_area: bool,
    belongs: bool,
    application=None,
    none_of_these: bool = False,
    rating=None,
    comment: str = "",
    ip_address: str = "",
) -> tuple[Voice | None, str]:
    """Save an unconfirmed voice and email the link that confirms it, or refuse and save nothing.

    Refused (VoiceError, with `.problems` by form field) for bad input or a window
    not open; RateLimited past rules.SOURCE_LIMIT an hour from one network. Past
    rules.PERSON_LIMIT a day for one person nothing is saved or sent and (None, "")
    is returned, which the page does not tell apart from sending. Only the
    postcode district and hashes are stored, and the raw address until the window
    closes; the token itself is only in the email.
    """
    email = rules.normalise_email(email)
    comment = (comment or "").strip()
    problems = _what_problems(
        consultation,
        application=application,
        none_of_these=none_of_these,
        rating=rating,
        comment=comment,
    )
    problems |= _where_problems(postcode)
    community = consultation.round_community.community.name
    if not lives_in_area:
        problems["lives_in_area"] = _("Confirm that you live, work or study in %(area)s") % {
            "area": settings.COUNCIL_AREA_NAME
        }
    if not belongs:
        problems["belongs"] = _("Confirm that you belong to the %(community)s") % {
            "community": community
        }
    if problem := _email_problem(email):
        problems["email"] = problem
    _refuse(problems)
    source = rules.source_hash(ip_address, settings.SECRET_KEY)
    person = rules.person_hash(email, settings.VOICE_HASH_KEY)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        _one_at_a_time()
        now = timezone.now()
        # The consultation's row, so that the closing job (which blanks every raw address)
        # cannot run between this check and the voice being saved with its address.
        _check_window(_locked_consultation(consultation.pk), now)
        allowed = rules.source_limit_decision(
            _recent(now - rules.SOURCE_WINDOW, source_hash=source)
        )
        if not allowed:
            raise RateLimited(allowed.reason)
        if rules.person_limit_reached(_recent(now - rules.PERSON_WINDOW, person_hash=person)):
            # Quietly: the page reads as if sent (see voice_rules.PERSON_LIMIT).
            return None, ""
        voice = Voice.objects.create(
            consultation=consultation,
            application=application if consultation.is_backing else None,
            rating=None if consultation.is_backing else rating,
            comment=comment,
            comment_status=CommentStatus.WAITING if comment else CommentStatus.NONE,
            person_hash=person,
            email=email,
            postcode_district=rules.postcode_district(postcode),
            token_hash=rules.token_hash(token),
            source_hash=source,
            created_at=now,
        )
        record(
            actor=None,
            action="grant_voice.sent",
            obj=voice,
            to_state=rules.UNCONFIRMED,
            data={"consultation": consultation.pk, "kind": consultation.kind},
        )
        representative = consultation.representative
        queue_templated_email(
            to=email,
            template="grant_voice_confirm",
            context={
                "community_name": community,
                "is_backing": consultation.is_backing,
                "representative_name": (
                    representative.application.organisation.name if representative else ""
                ),
                "hours": int(rules.CONFIRM_WITHIN.total_seconds() // 3600),
                "url": absolute_url(reverse("grants:voice_confirm", args=[token])),
            },
            kind=KIND,
            key=confirm_email_key(voice.pk),
        )
    return voice, token


# --------------------------------------------------------------- confirming


def find_by_token(token: str) -> Voice | None:
    """The voice a confirmation link points at, if any (reading only)."""
    return _voices().filter(token_hash=rules.token_hash(token)).first()


def _refused_link(voice, now) -> None:
    link = rules.link_decision(
        status=voice.status if voice else None,
        created_at=voice.created_at if voice else None,
        now=now,
    )
    if not link:
        raise LinkRefused(link.reason, voice)


def _earlier(consultation, person_hash: str) -> Voice | None:
    """The person's counted (or set-aside) voice in the consultation, locked, if any."""
    return (
        Voice.objects.select_for_update()
        .filter(consultation=consultation, person_hash=person_hash, status__in=ONE_VOICE)
        .first()
    )


def _replace(earlier: Voice, voice: Voice, now: datetime, **extra) -> Voice:
    """Copy the newer voice's say onto the earlier one (its status kept: a set-aside voice
    stays set aside)."""
    earlier.application, earlier.rating = voice.application, voice.rating
    earlier.comment, earlier.comment_status = voice.comment, voice.comment_status
    earlier.comment_checked_by, earlier.comment_checked_at = None, None
    earlier.postcode_district, earlier.email = voice.postcode_district, voice.email
    earlier.changed_at = now
    for name, value in extra.items():
        setattr(earlier, name, value)
    earlier.save(
        update_fields=[
            "application",
            "rating",
            "comment",
            "comment_status",
            "comment_checked_by",
            "comment_checked_at",
            "postcode_district",
            "email",
            "changed_at",
            *extra,
        ]
    )
    return earlier


def _flag(voice: Voice, now: datetime) -> None:
    """Flag a newly counted voice to the moderator for a burst from one network or many
    addresses at one domain (voice_rules.flag_for). It still counts."""
    counted = Voice.objects.filter(consultation_id=voice.consultation_id, status__in=ONE_VOICE)
    domain = rules.email_domain(voice.email)
    since = now - rules.BURST_WINDOW
    from_source = (
        counted.filter(source_hash=voice.source_hash)
        .filter(Q(confirmed_at__gte=since) | Q(changed_at__gte=since))
        .count()
        if voice.source_hash
        else 0
    )
    from_domain = counted.filter(email__iendswith=f"@{domain}").count() if domain else 0
    flag = rules.flag_for(from_source_in_hour=from_source, domain=domain, from_domain=from_domain)
    if not flag:
        return
    voice.flag = flag[:200]
    voice.save(update_fields=["flag"])
    record(actor=None, action="grant_voice.flagged", obj=voice, reason=voice.flag)


@transaction.atomic
def confirm_voice(*, token: str) -> Voice:
    """Count the voice the link confirms, or replace the person's earlier choice with it;
    or LinkRefused (unknown, used, expired) or VoiceError (window closed), nothing changed."""
    hashed = rules.token_hash(token)
    found = Voice.objects.filter(token_hash=hashed).values_list("consultation_id", flat=True)
    consultation_id = found.first()
    now = timezone.now()
    if consultation_id is None:
        _refused_link(None, now)
    consultation = _locked_consultation(consultation_id)
    # Looked up again under the consultation's lock: another confirmation of this link
    # may have counted it (and cleared its token) while this one waited.
    voice = _voices().select_for_update(of=("self",)).filter(token_hash=hashed).first()
    _refused_link(voice, now)
    _check_window(consultation, now)
    earlier = _earlier(consultation, voice.person_hash)
    if earlier is None:
        voice.status, voice.token_hash, voice.confirmed_at = VoiceStatus.COUNTED, None, now
        voice.save(update_fields=["status", "token_hash", "confirmed_at"])
        record(
            actor=None,
            action="grant_voice.confirmed",
            obj=voice,
            from_state=rules.UNCONFIRMED,
            to_state=rules.COUNTED,
            data={"consultation": consultation.pk},
        )
        counted = voice
    else:
        # The person's own choice now: no longer one an officer took for them. Judged for
        # flags by the network it came from now.
        counted = _replace(
            earlier,
            voice,
            now,
            assisted_how=AssistedHow.ONLINE,
            recorded_by=None,
            source_hash=voice.source_hash,
        )
        voice.delete()
        record(
            actor=None,
            action="grant_voice.replaced",
            obj=counted,
            to_state=counted.status,
            data={"consultation": consultation.pk, "assisted": False},
        )
    _flag(counted, now)
    return _voices().get(pk=counted.pk)


# --------------------------------------------------------------- the job


def confirm_email_key(voice_pk: int) -> str:
    """The outbox key of a voice's confirmation email: how the purge finds that one email."""
    return f"{KIND}-confirm:{voice_pk}"


def purge_unconfirmed(now: datetime) -> int:
    """Forget what voices not confirmed within voice_rules.CONFIRM_WITHIN said, in two steps.
    Returns how many were forgotten or deleted.

    Once the link has expired: the address, the comment and the choice are blanked and the
    confirmation email (with the address and the link) is deleted from the outbox. The rest
    (the keyed hashes and the time) stays until voice_rules.PERSON_WINDOW has passed, so
    that the limits count every send that day, confirmed or not; then the row is deleted.
    """
    with transaction.atomic():
        expired = list(
            Voice.objects.select_for_update()
            .filter(status=VoiceStatus.UNCONFIRMED, created_at__lt=now - rules.CONFIRM_WITHIN)
            .exclude(email="", comment="", application=None, rating=None)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(
            idempotency_key__in=[confirm_email_key(pk) for pk in expired]
        ).delete()
        forgotten = Voice.objects.filter(pk__in=expired).update(
            email="", comment="", comment_status=CommentStatus.NONE, application=None, rating=None
        )
    deleted, _counts = Voice.objects.filter(
        status=VoiceStatus.UNCONFIRMED,
        created_at__lt=now - max(rules.PERSON_WINDOW, rules.SOURCE_WINDOW),
    ).delete()
    return forgotten + deleted
