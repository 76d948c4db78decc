"""Organisation pages: read top to bottom as authorise, validate, change, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .forms import InvitationForm, OrganisationForm
from .listing import page_of, path_maker, search_term, searched_page
from .models import Invitation, Organisation, PostcodePrefix
from .permissions import (
    acts_for_a_provider,
    get_invitation_for_admin,
    get_own_organisation,
    membership_for,
)
from .services import (
    OrganisationError,
    accept_invitation,
    invite_member,
    register_organisation,
    update_organisation,
    withdraw_invitation,
)


def _profile_data(form):
    data = {k: v for k, v in form.cleaned_data.items() if k != "priority_themes"}
    return data, form.cleaned_data["priority_themes"]


@login_required
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    if request.user.is_officer or acts_for_a_provider(request.user):
        # A person acts for one organisation or one provider, never both.
        raise Http404("Council staff and providers do not register organisations.")
    if membership_for(request.user) is not None:
        messages.info(request, "You already belong to an organisation.")
        return redirect("organisation_home")
    # What the service already knows: the person registering is the first contact.
    initial = {"contact_name": request.user.full_name, "contact_email": request.user.email}
    form = OrganisationForm(
        request.POST or None, initial=initial, area_table=PostcodePrefix.objects.table()
    )
    if request.method == "POST" and form.is_valid():
        data, themes = _profile_data(form)
        try:
            organisation = register_organisation(user=request.user, data=data, themes=themes)
        except OrganisationError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{organisation.name} is registered.")
            return redirect("organisation_home")
    return render(request, "organisations/organisation_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request):
    organisation, _ = get_own_organisation(request.user, admin=True)
    form = OrganisationForm(
        request.POST or None, instance=organisation, area_table=PostcodePrefix.objects.table()
    )
    if request.method == "POST" and form.is_valid():
        data, themes = _profile_data(form)
        try:
            update_organisation(
                organisation=organisation, by=request.user, data=data, themes=themes
            )
        except OrganisationError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "Your organisation's details have been saved.")
            return redirect("organisation_home")
    return render(
        request, "organisations/organisation_form.html", {"form": form, "creating": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_people(request):
    organisation, membership = get_own_organisation(request.user)
    if request.method == "POST" and not membership.is_admin:
        raise PermissionDenied("Only an administrator of the organisation can invite people.")
    form = InvitationForm(request.POST or None) if membership.is_admin else None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                by=request.user,
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except OrganisationError as exc:
            form.add_error("email", exc.reason)
        else:
            messages.success(request, f"We have sent an invitation to {invitation.email}.")
            return redirect("organisations:people")
    members = organisation.memberships.select_related("user").order_by("joined_at")
    invitations = organisation.invitations.select_related("invited_by").order_by("-created_at")
    return render(
        request,
        "organisations/organisation_people.html",
        {
            "organisation": organisation,
            "members": members,
            "invitations": invitations,
            "form": form,
            "can_invite": membership.is_admin,
        },
    )


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = get_invitation_for_admin(request.user, pk)
    return withdraw_and_go_back(
        request,
        invitation,
        withdraw=withdraw_invitation,
        error=OrganisationError,
        people_page="organisations:people",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    # The token is the secret: anyone holding it sees whose invitation it is,
    # but only the invited address can accept (checked in the service).
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    return invitation_accept_page(
        request,
        invitation,
        accept=accept_invitation,
        error=OrganisationError,
        joined=f"You have joined {invitation.organisation.name}.",
        home="organisation_home",
        template="organisations/invitation_accept.html",
    )


# --- The steps of the invitation pages, for any owner: providers.views uses them
# with its own services, messages and pages.


def withdraw_and_go_back(request, invitation, *, withdraw, error, people_page: str):
    """Withdraw through the owner's service, say what happened, and go back to its people."""
    try:
        withdraw(invitation=invitation, by=request.user)
    except error as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect(people_page)


def invitation_accept_page(request, invitation, *, accept, error, joined, home, template):
    """The invitation; a POST accepts it through the owner's service, or shows why not (409)."""
    reason = None
    if request.method == "POST":
        try:
            accept(invitation=invitation, user=request.user)
        except error as exc:
            reason = exc.reason
        else:
            messages.success(request, joined)
            return redirect(home)
    return render(
        request,
        template,
        {"invitation": invitation, "error": reason},
        status=409 if reason else 200,
    )


@login_required
@require_http_methods(["GET"])
def officer_queue(request):
    """Every organisation, a page at a time, or those matching the search, best first.

    Queries after the session's: the count for the paginator, the page (and,
    when a search matches nothing, the count and page of names like it).
    """
    if not request.user.is_officer:
        raise Http404
    term = search_term(request)
    organisations = Organisation.objects.visible_to(request.user)
    if term:
        page, similar = searched_page(
            request, organisations.search(term), organisations.similar_to(term)
        )
    else:
        page, similar = page_of(request, organisations.order_by("name", "pk")), False
    detail = path_maker("officer_organisation_detail")
    return render(
        request,
        "organisations/officer_queue.html",
        {
            "page": page,
            "term": term,
            "similar": similar,
            "rows": [(o, detail(o.pk)) for o in page],
        },
    )
