"""The organisation's eligibility and diagnostic status, for its home page.

An inclusion tag, so the organisations app's page can show it without
importing this higher app: three fixed queries (see selectors.progress_of).
"""

from django import template
from django.utils import timezone

from diagnostics.selectors import progress_of

register = template.Library()


@register.inclusion_tag("diagnostics/_status_panel.html")
def organisation_progress(organisation):
    return {"progress": progress_of(organisation, timezone.localdate())}
