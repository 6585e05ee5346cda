"""Real third-party XBlocks from PyPI (xblock-poll's poll and survey, done-xblock) in a
published module, through the site's own pages and routes: each renders with its CSS and
JavaScript in the page's head, its handlers answer over HTTP with CSRF, each learner keeps
her own answer while the poll's tally is shared, done's grade is recorded once, and the
module completes with its activities."""

import json
import re
from decimal import Decimal

import pytest

pytest.importorskip("poll")
pytest.importorskip("done")

from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from assessments import api as assessments_api
from assessments.models import ActivityGradeEvent
from courses import api as courses_api
from lms.core.csp import HEADER as CSP
from lms.core.models import LearningEvent
from tests import factories
from xblocks.models import XBlockSummaryState, XBlockUsage, XBlockUserState

POLL_OLX = """<poll display_name="Screening first"
  question="Which gene do you test before carbamazepine?"
  answers='[["hla", {"label": "HLA-B*15:02", "img": null, "img_alt": null}],
            ["cyp", {"label": "CYP2C9", "img": null, "img_alt": null}]]'
  feedback="HLA-B*15:02 predicts SJS/TEN."/>"""
SURVEY_OLX = """<survey display_name="Your practice"
  questions='[
    ["screen", {"label": "Do you screen before prescribing?", "img": null, "img_alt": null}],
    ["refer", {"label": "Do you refer to genetics?", "img": null, "img_alt": null}]]'
  answers='[["Y", "Yes"], ["N", "No"]]'/>"""
DONE_OLX = '<done align="center"/>'
SURVEY_ANSWERS = {"screen": "Y", "refer": "N"}


def _component(olx: str, title: str):
    return ("component", {"olx": olx, "block_type": "", "fields": "", "title": title})


@pytest.fixture
def activities_module(xblock_course, django_capture_on_commit_callbacks):
    """The first module, completed by its activities: text, a poll, a survey, done."""
    module = courses_api.ModulePage.objects.get(pk=xblock_course.modules[0].pk)
    module.body = [("rich_text", "<p>Carbamazepine and HLA-B*15:02.</p>"),
                   _component(POLL_OLX, "Poll"), _component(SURVEY_OLX, "Survey"),
                   _component(DONE_OLX, "Done")]
    module.completion_rule = "activities"
    with django_capture_on_commit_callbacks(execute=True):
        factories.publish(module)
    return module


def usage(module, block_type: str) -> str:
    return XBlockUsage.objects.get(module=module, block_type=block_type,
                                   retired_at__isnull=True).usage_id


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.token = _get_new_csrf_string()
    client.cookies["csrftoken"] = client.token
    client.force_login(user)
    return client


def post(client, module, block_type, handler, data, *, token=True):
    headers = {"HTTP_X_CSRFTOKEN": client.token} if token else {}
    return client.post(f"/xblock/handler/{usage(module, block_type)}/{handler}/",
                       json.dumps(data), content_type="application/json", **headers)


def user_state(user, module, block_type) -> dict:
    row = XBlockUserState.objects.filter(user=user, usage__usage_id=usage(module, block_type))
    return row.get().state if row.exists() else {}


def init_args(response, init: str) -> dict:
    """The JSON a block's JavaScript is started with, as the page gives it."""
    found = re.search(rf'data-init="{init}"[^>]*><script type="application/json">(.*?)</script>',
                      response.content.decode(), re.DOTALL)
    return json.loads(found.group(1))


def completed(user, module) -> bool:
    return courses_api.ModuleProgress.objects.filter(
        user=user, module=module, completed_at__isnull=False).exists()


# --- Rendering ----------------------------------------------------------------------------

def test_each_block_renders_in_the_module_with_its_resources_in_the_head(
        activities_module, amina):
    response = client_for(amina).get(activities_module.url)
    assert response.status_code == 200
    html = response.content.decode()
    head, body = html.split("</head>", 1)

    assert "Which gene do you test before carbamazepine?" in body
    assert "HLA-B*15:02" in body and "CYP2C9" in body
    assert "Do you screen before prescribing?" in body
    assert "done_onoffswitch-checkbox" in body
    for init in ("PollBlock", "SurveyBlock", "DoneXBlock"):
        assert f'data-init="{init}"' in body
    assert "This interactive activity" not in body  # no block fell back to a notice

    nonce = re.search(r"script-src[^;]*'nonce-([^']+)'", response[CSP]).group(1)
    assert "/static/xblocks/runtime.js" in head
    assert '<script src="/xblock/resource/poll/public/js/vendor/handlebars.js">' in head
    assert "function PollBlock(" in head and "function DoneXBlock(" in head
    assert head.count("function PollBlock(") == 1  # poll and survey share poll.js: once
    assert f'<style nonce="{nonce}">' in head and ".done_onoffswitch" in head
    scripts = re.findall(r"<script( [^>]*)?>", head)
    assert all("src=" in attributes or f'nonce="{nonce}"' in attributes
               for attributes in scripts if attributes)


def test_every_resource_url_the_page_lists_is_served(activities_module, amina, client):
    html = client_for(amina).get(activities_module.url).content.decode()
    urls = set(re.findall(r'"(/xblock/resource/[^"]+)"', html))
    urls |= set(re.findall(r"(/xblock/resource/[^\"'\\)\s]+)", html))
    assert any(url.endswith("handlebars.js") for url in urls)
    assert any(url.endswith("check-full.png") for url in urls)  # done's init data
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("path", [
    "poll/poll.py", "poll/settings.py", "poll/public/../tasks.py",
    "done/done.py", "done/templates/done.html", "done/static/js/src/done.js",
    "survey/public/../utils.py",
])
def test_their_private_files_are_not_served(db, client, path):
    assert client.get(f"/xblock/resource/{path}").status_code == 404


# --- Poll ---------------------------------------------------------------------------------

def test_two_learners_vote_each_keeps_her_choice_and_both_see_the_shared_tally(
        activities_module, amina, bongani):
    client_for(amina).get(activities_module.url)
    amina_client, bongani_client = client_for(amina), client_for(bongani)

    response = post(amina_client, activities_module, "poll", "vote", {"choice": "hla"})
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert post(bongani_client, activities_module, "poll", "vote",
                {"choice": "cyp"}).json()["success"] is True

    assert user_state(amina, activities_module, "poll")["choice"] == "hla"
    assert user_state(bongani, activities_module, "poll")["choice"] == "cyp"
    results = post(amina_client, activities_module, "poll", "get_results", {}).json()
    assert results["total"] == 2
    assert {item["key"]: item["count"] for item in results["tally"]} == {"hla": 1, "cyp": 1}
    summary = XBlockSummaryState.objects.get(usage__usage_id=usage(activities_module, "poll"))
    assert summary.state["tally"] == {"hla": 1, "cyp": 1}

    # A second vote is refused and changes nothing.
    again = post(amina_client, activities_module, "poll", "vote", {"choice": "cyp"}).json()
    assert again["success"] is False
    assert user_state(amina, activities_module, "poll")["choice"] == "hla"


def test_after_voting_the_page_shows_her_choice_and_the_results(activities_module, amina):
    client = client_for(amina)
    post(client, activities_module, "poll", "vote", {"choice": "hla"})
    body = client.get(activities_module.url).content.decode()
    assert re.search(r'<input[^>]*value="hla"[^>]*checked', body)
    assert "HLA-B*15:02 predicts SJS/TEN." in body  # the feedback shown after voting


def test_a_vote_without_the_csrf_token_is_refused_and_not_kept(activities_module, amina):
    client = client_for(amina)
    response = post(client, activities_module, "poll", "vote", {"choice": "hla"}, token=False)
    assert response.status_code == 403
    assert user_state(amina, activities_module, "poll") == {}


# --- Survey -------------------------------------------------------------------------------

def test_survey_answers_are_kept_per_learner_and_tallied(activities_module, amina, bongani):
    client_for(amina).get(activities_module.url)
    answer = post(client_for(amina), activities_module, "survey", "vote", SURVEY_ANSWERS)
    assert answer.status_code == 200
    assert answer.json()["success"] is True
    post(client_for(bongani), activities_module, "survey", "vote", {"screen": "N", "refer": "N"})

    assert user_state(amina, activities_module, "survey")["choices"] == SURVEY_ANSWERS
    assert user_state(bongani, activities_module, "survey")["choices"] == {
        "screen": "N", "refer": "N"}
    results = post(client_for(amina), activities_module, "survey", "get_results", {}).json()
    counts = {question["key"]: {answer["key"]: answer["count"] for answer in question["answers"]}
              for question in results["tally"]}
    assert counts == {"screen": {"Y": 1, "N": 1}, "refer": {"Y": 0, "N": 2}}
    assert results["total"] == 2


# --- Done, grades and completion ----------------------------------------------------------

def test_done_records_its_grade_once_when_toggled_twice(activities_module, amina):
    client = client_for(amina)
    client.get(activities_module.url)
    for _attempt in range(2):
        response = post(client, activities_module, "done", "toggle_button", {"done": True})
        assert response.status_code == 200
        assert response.json() == {"state": True}

    done = usage(activities_module, "done")
    scores = assessments_api.activity_scores(user=amina, module=activities_module)
    assert [(score.activity_key, score.earned, score.possible) for score in scores] == [
        (done, Decimal(1), Decimal(1))]
    assert ActivityGradeEvent.objects.filter(user=amina, activity_key=done).count() == 1
    assert init_args(client.get(activities_module.url), "DoneXBlock")["state"] is True


def test_the_module_completes_once_when_poll_survey_and_done_are_done(
        activities_module, amina, bongani):
    client = client_for(amina)
    client.get(activities_module.url)
    post(client, activities_module, "poll", "vote", {"choice": "hla"})
    assert not completed(amina, activities_module)
    post(client, activities_module, "survey", "vote", SURVEY_ANSWERS)
    assert not completed(amina, activities_module)
    for _attempt in range(2):
        post(client, activities_module, "done", "toggle_button", {"done": True})

    assert completed(amina, activities_module)
    assert not completed(bongani, activities_module)
    assert LearningEvent.objects.filter(user=amina, verb="module_completed").count() == 1
    page = client.get(activities_module.url).content.decode()
    assert "You have completed this module." in page
    assert "1/2 required modules complete" in page


def test_only_a_page_showing_a_poll_allows_eval_in_its_policy(
        activities_module, amina, settings, django_capture_on_commit_callbacks):
    def script_src(response) -> str:
        return response[CSP].split("script-src", 1)[1].split(";", 1)[0]

    with_poll = client_for(amina).get(activities_module.url)
    assert "'unsafe-eval'" in script_src(with_poll)  # poll compiles Handlebars templates

    other = factories.make_course_tree(modules=1, title="Allopurinol and HLA-B*58:01")
    module = courses_api.ModulePage.objects.get(pk=other.modules[0].pk)
    module.body = [_component(DONE_OLX, "Done")]
    with django_capture_on_commit_callbacks(execute=True):
        factories.publish(module)
    done_only = client_for(amina).get(module.url)
    assert "'nonce-" in script_src(done_only) and "'unsafe-eval'" not in script_src(done_only)

    settings.ALLELE_XBLOCK_EVAL_TYPES = []
    assert "'unsafe-eval'" not in script_src(client_for(amina).get(activities_module.url))


def test_a_signed_in_visitor_who_is_not_enrolled_cannot_vote(activities_module, db):
    visitor = factories.make_user(email="visitor@example.org")
    response = post(client_for(visitor), activities_module, "poll", "vote", {"choice": "hla"})
    assert response.status_code == 403
    assert "Enroll in" in response.content.decode()
    assert not XBlockUserState.objects.filter(user=visitor).exists()
    assert not XBlockSummaryState.objects.filter(state__tally__hla=1).exists()
