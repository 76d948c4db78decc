"""Who may see the reports. Every view goes through one of these.

Managers see everything; officers see the operational pages and get 403 on
the rest (they know those pages exist); organisations and providers get 404.
"""

from django.http import Http404

from organisations.permissions import require_manager

__all__ = ["require_manager", "require_staff"]


def require_staff(user) -> None:
    """Officers and managers pass; everyone else gets 404."""
    if user.is_authenticated and user.is_officer:
        return
    raise Http404
