"""Security headers on every kind of page (issue #11): HSTS over HTTPS, nosniff, the
referrer policy, no framing by other sites (X-Frame-Options and CSP frame-ancestors),
and who may keep a copy: a visitor's page is revalidated, a signed-in learner's page is
never stored (lms/core/csp.py, lms/core/conditional.py, lms/settings.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from certificates import api as certificates_api
from courses import api as courses_api
from tests import factories

pytestmark = pytest.mark.django_db
HOST = "learn.allele.example"


@pytest.fixture(autouse=True)
def _production_headers(settings):
    """What production sends (tests/conftest.py turns the HTTPS settings off)."""
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


@pytest.fixture
def site(learner):
    tree = factories.make_course_tree(modules=2)
    courses_api.enroll(user=learner, course=tree.course)
    for module in tree.modules:
        courses_api.complete_module(user=learner, module=module)
    certificate = certificates_api.issue_certificate(user=learner, course=tree.course)
    return {
        "catalog": "/",
        "course": tree.course.url,
        "module": tree.modules[0].url,
        "sign-in": reverse("account_login"),
        "certificate verification": reverse("certificates:verify",
                                            args=[certificate.public_id]),
        "dashboard": reverse("dashboard"),
        "profile": reverse("profile"),
        "certificates": reverse("certificates:list"),
    }


def _get(client, url):
    response = client.get(url, secure=True, HTTP_HOST=HOST)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


PUBLIC_PAGES = ["catalog", "course", "module", "sign-in", "certificate verification"]
ALL_PAGES = [*PUBLIC_PAGES, "dashboard", "profile", "certificates"]
SIGNED_IN_PAGES = [page for page in ALL_PAGES if page != "sign-in"]  # she is sent on
# The sign-in page is allauth's, which never lets it be cached (its form is one-use).
CACHEABLE_PAGES = [page for page in PUBLIC_PAGES if page != "sign-in"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "learner"])
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_sends_the_security_headers(client, learner, site, page, signed_in):
    if page not in (SIGNED_IN_PAGES if signed_in else PUBLIC_PAGES):
        pytest.skip("a page only for visitors" if signed_in else "a page only for learners")
    if signed_in:
        client.force_login(learner)
    response = _get(client, site[page])
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("page", CACHEABLE_PAGES)
def test_a_visitors_page_may_be_kept_and_revalidated(client, site, page):
    response = _get(client, site[page])
    assert "no-cache" in _cache_control(response)
    assert "no-store" not in _cache_control(response)
    assert response.has_header("ETag")


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_a_signed_in_learners_page_is_never_stored(client, learner, site, page):
    client.force_login(learner)
    _get(client, site[page])  # a second visit may come from the server's page cache
    response = _get(client, site[page])
    assert {"private", "no-store"} <= _cache_control(response)
    assert "public" not in _cache_control(response)
    assert not response.has_header("ETag")


def test_a_learners_transcript_page_is_never_stored(client, learner, site):
    client.force_login(learner)
    response = client.get(reverse("certificates:transcript"), secure=True, HTTP_HOST=HOST)
    assert "no-store" in _cache_control(response), response.status_code


def test_hsts_is_only_sent_over_https(client, site):
    response = client.get("/", HTTP_HOST=HOST)
    assert not response.has_header("Strict-Transport-Security")


def test_hsts_preload_is_sent_only_when_opted_in(settings, site):
    assert "preload" not in _get(Client(), "/")["Strict-Transport-Security"]
    settings.SECURE_HSTS_PRELOAD = True  # read when the middleware is made: a new client
    assert _get(Client(), "/")["Strict-Transport-Security"].endswith("; preload")


def test_a_page_the_site_may_frame_itself_says_so_in_both_headers():
    """Wagtail's preview panel frames the page it previews (xframe_options_sameorigin)."""
    from django.http import HttpResponse
    from django.middleware.clickjacking import XFrameOptionsMiddleware
    from django.test import RequestFactory
    from django.views.decorators.clickjacking import (
        xframe_options_exempt,
        xframe_options_sameorigin,
    )

    from lms.core.csp import ContentSecurityPolicyMiddleware

    def run(view):
        return ContentSecurityPolicyMiddleware(XFrameOptionsMiddleware(view))(
            RequestFactory().get("/"))

    framed = run(xframe_options_sameorigin(lambda request: HttpResponse("<p>preview</p>")))
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert framed["Content-Security-Policy"].endswith("; frame-ancestors 'self'")
    exempt = run(xframe_options_exempt(lambda request: HttpResponse("<p>embed</p>")))
    assert "frame-ancestors" not in exempt["Content-Security-Policy"]
    assert "script-src 'self';" in exempt["Content-Security-Policy"]  # the rest stays


def test_cookies_are_secure_httponly_and_lax_in_production(client, learner, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get(reverse("account_login"), secure=True, HTTP_HOST=HOST)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("account_login"),
        {"login": learner.email, "password": factories.DEFAULT_PASSWORD, "remember": "on"},
        secure=True, HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 14 * 24 * 3600


def test_the_session_ends_after_its_configured_age(client, learner, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(learner)
    session = client.session
    assert session.get_expiry_age() == 3600
    session.set_expiry(-1)  # its hour is over
    session.save()
    response = client.get(reverse("dashboard"), secure=True, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
