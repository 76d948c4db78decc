"""Walk the URLconf: every named URL the project serves."""

from django.urls import URLPattern, URLResolver, get_resolver


def named_urls(patterns=None, namespace=None):
    """Yield (name, pattern) for every named URL, with its namespace prefix."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from named_urls(entry.url_patterns, inner or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry
