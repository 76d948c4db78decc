"""Interest and placements, from the organisation's side (and hours from either side).

An organisation's members see a volunteer only through an interest in one of their own
organisation's opportunities: who said they were interested, with their contact details
and message. They answer it (accept, ask to talk, decline with a reason), log hours on a
placement and confirm the volunteer's. Everyone else 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications.calendar import subtract_working_days
from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from .. import volunteer_rules as vr
from ..models import HourEntry, Interest
from ..permissions import (
    get_hour_entry_for,
    get_interest_for_either,
    get_interest_for_member,
    get_opportunity_for_member,
    require_broker,
)
from ..services import VolunteeringError
from ..volunteer_forms import AnswerForm, HoursAnswerForm, HoursForm
from ..volunteer_selectors import unanswered
from ..volunteer_services import answer_hours, answer_interest, end_placement, log_hours


@login_required
@require_GET
def opportunity_interests(request, pk):
    """Who is interested in one of the organisation's opportunities, newest first: the
    membership, the opportunity, the count and the page, however many there are."""
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    interests = Interest.objects.filter(opportunity=opportunity).select_related("volunteer__user")
    return render(
        request,
        "volunteering/opportunity_interests.html",
        {"opportunity": opportunity, "page": page_of(request, interests)},
    )


def _answer(request, interest, form):
    try:
        answer_interest(
            interest=interest,
            by=request.user,
            to=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
        )
    except VolunteeringError as exc:
        show_refusal(form, exc)
        return False
    messages.success(request, _("Your answer has been sent to the volunteer."))
    return True


def _log(request, placement, form, done: str) -> bool:
    try:
        log_hours(
            placement=placement,
            by=request.user,
            on=form.cleaned_data["on"],
            hours=form.cleaned_data["hours"],
            note=form.cleaned_data["note"],
        )
    except VolunteeringError as exc:
        show_refusal(form, exc)
        return False
    messages.success(request, done)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def interest(request, pk):
    """One volunteer's interest: their contact details and message, the answer, and once
    accepted the placement's hours. Two forms post here, told apart by their button."""
    interest, _membership = get_interest_for_member(request.user, pk)
    placement = getattr(interest, "placement", None)
    choices = vr.INTEREST_TRANSITIONS.get(interest.status, set()) - {vr.WITHDRAWN}
    posted = submitted(request)
    answer_form = AnswerForm(posted if "answer_button" in request.POST else None, choices=choices)
    hours_form = HoursForm(posted if "hours_button" in request.POST else None)
    if request.method == "POST":
        if "answer_button" in request.POST and choices and answer_form.is_valid():
            if _answer(request, interest, answer_form):
                return redirect("volunteering:interest", interest.pk)
        elif (
            "hours_button" in request.POST
            and placement
            and hours_form.is_valid()
            and _log(request, placement, hours_form, _("The hours have been logged."))
        ):
            return redirect("volunteering:interest", interest.pk)
    hours = page_of(request, HourEntry.objects.filter(placement=placement)) if placement else None
    return render(
        request,
        "volunteering/interest.html",
        {
            "interest": interest,
            "volunteer": interest.volunteer,
            "placement": placement,
            "answer_form": answer_form if choices else None,
            "hours_form": hours_form,
            "hours": hours,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hours_answer(request, pk):
    """Confirm or query hours the other side logged: the volunteer or the organisation."""
    entry, side = get_hour_entry_for(request.user, pk)
    mine = (side == "volunteer") == entry.by_volunteer
    form = HoursAnswerForm(submitted(request))
    back = (
        ("volunteering:my_interest" if side == "volunteer" else "volunteering:interest"),
        entry.placement.interest_id,
    )
    if request.method == "POST" and not mine and form.is_valid():
        try:
            answer_hours(
                entry=entry,
                by=request.user,
                confirm=form.cleaned_data["confirm"],
                reason=form.cleaned_data["reason"],
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The hours are confirmed.")
                if form.cleaned_data["confirm"]
                else _("The hours are queried. The other side can see why."),
            )
            return redirect(*back)
    return render(
        request,
        "volunteering/hours_answer.html",
        {"entry": entry, "form": form, "mine": mine, "back": back, "side": side},
    )


@login_required
@require_POST
def placement_end(request, pk):
    """Either side ends a placement (pk is the interest's)."""
    interest, side = get_interest_for_either(request.user, pk)
    back = "volunteering:my_interest" if side == "volunteer" else "volunteering:interest"
    placement = getattr(interest, "placement", None)
    if placement is None:
        messages.error(request, _("There is no placement to end."))
        return redirect(back, interest.pk)
    try:
        end_placement(placement=placement, by=request.user)
    except VolunteeringError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("The placement has ended. Hours already logged are kept."))
    return redirect(back, interest.pk)


@login_required
@require_GET
def broker_interest(request):
    """The brokers' queue of interest no organisation has answered, the oldest first, with
    those past 5 working days marked: the broker check, the count and the page."""
    require_broker(request.user)
    today = timezone.localdate()
    return render(
        request,
        "volunteering/broker_interest.html",
        {
            "page": page_of(request, unanswered()),
            "overdue_before": subtract_working_days(today, vr.ANSWER_WITHIN_WORKING_DAYS),
        },
    )
