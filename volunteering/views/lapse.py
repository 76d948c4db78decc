"""The organisation extends a published opportunity's closing date (linked from the
reminder a week before it closes, and from the opportunity's page). For the
organisation's members only (others 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diagnostics.rules import long_date
from packages.forms import show_refusal, submitted

from .. import lapse_rules
from ..lapse_forms import ExtendForm
from ..lapse_services import extend_opportunity
from ..permissions import get_opportunity_for_member
from ..services import VolunteeringError


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_extend(request, pk):
    """Ask for the new closing date; a refusal keeps what was typed and changes nothing."""
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    form = ExtendForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            extend_opportunity(
                opportunity=opportunity, by=request.user, ends_on=form.cleaned_data["ends_on"]
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The closing date is now %(date)s.")
                % {"date": long_date(form.cleaned_data["ends_on"])},
            )
            return redirect("volunteering:opportunity", opportunity.pk)
    today = timezone.localdate()
    return render(
        request,
        "volunteering/opportunity_extend.html",
        {
            "opportunity": opportunity,
            "form": form,
            "why_not": lapse_rules.may_extend(opportunity.status).reason,
            "closes_in": lapse_rules.closes_in(
                status=opportunity.status, ends_on=opportunity.ends_on, today=today
            ),
            "latest": long_date(lapse_rules.latest_closing_date(today)),
        },
    )
