"""The XBlock HTTP layer against a stand-in runtime: who may call handlers, with which
user, under CSRF; how answers and refusals look; which resource paths are refused before
the runtime is even asked."""

import json
from types import SimpleNamespace

import pytest
import webob
from django.contrib.auth.models import Group
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from lms.core.csp import HEADER as CSP
from lms.core.roles import Role
from tests import factories
from xblocks import api as real_api
from xblocks import views

pytestmark = [pytest.mark.urls("tests.xblocks.urls"), pytest.mark.django_db]
HANDLER = "/xblock/handler/usage-1/vote/"
AUTHORING = "/xblock/authoring/usage-1/studio_submit/"


class StubApi:
    """Records each call; answers with ``answer`` or raises ``error``."""

    def __init__(self):
        self.XBlockAccessDenied = real_api.XBlockAccessDenied
        self.XBlockNotFound = real_api.XBlockNotFound
        self.calls, self.error = [], None
        self.answer = webob.Response(json_body={"votes": 3})
        self.files = {("poll", "public/poll.css"): (b"p{}", "text/css")}

    def handle_request(self, **kwargs):
        kwargs["body"] = kwargs["request"].body
        self.calls.append(SimpleNamespace(**kwargs))
        if self.error:
            raise self.error
        return self.answer

    def resource(self, *, block_type, path):
        self.calls.append(SimpleNamespace(block_type=block_type, path=path))
        if (block_type, path) not in self.files:
            raise self.XBlockNotFound(path)
        return self.files[(block_type, path)]


@pytest.fixture
def api(monkeypatch):
    stub = StubApi()
    monkeypatch.setattr(views, "api", stub)
    return stub


@pytest.fixture
def csrf_client(db):
    """A client that enforces CSRF, with a known token in its cookie."""
    client = Client(enforce_csrf_checks=True)
    client.token = _get_new_csrf_string()
    client.cookies["csrftoken"] = client.token
    return client


@pytest.fixture
def learner(db):
    return factories.make_user(email="amina@example.org")


@pytest.fixture
def editor(db):
    person = factories.make_user(email="editor@example.org")
    person.groups.add(Group.objects.get(name=Role.EDUCATOR))
    return person


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json",
                       HTTP_X_CSRFTOKEN=getattr(client, "token", ""), **extra)


def test_anonymous_callers_get_a_403_answer_not_a_redirect(csrf_client, api):
    for response in (csrf_client.get(HANDLER), post_json(csrf_client, HANDLER, {"choice": "a"}),
                     post_json(csrf_client, AUTHORING, {})):
        assert response.status_code == 403
        assert "error" in response.json()
    assert api.calls == []


def test_a_post_without_the_csrf_token_is_refused(csrf_client, learner, api):
    csrf_client.force_login(learner)
    response = csrf_client.post(HANDLER, json.dumps({"choice": "a"}),
                                content_type="application/json")
    assert response.status_code == 403
    assert api.calls == []


def test_a_post_with_the_token_reaches_the_handler_as_the_signed_in_learner(
        csrf_client, learner, api):
    csrf_client.force_login(learner)
    response = post_json(csrf_client, HANDLER + "sub/path", {"choice": "a"})
    assert response.status_code == 200
    assert response.json() == {"votes": 3}
    (call,) = api.calls
    assert (call.user, call.usage_id, call.handler_name, call.suffix, call.authoring) == (
        learner, "usage-1", "vote", "sub/path", False)
    assert json.loads(call.body) == {"choice": "a"}
    assert call.request.method == "POST"


def test_no_user_named_in_the_query_or_body_is_honoured(csrf_client, learner, api):
    other = factories.make_user(email="other@example.org")
    csrf_client.force_login(learner)
    post_json(csrf_client, f"{HANDLER}?user_id={other.pk}&student_id={other.pk}",
              {"user_id": other.pk, "student_id": other.pk, "user": other.username})
    csrf_client.get(HANDLER, {"user_id": other.pk})
    assert [call.user for call in api.calls] == [learner, learner]


def test_form_posts_reach_the_handler_as_form_fields(csrf_client, learner, api):
    csrf_client.force_login(learner)
    csrf_client.post(HANDLER, {"choice": "b", "csrfmiddlewaretoken": csrf_client.token})
    csrf_client.post(HANDLER, "choice=c", HTTP_X_CSRFTOKEN=csrf_client.token,
                     content_type="application/x-www-form-urlencoded")
    assert [call.request.POST.get("choice") for call in api.calls] == ["b", "c"]


def test_the_handler_answer_is_passed_on_with_the_policy_and_without_cookies(
        csrf_client, learner, api):
    api.answer = webob.Response(body=b"<p>ok</p>", status=201, content_type="text/html",
                                headerlist=[("X-Block", "1"), ("Set-Cookie", "a=b")])
    csrf_client.force_login(learner)
    response = post_json(csrf_client, HANDLER, {})
    assert response.status_code == 201
    assert response.content == b"<p>ok</p>"
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Block"] == "1"
    assert "a" not in response.cookies
    assert "script-src 'self' 'nonce-" in response[CSP]
    assert "no-cache" in response["Cache-Control"]


def test_refusals_from_the_runtime_become_403_and_404(csrf_client, learner, api):
    csrf_client.force_login(learner)
    api.error = api.XBlockAccessDenied("not yours")
    assert post_json(csrf_client, HANDLER, {}).status_code == 403
    api.error = api.XBlockNotFound("gone")
    response = csrf_client.get(HANDLER)
    assert response.status_code == 404
    assert CSP in response


def test_a_learner_cannot_call_authoring_handlers(csrf_client, learner, api):
    csrf_client.force_login(learner)
    response = post_json(csrf_client, AUTHORING, {"display_name": "Mine now"})
    assert response.status_code == 403
    assert api.calls == []


def test_an_editor_calls_authoring_handlers_as_herself(csrf_client, editor, api):
    csrf_client.force_login(editor)
    assert post_json(csrf_client, AUTHORING, {"display_name": "Poll"}).status_code == 200
    (call,) = api.calls
    assert (call.user, call.handler_name, call.authoring) == (editor, "studio_submit", True)


def test_an_editor_still_needs_the_csrf_token(csrf_client, editor, api):
    csrf_client.force_login(editor)
    response = csrf_client.post(AUTHORING, "{}", content_type="application/json")
    assert response.status_code == 403
    assert api.calls == []


def test_a_public_resource_is_served_cacheable_and_typed(client, api):
    response = client.get("/xblock/resource/poll/public/poll.css")
    assert response.status_code == 200
    assert b"".join(response) == b"p{}"
    assert response["Content-Type"] == "text/css"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert CSP in response


def test_a_resource_the_runtime_does_not_know_is_not_found(client, api):
    assert client.get("/xblock/resource/poll/public/missing.js").status_code == 404
    assert client.get("/xblock/resource/not_installed/public/a.js").status_code == 404


@pytest.mark.parametrize("path", [
    "../settings.py", "public/../../poll.py", "%2e%2e/poll.py", "public/%2E%2E/%2e%2e/x",
    "/etc/passwd", "//etc/passwd", "public\\..\\poll.py", "..\\poll.py", "C:/x", "public/./a",
    "public//a.js", "public/a%00.js", "public/",
])
def test_resource_paths_that_could_leave_the_folder_are_refused_unasked(client, api, path):
    assert client.get(f"/xblock/resource/poll/{path}").status_code == 404
    assert api.calls == []


def test_resources_are_read_only(csrf_client, api):
    response = csrf_client.post("/xblock/resource/poll/public/poll.css",
                                HTTP_X_CSRFTOKEN=csrf_client.token)
    assert response.status_code == 405
