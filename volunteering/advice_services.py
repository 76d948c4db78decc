"""Advice and guidance: one service per move of an advice request.

Asking writes the request and emails the live brokers; a broker answers it (the answer,
the topic it turned out to be, the time spent) and the asker is emailed; a broker closes
it, answered or not (one never answered needs the reason, which the asker is emailed).
Each runs in one transaction, takes the request's row with a lock and checks the move
again under it, so of two brokers answering at once one answer is kept and the other
broker is told who answered first; nothing is changed twice. Emails go through the outbox
in the same transaction and are sent only once it commits.

Who asks is a person: a member asks for their organisation (`organisation` given), a
volunteer for themselves (`organisation=None`). The volunteer's own pages are built
elsewhere; they need only call `ask_for_advice(by=..., fields=...)` from one view.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from notifications.services import absolute_url, queue_for_each, queue_templated_email
from organisations.models import User
from organisations.permissions import membership_for

from . import advice_rules as rules
from .models import AdviceRequest, Broker
from .selectors import is_broker
from .services import VolunteeringError

KIND = "volunteering:advice"
ASK_FIELDS = ("question", "topic", "reply_by", "phone")


def _refuse(problems: dict) -> None:
    if problems:
        raise VolunteeringError(next(iter(problems.values())), problems)


def _locked(advice: AdviceRequest) -> AdviceRequest:
    """The request read again under its row lock: every move checks the state it finds.

    Nothing joined: a read that waited for the lock sees the request's new row, but any
    joined row as it was before the wait (who answered would read as nobody). What the
    moves need of the people is read after, by the ids the locked row holds."""
    return AdviceRequest.objects.select_for_update().get(pk=advice.pk)


def _tidy(value) -> str:
    return (value or "").strip()


# --------------------------------------------------------------- asking


def _tell_brokers(advice: AdviceRequest) -> None:
    """Email every live broker that a request is waiting (after commit; once each)."""
    brokers = User.objects.filter(
        pk__in=Broker.objects.live().values("user_id"), is_active=True
    ).order_by("pk")
    queue_for_each(
        brokers,
        template="advice_asked",
        context={
            "reference": advice.reference,
            "topic": advice.get_topic_display(),
            "organisation": advice.organisation,
            "link": absolute_url(reverse("volunteering:broker_advice", args=[advice.pk])),
        },
        kind=KIND,
        key=f"advice_asked:{advice.pk}",
    )


@transaction.atomic
def ask_for_advice(*, by, fields: dict, organisation=None) -> AdviceRequest:
    """Ask the volunteer centre a short question: for `organisation` (of which `by` must be a
    member), or for oneself as a volunteer (`organisation` None).

    The asker's row is locked, so a form sent twice (a double click, a second tab) asks
    once: the second finds the same question still waiting and is refused.
    """
    if unknown := set(fields) - set(ASK_FIELDS):
        raise ValueError(f"not an advice request's field: {sorted(unknown)}")
    if not by.is_authenticated:
        raise VolunteeringError(_("Sign in to ask for advice. Nothing was sent."))
    if organisation is not None:
        membership = membership_for(by)
        if membership is None or membership.organisation_id != organisation.pk:
            raise VolunteeringError(
                _("Only members of the organisation can ask for its advice. Nothing was sent.")
            )
    _refuse(rules.question_problems(fields))
    question = _tidy(fields["question"])
    reply_by = fields["reply_by"]
    phone = rules.normalise_phone(_tidy(fields.get("phone"))) if reply_by == rules.PHONE else ""
    asker = User.objects.select_for_update().get(pk=by.pk)
    same = AdviceRequest.objects.filter(
        asked_by=asker, organisation=organisation, question=question, status=rules.OPEN
    ).first()
    if same is not None:
        raise VolunteeringError(
            _(
                "You have already asked this question and it is waiting for an answer "
                "(%(reference)s). Nothing was sent again."
            )
            % {"reference": same.reference}
        )
    advice = AdviceRequest.objects.create(
        asked_by=asker,
        organisation=organisation,
        question=question,
        topic=fields["topic"],
        reply_by=reply_by,
        phone=phone,
    )
    record(
        actor=by,
        action="advice.asked",
        obj=advice,
        to_state=rules.OPEN,
        data={"topic": advice.topic, "for_organisation": organisation is not None},
    )
    _tell_brokers(advice)
    return advice


# --------------------------------------------------------------- the broker's answer


def _require_broker(user, advice: AdviceRequest) -> None:
    """A live broker, and not one advising themselves or their own organisation."""
    if not is_broker(user):
        raise VolunteeringError(
            _(
                "Only a broker at the volunteer centre can answer advice requests. "
                "Nothing was changed."
            )
        )
    if advice.asked_by_id == user.pk:
        raise VolunteeringError(
            _("You asked this yourself, so another broker must answer it. Nothing was changed.")
        )
    if advice.organisation_id is not None:
        membership = membership_for(user)
        if membership is not None and membership.organisation_id == advice.organisation_id:
            raise VolunteeringError(
                _(
                    "You are a member of this organisation, so another broker must answer its "
                    "request. Nothing was changed."
                )
            )


def _refuse_move(advice: AdviceRequest, to: str, by) -> None:
    """Refuse a move the request's state does not allow, naming the other broker who got
    there first (a double click of one's own says only that it is done)."""
    decision = rules.may_move(advice.status, to)
    if decision:
        return
    if to == rules.ANSWERED and advice.answered_by_id not in (None, by.pk):
        raise VolunteeringError(
            _("%(person)s answered this request first. Nothing was changed.")
            % {"person": advice.answered_by}
        )
    raise VolunteeringError(decision.reason)


def asker_link(advice: AdviceRequest) -> str | None:
    """Where the asker reads the request: the organisation's page for it, or the volunteer's
    own (views/volunteer_advice.py)."""
    if advice.organisation_id is None:
        return absolute_url(reverse("volunteering:volunteer_advice", args=[advice.pk]))
    return absolute_url(reverse("volunteering:advice", args=[advice.pk]))


def _tell_asker(advice: AdviceRequest, template: str) -> None:
    """Email the person who asked (after commit; once per move). Nobody, if they were
    deleted since: the request stays for the figures, without them."""
    if advice.asked_by is None or not advice.asked_by.is_active:
        return
    queue_templated_email(
        to=advice.asked_by.email,
        template=template,
        context={
            "recipient": advice.asked_by,
            "reference": advice.reference,
            "organisation": advice.organisation,
            "question": advice.question,
            "answer": advice.answer,
            "reason": advice.close_reason,
            "by_phone": advice.reply_by == rules.PHONE,
            "link": asker_link(advice),
        },
        kind=KIND,
        key=f"{template}:{advice.pk}",
    )


@transaction.atomic
def answer_advice(*, advice: AdviceRequest, by, fields: dict) -> AdviceRequest:
    """Record a broker's answer to an open request, with its topic and the time spent, and
    email the asker. Answered once: a second broker's answer is refused, naming the first."""
    _refuse(rules.answer_problems(fields))
    advice = _locked(advice)
    _require_broker(by, advice)
    _refuse_move(advice, rules.ANSWERED, by)
    topic_was = advice.topic
    advice.answer = _tidy(fields["answer"])
    advice.topic = fields["topic"]
    advice.minutes = int(fields["minutes"])
    advice.status = rules.ANSWERED
    advice.answered_by, advice.answered_at = by, timezone.now()
    advice.save(
        update_fields=[
            "answer",
            "topic",
            "minutes",
            "status",
            "answered_by",
            "answered_at",
            "updated_at",
        ]
    )
    data = {"topic": advice.topic, "minutes": advice.minutes}
    if topic_was != advice.topic:
        data["topic_asked"] = topic_was
    record(
        actor=by,
        action="advice.answered",
        obj=advice,
        from_state=rules.OPEN,
        to_state=rules.ANSWERED,
        data=data,
    )
    _tell_asker(advice, "advice_answered")
    return advice


@transaction.atomic
def close_advice(*, advice: AdviceRequest, by, fields: dict | None = None) -> AdviceRequest:
    """Close a request: an answered one as it is; an open one without an answer, with the
    reason (which the asker is emailed) and any time spent. Closing twice is refused."""
    fields = fields or {}
    advice = _locked(advice)
    _require_broker(by, advice)
    _refuse_move(advice, rules.CLOSED, by)
    was = advice.status
    _refuse(rules.close_problems(fields, answered=advice.was_answered))
    changed = ["status", "closed_by", "closed_at", "updated_at"]
    if not advice.was_answered:
        advice.close_reason = _tidy(fields["reason"])
        advice.minutes = int(fields.get("minutes") or 0)
        changed += ["close_reason", "minutes"]
    advice.status = rules.CLOSED
    advice.closed_by, advice.closed_at = by, timezone.now()
    advice.save(update_fields=changed)
    record(
        actor=by,
        action="advice.closed",
        obj=advice,
        from_state=was,
        to_state=rules.CLOSED,
        reason=advice.close_reason,
        data={"answered": advice.was_answered, "minutes": advice.minutes},
    )
    if not advice.was_answered:
        _tell_asker(advice, "advice_closed")
    return advice


# --------------------------------------------------------------- forgetting the asker

REMOVED = "Removed when the account of the person who asked was deleted."


@transaction.atomic
def forget_asker(*, user) -> int:
    """Before a person's account is deleted: their telephone number goes from every request
    they made, and a volunteer's own questions and the answers to them (theirs alone, and
    about them) are replaced by a note. Topic, status, dates and time spent stay, so the
    figures stay whole; deleting the person then leaves each request without an asker.
    An organisation's request keeps its words: they are the organisation's. Returns how
    many requests were changed; running it twice changes nothing more."""
    changed = 0
    requests = AdviceRequest.objects.select_for_update().filter(asked_by=user).order_by("pk")
    for advice in requests:
        fields = {"reply_by": rules.EMAIL, "phone": ""}
        if advice.organisation_id is None:
            fields["question"] = REMOVED
            if advice.was_answered:
                fields["answer"] = REMOVED
        if all(getattr(advice, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(advice, name, value)
        advice.save(update_fields=[*fields, "updated_at"])
        record(actor=None, action="advice.forgotten", obj=advice, data={"fields": sorted(fields)})
        changed += 1
    return changed
