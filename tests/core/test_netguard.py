"""The SSRF guard (lms/core/netguard.py): internal addresses are refused, on every redirect hop.

No real request is made: ``socket.getaddrinfo`` is replaced by a table of DNS answers and
the HTTP transport (urllib3's ``HTTPConnectionPool.urlopen``, which HTTPS pools inherit) by
a script of replies; a name the table does not know fails as an unknown name would.
tests/data/ssrf_targets.txt holds the internal-address entries of the shared URL corpus.
"""

import io
import re
import socket
from pathlib import Path

import pytest
import urllib3
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders import get_finders

from lms.core import netguard
from lms.core.embeds import GuardedOEmbedFinder
from lms.core.netguard import FetchFailed, FetchRefused, check_url, safe_fetch
from tests.badinput import corpus

PUBLIC = "93.184.216.34"
# What public DNS answers for the names in the corpus and the tests.
DNS = {
    "localhost": ["127.0.0.1", "::1"],
    "127.0.0.1.nip.io": ["127.0.0.1"],
    "localtest.me": ["127.0.0.1"],
    "metadata.google.internal": ["169.254.169.254"],
    "lms.example": [PUBLIC],
    "docs.example": [PUBLIC],
    "cdn.example": ["93.184.216.35"],
    "www.youtube.com": ["142.250.180.14"],
    "rebind.example": ["10.0.0.7"],
    "split.example": [PUBLIC, "192.168.0.10"],
    "split6.example": ["2606:2800:220:1::1", "fd00::1"],
}


@pytest.fixture
def dns(monkeypatch):
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if host not in DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (ip, port)) for ip in DNS[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture
def web(monkeypatch):
    """Replies scripted by ``host+path?query`` (or ``host+path``); records each request as
    (pool host, port, Host header, path, method, TLS server name)."""
    replies: dict[str, tuple[int, dict, bytes]] = {}
    sent: list[tuple] = []

    def urlopen(pool, method, url, body=None, headers=None, **kwargs):
        host = headers["Host"]
        sent.append((pool.host, pool.port, host, url, method,
                     pool.conn_kw.get("server_hostname")))
        status, reply_headers, content = replies.get(
            host + url, replies.get(host + url.split("?")[0], (404, {}, b"not found")))
        return urllib3.HTTPResponse(body=io.BytesIO(content), headers=reply_headers,
                                    status=status, preload_content=False)

    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "urlopen", urlopen)
    return replies, sent


@pytest.mark.parametrize("url", corpus("ssrf_targets.txt"))
def test_every_internal_address_in_the_corpus_is_refused(url, dns, web):
    with pytest.raises(FetchRefused):
        safe_fetch(url)
    assert web[1] == []


@pytest.mark.parametrize("url", [
    "http://2130706433/", "http://017700000001/", "http://0x7f.0.0.1/", "http://127.0.1/",
    "http://[::]/", "http://[::ffff:169.254.169.254]/", "http://[2002:a9fe:a9fe::1]/",
    "http://[64:ff9b::a9fe:a9fe]/", "http://[fe80::1]/", "http://[ff02::1]/",
    "http://100.64.0.1/", "http://169.254.170.2/v2/credentials", "http://224.0.0.1/",
    "http://255.255.255.255/", "http://198.18.0.1/", "http://[2001:0:4136:e378::1]/",
    "http://intranet.internal/", "http://printer.local/", "http://db/",
    "http://user:pass@docs.example/", "http://docs.example:6379/", "gopher://docs.example/",
])
def test_other_internal_forms_and_disallowed_urls_are_refused(url, dns, web):
    with pytest.raises(FetchRefused):
        safe_fetch(url)
    assert web[1] == []


def test_a_public_address_is_fetched_from_the_address_that_was_checked(dns, web):
    replies, sent = web
    replies["docs.example/a/b?c=1"] = (200, {"Content-Type": "text/plain"}, b"hello")
    reply = safe_fetch("https://docs.example/a/b?c=1")
    assert (reply.status_code, reply.text) == (200, "hello")
    # Pinned to the resolved IP; the name goes in the Host header and the TLS SNI.
    assert sent == [(PUBLIC, 443, "docs.example", "/a/b?c=1", "GET", "docs.example")]


def test_a_dns_answer_that_changes_after_the_check_is_not_used(monkeypatch, web):
    """DNS rebinding: the name is resolved once per hop and the connection goes to the
    address that was checked, whatever a second lookup would answer."""
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])

    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in next(answers)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    web[0]["docs.example/"] = (200, {}, b"ok")
    assert safe_fetch("http://docs.example/").text == "ok"
    assert [(s[0], s[2]) for s in web[1]] == [(PUBLIC, "docs.example")]
    assert next(answers) == ["127.0.0.1"]  # only one lookup was made


def test_the_https_pool_verifies_the_certificate_for_the_original_name():
    target = netguard.Target(scheme="https", host="docs.example", port=443, ip=PUBLIC,
                             path="/", host_header="docs.example")
    pool = netguard._pool(target, 5)
    assert (pool.host, pool.assert_hostname, pool.conn_kw["server_hostname"]) == (
        PUBLIC, "docs.example", "docs.example")
    assert pool.cert_reqs == "CERT_REQUIRED"


def test_a_redirect_to_an_internal_address_is_refused_at_the_second_hop(dns, web):
    replies, sent = web
    replies["docs.example/doc"] = (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    with pytest.raises(FetchRefused):
        safe_fetch("https://docs.example/doc")
    assert [s[2] for s in sent] == ["docs.example"]


def test_a_redirect_to_a_name_that_resolves_internally_is_refused(dns, web):
    replies, sent = web
    replies["docs.example/doc"] = (301, {"Location": "https://rebind.example/x"}, b"")
    with pytest.raises(FetchRefused):
        safe_fetch("https://docs.example/doc")
    assert len(sent) == 1 and "rebind.example" in dns


def test_public_redirects_are_followed_and_each_hop_checked(dns, web):
    replies, sent = web
    replies["docs.example/doc"] = (302, {"Location": "https://cdn.example/d"}, b"")
    replies["cdn.example/d"] = (307, {"Location": "/final"}, b"")
    replies["cdn.example/final"] = (200, {}, b"done")
    reply = safe_fetch("https://docs.example/doc")
    assert (reply.url, reply.text) == ("https://cdn.example/final", "done")
    assert [(s[0], s[3]) for s in sent] == [
        (PUBLIC, "/doc"), ("93.184.216.35", "/d"), ("93.184.216.35", "/final")]


def test_too_many_redirects_fail(dns, web):
    replies, sent = web
    replies["docs.example/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchFailed):
        safe_fetch("https://docs.example/loop", max_redirects=3)
    assert len(sent) == 4


@pytest.mark.parametrize("host", ["split.example", "split6.example"])
def test_a_dns_answer_with_a_public_and_a_private_address_is_refused(host, dns, web):
    with pytest.raises(FetchRefused):
        safe_fetch(f"https://{host}/")
    assert web[1] == []


def test_an_answer_over_the_size_limit_fails(dns, web):
    web[0]["docs.example/big"] = (200, {}, b"x" * 2000)
    with pytest.raises(FetchFailed):
        safe_fetch("https://docs.example/big", max_bytes=1000)


def test_development_setting_allows_private_addresses_but_not_other_schemes(settings, dns,
                                                                            web):
    settings.ALLELE_FETCH_ALLOW_PRIVATE = True
    web[0]["127.0.0.1/"] = (200, {}, b"local")
    assert safe_fetch("http://127.0.0.1/").text == "local"
    with pytest.raises(FetchRefused):
        check_url("file:///etc/passwd")


def test_listed_ports_are_allowed(settings, dns, web):
    settings.ALLELE_FETCH_PORTS = [8443]
    assert check_url("https://docs.example:8443/").port == 8443


# --- Wagtail embeds ------------------------------------------------------------------------

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_wagtail_embeds_use_the_guarded_finder():
    assert [type(finder) for finder in get_finders()] == [GuardedOEmbedFinder]


def test_the_oembed_finder_fetches_through_the_guard(dns, web):
    replies, sent = web
    finder = GuardedOEmbedFinder()
    replies["www.youtube.com/oembed"] = (
        200, {"Content-Type": "application/json"},
        b'{"type": "video", "html": "<iframe></iframe>", "title": "T"}')
    result = finder.find_embed(VIDEO)
    assert (result["type"], result["title"]) == ("video", "T")
    assert sent[0][0] == "142.250.180.14"


def test_an_oembed_provider_redirecting_inside_is_refused(dns, web):
    replies, sent = web
    finder = GuardedOEmbedFinder()
    replies["www.youtube.com/oembed"] = (
        302, {"Location": "http://[fd00:ec2::254]/latest/meta-data/"}, b"")
    with pytest.raises(EmbedNotFoundException):
        finder.find_embed(VIDEO)
    assert len(sent) == 1



# --- No fetch around the guard ------------------------------------------------------------

PROJECT = Path(__file__).resolve().parents[2]
APPS = ["lms", "editorial", "courses", "assessments", "certificates", "cohorts", "packages",
        "xblocks", "offline"]
CLIENTS = re.compile(r"^\s*(import (requests|httpx|urllib3|http\.client)\b|from (requests|httpx"
                     r"|urllib3|http\.client|urllib\.request)\b|.*\burlopen\()", re.MULTILINE)


def test_no_application_module_makes_http_requests_except_through_the_guard():
    """A new server-side fetch must use lms.core.netguard.safe_fetch (bench/ talks only to
    the local test server and is not part of the application)."""
    offenders = [
        str(path.relative_to(PROJECT)) for app in APPS for path in (PROJECT / app).rglob("*.py")
        if CLIENTS.search(path.read_text(encoding="utf-8"))
        and path != PROJECT / "lms" / "core" / "netguard.py"
    ]
    assert offenders == []
