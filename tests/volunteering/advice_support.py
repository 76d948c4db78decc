"""Advice requests built through the services, as the advice tests need them."""

from volunteering.advice_services import answer_advice, ask_for_advice, close_advice

QUESTION = "How do we reimburse volunteers' bus fares without paying them a wage?"
ANSWER = "Pay back the actual fare against a ticket or receipt; a flat rate can count as pay."


def question(**changes) -> dict:
    return {"question": QUESTION, "topic": "expenses", "reply_by": "email", "phone": ""} | changes


def asked(world, *, by=None, **changes):
    """Organisation A's request, asked by its plain member unless `by` is given."""
    by = by or world.org_a_member
    return ask_for_advice(by=by, organisation=world.org_a, fields=question(**changes))


def answered(world, broker, *, minutes="25", topic="expenses", **changes):
    return answer_advice(
        advice=asked(world, **changes),
        by=broker,
        fields={"answer": ANSWER, "topic": topic, "minutes": minutes},
    )


def closed_unanswered(world, broker, reason="The same as an earlier request.", **changes):
    return close_advice(
        advice=asked(world, **changes), by=broker, fields={"reason": reason, "minutes": "5"}
    )
