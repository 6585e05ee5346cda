"""Whole-page caching for personal pages, made safe by version tokens read from the database.

A learner's page (a module with her progress, her dashboard) depends on two things
that change: what is published, and what she has done. Each has a version number in
the database (the catalog version, and ``User.learning_state_version``, read with the
user on every request anyway). A cached page is keyed by both, so any change, made by
any process, simply makes a new key; stale entries age out. The cache itself can then
be a fast per-process one.

A page is never cached or served from cache when it would carry something that is only
for this one response: a pending message, or a CSRF token for a browser that has no
CSRF cookie yet (the key includes the cookie, so each browser gets its own token).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

__all__ = ["cache_page_response", "get_cached_page", "personal_page_key"]

PAGE_CACHE_SECONDS = 600


def personal_page_key(request: HttpRequest, *parts: object) -> str | None:
    """The cache key for this learner's view of a page, or None when it must be rendered."""
    user = request.user
    if not user.is_authenticated or request.method != "GET":
        return None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not csrf_cookie or request.COOKIES.get("messages") or "_messages" in request.session:
        return None
    fingerprint = hashlib.blake2b(
        "|".join(map(str, (user.pk, user.learning_state_version, request.LANGUAGE_CODE,
                           getattr(request, "lite_mode", False), csrf_cookie, *parts))).encode(),
        digest_size=16,
    ).hexdigest()
    return f"allele:page:{fingerprint}"


def get_cached_page(key: str | None) -> HttpResponse | None:
    if key is None:
        return None
    content = cache.get(key)
    if content is None:
        return None
    response = HttpResponse(content)
    response["Cache-Control"] = "private, no-cache"
    return response


def cache_page_response(key: str | None, response: HttpResponse) -> HttpResponse:
    if key is not None and response.status_code == 200 and not response.streaming:
        if hasattr(response, "render") and not response.is_rendered:
            response.add_post_render_callback(lambda done: cache.set(key, done.content,
                                                                     PAGE_CACHE_SECONDS))
        else:
            cache.set(key, response.content, PAGE_CACHE_SECONDS)
    response["Cache-Control"] = "private, no-cache"
    return response

