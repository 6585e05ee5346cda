"""Content-Security-Policy for pages that show third-party interactive components.

A page opts in: calling ``csp_nonce(request)`` (directly, through the ``csp_nonce``
template variable, or by decorating a view with ``with_csp``) marks the request, and
``ContentSecurityPolicyMiddleware`` then sends the policy below with that request's
nonce. Pages that never ask for a nonce (the admin, most of the learner site) are left
alone, so Wagtail's own inline scripts keep working.

The policy lets scripts run only from this site or with the request's nonce, so HTML that
a component renders without escaping (an educator's ``<script>`` or ``onerror=`` in a
poll question) does not execute. A page that calls ``allow_eval(request)`` also allows
``eval``/``new Function`` for the site's own scripts: the XBlock runtime does so only for
the block types in ``ALLELE_XBLOCK_EVAL_TYPES`` (xblock-poll compiles its Handlebars
templates that way), so every other page keeps the stricter policy.
"""

import secrets
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

__all__ = [
    "HEADER",
    "ContentSecurityPolicyMiddleware",
    "allow_eval",
    "context",
    "csp_nonce",
    "frame_ancestors",
    "policy",
    "with_csp",
]

HEADER = "Content-Security-Policy"
_NONCE_ATTRIBUTE = "_allele_csp_nonce"
_EVAL_ATTRIBUTE = "_allele_csp_eval"


def csp_nonce(request: HttpRequest) -> str:
    """This request's script nonce (made on first use); marks the response for the policy."""
    nonce = getattr(request, _NONCE_ATTRIBUTE, None)
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        setattr(request, _NONCE_ATTRIBUTE, nonce)
    request.allele_csp = True
    return nonce


def allow_eval(request: HttpRequest) -> None:
    """Let this request's page use eval (a component that compiles templates in the
    browser); also marks the response for the policy."""
    csp_nonce(request)
    setattr(request, _EVAL_ATTRIBUTE, True)


def policy(nonce: str, *, with_eval: bool = False, ancestors: str | None = "'none'") -> str:
    """The header value for a response whose inline scripts carry ``nonce`` (plus
    'unsafe-eval' when ``with_eval``); ``ancestors`` is the ``frame-ancestors`` source
    list (None: no such directive)."""
    allow_eval = " 'unsafe-eval'" if with_eval else ""
    framing = f"; frame-ancestors {ancestors}" if ancestors else ""
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'{allow_eval}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "media-src 'self' blob:; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'self'"
        f"{framing}"
    )


def frame_ancestors(response: HttpResponse) -> str | None:
    """Who may frame ``response``, as decided by Django's clickjacking protection (which
    runs before this middleware): ``'self'`` for SAMEORIGIN, None when the view is exempt,
    ``'none'`` otherwise."""
    if getattr(response, "xframe_options_exempt", False):
        return None
    if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
        return "'self'"
    return "'none'"


def with_csp(view: Callable) -> Callable:
    """Send the policy with every response of ``view`` (handler and resource responses)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        csp_nonce(request)
        return view(request, *args, **kwargs)

    return wrapped


def context(request: HttpRequest) -> dict:
    """Template context processor: ``{{ csp_nonce }}``, made (and the page marked) only
    when a template actually uses it."""
    return {"csp_nonce": SimpleLazyObject(lambda: csp_nonce(request))}


class ContentSecurityPolicyMiddleware:
    """Adds the policy to responses whose request asked for a nonce, and ``frame-ancestors``
    alone to every other HTML response."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response:
            return response
        ancestors = frame_ancestors(response)
        if getattr(request, "allele_csp", False):
            response[HEADER] = policy(
                csp_nonce(request), with_eval=getattr(request, _EVAL_ATTRIBUTE, False),
                ancestors=ancestors,
            )
        elif ancestors and _is_html(response):
            response[HEADER] = f"frame-ancestors {ancestors}"
        return response


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"
