"""A consortium: the lead names registered organisations; each one's administrators answer.

The lead finds an organisation by typing its name or charity or company
number: never a list of every organisation on the register.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.listing import identifier_matches, name_contains, ranked, search_term
from organisations.models import Organisation
from packages.forms import submitted

from ..application_forms import ReasonForm
from ..application_services import (
    ApplicationError,
    add_member,
    confirm_membership,
    decline_membership,
    remove_member,
)
from ..models import ConsortiumMember
from ..permissions import get_application_for_change, get_consortium_request

# Enough to find the one meant; a search never pages through the register.
MATCHES_SHOWN = 10
SHORTEST_TERM = 3


def _matches(term: str, application, members):
    """Organisations matching a name or a charity or company number, best first."""
    if len(term) < SHORTEST_TERM or "@" in term:
        return []
    exclude = [application.organisation_id, *(m.organisation_id for m in members)]
    found = ranked(
        Organisation.objects.exclude(pk__in=exclude),
        term,
        exact=identifier_matches(term),
        contains=name_contains(term, "name"),
    )
    return list(found.only("pk", "name", "charity_number", "company_number", "town"))[
        :MATCHES_SHOWN
    ]


@login_required
@require_GET
def consortium(request, pk):
    """The consortium's members and their answers, and a search to name another."""
    application = get_application_for_change(request.user, pk)
    members = list(application.members.select_related("organisation"))
    term = search_term(request)
    matches = _matches(term, application, members)
    return render(
        request,
        "grants/consortium.html",
        {
            "application": application,
            "members": members,
            "term": term,
            "matches": matches,
            "too_short": bool(term) and len(term) < SHORTEST_TERM,
            "can_change": application.is_draft,
        },
    )


@login_required
@require_POST
def consortium_add(request, pk):
    application = get_application_for_change(request.user, pk)
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
    try:
        add_member(application=application, organisation=organisation, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            f"{organisation.name} has been asked to confirm it is part of the consortium. "
            "We have emailed its administrators",
        )
    return redirect("grants:consortium", application.pk)


@login_required
@require_POST
def consortium_remove(request, pk):
    """Remove a member from the lead's consortium (the member's pk)."""
    member = get_object_or_404(ConsortiumMember.objects.select_related("organisation"), pk=pk)
    application = get_application_for_change(request.user, member.application_id)
    try:
        remove_member(member=member, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"{member.organisation.name} has been removed")
    return redirect("grants:consortium", application.pk)


@login_required
@require_GET
def consortium_request(request, pk):
    """A request for the person's organisation to join another's consortium."""
    member, membership = get_consortium_request(request.user, pk)
    return render(
        request,
        "grants/consortium_request.html",
        {
            "member": member,
            "application": member.application,
            "can_answer": membership.is_admin
            and member.status == ConsortiumMember.Status.INVITED
            and member.application.is_draft,
        },
    )


@login_required
@require_POST
def consortium_confirm(request, pk):
    member, _ = get_consortium_request(request.user, pk, admin=True)
    try:
        confirm_membership(member=member, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            f"You have confirmed that {member.organisation.name} is part of "
            f"{member.application.organisation.name}'s consortium",
        )
    return redirect("grants:consortium_request", member.pk)


@login_required
@require_http_methods(["GET", "POST"])
def consortium_decline(request, pk):
    member, _ = get_consortium_request(request.user, pk, admin=True)
    form = ReasonForm(
        submitted(request),
        label="Why is your organisation declining?",
        required_message="Enter why your organisation is declining",
    )
    if request.method == "POST" and form.is_valid():
        try:
            decline_membership(member=member, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request, f"You have declined {member.application.organisation.name}'s request"
            )
            return redirect("grants:consortium_request", member.pk)
    return render(
        request,
        "grants/consortium_decline.html",
        {"member": member, "application": member.application, "form": form},
    )
