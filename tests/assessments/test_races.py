"""Concurrent quiz requests on PostgreSQL: one grading per attempt, never more attempts
than allowed, and the time limit holds."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import api
from assessments.models import Attempt, GradeChange, Response
from courses import api as courses_api
from courses.models import ModuleProgress
from lms.core.models import LearningEvent
from tests import factories
from tests.concurrency import run_concurrently as concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RIGHT, WRONG = {"choice": "c1"}, {"choice": "c2"}


def run_concurrently(count: int, action):
    return concurrently(count, action, expected_errors=(api.QuizError,))


@pytest.fixture
def setup():
    tree = factories.make_course_tree(modules=2)
    module = tree.modules[0]
    module.completion_rule = "quiz"
    factories.publish(module)
    learner = factories.make_user()
    courses_api.enroll(user=learner, course=tree.course)
    return learner, module, factories.make_quiz(module=module)


def test_two_concurrent_submits_grade_once_and_return_the_same_result(setup):
    learner, module, quiz = setup
    attempt = api.start_attempt(user=learner, quiz=quiz)
    api.save_responses(user=learner, attempt=attempt,
                       answers={attempt.questions[0]["id"]: RIGHT})

    results = run_concurrently(2, lambda: api.submit_attempt(user=learner, attempt=attempt))

    assert results[0] == results[1] and results[0].passed
    assert GradeChange.objects.filter(attempt=attempt).count() == 1
    assert ModuleProgress.objects.get(module=module).completed_at is not None
    assert LearningEvent.objects.filter(verb="module_completed").count() == 1


def test_ten_concurrent_starts_never_exceed_the_attempt_limit(setup):
    learner, _module, quiz = setup
    quiz.max_attempts = 2
    quiz.save()

    def start_and_submit():
        attempt = api.start_attempt(user=learner, quiz=quiz)
        return api.submit_attempt(user=learner, attempt=attempt).attempt_id

    results = run_concurrently(10, start_and_submit)

    assert Attempt.objects.filter(user=learner, quiz=quiz).count() <= 2
    assert set(results) <= {"no_attempts_left", *Attempt.objects.values_list("pk", flat=True)}


def test_ten_concurrent_first_starts_make_one_attempt(setup):
    learner, _module, quiz = setup
    results = run_concurrently(10, lambda: api.start_attempt(user=learner, quiz=quiz).pk)
    assert len(set(results)) == 1
    assert Attempt.objects.count() == 1


def test_a_save_racing_the_submit_is_either_graded_or_refused(setup):
    learner, _module, quiz = setup
    attempt = api.start_attempt(user=learner, quiz=quiz)
    question_id = attempt.questions[0]["id"]
    api.save_responses(user=learner, attempt=attempt, answers={question_id: WRONG})

    turns, lock = iter(range(2)), threading.Lock()

    def act():
        with lock:
            turn = next(turns)
        if turn == 0:
            return api.submit_attempt(user=learner, attempt=attempt)
        return api.save_responses(user=learner, attempt=attempt, answers={question_id: RIGHT})

    results = run_concurrently(2, act)
    result = api.submit_attempt(user=learner, attempt=attempt)
    graded_right = result.score_percent == 100
    assert graded_right == (Response.objects.get().answer == RIGHT)
    assert ("submitted" in results) != graded_right


def test_past_the_time_limit_what_was_saved_is_graded(setup):
    learner, _module, quiz = setup
    quiz.time_limit_minutes = 1
    quiz.save()
    attempt = api.start_attempt(user=learner, quiz=quiz)
    question_id = attempt.questions[0]["id"]
    api.save_responses(user=learner, attempt=attempt, answers={question_id: RIGHT})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    results = run_concurrently(4, lambda: api.save_responses(
        user=learner, attempt=attempt, answers={question_id: WRONG}))
    assert results == ["time_up"] * 4
    assert api.submit_attempt(user=learner, attempt=attempt).score_percent == 100
