"""Twenty concurrent completion events on PostgreSQL issue exactly one certificate."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from certificates import tasks
from certificates.models import Certificate, CertificateAction
from tests import factories
from tests.certificates.conftest import complete_course

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_twenty_concurrent_completion_events_issue_one_certificate():
    tree = factories.make_course_tree(modules=2)
    learner = factories.make_user()
    complete_course(learner, tree)  # its own event already issued one, on commit
    Certificate.objects.all().delete()
    barrier = threading.Barrier(20)

    def worker(_):
        try:
            barrier.wait(timeout=30)
            return tasks.issue_certificate_task.call(learner.pk, tree.course.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        public_ids = list(pool.map(worker, range(20)))

    assert Certificate.objects.count() == 1
    assert set(public_ids) == {Certificate.objects.get().public_id}
    assert CertificateAction.objects.filter(action="issued").count() == 1
