"""The organisation's allowance in plain words, for pages of the organisations app.

An inclusion tag, so those pages show it without the lower app importing this
one: two fixed queries (the cap policy versions, the counting packages' dates).
"""

from django import template
from django.utils import timezone

from allowances.services import allowance_summary

register = template.Library()


@register.inclusion_tag("allowances/_allowance_panel.html")
def allowance_panel(organisation, link, link_text):
    """The summary, then a link to the page with the packages themselves."""
    return {
        "summary": allowance_summary(organisation, timezone.localdate()),
        "link": link,
        "link_text": link_text,
    }
