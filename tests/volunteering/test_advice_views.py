"""The advice pages in each state. Organisations: asking (bad input keeps what was typed
and sends nothing), their requests and the answers, only their own. Brokers: the queue,
waiting oldest first, filtered by status and topic; answering and closing, each refusal
shown on the form with what was typed. Query counts stay the same however many rows."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from volunteering.models import AdviceRequest

from ..conftest import assert_constant_queries, client_for, count_queries
from ..factories import MembershipFactory
from .advice_support import ANSWER, QUESTION, answered, asked, closed_unanswered
from .support import broker_for

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def as_broker(broker):
    return client_for(broker)


@pytest.fixture
def member(world):
    return client_for(world.org_a_member)


def _stored(advice):
    return AdviceRequest.objects.filter(pk=advice.pk).values().get()


# --------------------------------------------------------------- the organisation


def test_a_member_asks_and_sees_the_request_waiting(world, broker, member):
    response = member.post(
        _url("advice_ask"),
        {"question": QUESTION, "topic": "expenses", "reply_by": "phone", "phone": "0116 454 1000"},
    )
    advice = AdviceRequest.objects.get()
    assert response.status_code == 302 and response.url == _url("advice", advice.pk)
    assert (advice.organisation, advice.phone) == (world.org_a, "01164541000")
    page = _page(member.get(response.url))
    assert f"Your reference is {advice.reference}" in page
    assert QUESTION in page and "Waiting for an answer" in page and "01164541000" in page
    assert Notification.objects.filter(recipient="broker@example.org").count() == 1


def test_an_empty_question_is_refused_with_each_problem(world, member):
    page = _page(member.post(_url("advice_ask"), {}))
    assert "There is a problem" in page
    for message in (
        "Enter your question",
        "Select what your question is about",
        "Select how you would like the answer",
    ):
        assert message in page
    assert not AdviceRequest.objects.exists()


def test_a_bad_telephone_number_keeps_everything_typed(world, member):
    response = member.post(
        _url("advice_ask"),
        {"question": QUESTION, "topic": "policies", "reply_by": "phone", "phone": "12345"},
    )
    page = _page(response)
    assert "Enter a UK telephone number" in page
    html = response.content.decode()
    assert QUESTION.replace("'", "&#x27;") in html and 'value="12345"' in html
    assert re.search(r'<input[^>]*value="policies"[^>]*checked', html)
    assert not AdviceRequest.objects.exists()


def test_a_made_up_topic_is_refused(world, member):
    page = _page(
        member.post(
            _url("advice_ask"), {"question": QUESTION, "topic": "gardening", "reply_by": "email"}
        )
    )
    assert "Select what your question is about" in page
    assert not AdviceRequest.objects.exists()


def test_the_same_question_sent_twice_is_refused_on_the_form(world, member):
    data = {"question": QUESTION, "topic": "expenses", "reply_by": "email"}
    member.post(_url("advice_ask"), data)
    page = _page(member.post(_url("advice_ask"), data))
    assert "You have already asked this question" in page
    assert AdviceRequest.objects.count() == 1


def test_every_member_reads_the_organisations_requests_and_answers(world, broker):
    mine = answered(world, broker)
    waiting = asked(world, question="Can under-18s volunteer in our shop?")
    admin = client_for(world.org_a_admin)
    page = _page(admin.get(_url("advice_list")))
    assert "2 questions" in page and waiting.reference in page and mine.reference in page
    assert page.index(waiting.reference) < page.index(mine.reference)  # newest first
    page = _page(admin.get(_url("advice", mine.pk)))
    assert ANSWER in page and "Answered" in page


def test_another_organisation_sees_none_of_them(world, broker):
    advice = asked(world)
    client = client_for(world.org_b_admin)
    assert advice.reference not in _page(client.get(_url("advice_list")))
    assert client.get(_url("advice", advice.pk)).status_code == 404
    assert client_for(broker).get(_url("advice", advice.pk)).status_code == 404


def test_a_request_closed_without_an_answer_shows_why(world, broker, member):
    advice = closed_unanswered(world, broker, reason="We answered this by phone last week.")
    page = _page(member.get(_url("advice", advice.pk)))
    assert "Closed without an answer" in page and "We answered this by phone last week." in page


def test_the_organisations_list_reads_the_same_queries_however_many(world, broker, member):
    def make_rows(n):
        # A request in each state, so each branch of the status tag is read.
        for i in range(n):
            text = f"Question {i} about {AdviceRequest.objects.count()}"
            [asked, answered, closed_unanswered][i % 3](
                *((world,) if i % 3 == 0 else (world, broker)), question=text
            )

    # Session, user, membership with organisation, the count, the page (asker joined).
    assert assert_constant_queries(make_rows, lambda: member.get(_url("advice_list"))) == 5


# --------------------------------------------------------------- the brokers' queue


def test_the_queue_shows_waiting_requests_longest_waiting_first(world, broker, as_broker):
    first = asked(world, question="First question")
    second = asked(world, question="Second question", topic="dbs_safeguarding")
    AdviceRequest.objects.filter(pk=second.pk).update(asked_at=timezone.now() - timedelta(days=3))
    done = answered(world, broker, question="Answered already")
    page = _page(as_broker.get(_url("broker_advice_queue")))
    assert "2 requests waiting" in page and done.reference not in page
    assert page.index(second.reference) < page.index(first.reference)
    assert "Organisation A" in page
    page = _page(as_broker.get(_url("broker_advice_queue"), {"status": "answered"}))
    assert done.reference in page and first.reference not in page
    page = _page(as_broker.get(_url("broker_advice_queue"), {"status": "", "topic": "expenses"}))
    assert "2 requests, the newest first" in page and second.reference not in page


def test_a_made_up_status_is_refused_on_the_filter_and_lists_nothing(world, as_broker):
    advice = asked(world)
    page = _page(as_broker.get(_url("broker_advice_queue"), {"status": "lost"}))
    assert "There is a problem" in page and advice.reference not in page


def test_the_queue_reads_the_same_queries_however_many_wait(world, broker, as_broker):
    def make_rows(n):
        for i in range(n):
            asked(world, question=f"Question {i} of {AdviceRequest.objects.count()}")
            closed_unanswered(world, broker, question=f"Closed {i} {AdviceRequest.objects.count()}")

    # Session, user, the broker check, the count, the page (organisation joined).
    assert (
        assert_constant_queries(
            make_rows, lambda: as_broker.get(_url("broker_advice_queue"), {"status": ""})
        )
        == 5
    )


def test_only_live_brokers_see_the_brokers_advice_pages(world, broker):
    advice = asked(world)
    for person in (world.provider_user, world.org_a_admin, world.officer, world.manager):
        client = client_for(person)
        assert client.get(_url("broker_advice_queue")).status_code == 404
        assert client.get(_url("broker_advice", advice.pk)).status_code == 404
        response = client.post(
            _url("broker_advice", advice.pk),
            {"action": "answer", "answer": ANSWER, "topic": "other", "minutes": "5"},
        )
        assert response.status_code == 404
    assert AdviceRequest.objects.get().status == "open"


# --------------------------------------------------------------- answering and closing


def _answer(client, advice, **changes):
    data = {"action": "answer", "answer": ANSWER, "topic": "policies", "minutes": "30"}
    return client.post(_url("broker_advice", advice.pk), data | changes)


def test_a_broker_reads_the_request_and_answers_it(world, as_broker):
    advice = asked(world, reply_by="phone", phone="07700 900982")
    page = _page(as_broker.get(_url("broker_advice", advice.pk)))
    assert QUESTION in page and "07700900982" in page and "Organisation A" in page
    assert "Send the answer" in page and "Close it without an answer" in page
    response = _answer(as_broker, advice)
    assert response.status_code == 302 and response.url == _url("broker_advice_queue")
    advice.refresh_from_db()
    assert (advice.status, advice.topic, advice.minutes) == ("answered", "policies", 30)
    page = _page(as_broker.get(_url("broker_advice", advice.pk)))
    assert "Send the answer" not in page and "Close the request" in page and "30 minutes" in page


def test_a_bad_answer_keeps_what_was_typed(world, as_broker):
    advice = asked(world)
    before = _stored(advice)
    response = _answer(as_broker, advice, minutes="half an hour")
    page = _page(response)
    assert "Enter the time you spent as a whole number of minutes" in page
    assert 'value="half an hour"' in response.content.decode()
    assert ANSWER.replace("'", "&#x27;") in response.content.decode()
    assert _stored(advice) == before


def test_an_answer_sent_after_another_broker_answered_says_who_and_keeps_it(
    world, broker, as_broker
):
    advice = asked(world)
    other = broker_for(world.provider, world.manager, user__email="other@example.org")
    _answer(client_for(other), advice)
    before = _stored(advice)
    response = _answer(as_broker, advice, answer="My own answer, typed at the same time.")
    assert response.status_code == 200
    assert f"{other} answered this request first" in _page(response)
    assert _stored(advice) == before


def test_closing_without_an_answer_needs_the_reason(world, as_broker):
    advice = asked(world)
    page = _page(
        as_broker.post(_url("broker_advice", advice.pk), {"action": "close", "close-reason": ""})
    )
    assert "Enter why you are closing it without an answer" in page
    assert AdviceRequest.objects.get().status == "open"
    response = as_broker.post(
        _url("broker_advice", advice.pk),
        {"action": "close", "close-reason": "Asked twice.", "close-minutes": "5"},
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert (advice.status, advice.close_reason, advice.minutes) == ("closed", "Asked twice.", 5)


def test_an_answered_request_closes_and_then_offers_nothing(world, broker, as_broker):
    advice = answered(world, broker)
    assert as_broker.post(_url("broker_advice", advice.pk), {"action": "close"}).status_code == 302
    page = _page(as_broker.get(_url("broker_advice", advice.pk)))
    assert "Closed by" in page and "Send the answer" not in page and "Close the" not in page
    before = _stored(AdviceRequest.objects.get())
    _answer(as_broker, advice)
    assert _stored(advice) == before


def test_a_broker_does_not_answer_their_own_organisations_request(world, broker):
    MembershipFactory(organisation=world.org_a, user=broker, role="member")
    advice = asked(world)
    client = client_for(broker)
    page = _page(client.get(_url("broker_advice", advice.pk)))
    assert "another broker must answer it" in page and "Send the answer" not in page
    _answer(client, advice)
    assert AdviceRequest.objects.get().status == "open"


def test_home_pages_link_to_the_advice_pages(world, broker):
    assert (
        _url("advice_list") in client_for(world.org_a_member).get(reverse("home")).content.decode()
    )
    home = client_for(broker).get(reverse("home")).content.decode()
    assert _url("broker_advice_queue") in home
    assert (
        _url("broker_advice_queue")
        not in client_for(world.provider_user).get(reverse("home")).content.decode()
    )
    assert (
        reverse("reports:volunteering_advice")
        in client_for(world.manager).get(reverse("home")).content.decode()
    )


def test_the_read_only_pages_refuse_other_methods(world, broker, as_broker, member):
    advice = asked(world)
    assert member.post(_url("advice_list")).status_code == 405
    assert member.post(_url("advice", advice.pk)).status_code == 405
    assert as_broker.post(_url("broker_advice_queue")).status_code == 405
    assert as_broker.post(reverse("reports:volunteering_advice")).status_code == 405
    assert as_broker.put(_url("broker_advice", advice.pk)).status_code == 405


def test_one_request_reads_a_fixed_number_of_queries(world, broker, as_broker, member):
    advice = answered(world, broker)
    member.get(_url("advice", advice.pk))
    # Session, user, membership with organisation, the request with asker and broker.
    with count_queries() as queries:
        _page(member.get(_url("advice", advice.pk)))
    assert len(queries) == 4
    as_broker.get(_url("broker_advice", advice.pk))
    # Session, user, the broker check, the request with organisation and people, and the
    # broker's own membership (whether it is their organisation's request).
    with count_queries() as queries:
        _page(as_broker.get(_url("broker_advice", advice.pk)))
    assert len(queries) == 5
