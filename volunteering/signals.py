"""Signing in counts as activity: a volunteer who signs in keeps their account (the
inactivity job deletes accounts two years without activity, after a warning)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .models import Volunteer


@receiver(user_logged_in, dispatch_uid="volunteering.signed_in")
def signed_in(sender, user, **kwargs):
    Volunteer.objects.filter(user=user).update(
        last_active_at=timezone.now(), deletion_warned_at=None
    )
