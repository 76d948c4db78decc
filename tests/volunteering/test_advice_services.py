"""Advice requests through the services: asked by an organisation's member or a volunteer,
the live brokers emailed; answered by a broker with the topic and the time spent, the asker
emailed; closed, answered or not (with the reason). Each refusal changes nothing; a
double-sent question asks once; deleting the asker keeps the request for the figures."""

import pytest

from audit.models import AuditEvent
from notifications.models import Notification
from volunteering.advice_services import answer_advice, ask_for_advice, close_advice
from volunteering.models import AdviceRequest
from volunteering.services import VolunteeringError, revoke_broker

from ..factories import MembershipFactory, UserFactory
from .advice_support import ANSWER, QUESTION, answered, asked, question
from .support import broker_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


def stored(advice) -> dict:
    return AdviceRequest.objects.filter(pk=advice.pk).values().get()


def unchanged(advice, call, says: str) -> VolunteeringError:
    """Run a call that must be refused: it changes, records and emails nothing."""
    before = stored(advice)
    events, emails = AuditEvent.objects.count(), Notification.objects.count()
    with pytest.raises(VolunteeringError) as refusal:
        call()
    assert says in refusal.value.reason
    assert stored(advice) == before
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, emails)
    return refusal.value


def _answer(advice, by, **changes):
    fields = {"answer": ANSWER, "topic": "expenses", "minutes": "25"} | changes
    return answer_advice(advice=advice, by=by, fields=fields)


# --------------------------------------------------------------- asking


def test_a_member_asks_and_every_live_broker_is_emailed(world, broker):
    revoked = broker_for(world.provider, world.manager, user__email="former@example.org")
    revoke_broker(by=world.manager, user=revoked)
    advice = asked(world)
    advice.refresh_from_db()
    assert (advice.status, advice.organisation, advice.asked_by) == (
        "open",
        world.org_a,
        world.org_a_member,
    )
    assert advice.question == QUESTION and advice.topic == "expenses" and advice.phone == ""
    event = AuditEvent.objects.get(action="advice.asked")
    assert event.to_state == "open" and event.data == {
        "topic": "expenses",
        "for_organisation": True,
    }
    assert QUESTION not in event.object_repr  # the trail keeps the reference, not the words
    [email] = Notification.objects.filter(kind="volunteering:advice")
    assert email.recipient == "broker@example.org"
    assert advice.reference in email.subject and "Organisation A" in email.body_text
    assert f"/broker/advice/{advice.pk}/" in email.body_text
    assert QUESTION not in email.body_text  # the question stays on the service


def test_a_request_by_telephone_keeps_the_number_as_dialled(world, broker):
    advice = asked(world, reply_by="phone", phone=" (0116) 454-1000 ")
    assert advice.phone == "01164541000" and advice.reply_by == "phone"


def test_a_number_given_for_an_email_reply_is_not_kept(world, broker):
    assert asked(world, reply_by="email", phone="0116 454 1000").phone == ""


def test_a_volunteer_asks_for_themselves(world, broker):
    volunteer = UserFactory(email="volunteer@example.org")
    advice = ask_for_advice(by=volunteer, fields=question(topic="finding_a_role"))
    assert advice.organisation is None and advice.asked_by == volunteer
    assert list(AdviceRequest.objects.of_volunteer(volunteer)) == [advice]
    assert "A volunteer has asked" in Notification.objects.get().body_text


def test_only_the_organisations_members_ask_for_it(world, broker):
    for outsider in (world.org_b_admin, world.outsider, broker, world.manager):
        with pytest.raises(VolunteeringError, match="Only members of the organisation"):
            ask_for_advice(by=outsider, organisation=world.org_a, fields=question())
    assert not AdviceRequest.objects.exists() and not Notification.objects.exists()


def test_a_bad_question_is_refused_field_by_field_and_nothing_is_sent(world, broker):
    with pytest.raises(VolunteeringError) as refusal:
        asked(world, question=" ", reply_by="phone", phone="999")
    assert set(refusal.value.problems) == {"question", "phone"}
    assert not AdviceRequest.objects.exists() and not Notification.objects.exists()


def test_unknown_fields_are_refused_before_anything_is_read(world):
    with pytest.raises(ValueError, match="status"):
        ask_for_advice(by=world.org_a_member, organisation=world.org_a, fields={"status": "closed"})


def test_the_same_question_sent_twice_is_asked_once(world, broker):
    first = asked(world)
    with pytest.raises(VolunteeringError) as refusal:
        asked(world)
    assert (
        first.reference in refusal.value.reason and "Nothing was sent again" in refusal.value.reason
    )
    assert AdviceRequest.objects.count() == 1 and Notification.objects.count() == 1
    # Another question, or the same once the first is answered, is a new request.
    asked(world, question="Do volunteers need a DBS check to drive a minibus?")
    _answer(first, broker)
    asked(world)
    assert AdviceRequest.objects.count() == 3


# --------------------------------------------------------------- answering


def test_a_broker_answers_with_the_topic_and_time_and_the_asker_is_emailed(
    world, broker, django_capture_on_commit_callbacks
):
    advice = asked(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _answer(advice, broker, topic="policies", minutes="45", answer=f"  {ANSWER}  ")
    assert callbacks, "the email is sent only once the answer commits"
    advice.refresh_from_db()
    assert (advice.status, advice.answer, advice.topic, advice.minutes) == (
        "answered",
        ANSWER,
        "policies",
        45,
    )
    assert advice.answered_by == broker and advice.answered_at is not None
    event = AuditEvent.objects.get(action="advice.answered")
    assert (event.from_state, event.to_state, event.actor) == ("open", "answered", broker)
    assert event.data == {"topic": "policies", "minutes": 45, "topic_asked": "expenses"}
    email = Notification.objects.get(recipient=world.org_a_member.email)
    assert advice.reference in email.subject
    assert ANSWER in email.body_text and QUESTION in email.body_text
    assert f"/organisation/advice/{advice.pk}/" in email.body_text


def test_a_volunteers_answer_is_emailed_without_a_link(world, broker):
    volunteer = UserFactory(email="volunteer@example.org")
    advice = ask_for_advice(by=volunteer, fields=question())
    _answer(advice, broker)
    email = Notification.objects.get(recipient="volunteer@example.org")
    assert ANSWER in email.body_text and "/organisation/advice/" not in email.body_text


def test_a_second_broker_is_told_who_answered_first(world, broker):
    advice = asked(world)
    _answer(advice, broker)
    other = broker_for(world.provider, world.manager, user__email="other@example.org")
    unchanged(advice, lambda: _answer(advice, other), f"{broker} answered this request first")
    # The same broker's double click: only that it is done.
    unchanged(advice, lambda: _answer(advice, broker), "has already been answered")


def test_a_bad_answer_is_refused_field_by_field(world, broker):
    advice = asked(world)
    refusal = unchanged(advice, lambda: _answer(advice, broker, minutes="0", answer=""), "")
    assert set(refusal.problems) == {"answer", "minutes"}


def test_only_a_live_broker_answers(world, broker):
    advice = asked(world)
    for person in (world.provider_user, world.org_a_admin, world.officer, world.manager):
        unchanged(advice, lambda person=person: _answer(advice, person), "Only a broker")
    revoke_broker(by=world.manager, user=broker)
    unchanged(advice, lambda: _answer(advice, broker), "Only a broker")


def test_a_broker_never_answers_their_own_organisations_request(world, broker):
    MembershipFactory(organisation=world.org_a, user=broker, role="member")
    advice = asked(world)
    unchanged(advice, lambda: _answer(advice, broker), "another broker must answer")
    mine = asked(world, by=broker, question="Can we pay lunch for volunteers?")
    unchanged(mine, lambda: _answer(mine, broker), "You asked this yourself")


# --------------------------------------------------------------- closing


def test_an_answered_request_is_closed_as_it_is(world, broker):
    advice = answered(world, broker)
    emails = Notification.objects.count()
    close_advice(advice=advice, by=broker, fields={"reason": "ignored", "minutes": "99"})
    advice.refresh_from_db()
    assert (advice.status, advice.close_reason, advice.minutes) == ("closed", "", 25)
    assert advice.closed_by == broker and advice.closed_at is not None
    event = AuditEvent.objects.get(action="advice.closed")
    assert (event.from_state, event.to_state) == ("answered", "closed")
    assert Notification.objects.count() == emails  # the answer was the news


def test_closing_without_an_answer_needs_the_reason_which_the_asker_is_emailed(world, broker):
    advice = asked(world)
    refusal = unchanged(
        advice, lambda: close_advice(advice=advice, by=broker, fields={"reason": " "}), "Enter why"
    )
    assert refusal.problems == {"reason": "Enter why you are closing it without an answer"}
    close_advice(advice=advice, by=broker, fields={"reason": "Asked twice.", "minutes": ""})
    advice.refresh_from_db()
    assert (advice.status, advice.close_reason, advice.minutes) == ("closed", "Asked twice.", 0)
    event = AuditEvent.objects.get(action="advice.closed")
    assert (event.from_state, event.reason) == ("open", "Asked twice.")
    email = Notification.objects.get(recipient=world.org_a_member.email)
    assert "Asked twice." in email.body_text and "closed" in email.subject


def test_closing_twice_is_refused(world, broker):
    advice = answered(world, broker)
    close_advice(advice=advice, by=broker)
    unchanged(advice, lambda: close_advice(advice=advice, by=broker), "has already been closed")
    unchanged(advice, lambda: _answer(advice, broker), "already been closed")


# --------------------------------------------------------------- the asker deleted


def test_deleting_the_asker_keeps_the_request_and_emails_nobody(world, broker):
    advice = asked(world)
    # The audit trail keeps its events without the person (as deleting a person's data
    # does: AuditEvent.actor protects them otherwise); the request keeps its figures.
    AuditEvent.objects.filter(actor=world.org_a_member).update(actor=None)
    world.org_a_member.delete()
    advice.refresh_from_db()
    assert advice.asked_by is None and advice.status == "open"
    emails = Notification.objects.count()
    _answer(advice, broker)
    assert Notification.objects.count() == emails
    assert AdviceRequest.objects.get(pk=advice.pk).status == "answered"


def test_forgetting_the_asker_keeps_the_figures_and_drops_what_is_personal(world, broker):
    from volunteering.advice_services import REMOVED, forget_asker

    volunteer = UserFactory(email="volunteer@example.org")
    own = answer_advice(
        advice=ask_for_advice(
            by=volunteer, fields=question(reply_by="phone", phone="07700 900982")
        ),
        by=broker,
        fields={"answer": ANSWER, "topic": "finding_a_role", "minutes": "15"},
    )
    waiting = ask_for_advice(by=volunteer, fields=question(question="Another question"))
    for_organisation = asked(world, by=world.org_a_admin, reply_by="phone", phone="0116 454 1000")
    assert forget_asker(user=volunteer) == 2
    assert forget_asker(user=world.org_a_admin) == 1
    for advice in (own, waiting, for_organisation):
        advice.refresh_from_db()
    assert (own.question, own.answer, own.phone, own.reply_by) == (REMOVED, REMOVED, "", "email")
    assert (own.topic, own.minutes, own.status) == ("finding_a_role", 15, "answered")
    assert (waiting.question, waiting.answer) == (REMOVED, "")
    # An organisation's request keeps its words; only the number goes.
    assert (for_organisation.question, for_organisation.phone) == (QUESTION, "")
    assert AuditEvent.objects.filter(action="advice.forgotten").count() == 3
    assert forget_asker(user=volunteer) == 0  # twice changes nothing more
    assert AuditEvent.objects.filter(action="advice.forgotten").count() == 3
