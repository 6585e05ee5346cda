"""Conditional GETs for pages: an ETag that stays the same while the page does.

Django's ``ConditionalGetMiddleware`` tags a response with a hash of its body. Allele's
pages carry a CSRF token in their forms (Sign out, Enroll, Mark as complete), and Django
masks that token afresh for every response (its defence against BREACH), so the hash of
a page changed on every request, no ``If-None-Match`` ever matched, and a returning
learner downloaded the whole page again.

``ConditionalGetMiddleware`` here takes Django's place. For an HTML response to a GET it
hashes the body with every CSRF token blanked, together with the CSRF secret those
tokens were made from (the browser's CSRF cookie). Two responses then share an ETag only
when they show the same page to a browser with the same CSRF cookie, so a 304 is right:
the copy the browser holds differs from the new one only in the masking of a token that
is still valid for its cookie. A browser whose CSRF cookie changed (a new sign-in) gets
the whole page. Other responses keep Django's ETag. Either way Django then answers a
matching ``If-None-Match`` with 304 Not Modified.

A page with a Content-Security-Policy nonce (``lms.core.csp``) is hashed with its nonce,
so it never matches: a 304 would bring the browser a policy with a new nonce for the old
page's scripts.

It also decides who may keep a copy. An HTML response to a visitor's GET that says nothing
about caching gets ``Cache-Control: no-cache``: the browser keeps it but asks each time,
which is when the ETag saves the download (catalog, course and module pages, sign-in).

Every response to a signed-in user is personal (her name and progress are on every page;
her dashboard, profile, attempts, certificates, cohort reports and exports are nothing
else) and gets ``Cache-Control: private, no-store``: no browser, proxy or shared
workstation keeps a copy, so the next person at a hospital computer cannot bring it back
with the Back button or from the disk cache. It therefore gets no ETag and no 304; the
server-side page cache (``lms.core.pagecache``) still spares the rendering. Only a
response its view declared ``public`` (a component's static file) is left as it is.
Reading ``request.user`` marks the session as used, so Django's session middleware also
sends ``Vary: Cookie``.
"""

import hashlib
import re

from django.http import HttpRequest, HttpResponse
from django.middleware import http
from django.utils.cache import patch_cache_control

__all__ = ["ConditionalGetMiddleware", "page_etag"]

_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')


def page_etag(*, content: bytes, csrf_secret: str) -> str:
    """The quoted ETag of a page: its body without CSRF tokens, and the CSRF secret."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(csrf_secret.encode())
    digest.update(b"\0")
    digest.update(_CSRF_INPUT.sub(rb"\1\2", content))
    return f'"{digest.hexdigest()}"'


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's conditional GET with page ETags that survive CSRF masking (module doc)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        user = getattr(request, "user", None)
        html_get = request.method == "GET" and _is_html(response)
        if user is not None and user.is_authenticated:
            if "public" not in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True, no_store=True)
        elif html_get and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)
        if (
            html_get
            and not response.streaming
            and response.content
            and not response.has_header("ETag")
            and self.needs_etag(response)
        ):
            response.headers["ETag"] = page_etag(
                content=response.content, csrf_secret=request.META.get("CSRF_COOKIE", "")
            )
        return super().process_response(request, response)


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"
