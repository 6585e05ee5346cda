"""Two approvals of the same submission at once (a double click, or two reviewers):
the change is published once and the workflow finishes once."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, TaskState, WorkflowState

from courses.pages import ModulePage
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.concurrency import run_concurrently

pytestmark = [pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_concurrent_approvals_publish_once():
    educator = factories.make_user(email="grace@example.org")
    core_api.assign_role(user=educator, role=Role.EDUCATOR)
    reviewers = []
    for number in range(4):
        reviewer = factories.make_user(email=f"reviewer{number}@example.org")
        core_api.assign_role(user=reviewer, role=Role.CLINICAL_REVIEWER)
        reviewers.append(reviewer)
    course = factories.make_course(owner=educator)
    module = ModulePage(title="When to test", slug="when-to-test", owner=educator, live=False)
    course.add_child(instance=module)
    module.save_revision(user=educator)
    module.get_workflow().start(module, educator)
    task_state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action",
                  args=(module.pk, "approve", task_state.pk))
    clients = []
    for reviewer in reviewers:
        client = Client()
        client.force_login(reviewer)
        clients.append(client)
    turn = iter(clients)

    results = run_concurrently(4, lambda: next(turn).post(url).status_code)

    assert set(results) == {302}
    assert PageLogEntry.objects.filter(page=module, action="wagtail.publish").count() == 1
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED
    assert ModelLogEntry.objects.filter(action="wagtail.workflow.approve").count() <= 1
