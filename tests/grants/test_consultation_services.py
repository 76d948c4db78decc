"""The community's say opened and closed on time (grants.consultation_services): backing when
a round closes, the verdict in each year of a grant, and closing, which forgets every raw
address, fixes a verdict's result and, under the threshold, opens a review."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from grants import voice_rules
from grants.concern_services import decide_concern
from grants.consultation_services import close_ended, forget_expired, open_due
from grants.models import Concern, Consultation, GrantRound, Voice
from grants.rules import LONDON, london_datetime
from grants.voice_selectors import backing_totals, verdicts_of
from notifications.models import Notification

from .assessing import closed_round
from .concern_support import REASONS, awarded
from .factories import open_round
from .voice_support import RESIDENT, backing, counted, ended, verdict

pytestmark = pytest.mark.django_db


def unconfirmed(consultation, email, **fields):
    return Voice.objects.create(
        consultation=consultation,
        person_hash=voice_rules.person_hash(email, "k"),
        email=email,
        postcode_district="LE2",
        token_hash=voice_rules.token_hash(email),
        **fields,
    )


def outbox(to, kind="grants:voice_confirm"):
    return Notification.objects.create(
        recipient=to, kind=kind, subject="Confirm your response", body_text="A link."
    )


# --------------------------------------------------------------- opening backing


def test_a_closed_round_opens_backing_for_each_community_with_a_sent_application(world):
    grant_round, sent = closed_round(world, applications=2, communities=2)
    now = timezone.now()
    assert open_due(now) == {"backing": 1, "verdict": 0}
    [consultation] = Consultation.objects.all()
    assert consultation.kind == "backing"
    assert consultation.round_community == sent[0].round_community
    assert consultation.opens_at == grant_round.closes_at
    assert consultation.closes_at == grant_round.closes_at + timedelta(days=21)
    event = AuditEvent.objects.get(action="grant_consultation.opened")
    assert event.object_id == str(consultation.pk) and event.data["kind"] == "backing"
    # Again, an hour later: nothing new.
    assert open_due(now + timedelta(hours=1)) == {"backing": 0, "verdict": 0}
    assert Consultation.objects.count() == 1


def test_the_window_follows_the_rounds_setting(world):
    grant_round, _ = closed_round(world)
    GrantRound.objects.filter(pk=grant_round.pk).update(backing_days=5)
    open_due(timezone.now())
    assert Consultation.objects.get().closes_at == grant_round.closes_at + timedelta(days=5)


def test_a_round_still_open_or_a_community_with_only_drafts_gets_none(world):
    open_round(by=world.manager, communities=2)
    assert open_due(timezone.now())["backing"] == 0
    assert not Consultation.objects.exists()


def test_an_old_round_whose_window_would_be_over_gets_none(world):
    grant_round, _ = closed_round(world)
    long_ago = timezone.now() - timedelta(days=60)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=long_ago - timedelta(days=30), closes_at=long_ago
    )
    assert open_due(timezone.now())["backing"] == 0
    assert not Consultation.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_rounds(world, django_assert_max_num_queries):
    closed_round(world)
    now = timezone.now()
    open_due(now)
    for _ in range(3):
        closed_round(world)
    open_due(now)  # the three new ones
    # Nothing due, however many rounds: the communities due backing, the awards in their
    # grant period, the verdict years already asked (Django skips it for no awards).
    with django_assert_max_num_queries(3):
        assert open_due(now) == {"backing": 0, "verdict": 0}


# --------------------------------------------------------------- opening verdicts


def first_window(decision):
    grant_round = decision.round_community.round
    return voice_rules.verdict_windows(
        period_starts_on=grant_round.period_starts_on,
        period_ends_on=grant_round.period_ends_on,
        after_months=grant_round.verdict_after_months,
        days=grant_round.backing_days,
    )[0]


@pytest.fixture
def decision(world):
    return awarded(world.manager, world.org_a_admin)


def test_the_verdict_opens_in_its_window_at_the_start_of_the_day_in_london(decision):
    window = first_window(decision)
    assert window.year == 1
    before = london_datetime(window.opens_on - timedelta(days=1), time(23, 30))
    assert open_due(before)["verdict"] == 0
    during = london_datetime(window.opens_on, time(0, 30))
    assert open_due(during)["verdict"] == 1
    consultation = Consultation.objects.get(kind="verdict")
    assert (consultation.representative, consultation.year) == (decision, 1)
    assert consultation.round_community == decision.round_community
    assert consultation.opens_at == london_datetime(window.opens_on, time(0))
    assert consultation.closes_at == london_datetime(window.closes_on, time(0))
    assert consultation.opens_at.astimezone(LONDON).hour == 0
    assert open_due(during + timedelta(days=3))["verdict"] == 0
    assert Consultation.objects.filter(kind="verdict").count() == 1


def test_a_verdict_whose_window_has_passed_is_not_opened_late(decision):
    window = first_window(decision)
    after = london_datetime(window.closes_on, time(0, 30))
    assert open_due(after)["verdict"] == 0
    assert not Consultation.objects.filter(kind="verdict").exists()


def test_a_verdict_follows_the_rounds_months_setting(decision):
    grant_round = decision.round_community.round
    GrantRound.objects.filter(pk=grant_round.pk).update(verdict_after_months=2)
    decision.round_community.round.refresh_from_db()
    window = first_window(decision)
    assert window.opens_on == voice_rules.add_months(grant_round.period_starts_on, 2)
    assert open_due(london_datetime(window.opens_on, time(12)))["verdict"] == 1


# --------------------------------------------------------------- closing


def test_closing_forgets_every_raw_address_and_the_emails_sent_to_them(world):
    consultation, sent = backing(world, open_for=timedelta(hours=1))
    counted(consultation, email="Backer@Example.org", application=sent[0], comment="Good.")
    counted(consultation, email="two@example.org", application=None)
    waiting = unconfirmed(consultation, "late@example.org")
    mine = [outbox("backer@example.org"), outbox("late@example.org", kind="grants:voice_x")]
    kept = outbox("backer@example.org", kind="account:login")  # not this feature's
    # The same person has a say in another community's window, still open: its email stays.
    other, _ = backing(world, open_for=timedelta(days=5))
    counted(other, email="two@example.org")
    elsewhere = outbox("two@example.org")
    mine += [kept, elsewhere]

    assert close_ended(timezone.now()) == 0  # not ended yet
    later = timezone.now() + timedelta(hours=2)
    assert close_ended(later) == 1
    consultation.refresh_from_db()
    assert consultation.closed_at == later
    assert not Voice.objects.filter(pk=waiting.pk).exists()
    assert list(consultation.voices.values_list("email", flat=True)) == ["", ""]
    assert consultation.voices.filter(status="counted").count() == 2  # the choices stay
    remaining = Notification.objects.filter(pk__in=[n.pk for n in mine])
    assert set(remaining.values_list("pk", flat=True)) == {kept.pk, elsewhere.pk}
    assert other.voices.get().email == "two@example.org"
    event = AuditEvent.objects.get(action="grant_consultation.closed")
    assert event.data == {
        "kind": "backing",
        "unconfirmed_deleted": 1,
        "addresses_deleted": 2,
        "emails_deleted": 2,
        "counted": 2,
    }
    assert "example.org" not in str(event.data) + event.object_repr
    # Run again: nothing left to close.
    assert close_ended(later + timedelta(hours=1)) == 0


def test_a_verdict_above_the_threshold_is_closed_with_its_result_and_no_review(decision):
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    for n, rating in enumerate([4, 3, 2]):
        counted(consultation, email=f"p{n}@example.org", rating=rating)
    close_ended(timezone.now() + timedelta(minutes=10))
    consultation.refresh_from_db()
    assert consultation.threshold == Decimal("2.50")
    assert consultation.review is None
    assert not Concern.objects.exists()
    event = AuditEvent.objects.get(action="grant_consultation.closed")
    assert (event.data["responded"], event.data["average"]) == (3, "3.00")


def test_a_verdict_under_the_threshold_opens_a_review_with_the_results(world, decision):
    GrantRound.objects.filter(pk=decision.round_community.round_id).update(
        verdict_threshold=Decimal("3.00")
    )
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    for n, rating in enumerate([1, 2, 5, 2]):
        counted(consultation, email=f"p{n}@example.org", rating=rating, comment="Private words.")
    Notification.objects.all().delete()
    close_ended(timezone.now() + timedelta(minutes=10))
    consultation.refresh_from_db()
    assert consultation.threshold == Decimal("3.00")
    review = consultation.review
    assert review is not None
    assert (review.status, review.email, review.name) == ("awaiting_response", "", "")
    assert review.representative == decision
    assert review.confirmed_at and review.respond_by
    assert len(review.token_hash) == 64
    text = review.what_happened
    assert "4 people responded; the average was 2.50 out of 5." in text
    assert "threshold of 3.00" in text
    assert "Very badly: 1; Badly: 2; Neither well nor badly: 0; Well: 0; Very well: 1" in text
    assert "Private words." not in text  # comments are never attached
    assert AuditEvent.objects.filter(
        action="grant_concern.review_opened", object_id=str(review.pk)
    ).exists()
    [email] = Notification.objects.all()
    assert email.recipient == world.org_a_admin.email
    assert email.subject.startswith("The community's verdict on your representation")
    assert f"/grant-concerns/{review.pk}/respond/" in email.body_text
    # The officer's outcome tells nobody: there is no address.
    Concern.objects.filter(pk=review.pk).update(respond_by=timezone.localdate() - timedelta(1))
    decide_concern(concern=review, by=world.officer, outcome="advice", reasons=REASONS)
    assert Notification.objects.count() == 1
    assert Concern.objects.get(pk=review.pk).status == "closed"


def test_a_verdict_nobody_answered_opens_no_review(decision):
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    unconfirmed(consultation, RESIDENT, rating=1)
    close_ended(timezone.now() + timedelta(minutes=10))
    consultation.refresh_from_db()
    assert consultation.closed_at and consultation.review is None
    assert not consultation.voices.exists()


# --------------------------------------------------------------- the hourly job


def test_the_hourly_job_is_registered_and_opens_closes_and_purges(world):
    from grants.tasks import run_consultations
    from vcs_support.celery import app

    assert "grants.tasks.run_consultations" in app.tasks
    closed_round(world)  # due its backing
    ended, _ = backing(world, open_for=timedelta(seconds=-1))
    current, _ = backing(world)
    stale = unconfirmed(current, "stale@example.org")
    Voice.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=3))
    result = run_consultations()
    assert result["backing_opened"] == 1 and result["verdicts_opened"] == 0
    assert result["closed"] == 1
    ended.refresh_from_db()
    assert ended.closed_at is not None
    stale.refresh_from_db()
    assert stale.email == "" and result["unconfirmed_purged"] == 1  # forgotten at once


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_open_once_and_close_once():
    from .. import threads
    from ..conftest import build_world

    world = build_world()
    closed_round(world)
    ended, _ = backing(world, open_for=timedelta(seconds=-1))
    counted(ended, email="twice@example.org")
    outbox("twice@example.org")
    now = timezone.now()
    results = threads.run_together([lambda: open_due(now), lambda: open_due(now)])
    assert all(kind == "ok" for kind, _ in results), results
    assert sum(value["backing"] for _, value in results) == 1
    assert Consultation.objects.filter(kind="backing").count() == 2
    results = threads.run_together([lambda: close_ended(now), lambda: close_ended(now)])
    assert sorted(value for _, value in results) == [0, 1], results
    assert AuditEvent.objects.filter(action="grant_consultation.closed").count() == 1
    assert not Voice.objects.exclude(email="").exists()
    assert not Notification.objects.filter(recipient="twice@example.org").exists()


# --------------------------------------------------------------- keeping time


def _ended_grant(consultation, *, ended_days_ago: int):
    """Move the consultation's round so that its grant period ended `ended_days_ago` ago."""
    today = timezone.localdate()
    GrantRound.objects.filter(pk=consultation.round_community.round_id).update(
        period_starts_on=today - timedelta(days=ended_days_ago + 365),
        period_ends_on=today - timedelta(days=ended_days_ago),
    )


def test_a_year_after_the_grant_ends_only_the_anonymous_counts_remain(world):
    consultation, (first, second) = backing(world, open_for=timedelta(minutes=5))
    kept = counted(consultation, email="a@example.org", application=first, comment=REASONS)
    counted(
        consultation,
        email="b@example.org",
        application=first,
        recorded_by=world.officer,
        assisted_how="phone",
    )
    counted(consultation, email="c@example.org", application=None, comment="None of them.")
    aside = counted(consultation, email="d@mailinator.com", application=second, flag="Throwaway")
    Voice.objects.filter(pk=aside.pk).update(
        status="set_aside",
        set_aside_at=timezone.now(),
        set_aside_by=world.manager,
        set_aside_reason="A throwaway address.",
    )
    now = timezone.now() + timedelta(minutes=10)
    close_ended(now)
    before = {t.application: (t.counted, t.assisted) for t in backing_totals(consultation)}
    assert before == {first: (2, 1), second: (0, 0), None: (1, 0)}

    # Within the keeping time (the grant ended 11 months ago): nothing is touched.
    _ended_grant(consultation, ended_days_ago=330)
    assert forget_expired(now) == 0
    kept.refresh_from_db()
    assert kept.comment == REASONS and kept.postcode_district == "LE2" and kept.person_hash

    # Past it: the set-aside voice is gone; the others are new rows that keep only what
    # the count needs, with new ids, so no audit event of a voice leads to one.
    before_ids = set(consultation.voices.values_list("pk", flat=True))
    _ended_grant(consultation, ended_days_ago=370)
    assert forget_expired(now) == 1
    voices = list(consultation.voices.order_by("pk"))
    assert len(voices) == 3
    assert not before_ids & {voice.pk for voice in voices}
    for voice in voices:
        assert voice.status == "counted" and voice.email == ""
        assert voice.comment == "" and voice.comment_status == ""
        assert voice.postcode_district == "" and voice.source_hash == "" and voice.flag == ""
        assert voice.person_hash.startswith("forgotten:")
        assert voice.comment_checked_by_id is None and voice.changed_at is None
        assert voice.created_at == voice.confirmed_at == consultation.closes_at
    assert {t.application: (t.counted, t.assisted) for t in backing_totals(consultation)} == before
    consultation.refresh_from_db()
    assert consultation.forgotten_at == now
    event = AuditEvent.objects.get(action="grant_consultation.forgotten")
    assert event.data == {"kind": "backing", "voices_deleted": 4, "counts_kept": 3}
    assert forget_expired(now + timedelta(hours=1)) == 0  # once only


def test_a_forgotten_verdict_keeps_its_result(world):
    decision = awarded(world.manager, world.org_b_admin)
    consultation = verdict(decision, open_for=timedelta(minutes=5))
    for n, rating in enumerate((5, 4, 4, 2)):
        counted(consultation, email=f"r{n}@example.org", rating=rating, comment="Fine.")
    now = timezone.now() + timedelta(minutes=10)
    close_ended(now)
    [before] = verdicts_of(decision, public=True)
    _ended_grant(consultation, ended_days_ago=400)
    assert forget_expired(now) == 1
    [after] = verdicts_of(decision, public=True)
    assert after.result == before.result and after.result.count == 4
    assert not consultation.voices.exclude(comment="").exists()


def test_an_open_consultation_is_never_forgotten(world):
    consultation, (first, _) = backing(world)
    counted(consultation, application=first, comment=REASONS)
    _ended_grant(consultation, ended_days_ago=400)
    assert forget_expired(timezone.now()) == 0
    assert consultation.voices.get().comment == REASONS


# --------------------------------------------------------------- the decision and the round


def test_no_decision_while_the_community_can_still_back_an_applicant(world):
    from grants.assessment_checks import AssessmentError
    from grants.decision_services import make_no_award
    from grants.rules import when_words

    consultation, _ = backing(world)
    with pytest.raises(AssessmentError) as refused:
        make_no_award(
            round_community=consultation.round_community, reasons=REASONS, by=world.manager
        )
    assert f"can back an applicant until {when_words(consultation.closes_at)}" in str(refused.value)
    assert not consultation.round_community.decisions.exists()
    # Once the window has ended (even before the closing job has run), it may be decided.
    ended(consultation)
    make_no_award(round_community=consultation.round_community, reasons=REASONS, by=world.manager)
    assert consultation.round_community.decisions.count() == 1


def test_withdrawing_the_round_ends_its_backing_at_once_and_forgets_the_addresses(world):
    from grants.services import withdraw_round

    consultation, (first, _) = backing(world)
    counted(consultation, email="backer@example.org", application=first)
    unconfirmed(consultation, "waiting@example.org")
    outbox("backer@example.org")
    withdraw_round(
        grant_round=consultation.round_community.round, by=world.manager, reason="No budget"
    )
    consultation.refresh_from_db()
    assert consultation.closed_at is not None and consultation.closes_at <= timezone.now()
    assert not Voice.objects.exclude(email="").exists()
    assert not Voice.objects.filter(status="unconfirmed").exists()
    assert not Notification.objects.filter(recipient="backer@example.org").exists()
    assert AuditEvent.objects.filter(action="grant_consultation.closed").count() == 1
