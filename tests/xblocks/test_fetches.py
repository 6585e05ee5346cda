"""XBlock handlers that fetch URLs go through the SSRF guard (xblocks/fetches.py).

xblock-google-drive is not installed here, so its ``check_url`` is called the way
``xblocks.api.handle_request`` calls the replacement: with the handler's webob request.
DNS and the HTTP transport are replaced; no real request is made.
"""

import io
import json
import socket

import pytest
import urllib3
import webob

from courses.extensions import ComponentRef
from tests import factories
from tests.badinput import corpus
from xblocks import fetches

PUBLIC = "93.184.216.34"


@pytest.fixture
def network(monkeypatch):
    sent = []

    def getaddrinfo(host, port, *args, **kwargs):
        answers = {"docs.google.com": [PUBLIC], "intranet.example": ["10.1.2.3"]}
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]

    def urlopen(pool, method, url, body=None, headers=None, **kwargs):
        sent.append((method, pool.host, headers["Host"], url))
        replies = {"/document/d/1": (200, {"Content-Length": "123456"}),
                   "/moved": (302, {"Location": "http://169.254.169.254/latest/meta-data/"})}
        status, reply_headers = replies.get(url, (404, {}))
        return urllib3.HTTPResponse(body=io.BytesIO(b""), headers=reply_headers, status=status,
                                    preload_content=False)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "urlopen", urlopen)
    return sent


def _check(url) -> dict:
    request = webob.Request.blank("/", method="POST", body=json.dumps({"url": url}).encode())
    handler = fetches.replacement("google-document", "check_url")
    return json.loads(handler(request).body)


def test_google_document_check_url_is_replaced_and_other_handlers_are_not():
    assert fetches.replacement("google-document", "check_url") is fetches.guarded_check_url
    assert fetches.replacement("google-document", "studio_submit") is None


def test_check_url_answers_the_status_of_a_public_document(network):
    assert _check("https://docs.google.com/document/d/1") == {"status_code": 200}
    assert network == [("HEAD", PUBLIC, "docs.google.com", "/document/d/1")]


@pytest.mark.parametrize("url", [*corpus("ssrf_targets.txt"), "https://intranet.example/",
                                 "https://docs.google.com/moved"])
def test_check_url_never_reaches_an_internal_address(url, network):
    assert _check(url) == {"status_code": 400}
    assert all(host == PUBLIC for _m, host, _h, _u in network)


THUMBS = ComponentRef(block_id="5e0c3a1f-0000-4000-8000-00000000f37c", olx="<thumbs/>")


def test_handle_request_runs_the_guarded_handler_after_the_access_checks(
        module, amina, render, call_handler, network, monkeypatch):
    """The sample ``thumbs`` block stands in for google-document (not installed)."""
    from xblocks import api
    from xblocks.models import XBlockUsage

    render(module, [THUMBS], amina)
    usage_id = XBlockUsage.objects.get(component_id=THUMBS.block_id,
                                       parent__isnull=True).usage_id
    with pytest.raises(api.XBlockNotFound):  # the block has no such handler
        call_handler(amina, usage_id, "check_url", {"url": "http://10.0.0.1/"})
    monkeypatch.setitem(fetches.REPLACED, ("thumbs", "check_url"), fetches.guarded_check_url)
    assert call_handler(amina, usage_id, "check_url", {"url": "http://10.0.0.1/"}) == (
        200, {"status_code": 400})
    assert call_handler(amina, usage_id, "check_url",
                        {"url": "https://docs.google.com/document/d/1"}) == (
        200, {"status_code": 200})
    stranger = factories.make_user(email="stranger@example.org")
    with pytest.raises(api.XBlockAccessDenied):
        call_handler(stranger, usage_id, "check_url", {"url": "https://docs.google.com/"})
    assert [host for _m, host, _h, _u in network] == [PUBLIC]
