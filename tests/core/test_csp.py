"""The enforced Content-Security-Policy (issue #11, lms/core/csp.py): which policy each kind
of page gets, what operators can add to it, and a walk over the learner's main pages that
finds no inline script without the page's nonce, no ``on*=`` handler and no ``style=``
(the browser would block them: tests/e2e/test_csp_journey.py watches it do so)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django.urls import reverse

from assessments import api as assessments_api
from certificates import api as certificates_api
from courses import api as courses_api
from lms.core import csp
from lms.core.csp import HEADER, ContentSecurityPolicyMiddleware
from tests import factories

pytestmark = pytest.mark.django_db
HOST = "learn.allele.example"


def directives(header: str) -> dict[str, list[str]]:
    """The policy as {directive: [sources]}."""
    parsed = {}
    for part in filter(None, (part.strip() for part in header.split(";"))):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def served(view, request=None):
    return ContentSecurityPolicyMiddleware(view)(request or RequestFactory().get("/"))


# --- The policy of each kind of page -----------------------------------------------------------

def test_a_learner_page_gets_the_strict_policy(client):
    policy = directives(client.get("/")[HEADER])
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com",
                      "https://player.vimeo.com"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_a_page_whose_template_uses_the_nonce_allows_that_nonce_and_nothing_inline():
    def view(request):
        nonce = csp.csp_nonce(request)
        return HttpResponse(f'<script nonce="{nonce}">1</script><style nonce="{nonce}"></style>')

    response = served(view)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    policy = directives(response[HEADER])
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]


def test_a_page_with_components_allows_inline_styles_but_scripts_only_with_the_nonce():
    def view(request):
        csp.allow_inline_styles(request)
        return HttpResponse("<div>component</div>")

    policy = directives(served(view)[HEADER])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"][0] == "'self'" and policy["script-src"][1].startswith("'nonce-")
    assert len(policy["script-src"]) == 2  # no 'unsafe-inline', no 'unsafe-eval'
    assert "blob:" in policy["img-src"]


def test_only_a_page_that_asks_allows_eval():
    def view(request):
        csp.allow_eval(request)
        return HttpResponse("<div>poll</div>")

    assert "'unsafe-eval'" in directives(served(view)[HEADER])["script-src"]
    assert "'unsafe-eval'" not in directives(served(lambda r: HttpResponse("x"))[HEADER])[
        "script-src"]


def test_a_response_that_is_not_html_gets_no_policy():
    assert HEADER not in served(lambda request: JsonResponse({"ok": True}))


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_the_admin_sign_in_pages_get_the_admin_policy(client, path):
    policy = directives(client.get(path)[HEADER])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src-attr"] == ["'none'"]  # never an onclick= or onerror=
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_wagtail_admin_policy_lets_the_preview_panel_frame_the_site(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = directives(response[HEADER])
    assert policy["frame-src"][0] == "'self'"
    assert policy["img-src"] == ["'self'", "data:", "blob:"]  # no Gravatar


def test_a_page_under_a_path_that_only_looks_like_the_admin_gets_the_strict_policy(rf):
    request = rf.get("/administration-of-medicines/")
    assert directives(served(lambda r: HttpResponse("x"), request)[HEADER])["script-src"] == [
        "'self'"]


def test_a_page_served_over_https_upgrades_insecure_requests(client, settings):
    settings.ALLOWED_HOSTS = [HOST]
    assert "upgrade-insecure-requests" in client.get("/", secure=True, HTTP_HOST=HOST)[HEADER]
    assert "upgrade-insecure-requests" not in client.get("/", HTTP_HOST=HOST)[HEADER]


# --- What operators add ------------------------------------------------------------------------

def test_reports_go_where_the_operator_says(client, settings):
    assert "report-uri" not in client.get("/")[HEADER]
    settings.ALLELE_CSP_REPORT_URI = "https://reports.example.org/csp"
    assert directives(client.get("/")[HEADER])["report-uri"] == ["https://reports.example.org/csp"]


def test_the_embed_providers_are_the_only_frames_allowed(client, settings):
    settings.ALLELE_CSP_FRAME_SOURCES = ["https://player.vimeo.com"]
    assert directives(client.get("/")[HEADER])["frame-src"] == ["https://player.vimeo.com"]
    settings.ALLELE_CSP_FRAME_SOURCES = []
    assert directives(client.get("/")[HEADER])["frame-src"] == ["'none'"]


def test_media_in_s3_compatible_storage_is_allowed_from_its_endpoint(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "allele-media", "endpoint_url": "https://s3.eu.example.net",
                    "access_key": "AKIAEXAMPLE", "secret_key": "not-a-secret",
                    "addressing_style": "path", "querystring_auth": True},
    }}
    policy = directives(client.get("/")[HEADER])
    assert policy["img-src"] == ["'self'", "data:", "https://s3.eu.example.net"]
    assert policy["media-src"] == ["'self'", "https://s3.eu.example.net"]
    assert "https://s3.eu.example.net" not in policy["script-src"] + policy["style-src"]


def test_media_from_a_cdn_or_a_listed_origin_is_allowed(client, settings):
    settings.MEDIA_URL = "https://cdn.allele.example/media/"
    assert "https://cdn.allele.example" in directives(client.get("/")[HEADER])["img-src"]
    settings.ALLELE_CSP_MEDIA_ORIGINS = ["https://media.allele.example"]
    policy = directives(client.get("/")[HEADER])
    assert policy["media-src"] == ["'self'", "https://media.allele.example"]


def test_without_media_settings_media_comes_only_from_this_site():
    csp.media_origins.cache_clear()
    assert csp.media_origins() == ()


# --- Every main page: the header, and nothing inline the policy would block -------------------

class InlineCode(HTMLParser):
    """What in a page a strict policy blocks: inline scripts and styles without the nonce,
    event-handler attributes, style attributes and javascript: URLs."""

    DATA_TYPES = {"application/json", "application/ld+json", "importmap"}

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce, self.found = nonce, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]+", name):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip(
                    ).lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        inline_script = tag == "script" and "src" not in attributes and (
            attributes.get("type") or "").lower() not in self.DATA_TYPES
        if (inline_script or tag == "style") and (
                not self.nonce or attributes.get("nonce") != self.nonce):
            self.found.append(f"<{tag}> without the page's nonce")


def inline_code(response) -> list[str]:
    nonce = re.search(r"'nonce-([^']+)'", response[HEADER])
    checker = InlineCode(nonce.group(1) if nonce else None)
    checker.feed(b"".join(response).decode() if response.streaming
                 else response.content.decode())
    return checker.found


@pytest.fixture
def pages(learner):
    """The learner's main pages, with something on each: a course she is enrolled in, a
    quiz attempt in progress and one submitted, a certificate."""
    tree = factories.make_course_tree(modules=2)
    courses_api.enroll(user=learner, course=tree.course)
    in_progress = assessments_api.start_attempt(
        user=learner, quiz=factories.make_quiz(module=tree.modules[0], title="Practice"))
    submitted = assessments_api.start_attempt(
        user=learner, quiz=factories.make_quiz(module=tree.modules[1], title="Final"))
    assessments_api.submit_attempt(user=learner, attempt=submitted)
    for module in tree.modules:
        courses_api.complete_module(user=learner, module=module)
    certificate = certificates_api.issue_certificate(user=learner, course=tree.course)
    return {
        "home": "/",
        "catalogue": tree.course.get_parent().url,
        "course": tree.course.url,
        "module": tree.modules[0].url,
        "quiz attempt": reverse("attempt", args=[in_progress.pk]),
        "result": reverse("attempt_result", args=[submitted.pk]),
        "dashboard": reverse("dashboard"),
        "profile": reverse("profile"),
        "certificates": reverse("certificates:list"),
        "transcript": reverse("certificates:transcript"),
        "verification": reverse("certificates:verify", args=[certificate.public_id]),
        "search": reverse("course_search") + "?q=HLA",
        "offline page": reverse("offline_page"),
        "handbook": reverse("course_handbook", args=[tree.course.pk]),
        "API docs": reverse("offline_api:openapi-view"),
    }


SIGNED_IN = ["home", "catalogue", "course", "module", "quiz attempt", "result", "dashboard",
             "profile", "certificates", "transcript", "verification", "search",
             "offline page", "handbook", "API docs"]


@pytest.mark.parametrize("name", SIGNED_IN)
def test_a_learners_page_sends_the_policy_and_nothing_inline_it_would_block(
        client, learner, pages, name):
    client.force_login(learner)
    response = client.get(pages[name])
    assert response.status_code == 200, (name, response.status_code)
    assert "'unsafe-inline'" not in response[HEADER]
    assert directives(response[HEADER])["object-src"] == ["'none'"]
    assert inline_code(response) == []


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/",
                                  "/accounts/password/reset/", "/search/?q=", "/offline/",
                                  "/no-such-page/"])
def test_a_visitors_page_sends_the_policy_and_nothing_inline_it_would_block(client, path):
    response = client.get(path)
    assert response.status_code in {200, 404}, (path, response.status_code)
    assert "'unsafe-inline'" not in response[HEADER]
    assert inline_code(response) == []


def test_the_handbooks_style_element_carries_the_pages_nonce(client, learner, pages):
    client.force_login(learner)
    response = client.get(pages["handbook"])
    body = b"".join(response).decode()
    nonce = re.search(r"'nonce-([^']+)'", response[HEADER]).group(1)
    assert f'<style nonce="{nonce}">' in body
    assert directives(response[HEADER])["style-src"] == ["'self'", f"'nonce-{nonce}'"]


def test_the_checker_finds_what_the_browser_would_block():
    assert len(_found(
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">b</a><style>p{}</style>'
        '<script type="application/json">{}</script><script src="/s.js"></script>')) == 5
    assert _found('<script nonce="abc">1</script>', nonce="abc") == []
    assert _found('<script nonce="abc">1</script>', nonce="xyz") != []


def _found(html: str, nonce: str | None = None) -> list[str]:
    checker = InlineCode(nonce)
    checker.feed(html)
    return checker.found



def our_templates() -> list[Path]:
    """Every template Allele ships (the project's and the apps' folders)."""
    base = Path(django_settings.BASE_DIR)
    folders = [base / "templates", *base.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_no_template_of_ours_has_inline_code_without_a_nonce():
    """Every template, also those no walk above renders (e-mails and PDFs included: they
    need none either). A ``<script>``/``<style>`` is fine only with the page's nonce."""
    found = []
    for path in our_templates():
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<(script|style)\b([^>]*)>", source):
            if "src=" not in match.group(2) and "nonce=" not in match.group(2) and \
                    "application/json" not in match.group(2):
                found.append(f"{path.name}: <{match.group(1)}{match.group(2)}>")
        found += [f"{path.name}: {match.group(0)}" for match in re.finditer(
            r"\s(on[a-z]+|style)\s*=", source)]
    assert len(our_templates()) > 50
    assert found == []
