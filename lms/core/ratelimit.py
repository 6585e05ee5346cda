"""Rate limits beyond allauth's: a fixed-window counter in the Django cache.

Each limit has a name and a rate, ``"N/period"`` (``"30/10m"``, ``"120/m"``, ``"20/h"``), set
in ``settings.ALLELE_RATE_LIMITS``. A request is counted in the cache with ``cache.add`` then
``cache.incr`` (atomic on Redis, and on the per-process local-memory cache, which therefore
counts per process). Past N in the current window the view does not run: the client gets
429 with ``Retry-After`` and a translated page (or JSON), so a refused request changes
nothing.

Keys: the signed-in user (``"user"``), else the client address (``"ip"``); the address is
REMOTE_ADDR unless ``ALLELE_RATE_LIMIT_PROXY_HEADER`` names the header a trusted proxy sets.
IPv6 addresses count per /64, the block one household or phone is given.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import ipaddress
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["Decision", "Rate", "client_ip", "hit", "name_key", "rate_limit", "rate_of",
           "refusal", "request_address", "too_many_requests", "undo", "user_key"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    """N requests per ``seconds``."""

    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text or "")
        if not match or int(match[1]) < 1 or match[2] == "0":
            raise ImproperlyConfigured(f"Rate {text!r}: expected 'N/period' such as '30/10m'.")
        return cls(limit=int(match[1]), seconds=int(match[2] or 1) * _UNITS[match[3]])


@dataclass(frozen=True)
class Decision:
    """One counted request: allowed or not, and when the window resets."""

    name: str
    key: str
    count: int
    limit: int
    retry_after: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def rate_of(name: str) -> Rate | None:
    """The configured rate of limit ``name``; None when it is switched off (empty)."""
    rates = getattr(settings, "ALLELE_RATE_LIMITS", {})
    if name not in rates:
        raise ImproperlyConfigured(f"ALLELE_RATE_LIMITS has no entry {name!r}.")
    return Rate.parse(rates[name]) if rates[name] else None


def _now() -> float:
    return time.time()


def hit(*, name: str, key: str) -> Decision:
    """Count one request for ``key`` under limit ``name`` in the current window."""
    rate = rate_of(name)
    if rate is None:
        return Decision(name=name, key="", count=0, limit=0, retry_after=0)
    now = _now()
    window = int(now // rate.seconds)
    remaining = max(1, math.ceil((window + 1) * rate.seconds - now))
    cache_key = f"ratelimit:{name}:{key}:{rate.seconds}:{window}"
    cache.add(cache_key, 0, remaining + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, remaining + 1)
        count = 1
    return Decision(name=name, key=cache_key, count=count, limit=rate.limit,
                    retry_after=remaining)


def undo(decision: Decision) -> None:
    """Give back a counted request that turned out not to count (a successful sign-in, a
    certificate number that exists)."""
    if decision.key:
        with contextlib.suppress(ValueError):  # the window has gone
            cache.decr(decision.key)


def request_address(request: HttpRequest) -> str:
    """The client's address as sent: REMOTE_ADDR, or the entry the trusted proxies appended
    to ``ALLELE_RATE_LIMIT_PROXY_HEADER`` (counted from the right, so a client cannot forge
    it). Not validated; the audit trail keeps it whole, ``client_ip`` groups it."""
    address = request.META.get("REMOTE_ADDR", "")
    header = getattr(settings, "ALLELE_RATE_LIMIT_PROXY_HEADER", "")
    if header:
        meta_name = "HTTP_" + header.upper().replace("-", "_")
        entries = [part.strip() for part in request.META.get(meta_name, "").split(",")]
        entries = [entry for entry in entries if entry]
        proxies = max(1, getattr(settings, "ALLELE_RATE_LIMIT_PROXY_COUNT", 1))
        if len(entries) >= proxies:
            address = entries[-proxies]
    return address


def client_ip(request: HttpRequest) -> str:
    """The client's address (``request_address``) as rate limits count it: an IPv6 address
    stands for its /64."""
    address = request_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def user_key(request: HttpRequest) -> str:
    """The signed-in user, or the client address for a visitor."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def name_key(value: str) -> str:
    """A typed name (a username) as a short cache-safe key, compared without case."""
    return "name:" + hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]


def _wait(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.content_type == "application/json" or (
        "application/json" in accept and "text/html" not in accept)


def too_many_requests(request: HttpRequest, decision: Decision, *, message: str = "",
                      as_json: bool | None = None) -> HttpResponse:
    """The 429 answer: a page (or JSON) saying how long to wait, with ``Retry-After``."""
    wait = _wait(decision.retry_after)
    text = message or _("You have done this too many times in a short while.")
    detail = _("Please wait %(wait)s and try again.") % {"wait": wait}
    if as_json if as_json is not None else _wants_json(request):
        sentence = f"{text} {detail}"
        response = JsonResponse({"status": "rate_limited", "error": "rate_limited",
                                 "message": sentence, "detail": sentence,
                                 "retry_after": decision.retry_after}, status=429)
    else:
        response = render(request, "core/rate_limited.html",
                          {"message": text, "detail": detail}, status=429)
    response["Retry-After"] = str(decision.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def refusal(request: HttpRequest, *, name: str, key: str | None = None) -> HttpResponse | None:
    """Count this request against limit ``name`` (for ``key``, by default the user or the
    client address): None while it is allowed, else the 429 answer to return."""
    decision = hit(name=name, key=key if key is not None else user_key(request))
    return None if decision.allowed else too_many_requests(request, decision)


def rate_limit(name: str, *, key: Callable[[HttpRequest], str] = user_key,
               url_kwarg: str | None = None, methods: tuple[str, ...] = ("POST",),
               when: Callable[[HttpRequest], bool] | None = None):
    """Decorate a view: requests with one of ``methods`` (and for which ``when`` holds)
    count against limit ``name`` for ``key(request)``, plus the URL argument ``url_kwarg``
    (the attempt, say); past the limit the view is not called and the client gets 429.
    Put it under ``login_required`` so that visitors are sent to sign in, not counted."""
    rate_of(name)  # a missing or malformed setting fails at import, not on a request

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and (when is None or when(request)):
                ident = key(request)
                if url_kwarg is not None:
                    ident = f"{ident}:{url_kwarg}:{kwargs.get(url_kwarg)}"
                if (refused := refusal(request, name=name, key=ident)) is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
