"""The organisation's volunteering pages: its opportunities, a draft written and changed
(saved however incomplete, so nothing typed is lost), checked and sent to the volunteer
centre, or withdrawn. Every page is for the organisation's members (others 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.listing import page_of
from organisations.permissions import get_own_organisation
from packages.forms import show_refusal, submitted

from .. import rules
from ..forms import OpportunityForm
from ..lapse_rules import closes_in, may_extend
from ..lapse_selectors import mark_closing_soon
from ..models import Opportunity
from ..permissions import get_opportunity_for_member
from ..services import (
    VolunteeringError,
    close_opportunity,
    copy_opportunity,
    save_draft,
    submit_opportunity,
)
from .summary import problems_not_on_a_row, rows_of


@login_required
@require_GET
def opportunity_list(request):
    """The organisation's opportunities, newest first, a page at a time: two queries (the
    count and the page) however many there are."""
    organisation, _membership = get_own_organisation(request.user)
    opportunities = Opportunity.objects.filter(organisation=organisation).only(
        "title", "status", "close_reason", "ends_on", "created_at"
    )
    page = page_of(request, opportunities)
    mark_closing_soon(page, timezone.localdate())
    return render(
        request,
        "volunteering/opportunity_list.html",
        {"organisation": organisation, "page": page},
    )


def _save(request, form, organisation, opportunity=None):
    """Save the draft from a valid form; on a refusal, put it on the form and return None."""
    try:
        return save_draft(
            organisation=organisation,
            by=request.user,
            fields=form.answers(),
            opportunity=opportunity,
        )
    except VolunteeringError as exc:
        show_refusal(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    organisation, _membership = get_own_organisation(request.user)
    form = OpportunityForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        opportunity = _save(request, form, organisation)
        if opportunity is not None:
            messages.success(request, _("Your draft has been saved."))
            return redirect("volunteering:opportunity", opportunity.pk)
    return render(
        request,
        "volunteering/opportunity_form.html",
        {"form": form, "organisation": organisation, "opportunity": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    """Change an opportunity while it is with the organisation (a draft, or sent back)."""
    opportunity, membership = get_opportunity_for_member(request.user, pk)
    # Opened once it has been sent: nothing to change. Sent from a form opened before it was
    # sent: the service refuses, and the form comes back with what was typed.
    if request.method == "GET" and opportunity.status not in rules.EDITABLE:
        messages.info(request, _("This opportunity can no longer be changed."))
        return redirect("volunteering:opportunity", opportunity.pk)
    form = OpportunityForm(submitted(request), initial=opportunity.fields)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, membership.organisation, opportunity) is not None
    ):
        messages.success(request, _("Your changes have been saved."))
        return redirect("volunteering:opportunity", opportunity.pk)
    return render(
        request,
        "volunteering/opportunity_form.html",
        {"form": form, "organisation": membership.organisation, "opportunity": opportunity},
    )


def _detail(request, opportunity, problems=None, error=""):
    editable = opportunity.status in rules.EDITABLE
    return render(
        request,
        "volunteering/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "rows": rows_of(opportunity, problems),
            "problems": problems or {},
            "other_problems": problems_not_on_a_row(problems or {}),
            "error": error,
            "can_edit": editable,
            "can_submit": bool(rules.may_move(opportunity.status, rules.SUBMITTED)),
            "can_withdraw": _may_close(opportunity, rules.WITHDRAWN),
            "can_mark_filled": _may_close(opportunity, rules.FILLED),
            "can_extend": bool(may_extend(opportunity.status)),
            "closes_in": closes_in(
                status=opportunity.status, ends_on=opportunity.ends_on, today=timezone.localdate()
            ),
        },
    )


@login_required
@require_GET
def opportunity_detail(request, pk):
    """One opportunity, its answers to check, and what can be done with it now."""
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    return _detail(request, opportunity)


@login_required
@require_POST
def opportunity_submit(request, pk):
    """Send the opportunity to the volunteer centre; a refusal is shown against each answer
    that needs changing, and nothing stored is touched."""
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    try:
        submit_opportunity(opportunity=opportunity, by=request.user)
    except VolunteeringError as exc:
        return _detail(request, opportunity, exc.problems, "" if exc.problems else exc.reason)
    return redirect("volunteering:opportunity_sent", opportunity.pk)


@login_required
@require_POST
def opportunity_copy(request, pk):
    """A new draft with this opportunity's answers but not its dates, to recruit again."""
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    try:
        copy = copy_opportunity(opportunity=opportunity, by=request.user)
    except VolunteeringError as exc:
        return _detail(request, opportunity, exc.problems, "" if exc.problems else exc.reason)
    messages.success(
        request,
        _("A copy has been saved as a draft. Give its dates, then send it to be checked."),
    )
    return redirect("volunteering:opportunity_edit", copy.pk)


@login_required
@require_GET
def opportunity_sent(request, pk):
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": _("Opportunity sent to the volunteer centre"),
            "next_steps": [
                _(
                    "The volunteer centre checks %(title)s before the public can find it. Your "
                    "organisation's administrators are emailed when it is published, or if "
                    "anything needs to change."
                )
                % {"title": opportunity.title},
            ],
            "links": [
                (_("Back to your opportunities"), reverse("volunteering:opportunities")),
                (_("See the opportunity"), reverse("volunteering:opportunity", args=[pk])),
            ],
        },
    )


def _may_close(opportunity, reason: str) -> bool:
    return reason in rules.CLOSE_REASONS.get(opportunity.status, ())


def _close(request, pk, reason: str, done: str):
    """Close an opportunity for `reason` after the person confirms; a refusal is shown and
    changes nothing."""
    opportunity, _membership = get_opportunity_for_member(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            close_opportunity(opportunity=opportunity, reason=reason, by=request.user)
        except VolunteeringError as exc:
            error = exc.reason
        else:
            messages.success(request, done)
            return redirect("volunteering:opportunities")
    return render(
        request,
        "volunteering/opportunity_close.html",
        {
            "opportunity": opportunity,
            "error": error,
            "filling": reason == rules.FILLED,
            "can_close": _may_close(opportunity, reason),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_withdraw(request, pk):
    """Withdraw an opportunity (it closes, and the public no longer see it)."""
    return _close(request, pk, rules.WITHDRAWN, _("The opportunity has been withdrawn."))


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_filled(request, pk):
    """Close a published opportunity because every place is filled."""
    return _close(request, pk, rules.FILLED, _("The opportunity is closed: every place is filled."))
