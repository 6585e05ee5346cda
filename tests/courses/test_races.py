"""Concurrent requests on PostgreSQL: nothing doubled, nothing lost."""

import threading

import pytest

from courses import api
from courses.models import Enrollment, ModuleProgress
from lms.core.models import LearningEvent
from tests import factories
from tests.concurrency import run_concurrently as concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_concurrently(count: int, action):
    return concurrently(count, action, expected_errors=(api.LearningError,))


def test_twenty_concurrent_completes_leave_one_completion_and_one_event():
    tree = factories.make_course_tree(modules=3)
    learner = factories.make_user()
    api.enroll(user=learner, course=tree.course)
    module = tree.modules[0]

    results = run_concurrently(20, lambda: api.complete_module(user=learner, module=module))

    assert results.count(True) == 1 and results.count(False) == 19
    assert ModuleProgress.objects.filter(module=module, completed_at__isnull=False).count() == 1
    assert LearningEvent.objects.filter(verb="module_completed", page=module).count() == 1


def test_last_two_modules_completed_at_once_still_complete_the_course():
    tree = factories.make_course_tree(modules=3)
    learner = factories.make_user()
    api.enroll(user=learner, course=tree.course)
    api.complete_module(user=learner, module=tree.modules[0])
    remaining = iter(tree.modules[1:])
    lock = threading.Lock()

    def complete_next():
        with lock:
            module = next(remaining)
        return api.complete_module(user=learner, module=module)

    assert run_concurrently(2, complete_next) == [True, True]
    assert Enrollment.objects.get(user=learner).completed_at is not None
    assert LearningEvent.objects.filter(verb="course_completed").count() == 1


def test_concurrent_enrollments_make_one():
    course = factories.make_course()
    learner = factories.make_user()
    results = run_concurrently(10, lambda: api.enroll(user=learner, course=course).pk)
    assert sum(isinstance(result, int) for result in results) == 1
    assert results.count("already_enrolled") == 9
    assert Enrollment.objects.count() == 1
    assert LearningEvent.objects.filter(verb="enrolled").count() == 1
