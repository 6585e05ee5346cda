"""Lite mode: learner pages with text links in place of images and video.

Three things switch it on for a request, most specific first:

1. this browser's own choice, a cookie set by the one-click toggle in the header
   ("on" or "off"; it also lets a visitor whose browser sends Save-Data see images);
2. the learner's profile setting (``LearnerProfile.lite_mode``);
3. the browser's ``Save-Data: on`` header.

``LiteModeMiddleware`` notes the answer on ``request.lite_mode`` (the page cache keys
on it) and marks HTML responses ``Vary: Save-Data, Cookie``; the context processor
hands it to templates as ``lite_mode``. The profile flag is read through the cache,
keyed by the learner's ``learning_state_version``, which every change of the flag
moves: a repeat visit costs no query for it.
"""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.cache import patch_vary_headers

from lms.core.models import LearnerProfile

__all__ = ["LITE_COOKIE", "LiteModeMiddleware", "context", "lite_mode", "wants_to_save_data"]

LITE_COOKIE = "allele_lite"
LITE_COOKIE_MAX_AGE = 365 * 24 * 3600
PROFILE_CACHE_SECONDS = 24 * 3600


def wants_to_save_data(request: HttpRequest) -> bool:
    """The browser sends ``Save-Data: on`` (data saver, or the learner's own setting)."""
    return request.headers.get("Save-Data", "").strip().lower() == "on"


def _profile_wants_lite(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    key = f"allele:lite:{user.pk}:{user.learning_state_version}"
    flag = cache.get(key)
    if flag is None:
        flag = LearnerProfile.objects.filter(user=user, lite_mode=True).exists()
        cache.set(key, flag, PROFILE_CACHE_SECONDS)
    return flag


def lite_mode(request: HttpRequest) -> bool:
    """Whether this request's pages render without images, video and audio."""
    noted = getattr(request, "lite_mode", None)
    if noted is not None:
        return noted
    choice = request.COOKIES.get(LITE_COOKIE)
    if choice in ("on", "off"):
        return choice == "on"
    return _profile_wants_lite(getattr(request, "user", None)) or wants_to_save_data(request)


class LiteModeMiddleware:
    """Sets ``request.lite_mode``; put it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.lite_mode = lite_mode(request)
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Save-Data", "Cookie"))
        return response


def context(request: HttpRequest) -> dict:
    """Template context processor: ``lite_mode``."""
    return {"lite_mode": lite_mode(request)}
