"""The XBlock routes with Allele's real runtime behind them (xblock-sdk's thumbs, the
xblock-poll and done-xblock packages), through the site's URL configuration: a learner's
call only ever reaches her own state, editors alone reach authoring handlers, and only a
block's public files are served."""

import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from courses.extensions import ComponentRef
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from xblocks.models import XBlockUsage, XBlockUserState

THUMBS = ComponentRef(block_id="5e0c3a1f-0000-4000-8000-0000000000aa", olx="<thumbs/>")
POLL = ComponentRef(block_id="5e0c3a1f-0000-4000-8000-0000000000bb",
                    olx='<poll question="Which gene?" url_name="gene_poll"/>')


def usage_id(module, component) -> str:
    return XBlockUsage.objects.get(module=module, component_id=component.block_id,
                                   parent__isnull=True).usage_id


def client_for(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.token = _get_new_csrf_string()
    client.cookies["csrftoken"] = client.token
    if user:
        client.force_login(user)
    return client


def post(client, url, data, *, token=True):
    headers = {"HTTP_X_CSRFTOKEN": client.token} if token else {}
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def states(usage) -> dict:
    return {row.user_id: row.state
            for row in XBlockUserState.objects.filter(usage__usage_id=usage)}


@pytest.fixture
def thumbs(module, amina, render):
    render(module, [THUMBS], amina)
    return usage_id(module, THUMBS)


def test_a_vote_over_http_changes_the_learners_own_state(thumbs, amina, bongani):
    response = post(client_for(amina), f"/xblock/handler/{thumbs}/vote/", {"voteType": "up"})
    assert response.status_code == 200
    assert response.json() == {"up": 1, "down": 0}
    assert states(thumbs) == {amina.pk: {"voted": True}}


def test_naming_another_learner_in_the_query_or_body_changes_only_ones_own_state(
        thumbs, amina, bongani):
    url = f"/xblock/handler/{thumbs}/vote/?user_id={amina.pk}&student_id={amina.pk}"
    response = post(client_for(bongani), url, {"voteType": "down", "user_id": amina.pk,
                                                "student_id": amina.pk})
    assert response.status_code == 200
    assert states(thumbs) == {bongani.pk: {"voted": True}}


def test_without_the_csrf_token_or_signed_out_nothing_changes(thumbs, amina):
    url = f"/xblock/handler/{thumbs}/vote/"
    assert post(client_for(amina), url, {"voteType": "up"}, token=False).status_code == 403
    assert post(client_for(), url, {"voteType": "up"}).status_code == 403
    assert states(thumbs) == {}


def test_an_unknown_usage_or_handler_is_not_found(thumbs, amina):
    client = client_for(amina)
    assert post(client, "/xblock/handler/m0-nothing/vote/", {}).status_code == 404
    assert post(client, f"/xblock/handler/{thumbs}/no_such_handler/", {}).status_code == 404


@pytest.fixture
def poll(module, amina, render):
    render(module, [POLL], amina)
    return usage_id(module, POLL)


def test_learners_cannot_reach_authoring_handlers_on_either_route(poll, amina):
    client = client_for(amina)
    data = {"question": "Hijacked?"}
    assert post(client, f"/xblock/authoring/{poll}/studio_submit/", data).status_code == 403
    assert post(client, f"/xblock/handler/{poll}/studio_submit/", data).status_code == 403


@pytest.mark.parametrize("role", [Role.EDUCATOR, "superuser"])
def test_the_modules_editors_can_call_them(poll, module, role):
    editor = factories.make_user(email="editor@example.org", is_superuser=role == "superuser")
    if role != "superuser":  # an educator edits the pages she wrote
        core_api.assign_role(user=editor, role=role)
        module.owner = editor
        module.save(update_fields=["owner"])
    assert module.permissions_for_user(editor).can_edit()
    response = post(client_for(editor), f"/xblock/authoring/{poll}/studio_submit/", {
        "display_name": "Gene poll", "question": "Which gene first?", "feedback": "",
        "answers": [{"key": "a", "label": "HLA-B", "img": "", "img_alt": ""},
                    {"key": "b", "label": "CYP2D6", "img": "", "img_alt": ""}],
        "max_submissions": 1, "private_results": False,
    })
    assert response.status_code == 200, response.content
    assert response.json() == {"success": True, "errors": []}


def test_a_vote_in_xblock_poll_is_kept(poll, amina):
    client = client_for(amina)
    response = post(client, f"/xblock/handler/{poll}/vote/", {"choice": "R"})
    assert response.status_code == 200, response.content
    assert response.json()["success"] is True
    assert states(poll)[amina.pk]["choice"] == "R"


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "content_type"), [
    ("/xblock/resource/poll/public/js/poll.js", "javascript"),
    ("/xblock/resource/done/public/check-full.png", "image/png"),
])
def test_public_files_are_served(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "poll/poll.py", "poll/public/../poll.py", "poll/%2e%2e/poll.py", "poll/settings.py",
    "done/templates/done.html", "done/static/js/src/done.js", "done/public",
    "poll/public/js", "done/public\\..\\done.py", "not_installed/public/a.js",
    "thumbs/../../../../etc/passwd",
])
def test_private_files_and_other_paths_are_not_found(client, path):
    assert client.get(f"/xblock/resource/{path}").status_code == 404


def test_an_educator_who_cannot_edit_the_module_is_refused(poll, module):
    educator = factories.make_user(email="other.educator@example.org")
    core_api.assign_role(user=educator, role=Role.EDUCATOR)
    assert not module.permissions_for_user(educator).can_edit()
    response = post(client_for(educator), f"/xblock/authoring/{poll}/studio_submit/",
                    {"question": "Hijacked?"})
    assert response.status_code == 403
