"""The menu: public browsing, and the manager's pages to maintain it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.permissions import require_manager

from .forms import PackageForm, submitted
from .models import Package
from .services import (
    PackageError,
    create_package,
    reinstate_package,
    update_package,
    withdraw_package,
)


@require_GET
def menu(request):
    """The active menu, for organisations and the public."""
    packages = Package.objects.active().order_by("position", "name")
    return render(request, "packages/package_menu.html", {"packages": packages})


@require_GET
def package_detail(request, slug):
    package = get_object_or_404(Package.objects.visible_to(request.user), slug=slug)
    return render(request, "packages/package_detail.html", {"package": package})


@login_required
@require_GET
def manage(request):
    require_manager(request.user)
    packages = Package.objects.order_by("status", "position", "name")
    return render(request, "packages/package_manage.html", {"packages": packages})


@login_required
@require_http_methods(["GET", "POST"])
def package_create(request):
    require_manager(request.user)
    form = PackageForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        package = create_package(by=request.user, data=form.cleaned_data)
        messages.success(request, f"{package.name} has been added to the menu.")
        return redirect("packages:manage")
    return render(request, "packages/package_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def package_edit(request, pk):
    require_manager(request.user)
    package = get_object_or_404(Package, pk=pk)
    form = PackageForm(submitted(request), instance=package)
    if request.method == "POST" and form.is_valid():
        update_package(package=package, by=request.user, data=form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['name']} has been saved.")
        return redirect("packages:manage")
    return render(
        request,
        "packages/package_form.html",
        {"form": form, "creating": False, "package": package},
    )


def _change_status(request, pk, service, done: str):
    require_manager(request.user)
    package = get_object_or_404(Package, pk=pk)
    try:
        service(package=package, by=request.user)
    except PackageError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"{package.name} {done}.")
    return redirect("packages:manage")


@login_required
@require_POST
def package_withdraw(request, pk):
    return _change_status(request, pk, withdraw_package, "has been withdrawn from the menu")


@login_required
@require_POST
def package_reinstate(request, pk):
    return _change_status(request, pk, reinstate_package, "is back on the menu")
