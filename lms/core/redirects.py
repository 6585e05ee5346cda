"""Where a redirect chosen by the browser (``next``, ``back``) may lead: a path on this site.

Forms send the page to return to (the language switcher, the lite mode toggle, the
profile form after sign-in). Anyone can put any value there in a link they send a
clinician, so the value is checked before it becomes a ``Location``: Django's
``url_has_allowed_host_and_scheme`` (this host only; HTTPS only when the request came over
HTTPS), and on top of it only a path that starts with one ``/`` is kept; a URL naming this
host is cut down to its path. Anything with control or invisible format characters, or a
backslash (which browsers read as ``/``), is refused, so a refused value can never be
read by a browser as another host or a script. django-allauth, Wagtail and the Django
admin check their own ``next`` with the same Django function.
"""

import unicodedata
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["safe_redirect_url"]


def safe_redirect_url(request: HttpRequest, candidate: str) -> str:
    """``candidate`` as a path on this site when it is safe to redirect to, else ""."""
    if not candidate or "\\" in candidate:
        return ""
    if any(unicodedata.category(char)[0] in "CZ" and char != " " for char in candidate):
        return ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(candidate)
    path = parts.path + (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else "")
    if not path.startswith("/") or path.startswith("//"):
        return ""
    return path
