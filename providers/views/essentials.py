"""The essentials: insurance certificates, policies, declarations, and applying to join."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from diagnostics import uploads

from ..essentials import EXCLUSION_GROUNDS
from ..essentials_forms import (
    CertificateForm,
    ConflictsForm,
    DeclarationForm,
    ExclusionsForm,
    PolicyForm,
)
from ..models import InsuranceKind, PolicyKind
from ..permissions import get_certificate_for_user, get_own_provider, get_policy_for_user
from ..selectors import essential_failures, minimum_cover
from ..services import (
    ProviderError,
    declare_conflicts,
    declare_exclusions,
    submit_register_application,
    upload_certificate,
    upload_policy,
)
from .posted import posted_data


def _files(request):
    return request.FILES if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def insurance(request, kind):
    if kind not in InsuranceKind.values:
        raise Http404
    provider = get_own_provider(request.user)
    kind = InsuranceKind(kind)
    current = provider.certificates.filter(kind=kind).first()
    form = CertificateForm(
        posted_data(request),
        _files(request),
        kind=kind.value,
        minimum=minimum_cover()[kind.value],
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload_certificate(
                provider=provider,
                kind=kind,
                cover=data["cover"],
                expires_on=data["expires_on"],
                upload=data["file"],
                by=request.user,
            )
        except ProviderError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            messages.success(request, f"Your {kind.label.lower()} certificate has been saved.")
            return redirect("providers:home")
    return render(
        request,
        "providers/insurance_form.html",
        {"form": form, "kind": kind, "current": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy(request, kind):
    if kind not in PolicyKind.values:
        raise Http404
    provider = get_own_provider(request.user)
    kind = PolicyKind(kind)
    current = provider.policies.filter(kind=kind).first()
    form = PolicyForm(posted_data(request), _files(request), kind_label=kind.label)
    if request.method == "POST" and form.is_valid():
        try:
            upload_policy(
                provider=provider, kind=kind, upload=form.cleaned_data["file"], by=request.user
            )
        except ProviderError as exc:
            form.add_error("file", exc.reason)
        else:
            messages.success(request, f"Your {kind.label.lower()} has been saved.")
            return redirect("providers:home")
    return render(
        request, "providers/policy_form.html", {"form": form, "kind": kind, "current": current}
    )


@login_required
@require_http_methods(["GET", "POST"])
def exclusions(request):
    provider = get_own_provider(request.user)
    form = ExclusionsForm(posted_data(request), initial=provider.exclusion_answers or None)
    if request.method == "POST" and form.is_valid():
        answers = {slug: form.cleaned_data[slug] for slug, _, _ in EXCLUSION_GROUNDS}
        try:
            declare_exclusions(provider=provider, answers=answers, by=request.user)
        except ProviderError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "Your declarations have been saved.")
            return redirect("providers:home")
    return render(request, "providers/exclusions_form.html", {"form": form})


def _organisation_lines(provider) -> str:
    return "\n".join(
        o.charity_number or o.company_number or o.name for o in provider.declared_conflicts.all()
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request):
    provider = get_own_provider(request.user)
    initial = {
        "answer": provider.conflicts_answer or None,
        "statement": provider.conflicts_statement,
        "organisations": _organisation_lines(provider),
    }
    form = ConflictsForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declare_conflicts(
                provider=provider,
                answer=data["answer"],
                statement=data["statement"],
                organisations=data["organisations"],
                by=request.user,
            )
        except ProviderError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            messages.success(request, "Your declaration of conflicts of interest has been saved.")
            return redirect("providers:home")
    return render(request, "providers/conflicts_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def register_check(request):
    """Check the essentials and send the application to join the register."""
    provider = get_own_provider(request.user)
    if provider.has_joined_register:
        messages.info(request, f"{provider.name} has already applied to join the register.")
        return redirect("providers:home")
    form = DeclarationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            submit_register_application(
                provider=provider, by=request.user, declaration_name=form.cleaned_data["full_name"]
            )
        except ProviderError as exc:
            form.add_error(None, exc.reason + " " + " ".join(f"{p}." for p in exc.problems))
        else:
            messages.success(request, "You have applied to join the register")
            return redirect("providers:home")
    return render(
        request,
        "providers/register_check.html",
        {
            "provider": provider,
            "form": form,
            "failures": essential_failures(provider, timezone.localdate()),
            "certificates": provider.certificates.all(),
            "policies": provider.policies.all(),
            "conflicts": provider.declared_conflicts.all(),
        },
        status=409 if form.non_field_errors() else 200,
    )


def _download(stored):
    try:
        handle = open(uploads.path_of(stored.stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )


@login_required
@require_http_methods(["GET"])
def certificate_download(request, pk):
    return _download(get_certificate_for_user(request.user, pk))


@login_required
@require_http_methods(["GET"])
def policy_download(request, pk):
    return _download(get_policy_for_user(request.user, pk))
