"""Published opportunities for the public search's tests: through the services, and in bulk
where only their number matters."""

import re
from html import unescape

from django.urls import reverse

from volunteering.models import Opportunity

from .support import published


def text_of(response) -> str:
    """The page's words, as a person reads them."""
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def search_url(**query) -> str:
    """The search with `query` (a list value is sent once for each item)."""
    url = reverse("volunteering:search")
    pairs = [
        (name, item)
        for name, value in query.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return url + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")


def live(world, broker, title, **changes) -> Opportunity:
    """A published opportunity of organisation A, through the services."""
    return published(world, broker, title=title, **changes)


def copies(opportunity: Opportunity, count: int, **changes) -> list[Opportunity]:
    """`count` more rows like `opportunity` (bulk: no audit, for counting queries and pages)."""
    fields = {
        field.attname: getattr(opportunity, field.attname)
        for field in Opportunity._meta.concrete_fields
        if not field.primary_key
    }
    return Opportunity.objects.bulk_create(
        [Opportunity(**(fields | changes)) for _ in range(count)]
    )
