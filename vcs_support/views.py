"""Pages that belong to the whole service rather than one app."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
