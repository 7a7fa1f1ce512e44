"""The URL map as the tests walk it: every pattern of every include, with its full route and its
namespaced name, so a test that covers "every page" finds a new one without being told."""

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, "namespace:name" or None for an unnamed pattern, the pattern), depth first."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, (f"{namespace}{entry.name}" if entry.name else None), entry


def routes() -> list[tuple[str, str | None, URLPattern]]:
    return list(walk(get_resolver().url_patterns))
