"""The Content-Security-Policy that confines components' HTML: a page that asks for a nonce
gets a fresh one per request that templates can use (tests/core/test_csp.py: the policy of
every other page)."""

import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from lms.core.csp import (
    HEADER,
    ContentSecurityPolicyMiddleware,
    allow_eval,
    csp_nonce,
    with_csp,
)

NONCE = re.compile(r"script-src 'self' 'nonce-([\w-]+)'")


def _through_middleware(view, request):
    return ContentSecurityPolicyMiddleware(view)(request)


def _template_view(request):
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">1</script>')
    return HttpResponse(template.render({}, request))


def test_a_page_that_never_asks_for_a_nonce_gets_the_policy_without_one():
    response = _through_middleware(lambda request: HttpResponse("plain"), RequestFactory().get("/"))
    assert "script-src 'self';" in response[HEADER]
    assert "nonce-" not in response[HEADER]
    assert response[HEADER].endswith("frame-ancestors 'none'")


def test_a_response_that_is_not_html_gets_no_policy_unless_it_asks():
    response = _through_middleware(
        lambda request: HttpResponse("{}", content_type="application/json"),
        RequestFactory().get("/"),
    )
    assert HEADER not in response


@pytest.mark.django_db
def test_the_catalog_pages_get_the_policy_without_a_nonce(client):
    header = client.get("/")[HEADER]
    assert "script-src 'self';" in header and "style-src 'self';" in header


def test_a_template_using_the_nonce_gets_the_policy_with_that_nonce():
    response = _through_middleware(_template_view, RequestFactory().get("/module/"))
    nonce = NONCE.search(response[HEADER]).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert len(nonce) >= 16


def test_each_request_gets_its_own_nonce():
    first = _through_middleware(_template_view, RequestFactory().get("/"))
    second = _through_middleware(_template_view, RequestFactory().get("/"))
    assert NONCE.search(first[HEADER]).group(1) != NONCE.search(second[HEADER]).group(1)


def test_the_nonce_is_stable_within_a_request():
    request = RequestFactory().get("/")
    assert csp_nonce(request) == csp_nonce(request)


def test_a_decorated_view_sends_the_whole_policy():
    view = with_csp(lambda request: HttpResponse("{}", content_type="application/json"))
    header = _through_middleware(view, RequestFactory().post("/xblock/handler/x/y/"))[HEADER]
    for directive in (
        "default-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in header
    assert "unsafe-inline" not in header.split("script-src", 1)[1].split(";", 1)[0]


def test_a_policy_the_view_set_itself_is_kept():
    def view(request):
        csp_nonce(request)
        response = HttpResponse("x")
        response[HEADER] = "default-src 'none'"
        return response

    assert _through_middleware(view, RequestFactory().get("/"))[HEADER] == "default-src 'none'"


@pytest.mark.parametrize("with_eval", [True, False])
def test_eval_only_when_the_page_asks_for_it(with_eval):
    def view(request):
        if with_eval:
            allow_eval(request)
        return _template_view(request)

    header = _through_middleware(view, RequestFactory().get("/"))[HEADER]
    script_src = header.split("script-src", 1)[1].split(";", 1)[0]
    assert ("'unsafe-eval'" in script_src) is with_eval
    assert "'unsafe-inline'" not in script_src
