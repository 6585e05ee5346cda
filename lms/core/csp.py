"""The Content-Security-Policy every HTML page is sent with (enforced, not report-only).

Learner pages get the strict policy: scripts, styles, fonts and connections only from this
site; images and media from this site, ``data:`` images and the media storage's origin;
frames only from the embed providers in ``ALLELE_CSP_FRAME_SOURCES``; no plugins, no
``<base>`` elsewhere, forms posting only here, and no other site framing the page. No
inline script, ``on*=`` handler or ``style=`` attribute runs or applies.

A page that needs inline code asks for it, for this request only:

* ``csp_nonce(request)`` (or ``{{ csp_nonce }}`` in a template, or the ``with_csp``
  decorator) adds a fresh nonce to ``script-src`` and ``style-src``: only ``<script
  nonce>`` and ``<style nonce>`` carrying it run or apply.
* ``allow_inline_styles(request)`` lets ``style=`` attributes and ``<style>`` elements
  apply (``style-src 'unsafe-inline'``, without a nonce, which would cancel it): pages
  showing interactive components (XBlocks), whose templates set widths in ``style=``.
* ``allow_eval(request)`` adds ``'unsafe-eval'``: the XBlock runtime asks for it only for
  the block types in ``ALLELE_XBLOCK_EVAL_TYPES`` (xblock-poll compiles Handlebars
  templates with ``new Function``). Inline scripts stay blocked either way.

The Wagtail and Django admins (under their URL prefixes) get their own, looser policy:
Wagtail 8 still writes inline ``<script>`` elements from widgets that never see the request
(choosers, date pickers, inline panels), so a nonce cannot reach them; the admin allows
inline script *elements* and styles, but never inline event handlers (``script-src-attr
'none'``), plugins, foreign scripts or connections. See README "Security headers".

Operators widen the policy through settings, never by editing this module:
``ALLELE_CSP_MEDIA_ORIGINS`` (default: the media storage's origin, found from its URLs),
``ALLELE_CSP_FRAME_SOURCES`` and ``ALLELE_CSP_REPORT_URI``.
"""

import functools
import logging
import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

__all__ = [
    "HEADER",
    "ContentSecurityPolicyMiddleware",
    "admin_policy",
    "allow_eval",
    "allow_inline_styles",
    "context",
    "csp_nonce",
    "frame_ancestors",
    "frame_sources",
    "is_admin_path",
    "media_origins",
    "policy",
    "with_csp",
]

logger = logging.getLogger(__name__)

HEADER = "Content-Security-Policy"
_NONCE_ATTRIBUTE = "_allele_csp_nonce"
_EVAL_ATTRIBUTE = "_allele_csp_eval"
_INLINE_STYLES_ATTRIBUTE = "_allele_csp_inline_styles"
# URL names of the admin sites' front pages: a path under one of them is an admin page.
_ADMIN_ROOTS = ("wagtailadmin_home", "admin:index")


# --- What a page asks for ----------------------------------------------------------------------

def csp_nonce(request: HttpRequest) -> str:
    """This request's nonce for ``<script nonce>`` and ``<style nonce>`` (made on first use);
    the page's policy then names it."""
    nonce = getattr(request, _NONCE_ATTRIBUTE, None)
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        setattr(request, _NONCE_ATTRIBUTE, nonce)
    return nonce


def allow_inline_styles(request: HttpRequest) -> None:
    """Let this request's page use ``style=`` attributes and ``<style>`` elements (a
    component's templates); its scripts keep the nonce."""
    csp_nonce(request)
    setattr(request, _INLINE_STYLES_ATTRIBUTE, True)


def allow_eval(request: HttpRequest) -> None:
    """Let this request's page use eval (a component that compiles templates in the
    browser), with the component policy (nonce, inline styles)."""
    allow_inline_styles(request)
    setattr(request, _EVAL_ATTRIBUTE, True)


def with_csp(view: Callable) -> Callable:
    """Send the component policy (nonce, inline styles) with every response of ``view``,
    HTML or not (a component's handler and resource responses)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        allow_inline_styles(request)
        return view(request, *args, **kwargs)

    return wrapped


def context(request: HttpRequest) -> dict:
    """Template context processor: ``{{ csp_nonce }}``, made (and named in the policy)
    only when a template actually uses it."""
    return {"csp_nonce": SimpleLazyObject(lambda: csp_nonce(request))}


# --- The policies ------------------------------------------------------------------------------

def policy(nonce: str | None = None, *, with_eval: bool = False, inline_styles: bool = False,
           ancestors: str | None = "'none'", secure: bool = False) -> str:
    """The learner site's policy. ``nonce`` (if any) is allowed for scripts and styles,
    ``with_eval`` adds 'unsafe-eval', ``inline_styles`` allows inline CSS instead of the
    nonce for styles; ``ancestors`` is the ``frame-ancestors`` source list (None: no such
    directive); ``secure`` (a page served over HTTPS) upgrades any http: subresource."""
    nonce_source = [f"'nonce-{nonce}'"] if nonce else []
    styles = ["'unsafe-inline'"] if inline_styles else nonce_source
    media = list(media_origins())
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", *nonce_source, *(["'unsafe-eval'"] if with_eval else [])]),
        ("style-src", ["'self'", *styles]),
        ("img-src", ["'self'", "data:", *(["blob:"] if inline_styles else []), *media]),
        ("media-src", ["'self'", *(["blob:"] if inline_styles else []), *media]),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("frame-src", list(frame_sources()) or ["'none'"]),
        ("worker-src", ["'self'"]),
        ("manifest-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
    ]
    return _join(directives, ancestors=ancestors, secure=secure)


def admin_policy(*, with_eval: bool = False, ancestors: str | None = "'none'",
                 secure: bool = False) -> str:
    """The Wagtail and Django admins' policy: inline script elements and styles (Wagtail's
    widgets write them without a nonce), but no inline event handlers; its preview panel
    frames the site itself."""
    media = list(media_origins())
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-inline'", *(["'unsafe-eval'"] if with_eval else [])]),
        ("script-src-attr", ["'none'"]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:", *media]),
        ("media-src", ["'self'", "blob:", *media]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", ["'self'"]),
        ("frame-src", ["'self'", *frame_sources()]),
        ("worker-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
    ]
    return _join(directives, ancestors=ancestors, secure=secure)


def _join(directives: list[tuple[str, list[str]]], *, ancestors: str | None,
          secure: bool) -> str:
    parts = [f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives]
    if ancestors:
        parts.append(f"frame-ancestors {ancestors}")
    if secure:
        parts.append("upgrade-insecure-requests")
    report_uri = getattr(settings, "ALLELE_CSP_REPORT_URI", "")
    if report_uri:
        parts.append(f"report-uri {report_uri}")
    return "; ".join(parts)


def frame_ancestors(response: HttpResponse) -> str | None:
    """Who may frame ``response``, as decided by Django's clickjacking protection (which
    runs before this middleware): ``'self'`` for SAMEORIGIN, None when the view is exempt,
    ``'none'`` otherwise."""
    if getattr(response, "xframe_options_exempt", False):
        return None
    if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
        return "'self'"
    return "'none'"


def frame_sources() -> tuple[str, ...]:
    """The origins a page may frame: the video providers whose embeds the site shows."""
    return tuple(getattr(settings, "ALLELE_CSP_FRAME_SOURCES", ()))


@functools.cache
def media_origins() -> tuple[str, ...]:
    """Where uploaded images, videos and documents are served from, if not this site:
    ``ALLELE_CSP_MEDIA_ORIGINS`` when set, else the origins of ``MEDIA_URL`` and of a URL
    the media storage makes (S3-compatible storage: the bucket's endpoint)."""
    configured = getattr(settings, "ALLELE_CSP_MEDIA_ORIGINS", None)
    if configured:
        return tuple(configured)
    origins = [_origin(settings.MEDIA_URL)]
    try:
        from django.core.files.storage import default_storage

        origins.append(_origin(default_storage.url("allele-csp-probe")))
    except Exception:  # a storage that cannot make URLs here: say so, allow nothing more
        logger.warning("The media storage's origin could not be found for the "
                       "Content-Security-Policy; set ALLELE_CSP_MEDIA_ORIGINS.", exc_info=True)
    return tuple(dict.fromkeys(origin for origin in origins if origin))


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _forget_derived_settings(*, setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "MEDIA_URL", "ALLELE_CSP_MEDIA_ORIGINS"}:
        media_origins.cache_clear()  # (Django's own receiver resets default_storage)


setting_changed.connect(_forget_derived_settings, dispatch_uid="allele-csp-settings")


@functools.cache
def _admin_prefixes(urlconf: str | None) -> tuple[str, ...]:
    prefixes = []
    for name in _ADMIN_ROOTS:
        try:
            prefixes.append(reverse(name, urlconf=urlconf))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


def is_admin_path(request: HttpRequest) -> bool:
    """Whether ``request`` is for a page of the Wagtail or Django admin."""
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    return request.path.startswith(_admin_prefixes(urlconf))


# --- The middleware ----------------------------------------------------------------------------

class ContentSecurityPolicyMiddleware:
    """Sends the policy with every HTML response (the admin's on admin pages), and with any
    other response whose request asked for a nonce."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response:
            return response
        asked = getattr(request, _NONCE_ATTRIBUTE, None) is not None
        if not (asked or _is_html(response)):
            return response
        ancestors = frame_ancestors(response)
        with_eval = getattr(request, _EVAL_ATTRIBUTE, False)
        if is_admin_path(request):
            response[HEADER] = admin_policy(with_eval=with_eval, ancestors=ancestors,
                                            secure=request.is_secure())
        else:
            response[HEADER] = policy(
                getattr(request, _NONCE_ATTRIBUTE, None), with_eval=with_eval,
                inline_styles=getattr(request, _INLINE_STYLES_ATTRIBUTE, False),
                ancestors=ancestors, secure=request.is_secure(),
            )
        return response


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"
