from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lms.core import api
from lms.core.adapters import set_language_cookie
from lms.core.forms import ProfileForm
from lms.core.lite import LITE_COOKIE, LITE_COOKIE_MAX_AGE
from lms.core.redirects import safe_redirect_url


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    instance = api.get_profile(user=request.user)
    # A newcomer's preferred language starts as the one she is reading the site in.
    initial = {"preferred_language": request.LANGUAGE_CODE} if instance is None else None
    form = ProfileForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = api.save_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        response = redirect(_safe_next(request) or "profile")
        set_language_cookie(response, saved.preferred_language)
        response.delete_cookie(LITE_COOKIE)  # the account's setting now decides
        return response
    return render(
        request, "core/profile.html",
        {"form": form, "is_first_visit": instance is None, "next": _safe_next(request)},
    )


# Exempt from CSRF so that the toggle needs no token (and no CSRF cookie) on pages for
# visitors: it only sets a display preference in the browser that posts it.
@csrf_exempt
@require_POST
def lite_mode_toggle(request: HttpRequest) -> HttpResponse:
    """This browser's one-click choice: lite mode on or off (a cookie)."""
    response = redirect(_safe_url(request, request.POST.get("back", "")) or "/")
    response.set_cookie(
        LITE_COOKIE, "on" if request.POST.get("lite") == "on" else "off",
        max_age=LITE_COOKIE_MAX_AGE, samesite="Lax", httponly=True, secure=request.is_secure(),
    )
    return response


# Exempt from CSRF for the same reason as the lite mode toggle: a visitor's choice only sets
# a cookie in the browser that posts it. A signed-in learner's choice also changes her
# profile, so her form carries a token and it is checked here.
@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: this browser's interface language (Django's
    language cookie) and, for a signed-in learner, her profile's preferred language."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("This language is not available."),
                                      content_type="text/plain; charset=utf-8")
    if request.user.is_authenticated:
        refusal = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
        if refusal is not None:
            return refusal
        api.set_preferred_language(user=request.user, language=language)
    back = request.POST.get("back") or request.POST.get("next") or ""
    response = redirect(_safe_url(request, back) or "/")
    set_language_cookie(response, language)
    return response


def _safe_next(request: HttpRequest) -> str:
    return _safe_url(request, request.POST.get("next") or request.GET.get("next") or "")


def _safe_url(request: HttpRequest, candidate: str) -> str:
    return safe_redirect_url(request, candidate)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
