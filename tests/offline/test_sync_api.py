"""The offline-sync JSON API, through HTTP as the device's queue uses it: a signed-in
session, CSRF enforced (the token read from the csrftoken cookie), one batch per request."""

import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from assessments import api as assessments_api
from assessments.models import Attempt, GradeChange, Response
from courses import api as courses_api
from courses.models import ModuleProgress
from lms.core.models import LearningEvent
from offline.models import SyncedAction
from tests import factories

SYNC = "/api/v1/offline/sync"
RIGHT, WRONG = {"choice": "c1"}, {"choice": "c2"}
MADE_AT = "2026-11-20T09:14:03+03:00"


@pytest.fixture
def setup(learner):
    """A sequential three-module course; module 2 has a quiz (one single-choice question,
    id q1-single_choice); the learner is enrolled and has started an attempt online."""
    tree = factories.make_course_tree(modules=3, sequential=True)
    courses_api.enroll(user=learner, course=tree.course)
    quiz = factories.make_quiz(module=tree.modules[1])
    courses_api.complete_module(user=learner, module=tree.modules[0])
    attempt = assessments_api.start_attempt(user=learner, quiz=quiz)
    return tree, quiz, attempt


def device(user) -> Client:
    """A browser signed in as ``user`` that has loaded a page (so it holds the CSRF
    cookie), as the service worker's page would."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(reverse("profile"))  # any page with a form (sign out, at least)
    assert "csrftoken" in browser.cookies
    return browser


def send(browser: Client, learner: str, actions: list[dict]):
    return browser.post(SYNC, json.dumps({"learner": learner, "actions": actions}),
                        content_type="application/json",
                        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)


def complete(module) -> dict:
    return {"key": str(uuid.uuid4()), "type": "complete_module", "module": module.pk,
            "made_at": MADE_AT}


def answer(attempt, response=RIGHT) -> dict:
    return {"key": str(uuid.uuid4()), "type": "save_answers", "attempt": attempt.pk,
            "responses": {"q1-single_choice": response}, "made_at": MADE_AT}


def submit(attempt) -> dict:
    return {"key": str(uuid.uuid4()), "type": "submit_attempt", "attempt": attempt.pk,
            "made_at": MADE_AT}


def statuses(response) -> list[str]:
    return [result["status"] for result in response.json()["results"]]


def completions(learner, module) -> tuple[int, int]:
    """(completed progress rows, "module completed" events) for the module."""
    rows = ModuleProgress.objects.filter(user=learner, module=module,
                                         completed_at__isnull=False).count()
    events = LearningEvent.objects.filter(user=learner, page_id=module.pk,
                                          verb="module_completed").count()
    return rows, events


# --- Applying, replaying, resuming ---------------------------------------------------------


def test_a_batch_is_applied_once_and_says_what_it_did(learner, setup):
    tree, _quiz, attempt = setup
    batch = [complete(tree.modules[1]), answer(attempt), submit(attempt)]
    response = send(device(learner), learner.username, batch)

    assert response.status_code == 200, response.content
    body = response.json()
    assert statuses(response) == ["applied"] * 3
    assert [result["key"] for result in body["results"]] == [a["key"] for a in batch]
    assert "Module 2" in body["results"][0]["detail"]
    assert body["results"][1]["detail"] == "1 answer saved."
    assert body["results"][2]["detail"] == "Submitted: 100% (passed)."
    assert completions(learner, tree.modules[1]) == (1, 1)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.passed
    assert GradeChange.objects.filter(attempt=attempt).count() == 1
    state = body["learning_state"]["courses"]
    assert state == [{"id": tree.course.pk, "percent": 67, "complete": False}]


def test_the_time_an_action_was_made_offline_is_kept(learner, setup):
    _tree, _quiz, attempt = setup
    action = answer(attempt)
    send(device(learner), learner.username, [action])
    record = SyncedAction.objects.get(user=learner, key=action["key"])
    assert record.made_at == datetime.fromisoformat(MADE_AT)
    assert record.action_type == "save_answers"
    assert record.received_at > record.made_at


def test_a_replayed_batch_changes_nothing(learner, setup):
    tree, _quiz, attempt = setup
    batch = [complete(tree.modules[1]), answer(attempt), submit(attempt)]
    browser = device(learner)
    first = send(browser, learner.username, batch)
    saved = Response.objects.get(attempt=attempt)
    submitted_at = Attempt.objects.get(pk=attempt.pk).submitted_at

    again = send(browser, learner.username, batch)

    assert again.status_code == 200
    assert statuses(again) == ["already_applied"] * 3
    assert ([r["detail"] for r in again.json()["results"]]
            == [r["detail"] for r in first.json()["results"]])
    assert completions(learner, tree.modules[1]) == (1, 1)
    assert GradeChange.objects.filter(attempt=attempt).count() == 1
    assert Attempt.objects.get(pk=attempt.pk).submitted_at == submitted_at
    assert Response.objects.get(attempt=attempt).saved_at == saved.saved_at
    assert SyncedAction.objects.filter(user=learner).count() == 3


def test_an_interrupted_sync_resent_whole_applies_each_action_once(learner, setup):
    tree, _quiz, attempt = setup
    batch = [complete(tree.modules[1]), answer(attempt), submit(attempt),
             complete(tree.modules[2])]
    browser = device(learner)
    # The first half reached the server, but the device never heard back.
    assert send(browser, learner.username, batch[:2]).status_code == 200

    response = send(browser, learner.username, batch)

    assert statuses(response) == ["already_applied", "already_applied", "applied", "applied"]
    assert completions(learner, tree.modules[1]) == (1, 1)
    assert completions(learner, tree.modules[2]) == (1, 1)
    assert GradeChange.objects.filter(attempt=attempt).count() == 1
    assert response.json()["learning_state"]["courses"][0]["complete"] is True


def test_the_same_action_twice_in_one_batch_is_applied_once(learner, setup):
    tree, _quiz, _attempt = setup
    action = complete(tree.modules[1])
    response = send(device(learner), learner.username, [action, action])
    assert statuses(response) == ["applied", "already_applied"]
    assert completions(learner, tree.modules[1]) == (1, 1)


# --- Refusals: nothing partial is saved ----------------------------------------------------


def nothing_saved(learner, tree, attempt) -> bool:
    return (completions(learner, tree.modules[1]) == (0, 0)
            and not Response.objects.filter(attempt=attempt).exists()
            and not Attempt.objects.get(pk=attempt.pk).is_submitted
            and not SyncedAction.objects.exists())


def test_another_learners_batch_is_refused(learner, setup):
    tree, _quiz, attempt = setup
    response = send(device(learner), "someone-else",
                    [complete(tree.modules[1]), answer(attempt)])
    assert response.status_code == 403
    assert response.json() == {
        "error": "These answers were recorded by another learner on this device; "
                 "sign in as them to send them.",
        "action": None,
    }
    assert nothing_saved(learner, tree, attempt)


def test_a_valid_completion_followed_by_an_unknown_attempt_saves_nothing(learner, setup):
    tree, _quiz, attempt = setup
    unknown = submit(attempt) | {"attempt": 987654}
    response = send(device(learner), learner.username,
                    [complete(tree.modules[1]), answer(attempt), unknown])
    assert response.status_code == 404
    assert response.json() == {"error": "We could not find this quiz attempt.",
                               "action": unknown["key"]}
    assert nothing_saved(learner, tree, attempt)


def test_another_learners_attempt_is_refused_like_a_missing_one(learner, setup):
    tree, quiz, attempt = setup
    other = factories.make_user(email="other@example.org")
    courses_api.enroll(user=other, course=tree.course)
    courses_api.complete_module(user=other, module=tree.modules[0])
    theirs = assessments_api.start_attempt(user=other, quiz=quiz)
    response = send(device(learner), learner.username,
                    [complete(tree.modules[1]), answer(theirs)])
    assert response.status_code == 404
    assert response.json()["error"] == "We could not find this quiz attempt."
    assert not Response.objects.filter(attempt=theirs).exists()
    assert nothing_saved(learner, tree, attempt)


def test_a_locked_module_is_refused_with_the_sites_message(learner, setup):
    tree, _quiz, attempt = setup
    locked = complete(tree.modules[2])  # module 2 is not complete yet
    response = send(device(learner), learner.username, [answer(attempt), locked])
    assert response.status_code == 409
    assert response.json() == {"error": "Complete “Module 2” first.", "action": locked["key"]}
    assert nothing_saved(learner, tree, attempt)


def test_a_course_she_is_not_enrolled_in_is_refused(learner, setup):
    _tree, _quiz, _attempt = setup
    other = factories.make_course_tree(modules=1, title="Newborn screening")
    response = send(device(learner), learner.username, [complete(other.modules[0])])
    assert response.status_code == 409
    assert response.json()["error"] == "Enroll in “Newborn screening” to record your progress."
    assert not ModuleProgress.objects.filter(module=other.modules[0]).exists()


def test_an_unknown_or_unpublished_module_is_refused(learner, setup):
    tree, _quiz, attempt = setup
    tree.modules[1].unpublish()
    for module_id in (tree.modules[1].pk, 987654):
        action = complete(tree.modules[1]) | {"module": module_id}
        response = send(device(learner), learner.username, [action])
        assert response.status_code == 404
        assert response.json()["action"] == action["key"]
    assert nothing_saved(learner, tree, attempt)


def test_a_key_reused_for_another_action_is_refused(learner, setup):
    _tree, _quiz, attempt = setup
    browser = device(learner)
    first = answer(attempt, RIGHT)
    send(browser, learner.username, [first])
    changed = first | {"responses": {"q1-single_choice": WRONG}}
    response = send(browser, learner.username, [changed])
    assert response.status_code == 409
    assert response.json() == {"error": "This action was already sent with different contents.",
                               "action": first["key"]}
    assert Response.objects.get(attempt=attempt).answer == RIGHT


@pytest.mark.parametrize("broken", [
    {"type": "complete_module", "module": "two"},
    {"type": "complete_module"},
    {"type": "delete_everything", "module": 1},
    {"type": "submit_attempt", "attempt": 1, "made_at": "yesterday"},
    {"type": "submit_attempt", "attempt": 1, "made_at": "2026-11-20T09:14:03"},  # no offset
])
def test_a_malformed_action_is_refused_with_its_key(learner, setup, broken):
    tree, _quiz, attempt = setup
    bad = {"key": str(uuid.uuid4()), "made_at": MADE_AT} | broken
    response = send(device(learner), learner.username, [complete(tree.modules[1]), bad])
    assert response.status_code == 422
    body = response.json()
    assert body["action"] == bad["key"]
    assert body["error"].startswith("This batch could not be read")
    assert body["detail"]
    assert nothing_saved(learner, tree, attempt)


def test_more_than_200_actions_are_refused(learner, setup):
    tree, _quiz, attempt = setup
    response = send(device(learner), learner.username,
                    [complete(tree.modules[1]) for _ in range(201)])
    assert response.status_code == 422
    assert nothing_saved(learner, tree, attempt)


def test_without_the_csrf_token_nothing_is_applied(learner, setup):
    tree, _quiz, attempt = setup
    browser = device(learner)
    response = browser.post(SYNC, json.dumps({"learner": learner.username,
                                              "actions": [complete(tree.modules[1])]}),
                            content_type="application/json")
    assert response.status_code == 403
    assert nothing_saved(learner, tree, attempt)


def test_a_signed_out_device_is_refused(learner, setup):
    tree, _quiz, attempt = setup
    response = Client().post(SYNC, json.dumps({"learner": learner.username,
                                               "actions": [complete(tree.modules[1])]}),
                             content_type="application/json")
    assert response.status_code == 401
    assert nothing_saved(learner, tree, attempt)


# --- Time limits ---------------------------------------------------------------------------


def test_answers_arriving_after_the_time_limit_are_refused_and_submit_grades_what_was_saved(
        learner, setup):
    _tree, _quiz, attempt = setup
    browser = device(learner)
    send(browser, learner.username, [answer(attempt, WRONG)])
    # The learner went offline, answered again, and came back after the deadline.
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - assessments_api.SAVE_GRACE - timedelta(seconds=1))
    late = answer(attempt, RIGHT)
    response = send(browser, learner.username, [late, submit(attempt)])
    assert response.status_code == 409
    assert response.json() == {"error": "Time is up: answers can no longer be changed.",
                               "action": late["key"]}

    response = send(browser, learner.username, [submit(attempt)])  # "late" discarded
    assert response.json()["results"][0]["detail"] == "Submitted: 0% (not passed)."
    assert Response.objects.get(attempt=attempt).answer == WRONG


# --- The OpenAPI document and the course manifest ------------------------------------------


def test_the_openapi_document_lists_the_endpoints_for_signed_in_users(learner, client):
    assert client.get("/api/v1/offline/openapi.json").status_code == 302  # to sign in
    client.force_login(learner)
    document = client.get("/api/v1/offline/openapi.json").json()
    assert set(document["paths"]) == {"/api/v1/offline/sync",
                                      "/api/v1/offline/courses/{course_id}/manifest"}
    assert "post" in document["paths"]["/api/v1/offline/sync"]
    assert client.get("/api/v1/offline/docs").status_code == 200


def make_image():
    image = get_image_model()(title="Karyotype",
                              file=get_test_image_file(filename="karyotype.png",
                                                       size=(1200, 800)))
    image._set_image_file_metadata()
    image.save()
    return image


def manifest(browser, course):
    return browser.get(f"/api/v1/offline/courses/{course.pk}/manifest")


def test_the_manifest_lists_every_unlocked_module_with_its_images(learner, setup):
    tree, _quiz, attempt = setup
    figure = tree.modules[1]
    figure.body = [("image", {"image": make_image(), "alt_text": "A karyotype",
                              "caption": "", "credit": ""})]
    factories.publish(figure)

    response = manifest(device(learner), tree.course)

    assert response.status_code == 200
    body = response.json()
    pages = [entry["url"] for entry in body["urls"] if entry["kind"] == "page"]
    assert pages == [tree.course.url, tree.modules[0].url, tree.modules[1].url,
                     reverse("attempt", args=[attempt.pk])]  # her attempt in progress
    assert body["locked_modules"] == [{"id": tree.modules[2].pk, "title": "Module 3",
                                       "reason": "Complete “Module 2” first."}]
    images = [entry for entry in body["urls"] if entry["kind"] == "image"]
    assert images and all(entry["url"].startswith("/media/images/") for entry in images)
    assert all(entry["bytes"] > 0 and not entry["estimated"] for entry in images)
    assert any(entry["url"].endswith("allele.css") for entry in body["urls"])
    assert body["total_bytes"] == sum(entry["bytes"] or 0 for entry in body["urls"])
    assert body["course"] == {"id": tree.course.pk, "title": tree.course.title,
                              "url": tree.course.url}


def test_the_manifest_version_changes_after_a_republish(learner, setup):
    tree, _quiz, _attempt = setup
    browser = device(learner)
    before = manifest(browser, tree.course).json()["version"]
    assert manifest(browser, tree.course).json()["version"] == before

    tree.modules[0].title = "Module 1, revised"
    factories.publish(tree.modules[0])

    assert manifest(browser, tree.course).json()["version"] != before


def test_the_manifest_version_changes_when_a_module_unlocks(learner, setup):
    tree, _quiz, _attempt = setup
    browser = device(learner)
    before = manifest(browser, tree.course).json()
    courses_api.complete_module(user=learner, module=tree.modules[1])
    after = manifest(browser, tree.course).json()
    assert after["version"] != before["version"]
    assert tree.modules[2].url in [entry["url"] for entry in after["urls"]]
    assert after["locked_modules"] == []


def test_no_manifest_for_a_course_she_is_not_enrolled_in(learner, setup):
    tree, _quiz, _attempt = setup
    other = factories.make_course_tree(modules=1, title="Newborn screening")
    browser = device(learner)
    assert manifest(browser, other.course).status_code == 404
    assert browser.get("/api/v1/offline/courses/987654/manifest").status_code == 404
    courses_api.unenroll(user=learner, course=tree.course)
    assert manifest(browser, tree.course).status_code == 404
