"""Pages that belong to the whole service rather than one app."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organisations.permissions import membership_for
from providers.permissions import provider_membership_for

from .health import broker_is_up


@require_GET
def start(request):
    return render(request, "pages/start.html")


@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_GET
def privacy(request):
    return render(request, "pages/privacy.html")


@require_GET
def cookies(request):
    return render(request, "pages/cookies.html")


@login_required
@require_GET
def home(request):
    """Send each person to the home page of their role."""
    user = request.user
    if user.is_manager:
        return redirect("reports:manager_overview")
    if user.is_officer:
        return redirect("organisations:officer_queue")
    if membership_for(user) is not None:
        return redirect("organisation_home")
    if provider_membership_for(user) is not None:
        return redirect("providers:home")
    return render(request, "pages/choose_role.html")


@never_cache
@require_GET
def healthz(request):
    """Liveness for the load balancer: 200 while the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is down
        database = "down"
    broker = "ok" if broker_is_up() else "down"
    if database == "down":
        status, code = "down", 503
    elif broker == "down":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "broker": broker}, status=code)
