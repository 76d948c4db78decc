"""Managers: the communities of interest rounds can be opened to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from packages.forms import submitted

from .. import rules, services
from ..forms import CommunityForm
from ..permissions import get_community_for_manager, require_manager
from ..selectors import communities_for_managers


@login_required
@require_GET
def community_list(request):
    require_manager(request.user)
    city = rules.city_population()
    page = page_of(request, communities_for_managers())
    for community in page:
        community.size = community.size_decision(city)
    return render(request, "grants/community_list.html", {"page": page, "city": city})


def _community_form(request, community=None):
    city = rules.city_population()
    initial = None
    if community is not None:
        initial = {name: getattr(community, name) for name in services.COMMUNITY_FIELDS}
    form = CommunityForm(submitted(request), initial=initial, city=city)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.COMMUNITY_FIELDS}
        try:
            if community is None:
                community = services.add_community(by=request.user, data=data)
            else:
                community = services.update_community(
                    community=community, by=request.user, data=data
                )
        except services.CommunityInvalid as exc:
            for field, message in exc.problems.items():
                form.add_error(field, message)
        else:
            messages.success(request, f"{community.name} has been saved")
            return redirect("grants:communities")
    return render(
        request,
        "grants/community_form.html",
        {"form": form, "community": community, "city": city},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_add(request):
    require_manager(request.user)
    return _community_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def community_edit(request, pk):
    return _community_form(request, get_community_for_manager(request.user, pk))
