"""Wagtail's admin sign-in page (/admin/login/) behind rate limits: allauth limits its own
sign-in, not this one. Failed attempts count per client address (``admin_login_ip``) and
per username typed (``admin_login_user``); past either limit the form is not checked at
all and the client gets 429. A successful sign-in is not counted."""

from django.http import HttpRequest, HttpResponse
from wagtail.admin.views.account import LoginView

from lms.core import ratelimit

_wagtail_login = LoginView.as_view()


def admin_login(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _wagtail_login(request)
    counted = [
        ratelimit.hit(name="admin_login_ip", key=f"ip:{ratelimit.client_ip(request)}"),
        ratelimit.hit(name="admin_login_user",
                      key=ratelimit.name_key(request.POST.get("username", ""))),
    ]
    refused = [decision for decision in counted if not decision.allowed]
    if refused:
        for decision in counted:  # a refused attempt counts for nothing
            ratelimit.undo(decision)
        return ratelimit.too_many_requests(
            request, max(refused, key=lambda decision: decision.retry_after))
    response = _wagtail_login(request)
    if response.status_code in (301, 302, 303):  # signed in (Wagtail redirects on success)
        for decision in counted:
            ratelimit.undo(decision)
    return response
