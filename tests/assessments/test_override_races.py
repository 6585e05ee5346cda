"""Concurrent grade overrides on PostgreSQL: the same override sent twice at once is kept
once, and two different ones leave the attempt's score agreeing with the ledger."""

import pytest

from assessments import api
from assessments.models import Attempt, GradeChange
from courses import api as courses_api
from lms.core.models import AuditEntry
from tests import factories
from tests.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setup():
    tree = factories.make_course_tree(modules=1)
    learner = factories.make_user()
    courses_api.enroll(user=learner, course=tree.course)
    quiz = factories.make_quiz(module=tree.modules[0])
    attempt = api.start_attempt(user=learner, quiz=quiz)
    question_id = attempt.questions[0]["id"]
    api.save_responses(user=learner, attempt=attempt, answers={question_id: {"choice": "c2"}})
    api.submit_attempt(user=learner, attempt=attempt)
    admin = factories.make_user(email="admin@example.org")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return admin, attempt, question_id


def test_the_same_override_sent_twice_at_once_is_recorded_once(setup):
    admin, attempt, question_id = setup

    results = run_concurrently(2, lambda: api.override_grade(
        actor=admin, attempt=attempt, question_id=question_id, points="1", reason="appeal"))

    assert sorted(result.created for result in results) == [False, True]
    assert GradeChange.objects.filter(attempt=attempt, reason="override").count() == 1
    assert AuditEntry.objects.filter(action="grade_overridden").count() == 1
    assert Attempt.objects.get(pk=attempt.pk).score_percent == 100


def test_two_different_overrides_at_once_leave_the_score_of_the_last_one(setup):
    admin, attempt, question_id = setup
    points = iter(["1", "0.5"])

    run_concurrently(2, lambda: api.override_grade(
        actor=admin, attempt=attempt, question_id=question_id, points=next(points),
        reason="second marking"))

    latest = GradeChange.objects.filter(attempt=attempt).latest("created_at", "pk")
    assert GradeChange.objects.filter(attempt=attempt, reason="override").count() == 2
    assert Attempt.objects.get(pk=attempt.pk).points == latest.points
    assert AuditEntry.objects.filter(action="grade_overridden").count() == 2
