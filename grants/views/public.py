"""The public's pages: the rounds open for applications, and each published round. No account."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations.listing import page_of

from .. import rules
from ..models import GrantRound
from ..permissions import get_public_round
from ..selectors import open_rounds, round_in_full
from ..voice_models import ConsultationKind
from ..voice_selectors import open_now


@require_GET
def public_rounds(request):
    """Rounds open now or opening later. Queries: the count and the page, and their communities."""
    now = timezone.now()
    page = page_of(request, open_rounds(now))
    for grant_round in page:
        grant_round.phase_now = grant_round.phase(now)
    return render(
        request, "grants/public_rounds.html", {"page": page, "city": rules.city_population()}
    )


@require_GET
def public_round(request, pk):
    """A published round. Queries: the round, its communities, its criteria and its scale;
    once closed, the communities backing an applicant now."""
    grant_round = get_public_round(round_in_full(GrantRound.objects.all()), pk)
    criteria = grant_round.criteria_list
    phase = grant_round.phase()
    # The communities backing an applicant now: only once applications have closed.
    backing = (
        list(
            open_now(timezone.now(), kind=ConsultationKind.BACKING).filter(
                round_community__round=grant_round
            )
        )
        if phase not in ("open", "scheduled")
        else []
    )
    return render(
        request,
        "grants/public_round.html",
        {
            "round": grant_round,
            "phase": phase,
            "backing": backing,
            "must_haves": [c for c in criteria if not c.is_scored and c.section == "eligibility"],
            "scored": [c for c in criteria if c.is_scored and c.section == "eligibility"],
            "representation": [c for c in criteria if c.section == "representation"],
            "total_weight": sum(c.weight for c in criteria if c.is_scored),
            "instalments": grant_round.instalments(),
            "city": rules.city_population(),
        },
    )
