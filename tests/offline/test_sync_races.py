"""The same offline batch arriving several times at once (a device retrying while its first
request is still in flight, two tabs syncing) applies once, on PostgreSQL."""

import uuid
from datetime import UTC, datetime

import pytest

from assessments import api as assessments_api
from assessments.models import Attempt, GradeChange
from courses import api as courses_api
from courses.models import ModuleProgress
from lms.core.models import LearningEvent
from offline import api
from offline.models import SyncedAction
from tests import factories
from tests.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MADE_AT = datetime(2026, 11, 20, 6, 14, tzinfo=UTC)


@pytest.fixture
def setup():
    tree = factories.make_course_tree(modules=3, sequential=False)
    learner = factories.make_user()
    courses_api.enroll(user=learner, course=tree.course)
    quiz = factories.make_quiz(module=tree.modules[1])
    attempt = assessments_api.start_attempt(user=learner, quiz=quiz)
    batch = [
        api.Action(key=uuid.uuid4(), type="complete_module", module=tree.modules[0].pk,
                   made_at=MADE_AT),
        api.Action(key=uuid.uuid4(), type="save_answers", attempt=attempt.pk,
                   responses={"q1-single_choice": {"choice": "c1"}}, made_at=MADE_AT),
        api.Action(key=uuid.uuid4(), type="submit_attempt", attempt=attempt.pk,
                   made_at=MADE_AT),
        api.Action(key=uuid.uuid4(), type="complete_module", module=tree.modules[2].pk,
                   made_at=MADE_AT),
    ]
    return learner, tree, attempt, batch


def statuses(result: api.BatchResult) -> list[str]:
    return [item.status for item in result.results]


def assert_applied_once(learner, tree, attempt):
    for module in (tree.modules[0], tree.modules[2]):
        assert ModuleProgress.objects.filter(user=learner, module=module,
                                             completed_at__isnull=False).count() == 1
        assert LearningEvent.objects.filter(user=learner, page_id=module.pk,
                                            verb="module_completed").count() == 1
    assert Attempt.objects.get(pk=attempt.pk).is_submitted
    assert GradeChange.objects.filter(attempt=attempt).count() == 1
    assert SyncedAction.objects.filter(user=learner).count() == 4


def test_the_same_batch_sent_five_times_at_once_applies_once(setup):
    learner, tree, attempt, batch = setup

    results = run_concurrently(5, lambda: api.apply_batch(
        user=learner, learner=learner.username, actions=batch))

    assert sorted(statuses(result) for result in results) == (
        [["already_applied"] * 4] * 4 + [["applied"] * 4])
    assert_applied_once(learner, tree, attempt)


def test_overlapping_batches_sent_at_once_apply_each_action_once(setup):
    """The whole batch, its first two and three actions (an interrupted sync resent) and
    the two completions in the other order, at once: none fails (no deadlock: keys are
    claimed in one order before anything is locked), each action applies once."""
    learner, tree, attempt, batch = setup
    parts = [batch, batch[:2], batch[:3], [batch[3], batch[0]]]
    counter = iter(range(len(parts)))

    def send():
        actions = parts[next(counter)]
        return api.apply_batch(user=learner, learner=learner.username, actions=actions)

    results = run_concurrently(len(parts), send, expected_errors=(api.OfflineError,))

    assert all(isinstance(result, api.BatchResult) for result in results), results
    applied = [item.key for result in results for item in result.results
               if item.status == "applied"]
    assert sorted(applied, key=str) == sorted((action.key for action in batch), key=str)
    assert_applied_once(learner, tree, attempt)
