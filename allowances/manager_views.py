"""The manager's pages: budget years and strands, the ledger, the caps policy, overrides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import link_each
from packages.forms import submitted
from packages.models import Strand

from .forms import BudgetYearForm, CapPolicyForm, strand_field
from .models import BudgetStrand, BudgetYear, CapPolicyVersion
from .permissions import require_manager
from .policy import (
    BudgetInvalid,
    PolicyInvalid,
    budget_limits,
    create_budget_year,
    set_cap_policy,
    update_budget_year,
)
from .rules import policy_on
from .selectors import cap_policies, overrides, strands_with_figures

PAGE_SIZE = 50


def _show_problems(form, problems: dict) -> None:
    """Put each broken rule's message on the field it is about."""
    for key, message in problems.items():
        field = strand_field(key) if key in Strand.values else key
        form.add_error(field if field in form.fields else None, message)


@login_required
@require_GET
def budget_years(request):
    require_manager(request.user)
    # The strands in the order the scheme lists them, not alphabetically.
    order = Case(*(When(kind=k, then=Value(n)) for n, k in enumerate(Strand.values)))
    strands = strands_with_figures(BudgetStrand.objects.order_by(order))
    years = BudgetYear.objects.prefetch_related(Prefetch("strands", queryset=strands)).order_by(
        "-start_year"
    )
    ceiling, floor = budget_limits()
    return render(
        request,
        "allowances/budget_years.html",
        {"years": years, "ceiling": ceiling, "floor": floor},
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_year_create(request):
    require_manager(request.user)
    taken = set(BudgetYear.objects.values_list("start_year", flat=True))
    form = BudgetYearForm(submitted(request), taken_years=taken, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            year = create_budget_year(
                by=request.user,
                start_year=form.cleaned_data["start_year"],
                total=form.cleaned_data["total"],
                amounts=form.amounts(),
            )
        except BudgetInvalid as exc:
            _show_problems(form, exc.problems)
        else:
            messages.success(request, f"The budget for {year.label} has been set.")
            return redirect("allowances:budget_years")
    ceiling, floor = budget_limits()
    return render(
        request,
        "allowances/budget_year_form.html",
        {"form": form, "creating": True, "ceiling": ceiling, "floor": floor},
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_year_edit(request, pk):
    require_manager(request.user)
    year = get_object_or_404(BudgetYear, pk=pk)
    initial = {"total": year.total}
    initial.update({strand_field(s.kind): s.amount for s in year.strands.all()})
    form = BudgetYearForm(
        submitted(request), initial=initial, creating=False, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_budget_year(
                budget_year=year,
                by=request.user,
                total=form.cleaned_data["total"],
                amounts=form.amounts(),
            )
        except BudgetInvalid as exc:
            _show_problems(form, exc.problems)
        else:
            messages.success(request, f"The budget for {year.label} has been saved.")
            return redirect("allowances:budget_years")
    ceiling, floor = budget_limits()
    return render(
        request,
        "allowances/budget_year_form.html",
        {"form": form, "creating": False, "year": year, "ceiling": ceiling, "floor": floor},
    )


@login_required
@require_GET
def strand_ledger(request, pk):
    """Every entry behind a strand's figures, newest first."""
    require_manager(request.user)
    strand = get_object_or_404(
        strands_with_figures(BudgetStrand.objects.select_related("budget_year")), pk=pk
    )
    entries = strand.ledger.select_related(
        "organisation",
        "agreed_package__package",
        "award",
        "created_by",
    ).order_by("-created_at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    link_each(page, "allowances:agreed_package_detail", key="agreed_package_id", to="package_url")
    return render(request, "allowances/strand_ledger.html", {"strand": strand, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def cap_policy(request):
    require_manager(request.user)
    today = timezone.localdate()
    current = policy_on(cap_policies(), today)
    initial = {
        "per_year": current.per_year,
        "per_period": current.per_period,
        "period_years": current.period_years,
        "basis": current.basis,
    }
    form = CapPolicyForm(submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = set_cap_policy(by=request.user, today=today, **form.cleaned_data)
        except PolicyInvalid as exc:
            _show_problems(form, exc.problems)
        else:
            messages.success(
                request, f"The new rules take effect on {version.effective_from:%-d %B %Y}."
            )
            return redirect("allowances:cap_policy")
    versions = CapPolicyVersion.objects.select_related("created_by").order_by("-effective_from")
    return render(
        request,
        "allowances/cap_policy.html",
        {"form": form, "current": current, "versions": versions, "today": today},
    )


@login_required
@require_GET
def overrides_list(request):
    require_manager(request.user)
    page = Paginator(overrides(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allowances/overrides.html", {"page": page})
