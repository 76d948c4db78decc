from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .permissions import get_failed_notification_for_staff, notifications_for
from .services import NotificationError, retry_failed

PAGE_SIZE = 50


@login_required
@require_GET
def my_notifications(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/my_notifications.html", {"page": page})


@login_required
@require_GET
def failed_notifications(request):
    if not request.user.is_officer:
        raise Http404
    failed = Notification.objects.filter(status=Notification.Status.FAILED).order_by("-failed_at")
    page = Paginator(failed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/failed_notifications.html", {"page": page})


@login_required
@require_POST
def notification_retry(request, pk):
    notification = get_failed_notification_for_staff(request.user, pk)
    try:
        retry_failed(notification, by=request.user)
    except NotificationError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"The email to {notification.recipient} will be sent again now.")
    return redirect("notifications:failed")
