"""Background tasks whose worker died while running them, found and queued again.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the task returns or raises; a worker that is killed (out of memory, a deploy, a power
cut) leaves it RUNNING for ever, and nothing runs it again. ``requeue_stuck_tasks`` (the
``requeue_stuck_tasks`` management command, run from cron) puts every task RUNNING for
longer than any task takes back in the queue, and gives up on one that has already been
started ``max_attempts`` times (it probably kills its worker: recorded FAILED).

This is safe because every Allele task is idempotent (docs/deploy.md): it takes ids, and
each side effect is recorded in the database in the same transaction as, or before,
being made, so running a task again completes what is missing and repeats nothing. Even
a task still running (only slower than ``running_for``) that is started a second time
does nothing twice.

With REDIS_URL (RQ workers) there is no such table: RQ itself moves a job whose worker
died to its failed-job registry (``AbandonedJobError``), and ``rq requeue`` puts it back
(docs/deploy.md); this function then does nothing.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

DEFAULT_RUNNING_FOR = timedelta(minutes=60)
DEFAULT_MAX_ATTEMPTS = 3
ABANDONED = "lms.core.stuck_tasks.AbandonedTask"


@dataclass
class StuckTasks:
    requeued: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)


def requeue_stuck_tasks(*, running_for: timedelta = DEFAULT_RUNNING_FOR,
                        max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> StuckTasks:
    """Queue again each task started more than ``running_for`` ago and still RUNNING (its
    worker died); one started ``max_attempts`` times already is marked FAILED instead.
    Returns the ids of both."""
    found = StuckTasks()
    if "django_tasks_db" in settings.INSTALLED_APPS:
        _requeue_database_tasks(found, timezone.now() - running_for, max_attempts)
    return found


def _requeue_database_tasks(found: StuckTasks, cutoff, max_attempts: int) -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stuck = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for task in stuck.only("id", "worker_ids", "task_path"):
        # A conditional UPDATE: a task that finished meanwhile is left alone.
        still_stuck = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING,
                                                  started_at__lt=cutoff)
        if len(task.worker_ids) >= max_attempts:
            if still_stuck.update(
                    status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                    exception_class_path=ABANDONED,
                    traceback=f"Started {len(task.worker_ids)} times; each time its worker "
                              f"stopped before it finished. Not queued again."):
                found.given_up.append(str(task.pk))
        elif still_stuck.update(status=TaskResultStatus.READY, started_at=None):
            found.requeued.append(str(task.pk))

