"""Managers: grant rounds, from the template to publishing (and back, or withdrawn)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allowances.models import BudgetStrand
from allowances.rules import financial_year_of
from audit.services import history_for
from organisations.listing import page_of
from packages.forms import submitted
from packages.models import Strand

from .. import rules, services
from ..criterion_forms import ScaleForm
from ..forms import (
    RoundCommunitiesForm,
    RoundForm,
    WithdrawForm,
    round_initial,
)
from ..models import CommunityOfInterest, GrantRound
from ..permissions import get_round_for_manager, require_manager
from ..selectors import round_in_full, rounds_for_managers
from ..template import SUMMARY


def _strands():
    return list(
        BudgetStrand.objects.select_related("budget_year").order_by(
            "-budget_year__start_year", "kind"
        )
    )


def _default_strand(strands):
    """The community cohesion strand of the year that contains today, else the newest one."""
    this_year = financial_year_of(timezone.localdate())
    cohesion = [s for s in strands if s.kind == Strand.COMMUNITY_COHESION]
    current = [s for s in cohesion if s.budget_year.start_year == this_year]
    chosen = (current or cohesion or [None])[0]
    return chosen.pk if chosen else None


def _show_problems(form, problems: dict) -> None:
    for field, message in problems.items():
        form.add_error(field if field in form.fields else None, message)


def _not_draft(request, grant_round, what: str):
    messages.error(
        request,
        f"{grant_round.name} is {grant_round.get_status_display().lower()}, so {what} cannot be "
        "changed.",
    )
    return redirect("grants:round_detail", grant_round.pk)


@login_required
@require_GET
def round_list(request):
    require_manager(request.user)
    page = page_of(request, rounds_for_managers().order_by("-opens_at", "-pk"))
    now = timezone.now()
    for grant_round in page:
        grant_round.phase_now = rules.PHASE_WORDS[grant_round.phase(now)]
    return render(request, "grants/round_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require_manager(request.user)
    strands = _strands()
    initial = {"strand": _default_strand(strands), "summary": SUMMARY}
    initial.update(payment_schedule="quarterly", opens_time="9am", closes_time="5pm")
    form = RoundForm(submitted(request), initial=initial, strands=strands)
    if request.method == "POST" and form.is_valid():
        try:
            grant_round = services.create_round(by=request.user, data=form.round_data())
        except services.RoundInvalid as exc:
            _show_problems(form, exc.problems)
        else:
            messages.success(
                request,
                f"{grant_round.name} is a draft with section B's criteria: check them, choose "
                "the communities, then publish it",
            )
            return redirect("grants:round_detail", grant_round.pk)
    return render(
        request, "grants/round_form.html", {"form": form, "creating": True, "strands": strands}
    )


@login_required
@require_GET
def round_detail(request, pk):
    require_manager(request.user)
    return _render_detail(request, pk)


def _render_detail(request, pk, *, refused=None):
    """The round summarised, as a check-your-answers page while it is a draft.

    Queries: the round with its strand and year, its communities, criteria and
    scale, and its history.
    """
    full = get_object_or_404(
        round_in_full(GrantRound.objects.select_related("strand__budget_year")), pk=pk
    )
    now = timezone.now()
    problems = rules.publish_problems(services.round_facts(full), now=now) if full.is_draft else []
    if refused is not None:
        problems = refused
    city = rules.city_population()
    for entry in full.open_communities:
        entry.size = entry.community.size_decision(city)
    history = list(history_for(full)[:50])
    for event in history:  # a criterion's event names it: "Criterion added …: Appeal"
        event.subject = event.data.get("criterion", "")
    context = {
        "round": full,
        "phase": rules.PHASE_WORDS[full.phase(now)],
        "problems": problems,
        "refused": refused is not None,
        "can_publish": full.is_draft and not problems,
        "can_return_to_draft": bool(
            rules.round_move("return_to_draft", status=full.status, opens_at=full.opens_at, now=now)
        ),
        "can_withdraw": bool(
            rules.round_move("withdraw", status=full.status, opens_at=full.opens_at, now=now)
        ),
        "eligibility": [c for c in full.criteria_list if c.section == "eligibility"],
        "representation": [c for c in full.criteria_list if c.section == "representation"],
        "instalments": full.instalments(),
        "city": city,
        "history": history,
    }
    return render(request, "grants/round_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    if not grant_round.is_draft:
        return _not_draft(request, grant_round, "its details")
    strands = _strands()
    form = RoundForm(submitted(request), initial=round_initial(grant_round), strands=strands)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(grant_round=grant_round, by=request.user, data=form.round_data())
        except services.RoundInvalid as exc:
            _show_problems(form, exc.problems)
        except services.RoundError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{grant_round.name} has been saved")
            return redirect("grants:round_detail", grant_round.pk)
    return render(
        request,
        "grants/round_form.html",
        {"form": form, "creating": False, "round": grant_round, "strands": strands},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_communities(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    if not grant_round.is_draft:
        return _not_draft(request, grant_round, "the communities it is open to")
    communities = list(CommunityOfInterest.objects.order_by("characteristic", "name"))
    chosen = list(grant_round.round_communities.values_list("community_id", flat=True))
    form = RoundCommunitiesForm(
        submitted(request),
        initial={"communities": chosen},
        communities=communities,
        city=rules.city_population(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_round_communities(
                grant_round=grant_round, by=request.user, communities=form.chosen()
            )
        except services.RoundError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "The communities open for application have been saved")
            return redirect("grants:round_detail", grant_round.pk)
    return render(
        request,
        "grants/round_communities.html",
        {"form": form, "round": grant_round, "communities": communities},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_scale(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    if not grant_round.is_draft:
        return _not_draft(request, grant_round, "its scoring scale")
    initial = {}
    for level in grant_round.scale.all():
        initial[f"label_{level.score}"] = level.label
        initial[f"descriptor_{level.score}"] = level.descriptor
    form = ScaleForm(submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_scale(grant_round=grant_round, by=request.user, levels=form.levels())
        except services.RoundError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "The scoring scale has been saved")
            return redirect("grants:round_detail", grant_round.pk)
    return render(request, "grants/round_scale.html", {"form": form, "round": grant_round})


@login_required
@require_POST
def round_publish(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    try:
        services.publish_round(grant_round=grant_round, by=request.user)
    except services.RoundError as exc:
        if exc.problems:
            return _render_detail(request, grant_round.pk, refused=exc.problems)
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            f"{grant_round.name} is published. It opens for applications at "
            f"{grant_round.opens_words}",
        )
    return redirect("grants:round_detail", grant_round.pk)


@login_required
@require_POST
def round_return_to_draft(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    try:
        services.return_round_to_draft(grant_round=grant_round, by=request.user)
    except services.RoundError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            f"{grant_round.name} is a draft again: its public page is hidden until you publish it",
        )
    return redirect("grants:round_detail", grant_round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_withdraw(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    move = rules.round_move(
        "withdraw", status=grant_round.status, opens_at=grant_round.opens_at, now=timezone.now()
    )
    form = WithdrawForm(submitted(request))
    if request.method == "POST" and move and form.is_valid():
        try:
            services.withdraw_round(
                grant_round=grant_round, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.RoundError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{grant_round.name} has been withdrawn")
            return redirect("grants:round_detail", grant_round.pk)
    return render(
        request,
        "grants/round_withdraw.html",
        {"form": form, "round": grant_round, "move": move},
    )
