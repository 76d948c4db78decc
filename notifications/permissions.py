"""Who may see which notifications."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Notification


def notifications_for(user):
    """The emails sent to this person's address, newest first."""
    return Notification.objects.filter(recipient__iexact=user.email).order_by("-created_at")


def get_failed_notification_for_staff(user, pk) -> Notification:
    """A failed email, for council staff to retry; everyone else gets 404."""
    if not user.is_authenticated or not user.is_officer:
        raise Http404
    return get_object_or_404(Notification, pk=pk)
