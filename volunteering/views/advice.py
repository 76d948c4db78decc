"""Advice and guidance pages.

Organisations: a member asks the volunteer centre a short question, and every member reads
the organisation's requests and the answers (others 404). Brokers: the queue (waiting
requests the longest waiting first, filterable by status and topic), one request answered
with its topic and the time spent, or closed. (The report of requests and time spent by topic
and month, for brokers and managers, is reports.volunteering_advice_views.)

A volunteer's page for asking needs one view like `advice_ask` calling
`ask_for_advice(by=request.user, fields=form.answers())` with no organisation.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from organisations.permissions import get_own_organisation, membership_for
from packages.forms import show_refusal, submitted

from .. import advice_rules as rules
from .. import advice_selectors as selectors
from ..advice_forms import (
    ANSWER,
    CLOSE,
    AdviceQueueFilter,
    AnswerForm,
    AskForm,
    CloseForm,
)
from ..advice_permissions import get_advice_for_broker, get_advice_for_member
from ..advice_services import answer_advice, ask_for_advice, close_advice
from ..permissions import require_broker
from ..services import VolunteeringError

# --------------------------------------------------------------- the organisation


@login_required
@require_GET
def advice_list(request):
    """The organisation's requests, newest first, a page at a time: the membership, the
    count and the page (with who asked), however many there are."""
    organisation, _membership = get_own_organisation(request.user)
    return render(
        request,
        "volunteering/advice_list.html",
        {
            "organisation": organisation,
            "page": page_of(request, selectors.of_organisation(organisation)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_ask(request):
    """Ask the volunteer centre a short question for the organisation; a refusal keeps
    everything typed on the form."""
    organisation, _membership = get_own_organisation(request.user)
    form = AskForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            advice = ask_for_advice(
                by=request.user, organisation=organisation, fields=form.answers()
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Your question has been sent to the volunteer centre. Your reference is %(ref)s.")
                % {"ref": advice.reference},
            )
            return redirect("volunteering:advice", advice.pk)
    return render(
        request, "volunteering/advice_ask.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_GET
def advice_detail(request, pk):
    """One of the organisation's requests, with the answer once there is one."""
    advice, membership = get_advice_for_member(request.user, pk)
    return render(
        request,
        "volunteering/advice_detail.html",
        {"advice": advice, "organisation": membership.organisation},
    )


# --------------------------------------------------------------- brokers


@login_required
@require_GET
def broker_advice_queue(request):
    """Requests by status (waiting by default) and topic, a page at a time: the broker check,
    the count and the page (with the organisation), however many there are."""
    require_broker(request.user)
    queue = AdviceQueueFilter(request.GET, queryset=selectors.for_brokers())
    status = queue.chosen_status
    # A made-up filter value is refused on the form and lists nothing (not everything).
    requests = queue.qs if queue.is_valid() else selectors.for_brokers().none()
    return render(
        request,
        "volunteering/broker_advice_queue.html",
        {
            "filter": queue,
            "status": status,
            "page": page_of(request, selectors.in_queue_order(requests, status)),
        },
    )


def _own(user, advice) -> bool:
    """Whether the broker asked it, or belongs to the organisation that did (then another
    broker must answer: the services refuse too)."""
    if advice.asked_by_id == user.pk:
        return True
    membership = membership_for(user) if advice.organisation_id else None
    return membership is not None and membership.organisation_id == advice.organisation_id


@login_required
@require_http_methods(["GET", "POST"])
def broker_advice(request, pk):
    """One request: who asked and how to reach them, the question; answer it (with its topic
    and the time spent) or close it. A refusal (another broker answered first, bad input)
    is shown on the form that was sent, with what was typed kept."""
    advice = get_advice_for_broker(request.user, pk)
    own = _own(request.user, advice)
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = AnswerForm(
        request.POST if action == ANSWER else None, initial={"topic": advice.topic}
    )
    close_form = CloseForm(
        request.POST if action == CLOSE else None, answered=advice.was_answered, prefix="close"
    )
    if action in (ANSWER, CLOSE) and not own:
        form = answer_form if action == ANSWER else close_form
        if form.is_valid():
            try:
                if action == ANSWER:
                    answer_advice(advice=advice, by=request.user, fields=form.answers())
                    done = _("Your answer is saved. The person who asked has been emailed.")
                else:
                    close_advice(advice=advice, by=request.user, fields=form.answers())
                    done = _("The request %(ref)s is closed.") % {"ref": advice.reference}
            except VolunteeringError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, done)
                return redirect("volunteering:broker_advice_queue")
    return render(
        request,
        "volunteering/broker_advice.html",
        {
            "advice": advice,
            "own": own,
            "can_answer": not own and bool(rules.may_move(advice.status, rules.ANSWERED)),
            "can_close": not own and bool(rules.may_move(advice.status, rules.CLOSED)),
            "answer_form": answer_form,
            "close_form": close_form,
        },
    )
