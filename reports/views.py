"""Read-only views over the apps below, for managers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.models import Notification
from organisations.models import Organisation, User
from providers.models import Provider


def require_manager(user):
    """Managers pass; other staff get 403 (they know the page exists); others 404."""
    if user.is_manager:
        return
    if user.is_officer:
        raise PermissionDenied("Only managers can see this page.")
    raise Http404


@login_required
@require_GET
def manager_overview(request):
    require_manager(request.user)
    people = User.objects.aggregate(
        officers=Count("pk", filter=Q(role=User.Role.OFFICER)),
        managers=Count("pk", filter=Q(role=User.Role.MANAGER)),
        public=Count("pk", filter=Q(role=User.Role.PUBLIC)),
    )
    outbox = Notification.objects.aggregate(
        pending=Count("pk", filter=Q(status=Notification.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Notification.Status.FAILED)),
    )
    return render(
        request,
        "reports/manager_overview.html",
        {
            "organisation_count": Organisation.objects.count(),
            "provider_count": Provider.objects.count(),
            "people": people,
            "outbox": outbox,
        },
    )
