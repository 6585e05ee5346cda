"""A background task whose worker is killed mid-run (issue #11, item 7).

django-tasks-db leaves such a task RUNNING for ever; ``manage.py requeue_stuck_tasks``
queues it again, and because the project's tasks record each side effect in the same
transaction as they make it, the rerun completes the work exactly once.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates import api as certificates_api
from certificates.models import Certificate, CertificateAction
from courses import api as courses_api
from lms.core import stuck_tasks
from tests import factories
from tests.durability.processes import kill_group, manage, start_task_worker, wait_for_file
from tests.durability.tasks import expiry_reminders_pausing_once_task

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def expiring_certificate(learner, settings):
    """Her certificate, expiring in ten days (inside the 30-day reminder period)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    tree = factories.make_course_tree(modules=1)
    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    certificate = certificates_api.issue_certificate(user=learner, course=tree.course)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=10))
    return certificate


def mails_to(address: str, tmp_path) -> int:
    """How many messages the worker's file e-mail backend wrote to ``address``."""
    return sum(path.read_text().count(f"To: {address}\n")
               for path in (tmp_path / "mail").iterdir())


def run_worker_until_idle(env) -> None:
    manage(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay",
           "--queue-name", "*")


def test_a_task_killed_mid_run_is_queued_again_and_sends_its_email_once(
        expiring_certificate, learner, env, shared_database, tmp_path, settings):
    settings.TASKS = DATABASE_TASKS
    marker = tmp_path / "paused-in-send"
    queued = expiry_reminders_pausing_once_task.enqueue(str(marker))
    shared_database.push()

    worker = start_task_worker(env, tmp_path / "worker.log")
    try:
        wait_for_file(marker, worker, tmp_path / "worker.log")
    finally:
        kill_group(worker)  # SIGKILL in the middle of sending the reminder
    shared_database.pull()
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.RUNNING
    assert mails_to(learner.email, tmp_path) == 0
    assert not CertificateAction.objects.filter(action=CertificateAction.Kind.REMINDER_SENT)

    # A new worker alone never runs it again: it stays RUNNING...
    run_worker_until_idle(env)
    shared_database.pull()
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.RUNNING

    # ...until the operator's (cron's) requeue_stuck_tasks puts it back in the queue.
    output = manage(env, "requeue_stuck_tasks", "--running-for", "0").stdout
    assert f"Queued again: {queued.id}" in output
    run_worker_until_idle(env)
    shared_database.pull()
    finished = DBTaskResult.objects.get(pk=queued.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL and finished.return_value == 1
    assert len(finished.worker_ids) == 2
    assert mails_to(learner.email, tmp_path) == 1
    assert CertificateAction.objects.filter(
        certificate=expiring_certificate, action=CertificateAction.Kind.REMINDER_SENT).count() == 1

    # Running the same task once more (a retry too many) sends nothing again.
    settings.TASKS = DATABASE_TASKS
    expiry_reminders_pausing_once_task.enqueue(str(marker))
    shared_database.push()
    run_worker_until_idle(env)
    assert mails_to(learner.email, tmp_path) == 1


def running_task(*, started_minutes_ago: float, attempts: int) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}},
        task_path="certificates.tasks.send_expiry_reminders_task", backend_name="default",
        run_after=timezone.now(), worker_ids=[f"worker-{n}" for n in range(attempts)],
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago))


def test_only_tasks_running_longer_than_the_limit_are_queued_again_and_not_for_ever():
    slow_but_alive = running_task(started_minutes_ago=5, attempts=1)
    abandoned = running_task(started_minutes_ago=90, attempts=1)
    abandoned_again = running_task(started_minutes_ago=90, attempts=3)

    found = stuck_tasks.requeue_stuck_tasks(running_for=timedelta(minutes=60), max_attempts=3)

    assert found.requeued == [str(abandoned.pk)]
    assert found.given_up == [str(abandoned_again.pk)]
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[slow_but_alive.pk] == TaskResultStatus.RUNNING
    assert statuses[abandoned.pk] == TaskResultStatus.READY
    assert statuses[abandoned_again.pk] == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(pk=abandoned_again.pk).exception_class_path == (
        stuck_tasks.ABANDONED)
    # A second pass finds nothing more to do.
    again = stuck_tasks.requeue_stuck_tasks(running_for=timedelta(minutes=60), max_attempts=3)
    assert again.requeued == [] and again.given_up == []
