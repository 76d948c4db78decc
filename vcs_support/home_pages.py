"""Each person's home page: what they should do next, as a GOV.UK task list.

`/home/` is where signing in lands. It composes every app (the facts come from
`home_selectors`, the tasks from the pure functions in `next_steps`), so it
lives in this wiring layer. Organisation members, provider people, officers
and managers each get their own list; someone with no role yet chooses one.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations.permissions import membership_for
from providers.permissions import provider_membership_for
from volunteering.permissions import volunteer_for
from volunteering.selectors import is_broker

from . import home_selectors as facts
from . import next_steps, staff_next_steps


def _with_links(sections: list[next_steps.Section]) -> list[dict]:
    """Each task with its URL: reversed here, so the task functions stay pure."""
    resolved = []
    for section in sections:
        tasks = []
        for task in section.tasks:
            url = None
            if task.link is not None:
                name, args, *query = task.link
                url = reverse(name, args=args) + (f"?{query[0]}" if query else "")
            tasks.append({"task": task, "url": url})
        resolved.append({"section": section, "tasks": tasks})
    return resolved


@login_required
@require_GET
def home(request):
    user, today = request.user, timezone.localdate()
    if user.is_manager:
        state = facts.manager_facts(today)
        return render(
            request,
            "pages/home_manager.html",
            {"facts": state, "sections": _with_links(staff_next_steps.manager_tasks(state, today))},
        )
    if user.is_officer:
        state = facts.officer_facts(user, today)
        return render(
            request,
            "pages/home_officer.html",
            {"sections": _with_links(staff_next_steps.officer_tasks(state, today))},
        )
    membership = membership_for(user)
    if membership is not None:
        state = facts.organisation_facts(membership.organisation, membership, today)
        return render(
            request,
            "pages/home_organisation.html",
            {
                "organisation": membership.organisation,
                "sections": _with_links(next_steps.organisation_tasks(state, today)),
            },
        )
    provider_membership = provider_membership_for(user)
    if provider_membership is not None:
        provider = provider_membership.provider
        state = facts.provider_facts(provider, today)
        return render(
            request,
            "pages/home_provider.html",
            {
                "provider": provider,
                "sections": _with_links(next_steps.provider_tasks(state, today)),
                "is_broker": is_broker(user),
            },
        )
    if volunteer_for(user) is not None:
        return redirect("volunteering:volunteer_home")
    return render(request, "pages/choose_role.html")
