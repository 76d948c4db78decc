"""Demo advice requests for `seed_demo` (issue 14): some in each state, through the services.

Highfields (org@example.org) has two waiting (one to be answered by telephone) and one
answered; Braunstone (org2@example.org) has one answered and closed (the broker changed its
topic) and one closed without an answer. The older ones are moved back a month or two, so
the report by topic and month has months to show. Idempotent: nothing is made again once
any request exists.
"""

from datetime import timedelta

from django.db.models import F

from organisations.models import User

from .advice_services import answer_advice, ask_for_advice, close_advice
from .models import AdviceRequest

BROKER = "provider2@example.org"


def _ask(user, question, topic, **more):
    return ask_for_advice(
        by=user,
        organisation=user.membership.organisation,
        fields={"question": question, "topic": topic, "reply_by": "email", "phone": "", **more},
    )


def _back(advice, days: int) -> None:
    """Move a request's dates back `days` days, as if it was asked then (demo only)."""
    by = timedelta(days=days)
    AdviceRequest.objects.filter(pk=advice.pk).update(
        asked_at=F("asked_at") - by,
        answered_at=F("answered_at") - by,
        closed_at=F("closed_at") - by,
    )


def seed_advice(stdout) -> None:
    if AdviceRequest.objects.exists():
        return
    broker = User.objects.get(email=BROKER)
    highfields = User.objects.get(email="org@example.org")
    braunstone = User.objects.get(email="org2@example.org")

    _ask(
        highfields,
        "Can we pay volunteers a flat £5 a session for travel, or must it be the actual fare?",
        "expenses",
    )
    _ask(
        highfields,
        "Do our homework club helpers need an enhanced DBS check if a teacher is always there?",
        "dbs_safeguarding",
        reply_by="phone",
        phone="0116 257 5050",
    )
    answered = answer_advice(
        advice=_ask(
            highfields,
            "Where can we advertise for weekend volunteers for our lunch club?",
            "finding_volunteers",
        ),
        by=broker,
        fields={
            "answer": "Post it on this service as an opportunity: we check it and the public "
            "can find it. We also share roles in our monthly newsletter.",
            "topic": "finding_volunteers",
            "minutes": "20",
        },
    )
    _back(answered, 35)
    policy = answer_advice(
        advice=_ask(
            braunstone,
            "Our trustees want a volunteer agreement. What should it say?",
            "other",
        ),
        by=broker,
        fields={
            "answer": "Keep it to what you offer and what you hope for, not a contract. "
            "We have sent you our template by email.",
            "topic": "policies",
            "minutes": "45",
        },
    )
    close_advice(advice=policy, by=broker)
    _back(policy, 62)
    duplicate = _ask(
        braunstone,
        "What should a volunteer agreement for our youth project say?",
        "policies",
    )
    close_advice(
        advice=duplicate,
        by=broker,
        fields={
            "reason": "The same question as your earlier request, answered by email.",
            "minutes": "5",
        },
    )
    _back(duplicate, 60)
    stdout.write(
        "  Advice: Highfields has two questions waiting and one answered "
        "(org@example.org: Advice from the volunteer centre); Braunstone has one answered and "
        f"closed and one closed without an answer; {BROKER} answers them (Advice requests)"
    )
