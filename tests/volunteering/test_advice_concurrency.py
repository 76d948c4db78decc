"""Two brokers on one advice request at once, and one question sent twice at once, on
PostgreSQL with real threads and connections (tests/threads.py).

Every move locks the request's row and checks its state under the lock, so of two
brokers answering at once one answer is kept and the other broker is told who answered
first (never two answers, never an error); answering as another broker closes it makes
one move. Asking locks the asker's row, so a form sent twice at once asks once.
"""

import pytest

from audit.models import AuditEvent
from notifications.models import Notification
from volunteering.advice_services import answer_advice, ask_for_advice, close_advice
from volunteering.models import AdviceRequest
from volunteering.services import VolunteeringError

from .. import threads
from ..conftest import build_world
from .advice_support import ANSWER, asked, question
from .support import broker_for

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs):
    return threads.run_together(jobs, refusals=VolunteeringError, said=lambda exc: exc.reason)


def _answer(advice, by, text):
    return answer_advice(
        advice=advice, by=by, fields={"answer": text, "topic": "expenses", "minutes": "10"}
    )


def test_two_brokers_answering_at_once_keep_one_answer_and_the_other_is_told_who():
    world = build_world()
    first = broker_for(world.provider, world.manager, user__email="first@example.org")
    second = broker_for(world.provider, world.manager, user__email="second@example.org")
    for _ in range(3):
        advice = asked(world, question=f"Question {AdviceRequest.objects.count()}")
        results = run_together(
            [
                lambda a=advice: _answer(a, first, "From the first broker."),
                lambda a=advice: _answer(a, second, "From the second broker."),
            ]
        )
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        advice.refresh_from_db()
        [event] = AuditEvent.objects.filter(object_id=str(advice.pk), action="advice.answered")
        assert advice.answered_by == event.actor
        assert advice.answer == f"From the {'first' if event.actor == first else 'second'} broker."
        refused = next(said for kind, said in results if kind == "refused")
        assert refused == f"{advice.answered_by} answered this request first. Nothing was changed."
        assert (
            Notification.objects.filter(
                recipient=world.org_a_member.email, subject__contains=advice.reference
            ).count()
            == 1
        )


def test_answering_and_closing_at_once_make_one_move():
    world = build_world()
    first = broker_for(world.provider, world.manager, user__email="first@example.org")
    second = broker_for(world.provider, world.manager, user__email="second@example.org")
    advice = asked(world)
    results = run_together(
        [
            lambda: _answer(advice, first, ANSWER),
            lambda: close_advice(advice=advice, by=second, fields={"reason": "A duplicate."}),
        ]
    )
    kinds = sorted(kind for kind, _ in results)
    advice.refresh_from_db()
    if kinds == ["ok", "ok"]:
        # The answer went first; closing then closed the answered request as it was.
        assert advice.status == "closed" and advice.answer == ANSWER and advice.close_reason == ""
    else:
        assert kinds == ["ok", "refused"], results
        assert (advice.status, advice.answer, advice.close_reason) == (
            "closed",
            "",
            "A duplicate.",
        )
    assert AuditEvent.objects.filter(object_id=str(advice.pk), action="advice.closed").count() == 1


def test_one_question_sent_twice_at_once_is_asked_once():
    world = build_world()
    broker_for(world.provider, world.manager)
    results = run_together(
        [
            lambda: ask_for_advice(
                by=world.org_a_member, organisation=world.org_a, fields=question()
            )
            for _ in range(2)
        ]
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert AdviceRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="advice.asked").count() == 1
