"""A volunteer asks the volunteer centre for advice (issue 14: "a volunteer or an
organisation can ask"), and reads their own questions and the answers; the organisation's
pages and the brokers' are in views/advice.py. Someone without a volunteer profile is
sent to make one first; another person's question 404s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from ..advice_forms import AskForm
from ..advice_permissions import get_advice_for_volunteer
from ..advice_services import ask_for_advice
from ..models import AdviceRequest
from ..permissions import volunteer_for
from ..services import VolunteeringError
from .volunteer import _profile_first


@login_required
@require_GET
def advice_list(request):
    """The volunteer's own questions, newest first, a page at a time."""
    if volunteer_for(request.user) is None:
        return _profile_first(request)
    mine = AdviceRequest.objects.of_volunteer(request.user).order_by("-asked_at", "-id")
    return render(request, "volunteering/volunteer_advice.html", {"page": page_of(request, mine)})


@login_required
@require_http_methods(["GET", "POST"])
def advice_ask(request):
    if volunteer_for(request.user) is None:
        return _profile_first(request)
    form = AskForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            advice = ask_for_advice(by=request.user, fields=form.answers())
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Your question has been sent to the volunteer centre. Your reference is %(ref)s.")
                % {"ref": advice.reference},
            )
            return redirect("volunteering:volunteer_advice", advice.pk)
    return render(request, "volunteering/advice_ask.html", {"form": form, "organisation": None})


@login_required
@require_GET
def advice_detail(request, pk):
    advice = get_advice_for_volunteer(request.user, pk)
    return render(
        request, "volunteering/advice_detail.html", {"advice": advice, "organisation": None}
    )
