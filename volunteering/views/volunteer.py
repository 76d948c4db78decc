"""The volunteer's pages: their profile (the volunteer role), equality monitoring,
suggestions, interest in an opportunity and what became of it, placements and hours.

A person without a volunteer profile is sent to make one (with where they were going);
a volunteer sees only their own interests and hours (others 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.listing import page_of
from packages.forms import show_refusal, submitted

from .. import volunteer_rules as vr
from ..models import EqualityMonitoring, HourEntry, Interest, Opportunity
from ..permissions import get_interest_for_volunteer, volunteer_for
from ..services import VolunteeringError
from ..volunteer_forms import EqualityForm, HoursForm, InterestForm, ProfileForm
from ..volunteer_selectors import suggested_to, suggestions_for
from ..volunteer_services import (
    express_interest,
    interest_problem,
    log_hours,
    save_equality,
    save_profile,
    withdraw_interest,
)
from .summary import rows_of


def _profile_first(request):
    """Send someone with no volunteer profile to make one, coming back here after."""
    url = reverse("volunteering:volunteer_profile")
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_GET
def home(request):
    """The volunteer's page: suggestions, their interests (a page at a time) and hours."""
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    interests = Interest.objects.filter(volunteer=volunteer).select_related(
        "opportunity__organisation", "placement"
    )
    confirmed = HourEntry.objects.filter(
        placement__interest__volunteer=volunteer, status=vr.CONFIRMED
    ).aggregate(total=Sum("hours"))["total"]
    to_confirm = HourEntry.objects.filter(
        placement__interest__volunteer=volunteer, status=vr.LOGGED, by_volunteer=False
    ).count()
    return render(
        request,
        "volunteering/volunteer_home.html",
        {
            "volunteer": volunteer,
            "suggestions": suggestions_for(volunteer, timezone.localdate()),
            "from_centre": suggested_to(volunteer),
            "page": page_of(request, interests),
            "confirmed_hours": confirmed or 0,
            "to_confirm": to_confirm,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Make the volunteer profile (becoming a volunteer), or change it. Council staff are
    told to use a personal account: their staff account cannot be a volunteer's."""
    if request.user.must_use_two_factor:
        return render(request, "volunteering/volunteer_profile.html", {"staff": True})
    volunteer = volunteer_for(request.user)
    form = ProfileForm(submitted(request), initial=ProfileForm.initial_for(request.user, volunteer))
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(
                user=request.user,
                name=form.cleaned_data["full_name"],
                fields=form.answers(),
                themes=form.cleaned_data["themes"],
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Your volunteer details have been saved.")
                if volunteer
                else _("You are now signed up as a volunteer."),
            )
            return redirect(_safe_next(request) or "volunteering:volunteer_home")
    return render(
        request,
        "volunteering/volunteer_profile.html",
        {"form": form, "volunteer": volunteer, "next": _safe_next(request) or ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def equality(request):
    """Optional equality questions, asked apart from the profile, kept only with consent."""
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    kept = EqualityMonitoring.objects.filter(volunteer=volunteer).first()
    initial = (
        {
            "consent": True,
            "gender": kept.gender,
            "ethnic_group": kept.ethnic_group,
            "disabled": kept.disabled,
        }
        if kept
        else {}
    )
    form = EqualityForm(submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_equality(
                volunteer=volunteer,
                by=request.user,
                consent=form.cleaned_data["consent"],
                answers=form.answers(),
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. Your answers have been saved.")
                if form.cleaned_data["consent"]
                else _("We are not keeping any equality answers for you."),
            )
            return redirect("volunteering:volunteer_home")
    return render(request, "volunteering/volunteer_equality.html", {"form": form, "kept": kept})


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, pk):
    """Say you are interested in a published opportunity, with an optional message; a closed
    one, or one the volunteer is too young for, says why and sends nothing."""
    # Any opportunity once published: one closed since the volunteer found it says so
    # (interest_problem) instead of vanishing; drafts and unchecked ones stay 404.
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organisation", "theme"),
        pk=pk,
        published_at__isnull=False,
    )
    volunteer = volunteer_for(request.user)
    if volunteer is None:
        return _profile_first(request)
    already = Interest.objects.filter(
        volunteer=volunteer, opportunity=opportunity, status__in=vr.LIVE_INTEREST
    ).first()
    if already is not None and request.method == "GET":
        messages.info(request, _("You have already told the organisation you are interested."))
        return redirect("volunteering:my_interest", already.pk)
    form = InterestForm(submitted(request))
    problem = interest_problem(volunteer, opportunity, timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            interest = express_interest(
                volunteer=volunteer,
                by=request.user,
                opportunity=opportunity,
                message=form.cleaned_data["message"],
            )
        except VolunteeringError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("%(organisation)s has been told you are interested. They will answer you.")
                % {"organisation": opportunity.organisation.name},
            )
            return redirect("volunteering:my_interest", interest.pk)
    return render(
        request,
        "volunteering/interest_form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "rows": rows_of(opportunity),
            "problem": problem,
            "volunteer": volunteer,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_interest(request, pk):
    """One interest: its answer, and once accepted the placement and its hours."""
    interest, volunteer = get_interest_for_volunteer(request.user, pk)
    placement = getattr(interest, "placement", None)
    form = HoursForm(submitted(request))
    if request.method == "POST":
        if placement is None:
            raise Http404
        if form.is_valid():
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
            else:
                messages.success(
                    request, _("Your hours have been logged. The organisation will confirm them.")
                )
                return redirect("volunteering:my_interest", interest.pk)
    hours = page_of(request, HourEntry.objects.filter(placement=placement)) if placement else None
    return render(
        request,
        "volunteering/my_interest.html",
        {"interest": interest, "placement": placement, "form": form, "hours": hours},
    )


@login_required
@require_POST
def interest_withdraw(request, pk):
    interest, _volunteer = get_interest_for_volunteer(request.user, pk)
    try:
        withdraw_interest(interest=interest, by=request.user)
    except VolunteeringError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request, _("You have withdrawn your interest. The organisation has been told.")
        )
    return redirect("volunteering:my_interest", interest.pk)
