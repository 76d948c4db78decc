"""Concerns through the services: raised unconfirmed within the rate limits, confirmed from the
emailed link, answered by the representative, decided by an officer; reminders and the purge."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from grants import concern_rules as moves
from grants.concern_services import (
    ConcernError,
    LinkRefused,
    RateLimited,
    confirm_concern,
    decide_concern,
    purge_unconfirmed,
    raise_concern,
    respond_to_concern,
    send_concern_reminders,
)
from grants.models import Concern
from notifications.deadlines import CONCERN_RESPONSE, deadline
from notifications.models import Notification

from ..factories import MembershipFactory
from .concern_support import REASONS, RESPONSE, WHAT_HAPPENED, awarded, confirmed, raised

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(world):
    return awarded(world.manager, world.org_a_admin)


def emails_to(address, subject_start=""):
    return Notification.objects.filter(recipient=address, subject__startswith=subject_start)


def concern_emails():
    return Notification.objects.filter(kind__startswith="grants:concern")


def link_in(notification) -> str:
    return re.search(r"https?://\S+", notification.body_text).group(0)


# --------------------------------------------------------------- raising


def test_a_concern_is_saved_unconfirmed_with_only_hashes_and_the_link_is_emailed(decision):
    concern, token = raised(decision, email="Resident@Example.org", name="  Priya  ")
    concern.refresh_from_db()
    assert concern.status == "unconfirmed"
    assert concern.confirmed_at is None and concern.respond_by is None
    assert concern.email == "resident@example.org" and concern.name == "Priya"
    assert concern.token_hash == moves.token_hash(token) and token not in concern.token_hash
    assert concern.source_hash == moves.source_hash("203.0.113.7", settings.SECRET_KEY)
    [email] = emails_to("resident@example.org", "Confirm your concern about")
    assert link_in(email).endswith(reverse("grants:concern_confirm", args=[token]))
    # Nobody else hears of it until it is confirmed: a concern with no verified email
    # changes nothing.
    assert concern_emails().count() == 1
    event = AuditEvent.objects.get(action="grant_concern.raised")
    assert event.actor is None and "resident" not in str(event.data)


@pytest.mark.parametrize(
    ("what", "email", "field", "message"),
    [
        ("", "a@example.org", "what_happened", "Describe what happened"),
        (" ".join(["word"] * 501), "a@example.org", "what_happened", "What happened must be 500"),
        ("They did not ask us.", "", "email", "Enter your email address"),
        ("They did not ask us.", "not-an-address", "email", "Enter an email address in the"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(decision, what, email, field, message):
    with pytest.raises(ConcernError) as refused:
        raise_concern(representative=decision, what_happened=what, email=email)
    assert refused.value.problems[field].startswith(message)
    assert not Concern.objects.exists() and not concern_emails().exists()


def test_a_fourth_concern_from_one_address_in_a_day_is_quietly_not_saved_nor_sent(decision):
    for n in range(3):
        raised(decision, email="same@example.org", ip=f"198.51.100.{n}")
    # No refusal that would tell a stranger the address was used; nothing saved or sent.
    assert raised(decision, email="SAME@example.org", ip="198.51.100.9") == (None, "")
    assert Concern.objects.count() == 3
    assert emails_to("same@example.org").count() == 3
    # A day later the oldest no longer counts.
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        raised(decision, email="same@example.org", ip="198.51.100.9")
    assert Concern.objects.count() == 4


def test_addresses_in_one_ipv6_64_count_as_one_network(decision):
    for n in range(10):
        raised(decision, email=f"person{n}@example.org", ip=f"2001:db8:5:6::{n + 1:x}")
    with pytest.raises(RateLimited):
        raised(decision, email="another@example.org", ip="2001:db8:5:6:abcd::1")
    raised(decision, email="another@example.org", ip="2001:db8:5:7::1")  # another /64


def test_an_eleventh_concern_from_one_network_in_an_hour_is_refused(decision):
    for n in range(10):
        raised(decision, email=f"person{n}@example.org", ip="192.0.2.1")
    with pytest.raises(RateLimited) as refused:
        raised(decision, email="another@example.org", ip="192.0.2.1")
    assert "from your network in the last hour" in refused.value.reason
    assert not Concern.objects.filter(email="another@example.org").exists()
    raised(decision, email="another@example.org", ip="192.0.2.2")  # another network is fine
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        raised(decision, email="later@example.org", ip="192.0.2.1")


def test_only_an_accepted_representative_can_have_a_concern(world, decision):
    from grants.assessment_models import CommunityDecision

    decision.outcome = "offered"  # as the public would find an offer not yet accepted
    with pytest.raises(ConcernError, match="not a representative"):
        raised(decision)
    assert CommunityDecision.objects.get(pk=decision.pk).outcome == "accepted"
    assert not Concern.objects.exists()


# --------------------------------------------------------------- confirming


def test_confirming_gives_a_reference_a_date_and_tells_the_person_and_the_admins(world, decision):
    second_admin = MembershipFactory(organisation=world.org_a, role="admin").user
    _, token = raised(decision)
    concern = confirm_concern(token=token)
    concern.refresh_from_db()
    today = timezone.localdate()
    assert concern.status == "awaiting_response"
    assert concern.confirmed_at is not None
    assert concern.respond_by == deadline(CONCERN_RESPONSE).due_on(today)
    assert concern.reference == f"VCS-CON-{concern.pk:06d}"
    [ack] = emails_to("resident@example.org", "Your concern about")
    assert concern.reference in ack.subject
    assert f"respond by {concern.respond_by.day} {concern.respond_by:%B %Y}" in ack.body_text
    for admin in (world.org_a_admin, second_admin):
        [ask] = emails_to(admin.email, "A concern about your representation")
        assert link_in(ask).endswith(reverse("grants:concern_respond", args=[concern.pk]))
        # The organisation is not told who raised it.
        assert "resident@example.org" not in ask.body_text
    # The member who is not an administrator is not asked.
    assert not emails_to(world.org_a_member.email).exists()
    event = AuditEvent.objects.get(action="grant_concern.confirmed")
    assert (event.from_state, event.to_state) == ("unconfirmed", "awaiting_response")


def test_a_used_link_changes_nothing(decision):
    _, token = raised(decision)
    first = confirm_concern(token=token)
    sent = Notification.objects.count()
    with pytest.raises(LinkRefused, match="already been used") as refused:
        confirm_concern(token=token)
    assert refused.value.concern.pk == first.pk
    assert Notification.objects.count() == sent
    assert AuditEvent.objects.filter(action="grant_concern.confirmed").count() == 1


def test_an_expired_or_unknown_link_changes_nothing(decision):
    concern, token = raised(decision)
    with (
        time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)),
        pytest.raises(LinkRefused, match="This link has expired"),
    ):
        confirm_concern(token=token)
    with pytest.raises(LinkRefused, match="This link is not valid"):
        confirm_concern(token=token + "x")
    concern.refresh_from_db()
    assert concern.status == "unconfirmed" and concern.confirmed_at is None
    assert not AuditEvent.objects.filter(action="grant_concern.confirmed").exists()


# --------------------------------------------------------------- responding


def test_an_administrator_responds_and_the_concern_waits_for_the_council(world, decision):
    concern = confirmed(decision)
    respond_to_concern(concern=concern, by=world.org_a_admin, response=f"  {RESPONSE}  ")
    concern.refresh_from_db()
    assert concern.status == "awaiting_review"
    assert concern.response == RESPONSE and concern.responded_by == world.org_a_admin
    event = AuditEvent.objects.get(action="grant_concern.responded")
    assert event.actor == world.org_a_admin
    with pytest.raises(ConcernError, match="already has the representative's response|is waiting"):
        respond_to_concern(concern=concern, by=world.org_a_admin, response="Again.")


@pytest.mark.parametrize("who", ["org_a_member", "org_b_admin", "officer"])
def test_only_the_representatives_administrators_may_respond(world, decision, who):
    concern = confirmed(decision)
    with pytest.raises(ConcernError, match="Only an administrator"):
        respond_to_concern(concern=concern, by=getattr(world, who), response=RESPONSE)
    concern.refresh_from_db()
    assert concern.status == "awaiting_response" and concern.response == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [("  ", "Enter your response to the concern"), ("x " * 1001, "1,000 words or fewer")],
)
def test_an_empty_or_long_response_is_refused(world, decision, text, message):
    concern = confirmed(decision)
    with pytest.raises(ConcernError, match=message):
        respond_to_concern(concern=concern, by=world.org_a_admin, response=text)


# --------------------------------------------------------------- deciding


def test_an_officer_decides_after_the_response_and_the_person_is_told_without_a_name(
    world, decision
):
    concern = confirmed(decision, name="Priya")
    respond_to_concern(concern=concern, by=world.org_a_admin, response=RESPONSE)
    decide_concern(concern=concern, by=world.officer, outcome="improvement_plan", reasons=REASONS)
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.outcome == "improvement_plan"
    assert concern.decided_by == world.officer and concern.outcome_reasons == REASONS
    [told] = emails_to("resident@example.org", "The outcome of your concern")
    assert "Improvement plan agreed with the representative" in told.body_text
    assert REASONS in told.body_text and "with the organisation's response" in told.body_text
    assert world.officer.full_name not in told.body_text
    assert world.officer.email not in told.body_text
    event = AuditEvent.objects.get(action="grant_concern.decided")
    assert (event.from_state, event.to_state, event.reason) == (
        "awaiting_review",
        "closed",
        REASONS,
    )
    with pytest.raises(ConcernError, match="already has an outcome"):
        decide_concern(concern=concern, by=world.manager, outcome="no_action", reasons="No.")


def test_without_a_response_an_officer_waits_until_the_date_has_passed(world, decision):
    concern = confirmed(decision)
    with pytest.raises(ConcernError, match="The representative has until"):
        decide_concern(concern=concern, by=world.officer, outcome="no_action", reasons="None.")
    concern.refresh_from_db()
    assert concern.status == "awaiting_response"
    after = concern.respond_by + timedelta(days=1)
    with time_machine.travel(after.isoformat() + " 10:00 +0000"):
        decide_concern(concern=concern, by=world.officer, outcome="no_action", reasons="None.")
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.response == ""
    [told] = emails_to("resident@example.org", "The outcome of your concern")
    assert "without a response" in told.body_text


@pytest.mark.parametrize(
    ("outcome", "reasons", "message"),
    [("", REASONS, "Select the outcome"), ("praise", REASONS, "Select the outcome"),
     ("advice", "  ", "Enter the reasons for the outcome")],
)  # fmt: skip
def test_an_outcome_needs_a_known_value_and_reasons(world, decision, outcome, reasons, message):
    concern = confirmed(decision)
    respond_to_concern(concern=concern, by=world.org_a_admin, response=RESPONSE)
    with pytest.raises(ConcernError, match=message):
        decide_concern(concern=concern, by=world.officer, outcome=outcome, reasons=reasons)
    assert Concern.objects.get(pk=concern.pk).status == "awaiting_review"


def test_only_council_staff_decide(world, decision):
    concern = confirmed(decision)
    respond_to_concern(concern=concern, by=world.org_a_admin, response=RESPONSE)
    with pytest.raises(ConcernError, match="Only council officers"):
        decide_concern(concern=concern, by=world.org_a_admin, outcome="no_action", reasons="x")


# --------------------------------------------------------------- the daily jobs


def _reminders(concern):
    return Notification.objects.filter(kind__startswith="grants:concern_").filter(
        body_text__contains=concern.reference
    )


def test_reminders_go_once_before_the_date_and_once_after_it(world, decision):
    concern = confirmed(decision)
    rule = deadline(CONCERN_RESPONSE)
    remind_on = rule.remind_on(concern.respond_by)
    assert send_concern_reminders(remind_on - timedelta(days=1)) == 0
    assert send_concern_reminders(remind_on) == 1
    assert send_concern_reminders(remind_on) == 0  # run twice: nothing more
    assert send_concern_reminders(concern.respond_by) == 0  # the day itself: still once
    [reminder] = _reminders(concern)
    assert reminder.recipient == world.org_a_admin.email
    assert reminder.subject.startswith(f"Reminder: respond to concern {concern.reference}")
    day_after = concern.respond_by + timedelta(days=1)
    assert send_concern_reminders(day_after) == 1
    assert send_concern_reminders(day_after + timedelta(days=3)) == 0
    assert sorted(n.kind for n in _reminders(concern)) == [
        "grants:concern_missed",
        "grants:concern_reminder",
    ]


def test_the_missed_notice_is_not_lost_when_the_job_did_not_run_before(decision):
    concern = confirmed(decision)
    assert send_concern_reminders(concern.respond_by + timedelta(days=5)) == 1
    assert [n.kind for n in _reminders(concern)] == ["grants:concern_missed"]


def test_a_concern_with_a_response_is_not_reminded(world, decision):
    concern = confirmed(decision)
    respond_to_concern(concern=concern, by=world.org_a_admin, response=RESPONSE)
    rule = deadline(CONCERN_RESPONSE)
    assert send_concern_reminders(rule.remind_on(concern.respond_by)) == 0
    assert send_concern_reminders(concern.respond_by + timedelta(days=1)) == 0


def test_unconfirmed_concerns_are_deleted_after_24_hours_and_confirmed_ones_kept(decision):
    old, _ = raised(decision, email="old@example.org")
    kept = confirmed(decision, email="kept@example.org")
    later = timezone.now() + timedelta(hours=24, minutes=1)
    fresh, _ = raised(decision, email="fresh@example.org")
    Concern.objects.filter(pk=fresh.pk).update(created_at=later - timedelta(hours=1))
    assert purge_unconfirmed(later) == 1
    assert not Concern.objects.filter(pk=old.pk).exists()
    assert set(Concern.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert purge_unconfirmed(later) == 0


def test_what_the_person_wrote_is_kept_as_written(decision):
    concern = confirmed(decision)
    assert Concern.objects.get(pk=concern.pk).what_happened == WHAT_HAPPENED


def test_the_daily_grant_job_reminds_about_concerns_and_purges_unconfirmed_ones(decision):
    from grants.tasks import check_deadlines

    concern = confirmed(decision, email="kept@example.org")
    stale, _ = raised(decision, email="stale@example.org")
    Concern.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=25))
    run = check_deadlines(concern.respond_by + timedelta(days=1))
    assert run["concerns_reminded"] == 1 and run["concerns_purged"] == 1
    assert not Concern.objects.filter(pk=stale.pk).exists()
