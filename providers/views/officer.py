"""Council officers: the queue of package applications, assessing one, the register,
a provider's full record, and suspending or removing an approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import history_for
from organisations.listing import (
    name_contains,
    page_of,
    path_maker,
    search_term,
    searched_page,
)

from ..essentials import EXCLUSION_GROUNDS
from ..forms import ApprovalChangeForm, AssessmentForm, PackageApplicationForm
from ..models import ApplicationStatus, PackageApplication, Provider, required_insurance
from ..permissions import get_application_for_staff, get_provider_for_staff, require_officer
from ..rules import expiry_warning, insurance_lapsed
from ..selectors import essential_failures
from ..services import (
    ProviderError,
    approve_application,
    ask_for_more_information,
    reinstate_approval,
    reject_application,
    remove_approval,
    suspend_approval,
)
from .posted import posted_data


@login_required
@require_http_methods(["GET"])
def officer_queue(request):
    """Submitted package applications, oldest first, a page at a time; searchable by the
    provider's or the package's name. Queries: the count, the page (with both names)."""
    require_officer(request.user)
    term = search_term(request)
    applications = PackageApplication.objects.filter(status=ApplicationStatus.SUBMITTED)
    if term:
        applications = applications.filter(name_contains(term, "provider__name", "package__name"))
    page = page_of(
        request, applications.select_related("provider", "package").order_by("submitted_at", "pk")
    )
    now = timezone.now()
    detail = path_maker("providers:officer_application")
    rows = [(a, detail(a.pk), (now - a.submitted_at).days) for a in page]
    return render(
        request, "providers/officer_queue.html", {"page": page, "term": term, "rows": rows}
    )


def _assessment_context(application, today):
    provider = application.provider
    return {
        "application": application,
        "provider": provider,
        "package": application.package,
        "answers": [
            (label, getattr(application, name))
            for name, label in PackageApplicationForm.WHAT.items()
        ],
        "failures": essential_failures(provider, today),
        "others": provider.package_applications.exclude(pk=application.pk).select_related(
            "package"
        ),
        "history": history_for(application)[:30],
    }


@login_required
@require_http_methods(["GET", "POST"])
def officer_application(request, pk):
    """One package application, and the officer's decision while it waits for one."""
    application = get_application_for_staff(request.user, pk)
    today = timezone.localdate()
    can_decide = application.status == ApplicationStatus.SUBMITTED
    form = AssessmentForm(posted_data(request)) if can_decide else None
    error = None
    if request.method == "POST":
        if form is None:
            error = "This application is not waiting for a decision. Nothing was changed."
        elif form.is_valid():
            error = _decide(request, application, form.cleaned_data)
            if error is None:
                return redirect("providers:officer_queue")
    return render(
        request,
        "providers/officer_application.html",
        {**_assessment_context(application, today), "form": form, "error": error},
        status=409 if error else 200,
    )


def _decide(request, application, data) -> str | None:
    """Run the decision's service; the refusal's sentence, or None when done."""
    decision, message = data["decision"], data.get("message", "")
    name = application.provider.name
    try:
        if decision == AssessmentForm.APPROVE:
            approve_application(application=application, by=request.user, note=message)
            messages.success(request, f"{name} is approved for {application.package.name}")
        elif decision == AssessmentForm.REJECT:
            reject_application(application=application, by=request.user, reason=message)
            messages.success(request, f"{name}'s application is rejected; they have been told why")
        else:
            ask_for_more_information(application=application, by=request.user, question=message)
            messages.success(request, f"The application has gone back to {name}")
    except ProviderError as exc:
        return exc.reason
    return None


@login_required
@require_http_methods(["GET"])
def officer_register(request):
    """Every provider with its approvals and whether they have lapsed, a page at a time, or
    those matching the search, best first. Queries: the count, the page, the page's
    applications (approved, suspended or waiting) and its certificates; when a search
    matches nothing, the count and page of names like it too."""
    require_officer(request.user)
    term = search_term(request)
    if term:
        page, similar = searched_page(
            request, Provider.objects.search(term), Provider.objects.similar_to(term)
        )
    else:
        page, similar = page_of(request, Provider.objects.order_by("name", "pk")), False
    rows = _register_rows(list(page), timezone.localdate())
    return render(
        request,
        "providers/officer_register.html",
        {"page": page, "term": term, "similar": similar, "rows": rows},
    )


REGISTER_APPLICATIONS = [
    ApplicationStatus.APPROVED,
    ApplicationStatus.SUSPENDED,
    ApplicationStatus.SUBMITTED,
]


def _register_rows(providers, today):
    """(provider, its page's path, approvals and suspensions, applications waiting, lapsed)."""
    prefetch_related_objects(
        providers,
        Prefetch(
            "package_applications",
            queryset=PackageApplication.objects.filter(
                status__in=REGISTER_APPLICATIONS
            ).select_related("package"),
            to_attr="listed_applications",
        ),
        "certificates",
    )
    detail = path_maker("providers:officer_provider")
    rows = []
    for provider in providers:
        applications = provider.listed_applications
        approvals = [a for a in applications if a.status != ApplicationStatus.SUBMITTED]
        expiries = {c.kind: c.expires_on for c in provider.certificates.all()}
        lapsed = insurance_lapsed(
            expiries=expiries, required=required_insurance(provider.employs_staff), on=today
        )
        waiting = len(applications) - len(approvals)
        rows.append((provider, detail(provider.pk), approvals, waiting, lapsed))
    return rows


@login_required
@require_http_methods(["GET"])
def officer_provider(request, pk):
    """A provider's full record: profile, essentials, certificates, declarations, applications."""
    provider = get_provider_for_staff(request.user, pk)
    today = timezone.localdate()
    certificates = list(provider.certificates.all())
    answers = provider.exclusion_answers or {}
    return render(
        request,
        "providers/officer_provider.html",
        {
            "provider": provider,
            "failures": essential_failures(provider, today),
            "certificates": [(c, expiry_warning(c.expires_on, today)) for c in certificates],
            "policies": provider.policies.all(),
            "exclusions": [(asks, answers.get(slug, "")) for slug, asks, _ in EXCLUSION_GROUNDS],
            "conflicts": provider.declared_conflicts.all(),
            "applications": provider.package_applications.select_related("package"),
            "members": provider.memberships.select_related("user"),
            "lapsed": insurance_lapsed(
                expiries={c.kind: c.expires_on for c in certificates},
                required=required_insurance(provider.employs_staff),
                on=today,
            ),
            "history": history_for(provider)[:30],
        },
    )


APPROVAL_SERVICES = {
    ApprovalChangeForm.SUSPEND: (suspend_approval, "suspended"),
    ApprovalChangeForm.REINSTATE: (reinstate_approval, "reinstated"),
    ApprovalChangeForm.REMOVE: (remove_approval, "removed"),
}


@login_required
@require_http_methods(["GET", "POST"])
def officer_approval_change(request, pk):
    """Suspend, reinstate or remove an approval, with a reason."""
    application = get_application_for_staff(request.user, pk)
    changeable = application.status in (ApplicationStatus.APPROVED, ApplicationStatus.SUSPENDED)
    form = (
        ApprovalChangeForm(posted_data(request), status=application.status) if changeable else None
    )
    error = None
    if request.method == "POST":
        if form is None:
            error = "This application is not an approval that can be changed. Nothing was changed."
        elif form.is_valid():
            service, done = APPROVAL_SERVICES[form.cleaned_data["action"]]
            kwargs = {"application": application, "by": request.user}
            reason = form.cleaned_data["reason"]
            kwargs["note" if service is reinstate_approval else "reason"] = reason
            try:
                service(**kwargs)
            except ProviderError as exc:
                error = exc.reason
            else:
                messages.success(
                    request,
                    f"{application.provider.name}'s approval for "
                    f"{application.package.name} is {done}",
                )
                return redirect("providers:officer_provider", pk=application.provider_id)
    return render(
        request,
        "providers/officer_approval_change.html",
        {
            "application": application,
            "provider": application.provider,
            "package": application.package,
            "form": form,
            "error": error,
        },
        status=409 if error else 200,
    )
