"""Read-only views over the apps below, for managers."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.models import Notification
from organisations.models import Organisation, User
from organisations.permissions import require_manager
from providers.models import Provider


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
