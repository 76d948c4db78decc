"""The community's voice through the services: sent unconfirmed within the rate limits,
confirmed from the emailed link under the one-voice rule, flagged to the moderator, recorded
by an officer (assisted), and the purge of links nobody followed."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from grants import voice_rules
from grants.assisted_voice_services import record_assisted
from grants.models import Voice
from grants.voice_services import (
    LinkRefused,
    RateLimited,
    VoiceError,
    confirm_voice,
    find_by_token,
    purge_unconfirmed,
    send_voice,
)
from notifications.models import Notification

from .concern_support import awarded
from .voice_support import backing, counted, verdict

pytestmark = pytest.mark.django_db

EMAIL = "Resident@Example.org"
IN_AREA = "le1 6zg"
COMMENT = "They run the homework club our children go to, and they listen."


@pytest.fixture
def consultation_and_applicants(world):
    return backing(world)


@pytest.fixture
def consultation(consultation_and_applicants):
    return consultation_and_applicants[0]


@pytest.fixture
def first(consultation_and_applicants):
    return consultation_and_applicants[1][0]


@pytest.fixture
def second(consultation_and_applicants):
    return consultation_and_applicants[1][1]


def sent(consultation, *, email=EMAIL, ip="203.0.113.7", **kwargs):
    """An unconfirmed voice and its link's token (backing none of these unless told)."""
    if consultation.is_backing:
        kwargs.setdefault("none_of_these", "application" not in kwargs)
    else:
        kwargs.setdefault("rating", 4)
    kwargs.setdefault("postcode", IN_AREA)
    kwargs.setdefault("lives_in_area", True)
    kwargs.setdefault("belongs", True)
    return send_voice(consultation=consultation, email=email, ip_address=ip, **kwargs)


def confirmed(consultation, **kwargs):
    _, token = sent(consultation, **kwargs)
    return confirm_voice(token=token)


def voice_emails():
    return Notification.objects.filter(kind="grants:voice")


def link_in(notification) -> str:
    return re.search(r"https?://\S+", notification.body_text).group(0)


def no_raw_email_in_audit():
    for event in AuditEvent.objects.filter(action__startswith="grant_voice."):
        text = f"{event.data} {event.reason} {event.object_repr}".lower()
        assert "@" not in text and "resident" not in text and "example.org" not in text, event


# --------------------------------------------------------------- sending


def test_a_voice_is_saved_unconfirmed_with_the_district_and_hashes_and_the_link_is_emailed(
    consultation, first
):
    voice, token = sent(consultation, application=first, comment=f"  {COMMENT} ")
    voice.refresh_from_db()
    assert voice.status == "unconfirmed" and voice.confirmed_at is None
    assert voice.application == first and voice.rating is None
    assert voice.comment == COMMENT and voice.comment_status == "waiting"
    assert voice.postcode_district == "LE1"  # never the full postcode
    assert "6ZG" not in str(Voice.objects.values().get(pk=voice.pk)).upper()
    assert voice.email == "resident@example.org"
    assert voice.person_hash == voice_rules.person_hash(EMAIL, settings.VOICE_HASH_KEY)
    assert voice.token_hash == voice_rules.token_hash(token)
    assert voice.source_hash == voice_rules.source_hash("203.0.113.7", settings.SECRET_KEY)
    [email] = voice_emails()
    assert email.recipient == "resident@example.org"
    assert link_in(email).endswith(reverse("grants:voice_confirm", args=[token]))
    assert "2 hours" in email.body_text
    # The email does not say whom they backed: the link's page does.
    assert first.organisation.name not in email.body_text
    event = AuditEvent.objects.get(action="grant_voice.sent")
    assert event.actor is None and str(first.pk) not in str(event.data.get("application", ""))
    assert set(event.data) == {"consultation", "kind"}
    no_raw_email_in_audit()


def test_a_verdict_email_names_the_representative(world):
    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision)
    sent(consultation, rating=2)
    [email] = voice_emails()
    assert email.subject == f"Confirm your verdict on {decision.application.organisation.name}"
    assert "how well" in email.body_text


def _base(consultation):
    return {
        "consultation": consultation,
        "email": "a@example.org",
        "postcode": IN_AREA,
        "lives_in_area": True,
        "belongs": True,
        "none_of_these": True,
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-address"}, "email", "Enter an email address in the correct format"),
        ({"postcode": ""}, "postcode", "Enter the postcode where you live, work or study"),
        ({"postcode": "LE"}, "postcode", "Enter a full UK postcode, like LE1 6ZG"),
        ({"postcode": "LE2 4AB"}, "postcode", "LE2 4AB is not in Leicester. Only people who"),
        ({"lives_in_area": False}, "lives_in_area", "Confirm that you live, work or study in"),
        ({"belongs": False}, "belongs", "Confirm that you belong to the"),
        ({"none_of_these": False}, "choice", "Select the applicant you back, or none of these"),
        ({"rating": 3, "none_of_these": False}, "choice", "A backing has no rating"),
        ({"comment": " ".join(["word"] * 201)}, "comment", "Your comment must be 200 words"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved_or_sent(consultation, change, field, message):
    with pytest.raises(VoiceError) as refused:
        send_voice(**{**_base(consultation), **change})
    assert refused.value.problems[field].startswith(message), refused.value.problems
    assert not Voice.objects.exists() and not voice_emails().exists()
    assert not AuditEvent.objects.filter(action__startswith="grant_voice").exists()


def test_an_applicant_and_none_of_these_together_are_refused(consultation, first):
    with pytest.raises(VoiceError) as refused:
        send_voice(**{**_base(consultation), "application": first})
    assert refused.value.problems == {"choice": "Select one applicant, or none of these, not both"}
    assert not Voice.objects.exists()


def test_an_application_for_another_community_is_refused(world, consultation):
    _, elsewhere = backing(world, applications=1)
    with pytest.raises(VoiceError) as refused:
        send_voice(**{**_base(consultation), "none_of_these": False, "application": elsewhere[0]})
    assert refused.value.problems == {"choice": "Select one of the applicants listed"}
    assert not Voice.objects.exists()


@pytest.mark.parametrize("rating", [None, 0, 6])
def test_a_verdict_needs_a_rating_from_1_to_5(world, rating):
    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision)
    with pytest.raises(VoiceError) as refused:
        sent(consultation, rating=rating)
    name = decision.application.organisation.name
    assert refused.value.problems == {"rating": f"Select how well {name} represents you"}
    assert not Voice.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"open_for": timedelta(days=-1)}, "This closed on"),
        ({"closed_at": timezone.now()}, "This closed on"),
        (
            {
                "opens_at": timezone.now() + timedelta(days=1),
                "closes_at": timezone.now() + timedelta(days=22),
            },
            "This opens on",
        ),
    ],
)
def test_a_window_not_open_refuses_and_saves_nothing(world, fields, message):
    consultation, _ = backing(world, **fields)
    with pytest.raises(VoiceError) as refused:
        sent(consultation)
    assert refused.value.reason.startswith(message)
    assert refused.value.reason.endswith("Nothing was recorded.")
    assert not Voice.objects.exists() and not voice_emails().exists()


def test_past_the_person_limit_nothing_is_saved_or_sent_and_nothing_is_said(consultation):
    for n in range(voice_rules.PERSON_LIMIT):
        sent(consultation, ip=f"198.51.100.{n}")
    assert sent(consultation, email="RESIDENT@example.org", ip="198.51.100.99") == (None, "")
    assert Voice.objects.count() == voice_rules.PERSON_LIMIT
    assert voice_emails().count() == voice_rules.PERSON_LIMIT
    with time_machine.travel(timezone.now() + voice_rules.PERSON_WINDOW + timedelta(minutes=1)):
        voice, token = sent(consultation, ip="198.51.100.99")
    assert voice is not None and token


def test_past_the_network_limit_the_person_is_told_and_nothing_is_saved(consultation):
    for n in range(voice_rules.SOURCE_LIMIT):
        sent(consultation, email=f"person{n}@example.org", ip="192.0.2.1")
    with pytest.raises(RateLimited) as refused:
        sent(consultation, email="another@example.org", ip="192.0.2.1")
    assert "from your network in the last hour" in refused.value.reason
    assert not Voice.objects.filter(email="another@example.org").exists()
    sent(consultation, email="another@example.org", ip="192.0.2.2")  # another network


# --------------------------------------------------------------- confirming


def test_confirming_counts_the_voice_and_clears_the_link(consultation, first):
    voice, token = sent(consultation, application=first, comment=COMMENT)
    assert find_by_token(token) == voice
    result = confirm_voice(token=token)
    assert result.pk == voice.pk
    result.refresh_from_db()
    assert result.status == "counted" and result.token_hash is None
    assert result.confirmed_at is not None and result.comment_status == "waiting"
    assert find_by_token(token) is None
    assert AuditEvent.objects.filter(action="grant_voice.confirmed").count() == 1
    no_raw_email_in_audit()


def test_backing_again_replaces_the_choice_and_keeps_one_voice(consultation, first, second):
    earlier = confirmed(consultation, application=first, comment=COMMENT)
    later, token = sent(consultation, email="resident@EXAMPLE.org", application=second)
    result = confirm_voice(token=token)
    assert result.pk == earlier.pk
    assert not Voice.objects.filter(pk=later.pk).exists()
    [voice] = Voice.objects.all()
    assert voice.application == second and voice.comment == "" and voice.comment_status == ""
    assert voice.status == "counted" and voice.changed_at is not None
    assert voice.confirmed_at == earlier.confirmed_at
    event = AuditEvent.objects.get(action="grant_voice.replaced")
    assert event.object_id == str(earlier.pk)
    no_raw_email_in_audit()


def test_a_set_aside_voice_stays_set_aside_when_replaced(world, consultation, first, second):
    earlier = confirmed(consultation, application=first)
    Voice.objects.filter(pk=earlier.pk).update(
        status="set_aside",
        set_aside_reason="Burst",
        set_aside_by=world.manager,
        set_aside_at=timezone.now(),
    )
    result = confirmed(consultation, application=second)
    assert result.pk == earlier.pk
    result.refresh_from_db()
    assert result.status == "set_aside" and result.application == second
    assert Voice.objects.count() == 1


def test_the_window_closing_between_sending_and_confirming_refuses(consultation):
    voice, token = sent(consultation)
    consultation.closes_at = timezone.now() + timedelta(minutes=30)
    consultation.save(update_fields=["closes_at"])
    later = timezone.now() + timedelta(minutes=31)
    with time_machine.travel(later), pytest.raises(VoiceError) as refused:
        confirm_voice(token=token)
    assert refused.value.reason.startswith("This closed on")
    voice.refresh_from_db()
    assert voice.status == "unconfirmed" and voice.token_hash is not None


def test_a_consultation_closed_by_the_job_refuses_a_confirmation(consultation):
    voice, token = sent(consultation)
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    with pytest.raises(VoiceError):
        confirm_voice(token=token)
    assert Voice.objects.get(pk=voice.pk).status == "unconfirmed"


def test_an_expired_link_is_refused_and_changes_nothing(consultation):
    voice, token = sent(consultation)
    later = timezone.now() + voice_rules.CONFIRM_WITHIN + timedelta(seconds=1)
    with time_machine.travel(later), pytest.raises(LinkRefused) as refused:
        confirm_voice(token=token)
    assert refused.value.reason.startswith("This link has expired: links work for 2 hours.")
    assert refused.value.voice == voice
    assert Voice.objects.get(pk=voice.pk).status == "unconfirmed"


@pytest.mark.parametrize("used", [True, False])
def test_a_used_or_unknown_link_is_refused(consultation, used):
    token = "not-a-real-token"
    if used:
        _, token = sent(consultation)
        confirm_voice(token=token)
    before = list(Voice.objects.values())
    with pytest.raises(LinkRefused) as refused:
        confirm_voice(token=token)
    assert refused.value.reason.startswith("This link is not valid.")
    assert refused.value.voice is None
    assert list(Voice.objects.values()) == before


# --------------------------------------------------------------- flags


def test_a_throwaway_address_is_flagged_but_counted(consultation):
    voice = confirmed(consultation, email="someone@mailinator.com")
    voice.refresh_from_db()
    assert voice.status == "counted"
    assert voice.flag == "A throwaway email address (mailinator.com)"
    event = AuditEvent.objects.get(action="grant_voice.flagged")
    assert event.reason == voice.flag and "someone" not in str(event.data) + event.reason


def test_a_burst_from_one_network_is_flagged_from_the_fifth(consultation):
    voices = [
        confirmed(consultation, email=f"person{n}@gmail.com", ip="192.0.2.50")
        for n in range(voice_rules.BURST)
    ]
    flags = [Voice.objects.get(pk=v.pk).flag for v in voices]
    assert flags[:-1] == [""] * (voice_rules.BURST - 1)
    assert flags[-1] == f"{voice_rules.BURST} responses from one network within an hour"


def test_many_addresses_at_one_uncommon_domain_are_flagged(consultation):
    voices = [
        confirmed(consultation, email=f"p{n}@our-temple.org.uk", ip=f"192.0.2.{n}")
        for n in range(voice_rules.DOMAIN_SHARE)
    ]
    assert Voice.objects.get(pk=voices[-1].pk).flag == (
        f"{voice_rules.DOMAIN_SHARE} addresses at our-temple.org.uk"
    )
    assert Voice.objects.get(pk=voices[0].pk).flag == ""
    # A common provider is never flagged for numbers.
    for n in range(voice_rules.DOMAIN_SHARE):
        confirmed(consultation, email=f"q{n}@gmail.com", ip=f"198.51.100.{n}")
    assert not Voice.objects.filter(email__endswith="@gmail.com").exclude(flag="").exists()


# --------------------------------------------------------------- assisted


def assisted(consultation, by, **kwargs):
    kwargs.setdefault("how", "phone")
    kwargs.setdefault("postcode", IN_AREA)
    return record_assisted(consultation=consultation, by=by, **kwargs)


def test_an_officer_records_an_assisted_voice_by_email_counted_at_once(world, consultation, first):
    voice = assisted(consultation, world.officer, email=EMAIL, application=first, comment=COMMENT)
    voice.refresh_from_db()
    assert (voice.status, voice.assisted_how, voice.recorded_by) == (
        "counted",
        "phone",
        world.officer,
    )
    assert voice.confirmed_at is not None and voice.token_hash is None
    assert voice.email == "resident@example.org" and voice.comment_status == "waiting"
    assert voice.person_hash == voice_rules.person_hash(EMAIL, settings.VOICE_HASH_KEY)
    event = AuditEvent.objects.get(action="grant_voice.assisted")
    assert event.actor == world.officer and event.data["how"] == "phone"
    no_raw_email_in_audit()
    assert not voice_emails().exists()


def test_an_assisted_voice_by_name_and_postcode_never_stores_the_name(world, consultation):
    voice = assisted(consultation, world.officer, name="Asha  Patel", how="event")
    values = str(Voice.objects.values().get(pk=voice.pk))
    assert "Asha" not in values and "Patel" not in values
    assert voice.email == "" and voice.postcode_district == "LE1"
    assert voice.person_hash == voice_rules.assisted_person_hash(
        email="", name="asha patel", postcode="LE1 6ZG", key=settings.VOICE_HASH_KEY
    )
    # The same person again (by name and postcode) replaces, not adds.
    again = assisted(consultation, world.officer, name="asha patel", how="phone", comment=COMMENT)
    assert again.pk == voice.pk and Voice.objects.count() == 1
    again.refresh_from_db()
    assert again.assisted_how == "phone" and again.comment == COMMENT


def test_the_one_voice_rule_holds_between_online_and_assisted_by_email(
    world, consultation, first, second
):
    online = confirmed(consultation, application=first)
    replaced = assisted(consultation, world.officer, email=EMAIL, application=second)
    assert replaced.pk == online.pk and Voice.objects.count() == 1
    replaced.refresh_from_db()
    assert replaced.application == second and replaced.assisted_how == "phone"
    # And the person's own later voice online replaces the assisted one.
    again = confirmed(consultation, application=first)
    assert again.pk == online.pk and Voice.objects.count() == 1
    again.refresh_from_db()
    assert again.application == first and again.assisted_how == "" and again.recorded_by is None


def test_assisted_by_name_is_a_different_person_from_an_email(world, consultation):
    confirmed(consultation)
    assisted(consultation, world.officer, name="Asha Patel")
    assert Voice.objects.filter(status="counted").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"how": "post"}, "how", "Select how the response was taken"),
        ({"email": "", "name": ""}, "name", "Enter the person's name, or their email address"),
        ({"email": "nope"}, "email", "Enter an email address in the correct format"),
        ({"postcode": "LE4 3AA"}, "postcode", "LE4 3AA is not in Leicester"),
        ({"comment": " ".join(["w"] * 201)}, "comment", "Your comment must be 200 words"),
    ],
)
def test_bad_assisted_input_is_refused_and_nothing_is_saved(
    world, consultation, kwargs, field, message
):
    kwargs = {"email": EMAIL, **kwargs}
    with pytest.raises(VoiceError) as refused:
        assisted(consultation, world.officer, **kwargs)
    assert refused.value.problems[field].startswith(message), refused.value.problems
    assert not Voice.objects.exists()


def test_only_an_officer_records_an_assisted_voice(world, consultation):
    for person in (world.org_a_admin, world.outsider):
        with pytest.raises(VoiceError) as refused:
            assisted(consultation, person, email=EMAIL)
        assert refused.value.reason == "Only council officers can record a response for someone."
    assert not Voice.objects.exists()


def test_an_assisted_voice_is_refused_when_the_window_is_closed(world):
    consultation, _ = backing(world, open_for=timedelta(days=-1))
    with pytest.raises(VoiceError) as refused:
        assisted(consultation, world.officer, email=EMAIL)
    assert refused.value.reason.startswith("This closed on")
    assert not Voice.objects.exists()


def test_an_assisted_verdict_needs_a_rating(world):
    decision = awarded(world.manager, world.org_a_admin)
    consultation = verdict(decision)
    with pytest.raises(VoiceError) as refused:
        assisted(consultation, world.officer, email=EMAIL)
    assert set(refused.value.problems) == {"rating"}
    voice = assisted(consultation, world.officer, email=EMAIL, rating=5)
    assert voice.rating == 5 and voice.application is None


# --------------------------------------------------------------- the purge


def test_the_purge_forgets_what_an_unconfirmed_voice_said_after_two_hours(consultation, first):
    stale, _ = sent(consultation, email="stale@example.org", application=first, comment="Mine.")
    kept = counted(consultation, email="kept@example.org")
    Voice.objects.filter(pk__in=[stale.pk, kept.pk]).update(
        created_at=timezone.now() - voice_rules.CONFIRM_WITHIN - timedelta(minutes=1)
    )
    fresh, _ = sent(consultation, email="fresh@example.org")
    assert voice_emails().filter(recipient="stale@example.org").exists()
    assert purge_unconfirmed(timezone.now()) == 1
    # The address, the comment, the choice and the email with the link are gone at once...
    stale.refresh_from_db()
    assert (stale.email, stale.comment, stale.application_id, stale.rating) == ("", "", None, None)
    assert not Notification.objects.filter(recipient="stale@example.org").exists()
    assert voice_emails().filter(recipient="fresh@example.org").exists()
    assert set(Voice.objects.values_list("pk", flat=True)) == {stale.pk, kept.pk, fresh.pk}
    assert purge_unconfirmed(timezone.now()) == 0  # once
    # ...and the row (hashes and time, for the day's limits) once the limits' day is over.
    later = timezone.now() + voice_rules.PERSON_WINDOW - timedelta(minutes=30)
    assert purge_unconfirmed(later) == 2  # the stale one deleted, the fresh one forgotten
    assert set(Voice.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}


def test_unconfirmed_sends_count_towards_the_daily_limit_after_their_link_expires(consultation):
    for n in range(voice_rules.PERSON_LIMIT):
        sent(consultation, ip=f"198.51.100.{n}")
    with time_machine.travel(timezone.now() + voice_rules.CONFIRM_WITHIN + timedelta(hours=1)):
        purge_unconfirmed(timezone.now())
        assert sent(consultation, ip="198.51.100.99") == (None, "")
    assert voice_emails().count() == 0  # every expired link's email deleted, none sent since


def test_one_voice_per_mailbox_whatever_the_tag_or_the_dots(consultation, first, second):
    confirmed(consultation, email="alice.smith+one@gmail.com", application=first)
    confirmed(consultation, email="AliceSmith+two@googlemail.com", application=second)
    confirmed(consultation, email="bob+x@example.org", application=first)
    confirmed(consultation, email="bob@example.org", application=second)
    voices = Voice.objects.filter(consultation=consultation, status="counted")
    assert voices.count() == 2
    assert set(voices.values_list("application", flat=True)) == {second.pk}
    # Emails still go to the address as typed.
    assert voice_emails().filter(recipient="alice.smith+one@gmail.com").exists()


def test_past_the_hours_limit_an_officers_recordings_are_flagged_and_still_counted(
    world, consultation, first
):
    for n in range(voice_rules.ASSISTED_BURST):
        voice = assisted(consultation, world.officer, name=f"Person {n}", application=first)
        assert voice.flag == ""
    voice = assisted(consultation, world.officer, name="One too many", application=first)
    assert voice.flag == (
        f"{voice_rules.ASSISTED_BURST + 1} responses recorded by one officer within an hour"
    )
    assert voice.status == "counted"
    assert AuditEvent.objects.filter(action="grant_voice.flagged", object_id=str(voice.pk)).exists()
