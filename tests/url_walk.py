"""Every named URL of the portal, found by walking the URL resolver, and an address for
each made from sample arguments; shared by the tests that go through every URL."""

import uuid

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Fixed keys of objects that do not exist: the tests' names stay the same between runs
# (pytest-xdist's workers must collect the same tests).
SAMPLE_KWARGS = {
    "slug": "pori",
    "uuid": str(uuid.UUID(int=1)),
    "pk": "1",
    "object_id": "1",
    "id": "1",
    "uidb64": "MQ",
    "token": "set-password",
    "content_type_id": "1",
    "app_label": "municipalities",
    "url": "x",
    "step": "submit",
    "answer": "accept",
    "table": "municipalities",
    "fmt": "csv",
    "assignment": str(uuid.UUID(int=2)),
    "expense": str(uuid.UUID(int=3)),
    "entry": str(uuid.UUID(int=4)),
    "document": str(uuid.UUID(int=5)),
    "contact": str(uuid.UUID(int=6)),
    "event": str(uuid.UUID(int=7)),
}


def walk(resolver=None, namespace=""):
    """(name with its namespace, pattern) of every named URL pattern."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from walk(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_names(namespace=""):
    """The names of every URL, or of those in one namespace ("fees:")."""
    return {name for name, _pattern in walk() if name.startswith(namespace)}


def url_for(name, pattern):
    kwargs = {key: SAMPLE_KWARGS[key] for key in pattern.pattern.regex.groupindex}
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # admin's regex-based routes want other values; skip them
        return None


def all_urls():
    """(name, address) of every URL that sample arguments can build, one name per address."""
    seen = {}
    for name, pattern in walk(get_resolver()):
        url = url_for(name, pattern)
        if url and url not in seen.values():
            seen[name] = url
    return sorted(seen.items())
