"""An officer records a voice taken on the phone or at a community event (assisted): counted
at once, under the one-voice rule of voice_services (by the email address, else by the name
and postcode, the name only ever hashed), audited under the officer's name, and flagged to
the moderator when one officer records many within an hour."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from . import voice_rules as rules
from .voice_models import AssistedHow, CommentStatus, Voice, VoiceStatus
from .voice_services import (
    VoiceError,
    _check_window,
    _earlier,
    _email_problem,
    _locked_consultation,
    _refuse,
    _replace,
    _what_problems,
    _where_problems,
)

HOW = (AssistedHow.PHONE, AssistedHow.EVENT)


def _assisted_problems(*, how: str, email: str, name: str) -> dict:
    problems = {}
    if how not in HOW:
        problems["how"] = _("Select how the response was taken")
    if email:
        if problem := _email_problem(email):
            problems["email"] = problem
    elif not name:
        problems["name"] = _("Enter the person's name, or their email address")
    return problems


@transaction.atomic
def record_assisted(
    *,
    consultation,
    by,
    how: str,
    postcode: str,
    email: str = "",
    name: str = "",
    application=None,
    rating=None,
    comment: str = "",
) -> Voice:
    """An officer records a voice taken on the phone or at an event: counted at once, under
    the one-voice rule (by the email address, else the name and postcode). The name is only
    hashed, never stored. Backing: `application` None is "none of these"."""
    if not getattr(by, "is_officer", False):
        raise VoiceError(_("Only council officers can record a response for someone."))
    email = rules.normalise_email(email)
    name = " ".join((name or "").split())
    comment = (comment or "").strip()
    problems = _assisted_problems(how=how, email=email, name=name)
    problems |= _what_problems(
        consultation,
        application=application,
        none_of_these=application is None,
        rating=rating,
        comment=comment,
    )
    problems |= _where_problems(postcode)
    _refuse(problems)
    consultation = _locked_consultation(consultation.pk)
    now = timezone.now()
    _check_window(consultation, now)
    person = rules.assisted_person_hash(
        email=email, name=name, postcode=postcode, key=settings.VOICE_HASH_KEY
    )
    said = Voice(
        application=application if consultation.is_backing else None,
        rating=None if consultation.is_backing else rating,
        comment=comment,
        comment_status=CommentStatus.WAITING if comment else CommentStatus.NONE,
        postcode_district=rules.postcode_district(postcode),
        email=email,
    )
    earlier = _earlier(consultation, person)
    if earlier is not None:
        voice = _replace(earlier, said, now, assisted_how=how, recorded_by=by)
    else:
        said.consultation = consultation
        said.status, said.person_hash = VoiceStatus.COUNTED, person
        said.token_hash, said.created_at, said.confirmed_at = None, now, now
        said.assisted_how, said.recorded_by = how, by
        said.save()
        voice = said
    since = now - rules.BURST_WINDOW
    recorded = (
        Voice.objects.filter(consultation=consultation, recorded_by=by)
        .filter(Q(confirmed_at__gte=since) | Q(changed_at__gte=since))
        .count()
    )
    if flag := rules.assisted_flag(recorded):
        voice.flag = flag[:200]
        voice.save(update_fields=["flag"])
        record(actor=None, action="grant_voice.flagged", obj=voice, reason=voice.flag)
    record(
        actor=by,
        action="grant_voice.assisted",
        obj=voice,
        to_state=voice.status,
        data={
            "consultation": consultation.pk,
            "how": how,
            "replaced": earlier is not None,
            "by_email": bool(email),
        },
    )
    return voice
