"""The moderator and the officers on the community's voice: each move, its refusals, the audit
trail, and the email to the person whose response is set aside (only while their address is
still held)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from grants import voice_moderation_services as moderation
from grants.decision_services import make_no_award
from grants.models import Voice
from grants.voice_moderation_services import ModerationError, moderation_window
from notifications.models import Notification

from ..factories import ManagerFactory
from .assessing import declared
from .voice_support import COMMENT, backing, counted, verdict

pytestmark = pytest.mark.django_db

REASON = "One of 40 responses sent from one network within ten minutes."


def _events(voice, action):
    return AuditEvent.objects.filter(
        action=action, object_type="grants.voice", object_id=str(voice.pk)
    )


def _emails_to(address):
    return Notification.objects.filter(recipient=address, kind="grants:voice")


@pytest.fixture
def consultation(world):
    consultation, sent = backing(world)
    consultation.sent = sent
    return consultation


# --------------------------------------------------------------- the window, as a pure rule


@pytest.mark.parametrize(
    "is_backing, decided, closed, allowed",
    [
        (True, False, False, True),
        (True, False, True, True),  # the window has closed: the decision is still to come
        (True, True, False, False),
        (True, True, True, False),
        (False, False, False, True),
        (False, False, True, False),  # a verdict's result is fixed when it closes
    ],
)
def test_the_moderation_window(is_backing, decided, closed, allowed):
    decision = moderation_window(is_backing=is_backing, decided=decided, closed=closed)
    assert bool(decision) is allowed
    assert bool(decision.reason) is not allowed


# --------------------------------------------------------------- setting aside


def test_a_manager_sets_a_voice_aside_with_a_reason_and_the_person_is_told(world, consultation):
    voice = counted(consultation, application=consultation.sent[0], flag="A throwaway email")
    moderation.set_aside_voice(voice=voice, by=world.manager, reason=f"  {REASON}  ")
    voice.refresh_from_db()
    assert voice.status == "set_aside"
    assert voice.set_aside_reason == REASON and voice.set_aside_by == world.manager
    assert voice.set_aside_at is not None
    [event] = _events(voice, "grant_voice.set_aside")
    assert event.actor == world.manager and event.reason == REASON
    assert (event.from_state, event.to_state) == ("counted", "set_aside")
    assert voice.email not in str(event.data) and voice.email not in event.object_repr
    [email] = _emails_to(voice.email)
    assert REASON in email.body_text
    assert consultation.round_community.community.name in email.body_text
    assert "set aside" in email.subject
    # Never the moderator's name.
    assert str(world.manager) not in email.body_text
    assert world.manager.email not in email.body_text


def test_no_email_once_the_address_has_been_deleted(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    Voice.objects.filter(pk=voice.pk).update(email="")  # the window closed; the job ran
    moderation.set_aside_voice(voice=voice, by=world.manager, reason=REASON)
    voice.refresh_from_db()
    assert voice.status == "set_aside"
    assert not Notification.objects.filter(kind="grants:voice").exists()
    assert _events(voice, "grant_voice.set_aside").count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_needed(world, consultation, reason):
    voice = counted(consultation, application=consultation.sent[0])
    with pytest.raises(ModerationError) as refused:
        moderation.set_aside_voice(voice=voice, by=world.manager, reason=reason)
    assert refused.value.problems == {"reason": "Enter why the response is set aside"}
    voice.refresh_from_db()
    assert voice.status == "counted"
    assert not AuditEvent.objects.filter(action="grant_voice.set_aside").exists()


def test_officers_cannot_set_voices_aside(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    with pytest.raises(ModerationError, match="Only a manager"):
        moderation.set_aside_voice(voice=voice, by=world.officer, reason=REASON)
    voice.refresh_from_db()
    assert voice.status == "counted"


def test_a_voice_set_aside_cannot_be_set_aside_again(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    moderation.set_aside_voice(voice=voice, by=world.manager, reason=REASON)
    with pytest.raises(ModerationError, match="already set aside"):
        moderation.set_aside_voice(voice=voice, by=world.manager, reason="Again")
    assert _events(voice, "grant_voice.set_aside").count() == 1


def test_an_unconfirmed_voice_cannot_be_set_aside(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    Voice.objects.filter(pk=voice.pk).update(
        status="unconfirmed", confirmed_at=None, token_hash="x" * 64
    )
    with pytest.raises(ModerationError, match="has not been confirmed"):
        moderation.set_aside_voice(voice=voice, by=world.manager, reason=REASON)


def test_voices_may_be_set_aside_after_the_window_until_the_decision(world):
    consultation, sent = backing(world, open_for=-timedelta(days=1))
    consultation.closed_at = timezone.now()
    consultation.save()
    voice = counted(consultation, application=sent[0])
    moderation.set_aside_voice(voice=voice, by=world.manager, reason=REASON)
    other = counted(consultation, email="other@example.org", application=sent[1])
    make_no_award(
        round_community=consultation.round_community, reasons="None was ready.", by=world.manager
    )
    with pytest.raises(ModerationError, match="decision for this community has been made"):
        moderation.set_aside_voice(voice=other, by=world.manager, reason=REASON)
    with pytest.raises(ModerationError, match="decision for this community has been made"):
        moderation.reinstate_voice(voice=voice, by=world.manager, reason="A mistake.")
    other.refresh_from_db()
    voice.refresh_from_db()
    assert (other.status, voice.status) == ("counted", "set_aside")


def test_a_verdicts_voices_may_be_set_aside_until_its_result_is_fixed(world):
    from .concern_support import awarded

    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision)
    voice = counted(consultation, rating=2)
    moderation.set_aside_voice(voice=voice, by=world.manager, reason=REASON)
    [email] = _emails_to(voice.email)
    assert "verdict" in email.subject
    consultation.closed_at = timezone.now()
    consultation.save()
    with pytest.raises(ModerationError, match="result has been fixed"):
        moderation.reinstate_voice(voice=voice, by=world.manager, reason="A mistake.")


def test_a_manager_with_a_conflict_in_the_community_cannot_moderate_it(world, consultation):
    from .assessing import on_panel

    other_manager = ManagerFactory()
    on_panel(consultation.round_community.round, world, other_manager)
    declared(consultation.sent[1], other_manager, conflict=True)
    voice = counted(consultation, application=consultation.sent[0])
    with pytest.raises(ModerationError, match="conflict of interest"):
        moderation.set_aside_voice(voice=voice, by=other_manager, reason=REASON)
    voice.refresh_from_db()
    assert voice.status == "counted"


# --------------------------------------------------------------- counting again


def test_a_set_aside_voice_is_counted_again_with_a_reason(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    moderation.set_aside_voice(voice=voice, by=world.manager, reason=REASON)
    emails = _emails_to(voice.email).count()
    with pytest.raises(ModerationError) as refused:
        moderation.reinstate_voice(voice=voice, by=world.manager, reason="")
    assert refused.value.problems == {"reason": "Enter why the response is counted again"}
    moderation.reinstate_voice(voice=voice, by=world.manager, reason="They live in LE2.")
    voice.refresh_from_db()
    assert voice.status == "counted"
    assert (voice.set_aside_reason, voice.set_aside_by, voice.set_aside_at) == ("", None, None)
    [event] = _events(voice, "grant_voice.reinstated")
    assert event.reason == "They live in LE2." and event.to_state == "counted"
    assert _emails_to(voice.email).count() == emails  # counting again sends nothing


def test_a_counted_voice_cannot_be_counted_again(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    with pytest.raises(ModerationError, match="already counted"):
        moderation.reinstate_voice(voice=voice, by=world.manager, reason="Why not")
    with pytest.raises(ModerationError, match="Only a manager"):
        moderation.reinstate_voice(voice=voice, by=world.officer, reason="Why not")


# --------------------------------------------------------------- comments


def test_an_officer_approves_a_comment(world, consultation):
    voice = counted(consultation, application=consultation.sent[0], comment=COMMENT)
    moderation.approve_comment(voice=voice, by=world.officer)
    voice.refresh_from_db()
    assert voice.comment_status == "approved"
    assert voice.comment_checked_by == world.officer and voice.comment_checked_at
    [event] = _events(voice, "grant_voice.comment_approved")
    assert (event.from_state, event.to_state) == ("waiting", "approved")
    assert COMMENT not in str(event.data)
    with pytest.raises(ModerationError, match="already been checked"):
        moderation.approve_comment(voice=voice, by=world.officer)


def test_an_officer_withholds_a_comment_with_a_reason(world, consultation):
    voice = counted(consultation, application=consultation.sent[0], comment=COMMENT)
    with pytest.raises(ModerationError) as refused:
        moderation.withhold_comment(voice=voice, by=world.officer, reason=" ")
    assert refused.value.problems == {"reason": "Enter why the comment is withheld"}
    voice.refresh_from_db()
    assert voice.comment_status == "waiting"
    moderation.withhold_comment(voice=voice, by=world.officer, reason="It names a neighbour.")
    voice.refresh_from_db()
    assert voice.comment_status == "withheld" and voice.status == "counted"
    [event] = _events(voice, "grant_voice.comment_withheld")
    assert event.reason == "It names a neighbour."
    # A second look may approve it after all, and withhold it again.
    moderation.approve_comment(voice=voice, by=world.manager)
    moderation.withhold_comment(voice=voice, by=world.officer, reason="On reflection.")
    voice.refresh_from_db()
    assert voice.comment_status == "withheld"


def test_only_staff_check_comments_and_only_of_confirmed_voices(world, consultation):
    voice = counted(consultation, application=consultation.sent[0], comment=COMMENT)
    with pytest.raises(ModerationError, match="Only council officers"):
        moderation.approve_comment(voice=voice, by=world.org_a_admin)
    with pytest.raises(ModerationError, match="Only council officers"):
        moderation.withhold_comment(voice=voice, by=world.org_a_admin, reason="No")
    Voice.objects.filter(pk=voice.pk).update(
        status="unconfirmed", confirmed_at=None, token_hash="y" * 64
    )
    with pytest.raises(ModerationError, match="not been confirmed"):
        moderation.approve_comment(voice=voice, by=world.officer)
    voice.refresh_from_db()
    assert voice.comment_status == "waiting"


def test_a_voice_without_a_comment_has_nothing_to_check(world, consultation):
    voice = counted(consultation, application=consultation.sent[0])
    with pytest.raises(ModerationError, match="already been checked"):
        moderation.approve_comment(voice=voice, by=world.officer)
