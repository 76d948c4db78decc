"""Who may see the reports. Every view goes through one of these.

Managers see everything; officers see the operational pages and get 403 on
the rest (they know those pages exist); organisations and providers get 404.
"""

from organisations.permissions import require_manager, require_staff

__all__ = ["require_manager", "require_staff"]
