"""Officers and managers: a round's sent applications, and each one as it was sent.

Drafts are the organisation's own: staff see an application only once sent.
Assessing (the panel, conflicts, scores) comes in a later slice.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.services import history_for
from organisations.listing import page_of

from ..application_selectors import (
    proposed_count,
    read_application,
    round_application_counts,
    sent_applications,
)
from ..permissions import get_application_for_staff, get_round_for_staff


@login_required
@require_GET
def round_applications(request, pk):
    """The round's sent applications, a page at a time, with how many for each community.

    Queries: the round, the communities with their counts, the proposed
    communities' count, and the count and page of applications with their
    organisations and communities.
    """
    grant_round = get_round_for_staff(request.user, pk)
    counts = round_application_counts(grant_round)
    page = page_of(request, sent_applications(grant_round))
    return render(
        request,
        "grants/round_applications.html",
        {
            "round": grant_round,
            "counts": counts,
            "proposed": proposed_count(grant_round),
            "page": page,
        },
    )


@login_required
@require_GET
def staff_application(request, pk):
    """One sent application in full: answers, evidence, consortium, the service's checks."""
    application = get_application_for_staff(request.user, pk)
    state = read_application(application)
    history = list(history_for(application)[:50])
    for event in history:
        event.subject = event.data.get("organisation", "") or event.data.get("name", "")
    return render(
        request,
        "grants/staff_application.html",
        {"application": application, "state": state, "history": history},
    )
