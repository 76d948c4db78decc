"""The brokers' pages: the queue of opportunities waiting to be checked, and one
opportunity's check (publish it, or send it back with what to change). For people with a
live broker grant only; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from .. import rules, selectors
from ..forms import APPROVE, CheckForm
from ..permissions import get_opportunity_for_broker, is_own_organisations, require_broker
from ..services import VolunteeringError, approve_opportunity, send_back_opportunity
from .summary import rows_of


@login_required
@require_GET
def queue(request):
    """Submitted opportunities, the longest waiting first, a page at a time: the broker check,
    the count and the page (with organisation and theme), however many wait."""
    require_broker(request.user)
    return render(
        request, "volunteering/broker_queue.html", {"page": page_of(request, selectors.to_check())}
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk):
    """One opportunity's answers, and the broker's decision while it waits to be checked."""
    opportunity = get_opportunity_for_broker(request.user, pk)
    own = is_own_organisations(request.user, opportunity)
    can_decide = opportunity.status == rules.SUBMITTED and not own
    form = CheckForm(submitted(request))
    if request.method == "POST" and can_decide and form.is_valid():
        try:
            if form.cleaned_data["decision"] == APPROVE:
                approve_opportunity(opportunity=opportunity, by=request.user)
                done = _("The opportunity is published. The organisation has been emailed.")
            else:
                send_back_opportunity(
                    opportunity=opportunity, by=request.user, reason=form.cleaned_data["reason"]
                )
                done = _("The opportunity has been sent back. The organisation has been emailed.")
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, done)
            return redirect("volunteering:broker_queue")
    return render(
        request,
        "volunteering/broker_check.html",
        {
            "opportunity": opportunity,
            "rows": rows_of(opportunity),
            "form": form,
            "can_decide": can_decide,
            "own": own,
        },
    )
