"""The brokers' view of volunteers (brokers see all, never the equality answers): the
list, one volunteer with the roles that suit them best, and one published opportunity with
the volunteers it suits best; from either, suggest the role to the volunteer."""

from crispy_forms_gds.choices import Choice
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from organisations.models import PriorityTheme
from organisations.validators import compact_input
from packages.forms import show_refusal, submitted

from .. import rules
from ..models import Interest, Opportunity, Suggestion, Volunteer
from ..permissions import require_broker
from ..services import VolunteeringError
from ..suggestion_services import suggest
from ..volunteer_forms import SuggestForm
from ..volunteer_selectors import suggestions_for, volunteers_for


@login_required
@require_GET
def volunteers(request):
    """Every volunteer, newest first, narrowed by district and interest: the broker check,
    the count and the page with their interests."""
    require_broker(request.user)
    district = compact_input(request.GET.get("district", ""))[:4]
    theme = request.GET.get("theme", "")
    found = Volunteer.objects.select_related("user").prefetch_related("themes")
    if district:
        found = found.filter(postcode_district=district)
    if theme.isdigit():
        found = found.filter(themes=int(theme))
    return render(
        request,
        "volunteering/broker_volunteers.html",
        {
            "page": page_of(request, found.order_by("-created_at", "-id")),
            "district": district,
            "theme": theme,
            "themes": PriorityTheme.objects.all(),
        },
    )


def _suggested(request, form, volunteer, opportunity) -> bool:
    try:
        suggest(
            by=request.user,
            volunteer=volunteer,
            opportunity=opportunity,
            note=form.cleaned_data["note"],
        )
    except VolunteeringError as exc:
        show_refusal(form, exc)
        return False
    messages.success(
        request,
        _("%(title)s has been suggested to the volunteer. They have been emailed.")
        % {"title": opportunity.title},
    )
    return True


def _reasons(found) -> str:
    return "; ".join(found.reasons)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer(request, pk):
    """One volunteer's details and interest, and the roles that suit them best to suggest."""
    require_broker(request.user)
    person = get_object_or_404(
        Volunteer.objects.select_related("user").prefetch_related("themes"), pk=pk
    )
    matches = suggestions_for(person, timezone.localdate(), limit=10)
    by_pk = {str(opportunity.pk): opportunity for opportunity, _found in matches}
    form = SuggestForm(
        submitted(request),
        choices=[
            Choice(str(o.pk), f"{o.title} ({o.organisation.name})", hint=_reasons(found))
            for o, found in matches
        ],
        legend=_("Roles that suit them best"),
        missing=_("Select a role to suggest"),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _suggested(request, form, person, by_pk[form.cleaned_data["pick"]])
    ):
        return redirect("volunteering:broker_volunteer", person.pk)
    return render(
        request,
        "volunteering/broker_volunteer.html",
        {
            "person": person,
            "form": form if matches else None,
            "interests": page_of(
                request,
                Interest.objects.filter(volunteer=person).select_related(
                    "opportunity__organisation"
                ),
            ),
            "suggestions": Suggestion.objects.filter(volunteer=person)
            .select_related("opportunity")
            .order_by("-created_at")[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_volunteers(request, pk):
    """A published opportunity and the volunteers it suits best, to suggest it to them (the
    organisation sees one only if they say they are interested)."""
    require_broker(request.user)
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation", "theme"),
        pk=pk,
        status=rules.PUBLISHED,
    )
    matches = volunteers_for(opportunity, timezone.localdate())
    by_pk = {str(person.pk): person for person, _found in matches}
    form = SuggestForm(
        submitted(request),
        choices=[
            Choice(
                str(p.pk),
                f"{p.user.full_name or p.user.email} ({p.postcode_district})",
                hint=_reasons(found),
            )
            for p, found in matches
        ],
        legend=_("Volunteers it suits best"),
        missing=_("Select a volunteer to suggest it to"),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _suggested(request, form, by_pk[form.cleaned_data["pick"]], opportunity)
    ):
        return redirect("volunteering:broker_opportunity_volunteers", opportunity.pk)
    return render(
        request,
        "volunteering/broker_opportunity_volunteers.html",
        {"opportunity": opportunity, "form": form if matches else None},
    )
