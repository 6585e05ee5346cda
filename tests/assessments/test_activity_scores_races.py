"""Concurrent activity grades on PostgreSQL: the same grade posted twice at once is
recorded once."""

from decimal import Decimal

import pytest

from assessments import api
from assessments.models import ActivityGradeEvent, ActivityScore
from courses import api as courses_api
from tests import factories
from tests.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_concurrent_double_grade_leaves_one_score_and_one_ledger_row():
    tree = factories.make_course_tree(modules=1)
    learner = factories.make_user()
    courses_api.enroll(user=learner, course=tree.course)
    module = tree.modules[0]

    results = run_concurrently(4, lambda: api.record_activity_score(
        user=learner, module=module, activity_key="problem-1", title="Problem",
        earned=Decimal(1), possible=Decimal(2)))

    assert sorted(results) == [False, False, False, True]
    assert ActivityScore.objects.count() == 1
    assert ActivityGradeEvent.objects.count() == 1
