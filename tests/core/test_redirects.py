"""Every redirect whose target comes from the browser (``next``, ``back``) stays on the
site, for every hostile URL in tests/data/urls.txt (the shared badinput corpus) and a few
header-splitting values: never another host, never a script, never ``//evil`` or
``\\\\evil``, never a second header (lms/core/redirects.py; allauth checks its own)."""

from urllib.parse import urljoin, urlsplit

import pytest

from tests.badinput import corpus
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
HOST = "lms.example"  # the allowed host the corpus is written for
HEADER_SPLITTING = [
    "/ok\r\nSet-Cookie: evil=1",
    "/ok\nLocation: https://evil.example/",
    "/%0d%0aSet-Cookie:%20evil=1",
    "\r\nLocation: //evil.example",
]
HOSTILE = [*corpus("urls.txt"), *HEADER_SPLITTING]
PROFILE = {"full_name": "Amina Yusuf", "profession": "nurse", "country": "KE",
           "preferred_language": "en"}


def _lite(client, learner, target):
    return client.post("/lite-mode/", {"lite": "on", "back": target})


def _language_back(client, learner, target):
    return client.post("/language/", {"language": "fr", "back": target})


def _language_next(client, learner, target):
    return client.post("/language/", {"language": "fr", "next": target})


def _profile(client, learner, target):
    client.force_login(learner)
    return client.post("/profile/", {**PROFILE, "next": target})


def _sign_in(client, learner, target):
    return client.post("/accounts/login/",
                       {"login": learner.email, "password": DEFAULT_PASSWORD, "next": target})


def _sign_out(client, learner, target):
    client.force_login(learner)
    return client.post("/accounts/logout/", {"next": target})


ENDPOINTS = {"lite mode": _lite, "language back": _language_back,
             "language next": _language_next, "profile": _profile, "sign in": _sign_in,
             "sign out": _sign_out}
OURS = {"lite mode", "language back", "language next", "profile"}


def _as_a_browser_reads_it(location: str) -> str:
    """What a browser follows (WHATWG URL parsing): surrounding controls and spaces gone,
    tabs and newlines removed, backslashes read as slashes."""
    location = location.strip("".join(map(chr, range(33))))
    location = "".join(char for char in location if char not in "\t\r\n")
    return location.replace("\\", "/")


def assert_same_site(location: str, *, ours: bool) -> None:
    assert "\r" not in location and "\n" not in location
    followed = urljoin(f"https://{HOST}/somewhere/page/", _as_a_browser_reads_it(location))
    parts = urlsplit(followed)
    assert (parts.scheme, parts.netloc) == ("https", HOST), location
    if ours:  # Allele's own endpoints answer with a path on the site, nothing else
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.fixture
def secure_client(client, settings):
    settings.ALLOWED_HOSTS = [HOST]
    client.defaults.update(HTTP_HOST=HOST, SERVER_PORT="443", **{"wsgi.url_scheme": "https"})
    return client


@pytest.mark.parametrize("target", HOSTILE, ids=repr)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_hostile_target_never_leads_off_the_site(secure_client, learner, endpoint, target):
    response = ENDPOINTS[endpoint](secure_client, learner, target)
    assert response.status_code in (301, 302, 303), response.status_code
    assert_same_site(response["Location"], ours=endpoint in OURS)


@pytest.mark.parametrize("endpoint", sorted(OURS))
def test_a_path_on_the_site_is_kept(secure_client, learner, endpoint):
    response = ENDPOINTS[endpoint](secure_client, learner, "/search/?q=BRCA1#results")
    assert response["Location"] == "/search/?q=BRCA1#results"


@pytest.mark.parametrize("endpoint", sorted(OURS))
def test_a_full_url_on_this_site_becomes_its_path(secure_client, learner, endpoint):
    response = ENDPOINTS[endpoint](secure_client, learner, f"https://{HOST}/courses/1/")
    assert response["Location"] == "/courses/1/"


def test_the_check_itself_refuses_what_the_corpus_hides(rf, settings):
    """The helper alone: nothing from the corpus but same-site paths gets through."""
    from lms.core.redirects import safe_redirect_url

    settings.ALLOWED_HOSTS = [HOST]

    request = rf.get("/", HTTP_HOST=HOST, secure=True)
    kept = {target: safe_redirect_url(request, target) for target in HOSTILE}
    assert {target for target, path in kept.items() if path} == {
        # paths on this site (percent-encoded slashes and line breaks stay inside the path)
        "/dashboard/", f"https://{HOST}/courses/1/", "/%2F%2Fevil.example",
        "/%0d%0aSet-Cookie:%20evil=1",
    }, kept
