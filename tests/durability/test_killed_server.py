"""Answers the server acknowledged survive a killed server (issue #11, item 7).

A real gunicorn (the project's gunicorn.conf.py, one worker) serves a learner taking a
quiz. As soon as each request is acknowledged (the autosave's 200, the form's redirect, the
offline sync's 200),
the whole server, master and worker, is SIGKILLed and a new one started on the same
database: every acknowledged answer is there, and the attempt is submitted with them.
A request killed inside its transaction leaves nothing of it behind.
"""

import json
import secrets
import threading
import uuid

import pytest
import requests

from assessments.models import Attempt, GradeChange, Response
from courses import api as courses_api
from courses.models import ModuleProgress
from offline.models import SyncedAction
from tests import factories
from tests.durability.processes import Server, wait_for_file

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUESTION_IDS = ("dose", "hla", "test")
RIGHT, WRONG = "c1", "c2"


@pytest.fixture
def quiz(learner):
    tree = factories.make_course_tree(modules=2)
    module = tree.modules[0]
    module.completion_rule = "quiz"
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    questions = [factories.make_question(block_id=block_id) for block_id in QUESTION_IDS]
    return factories.make_quiz(module=module, questions=questions)


@pytest.fixture
def browser(client, learner):
    """A signed-in learner's cookies (a session in the shared database) and a CSRF pair."""
    client.force_login(learner)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    token = secrets.token_hex(16)  # a 32-character CSRF secret, sent back as the token
    session.cookies.set("csrftoken", token)
    session.headers["X-CSRFToken"] = token
    return session


def post(session: requests.Session, url: str, **kwargs) -> requests.Response:
    return session.post(url, allow_redirects=False, timeout=60, **kwargs)


def stored_answers(attempt: Attempt) -> dict:
    return dict(Response.objects.filter(attempt=attempt).values_list("question_id", "answer"))


def form(**choices: str) -> dict:
    return {f"q/{question_id}": choice for question_id, choice in choices.items()}


def acknowledged_then_killed(server: Server, session, path: str, **kwargs) -> requests.Response:
    """POST on a fresh server; once the answer is in, kill the whole server (SIGKILL)."""
    server.start()
    try:
        reply = post(session, server.base + path, **kwargs)
    finally:
        server.kill()
    return reply


def test_acknowledged_answers_survive_killing_the_server_and_are_submitted(
        quiz, learner, browser, env, shared_database, tmp_path):
    shared_database.push()
    server = Server(env, tmp_path / "gunicorn.log")

    started = acknowledged_then_killed(server, browser, f"/quizzes/{quiz.pk}/start/")
    assert started.status_code == 302 and "/attempts/" in started.headers["Location"]
    shared_database.pull()
    attempt = Attempt.objects.get(user=learner, quiz=quiz)
    assert started.headers["Location"].endswith(f"/attempts/{attempt.pk}/")
    assert {question["id"] for question in attempt.questions} == set(QUESTION_IDS)

    autosaved = acknowledged_then_killed(
        server, browser, f"/attempts/{attempt.pk}/save/",
        data=json.dumps({"answers": {"dose": {"choice": RIGHT}}}),
        headers={"Content-Type": "application/json"})
    assert autosaved.status_code == 200 and autosaved.json()["saved"] == ["dose"]
    shared_database.pull()
    assert stored_answers(attempt) == {"dose": {"choice": RIGHT}}

    saved = acknowledged_then_killed(server, browser, f"/attempts/{attempt.pk}/",
                                     data=form(dose=RIGHT, hla=RIGHT, test=WRONG))
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/attempts/{attempt.pk}/")
    shared_database.pull()
    assert stored_answers(attempt) == {"dose": {"choice": RIGHT}, "hla": {"choice": RIGHT},
                                       "test": {"choice": WRONG}}

    # An answer changed offline, sent by the service worker's sync (the offline API).
    key = str(uuid.uuid4())
    synced = acknowledged_then_killed(
        server, browser, "/api/v1/offline/sync", headers={"Content-Type": "application/json"},
        data=json.dumps({"learner": learner.username, "actions": [{
            "key": key, "type": "save_answers", "attempt": attempt.pk,
            "responses": {"test": {"choice": RIGHT}}, "made_at": "2026-11-20T09:14:03+03:00"}]}))
    assert synced.status_code == 200 and synced.json()["results"][0]["status"] == "applied"
    shared_database.pull()
    assert stored_answers(attempt)["test"] == {"choice": RIGHT}
    assert SyncedAction.objects.filter(key=key).exists()

    # A new server finds the attempt as she left it and submits what was acknowledged.
    server.start()
    try:
        page = browser.get(f"{server.base}/attempts/{attempt.pk}/", timeout=60)
        assert page.status_code == 200
        assert page.text.count("checked") >= 3  # her three choices are shown back
        submitted = post(browser, f"{server.base}/attempts/{attempt.pk}/submit/")
        assert submitted.status_code == 302, (submitted.status_code, submitted.text[:2000],
                                              server.log.read_text()[-3000:])
        assert submitted.headers["Location"].endswith(f"/attempts/{attempt.pk}/result/")
        result = browser.get(server.base + submitted.headers["Location"], timeout=60)
        assert result.status_code == 200
    finally:
        server.kill()
    shared_database.pull()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert stored_answers(attempt) == {question_id: {"choice": RIGHT}
                                       for question_id in QUESTION_IDS}
    assert attempt.score_percent == 100 and attempt.passed
    assert ModuleProgress.objects.filter(user=learner, module=quiz.module,
                                         completed_at__isnull=False).count() == 1


def killed_mid_transaction(env, tmp_path, session, path: str, *, pause_in: str, **kwargs):
    """Send a request to a server that pauses inside the transaction (``pause_in``), and
    kill the whole server there, before it could commit or answer."""
    marker = tmp_path / f"paused-in-{pause_in}"
    server = Server({**env, "ALLELE_TEST_PAUSE_IN": pause_in,
                     "ALLELE_TEST_PAUSE_MARKER": str(marker)},
                    tmp_path / "gunicorn-paused.log", app="tests.durability.paused_wsgi")
    server.start()
    process = server.process

    def kill_when_paused():
        wait_for_file(marker, process, server.log)
        server.kill()

    killer = threading.Thread(target=kill_when_paused)
    killer.start()
    try:
        with pytest.raises(requests.ConnectionError):  # never answered
            post(session, server.base + path, **kwargs)
    finally:
        killer.join(timeout=90)
        server.kill()
    assert marker.exists(), "the request never reached the pause"


def test_a_request_killed_inside_its_transaction_leaves_nothing_of_it(
        quiz, learner, browser, env, shared_database, tmp_path):
    from assessments import api as assessments_api

    attempt = assessments_api.start_attempt(user=learner, quiz=quiz)
    assessments_api.save_responses(user=learner, attempt=attempt, answers={
        "dose": {"choice": RIGHT}, "hla": {"choice": WRONG}})
    before = stored_answers(attempt)
    shared_database.push()

    # A save changing one answer and adding another, killed after writing both rows.
    killed_mid_transaction(
        env, tmp_path, browser, f"/attempts/{attempt.pk}/save/", pause_in="save",
        data=json.dumps({"answers": {"hla": {"choice": RIGHT}, "test": {"choice": RIGHT}}}),
        headers={"Content-Type": "application/json"})
    shared_database.pull()
    assert stored_answers(attempt) == before  # neither change, not one of the two

    # A submission killed after writing its grades: still in progress, no grade at all.
    killed_mid_transaction(env, tmp_path, browser, f"/attempts/{attempt.pk}/submit/",
                           pause_in="grade")
    shared_database.pull()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS and attempt.submitted_at is None
    assert not GradeChange.objects.filter(attempt=attempt).exists()
    assert not ModuleProgress.objects.filter(user=learner, completed_at__isnull=False).exists()
    assert stored_answers(attempt) == before
