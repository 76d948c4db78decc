"""Council staff and the community's voice: one service per move, each audited.

- The moderator (a manager, as for the scores: assessment_services.moderate)
  sets a counted voice aside, with a reason, or counts it again. Never
  silently: the reason is in the audit trail, and the person is emailed while
  their address is still held (the window is open).
- An officer checks each comment before assessors see it: approved, or withheld
  with a reason.

Locks, in one fixed order: the community in the round (a backing decision takes
it too), the consultation (the closing job takes it), then the voice. So a
voice cannot be set aside as the community's decision is made, or as a verdict's
result is fixed.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from notifications.services import queue_templated_email
from organisations.rules import Decision

from . import voice_rules as moves
from .models import RoundCommunity
from .voice_models import Consultation, Voice
from .voice_selectors import conflicted_with_community, is_decided

KIND = "grants:voice"
REASON_LIMIT = 2000


class ModerationError(Exception):
    """A refused move: `.reason` is shown; `.problems` maps a field name to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


def moderation_window(*, is_backing: bool, decided: bool, closed: bool) -> Decision:
    """Whether the moderator may still set voices aside or count them again.

    Backing: until the community's decision is final (an award accepted or no
    award), since the counts are evidence for that decision; the window itself
    may have closed. A verdict: until its result is fixed by the closing job.
    """
    if is_backing and decided:
        return Decision(
            False,
            _(
                "The decision for this community has been made, so its responses can no "
                "longer be set aside or counted again. Nothing was changed."
            ),
        )
    if not is_backing and closed:
        return Decision(
            False,
            _(
                "This verdict's result has been fixed, so its responses can no longer be set "
                "aside or counted again. Nothing was changed."
            ),
        )
    return Decision(True)


def _refuse(reason: str, problems: dict | None = None):
    raise ModerationError(reason, problems)


def _reason(reason: str, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        _refuse(missing, {"reason": missing})
    if len(reason) > REASON_LIMIT:
        problem = _("The reason must be %(n)s characters or fewer") % {"n": f"{REASON_LIMIT:,}"}
        _refuse(problem, {"reason": problem})
    return reason


def _lock_for_moderation(voice, by) -> Voice:
    """Lock the community, the consultation and the voice, in that order; check the window."""
    consultation = Consultation.objects.get(pk=voice.consultation_id)
    RoundCommunity.objects.select_for_update().get(pk=consultation.round_community_id)
    consultation = (
        Consultation.objects.select_for_update()
        .select_related("round_community__community")
        .get(pk=consultation.pk)
    )
    allowed = moderation_window(
        is_backing=consultation.is_backing,
        decided=consultation.is_backing and is_decided(consultation.round_community_id),
        closed=consultation.closed_at is not None,
    )
    if not allowed:
        _refuse(allowed.reason)
    if conflicted_with_community(by, consultation.round_community_id):
        _refuse(
            _(
                "You declared a conflict of interest with an application for this community, "
                "so another manager must moderate its responses. Nothing was changed."
            )
        )
    voice = Voice.objects.select_for_update().get(pk=voice.pk)
    voice.consultation = consultation
    return voice


def _require_manager(by) -> None:
    if not by.is_manager:
        _refuse(_("Only a manager can set responses aside or count them again."))


def _check_move(voice, to: str) -> None:
    move = moves.voice_move(voice.status, to)
    if not move:
        _refuse(move.reason)


@transaction.atomic
def set_aside_voice(*, voice, by, reason: str) -> Voice:
    """Stop counting a voice, with the moderator's reason (audited); the person is emailed
    the reason, without the moderator's name, while their address is still held."""
    _require_manager(by)
    reason = _reason(reason, missing=_("Enter why the response is set aside"))
    voice = _lock_for_moderation(voice, by)
    _check_move(voice, moves.SET_ASIDE)
    voice.status = moves.SET_ASIDE
    voice.set_aside_reason, voice.set_aside_by, voice.set_aside_at = reason, by, timezone.now()
    voice.save(update_fields=["status", "set_aside_reason", "set_aside_by", "set_aside_at"])
    record(
        actor=by,
        action="grant_voice.set_aside",
        obj=voice,
        from_state=moves.COUNTED,
        to_state=moves.SET_ASIDE,
        reason=reason,
        data={"consultation": voice.consultation_id, "flag": voice.flag},
    )
    if voice.email:
        consultation = voice.consultation
        queue_templated_email(
            to=voice.email,
            template="grant_voice_set_aside",
            context={
                "community_name": consultation.round_community.community.name,
                "is_backing": consultation.is_backing,
                "reason": reason,
            },
            kind=KIND,
        )
    return voice


@transaction.atomic
def reinstate_voice(*, voice, by, reason: str) -> Voice:
    """Count a set-aside voice again, with the moderator's reason (audited)."""
    _require_manager(by)
    reason = _reason(reason, missing=_("Enter why the response is counted again"))
    voice = _lock_for_moderation(voice, by)
    _check_move(voice, moves.COUNTED)
    voice.status = moves.COUNTED
    voice.set_aside_reason, voice.set_aside_by, voice.set_aside_at = "", None, None
    voice.save(update_fields=["status", "set_aside_reason", "set_aside_by", "set_aside_at"])
    record(
        actor=by,
        action="grant_voice.reinstated",
        obj=voice,
        from_state=moves.SET_ASIDE,
        to_state=moves.COUNTED,
        reason=reason,
        data={"consultation": voice.consultation_id},
    )
    return voice


# --------------------------------------------------------------- comments


def _require_officer(by) -> None:
    if not by.is_officer:
        _refuse(_("Only council officers can check comments."))


def _lock_comment(voice, by, to: str) -> Voice:
    _require_officer(by)
    voice = Voice.objects.select_for_update().get(pk=voice.pk)
    if voice.status == moves.UNCONFIRMED:
        _refuse(_("This response has not been confirmed yet. Nothing was changed."))
    move = moves.comment_move(voice.comment_status, to)
    if not move:
        _refuse(move.reason)
    return voice


def _checked(voice, by, to: str) -> str:
    was = voice.comment_status
    voice.comment_status, voice.comment_checked_by = to, by
    voice.comment_checked_at = timezone.now()
    voice.save(update_fields=["comment_status", "comment_checked_by", "comment_checked_at"])
    return was


@transaction.atomic
def approve_comment(*, voice, by) -> Voice:
    """An officer has read the comment: assessors and the moderator now see it."""
    voice = _lock_comment(voice, by, moves.APPROVED)
    was = _checked(voice, by, moves.APPROVED)
    record(
        actor=by,
        action="grant_voice.comment_approved",
        obj=voice,
        from_state=was,
        to_state=moves.APPROVED,
        data={"consultation": voice.consultation_id},
    )
    return voice


@transaction.atomic
def withhold_comment(*, voice, by, reason: str) -> Voice:
    """An officer keeps the comment from assessors, with a reason (audited). The voice still
    counts: only its words are withheld."""
    _require_officer(by)
    reason = _reason(reason, missing=_("Enter why the comment is withheld"))
    voice = _lock_comment(voice, by, moves.WITHHELD)
    was = _checked(voice, by, moves.WITHHELD)
    record(
        actor=by,
        action="grant_voice.comment_withheld",
        obj=voice,
        from_state=was,
        to_state=moves.WITHHELD,
        reason=reason,
        data={"consultation": voice.consultation_id},
    )
    return voice
