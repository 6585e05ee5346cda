"""Run inside `manage.py shell`: what the database holds for the load scenario's learners,
counted per (kind, learner, item), and the background task queue's state.

Prints one JSON line: {"rows": [[kind, learner, item, count], ...], "pending_tasks": n,
"failed_tasks": n}. The kinds are those bench/load_scenario.py expects.
"""

import json

from django.conf import settings
from django.db.models import Count, F, Q

from assessments.models import Attempt, GradeChange, Response
from certificates.models import Certificate
from courses.models import Enrollment, ModuleProgress
from lms.core.models import LearningEvent

PREFIX = "load-learner-"


def _counted(queryset, kind: str, item: str, *fields: str) -> list[list]:
    """[kind, learner, item % fields, count] for every group of ``queryset``."""
    grouped = queryset.values("username", *fields).annotate(n=Count("pk"))
    return [[kind, row["username"], item % tuple(row[field] for field in fields), row["n"]]
            for row in grouped]


def _mine(model, user_field: str = "user"):
    return model.objects.filter(**{f"{user_field}__username__startswith": PREFIX}).annotate(
        username=F(f"{user_field}__username"))


def rows() -> list[list]:
    attempts = _mine(Attempt)
    certificates = _mine(Certificate).filter(superseded_at=None)
    events = _mine(LearningEvent).filter(verb__in=["enrolled", "module_completed",
                                                   "course_completed"])
    return [
        *_counted(_mine(Enrollment).filter(is_active=True), "enrollment", "course %s",
                  "course_id"),
        *_counted(_mine(Enrollment).filter(completed_at__isnull=False), "course completion",
                  "course %s", "course_id"),
        *_counted(_mine(ModuleProgress).filter(completed_at__isnull=False), "module completion",
                  "module %s", "module_id"),
        *_counted(attempts.filter(state=Attempt.State.SUBMITTED), "submitted attempt",
                  "quiz %s", "quiz_id"),
        *_counted(attempts.exclude(state=Attempt.State.SUBMITTED), "attempt in progress",
                  "quiz %s", "quiz_id"),
        *_counted(_mine(Response, "attempt__user"), "answer", "quiz %s, question %s",
                  "attempt__quiz_id", "question_id"),
        *_counted(_mine(GradeChange, "attempt__user"), "grade (ledger)", "quiz %s, question %s",
                  "attempt__quiz_id", "question_id"),
        *_counted(certificates, "certificate", "course %s", "course_id"),
        *_counted(certificates.exclude(Q(pdf="") | Q(pdf__isnull=True)), "certificate PDF",
                  "course %s", "course_id"),
        *_counted(certificates.filter(credential__isnull=False), "signed credential",
                  "course %s", "course_id"),
        *_counted(events, "learning event", "%s %s", "verb", "page_id"),
    ]


def task_queue() -> tuple[int, int]:
    """(pending, failed) background tasks, on whichever backend the settings chose."""
    if "django_rq" in settings.INSTALLED_APPS:
        import django_rq
        from rq.registry import FailedJobRegistry, StartedJobRegistry

        queues = [django_rq.get_queue(name) for name in settings.RQ_QUEUES]
        pending = sum(q.count + StartedJobRegistry(queue=q).count for q in queues)
        return pending, sum(FailedJobRegistry(queue=q).count for q in queues)
    from django_tasks_db.models import DBTaskResult

    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")))
    return counts.get("READY", 0) + counts.get("RUNNING", 0), counts.get("FAILED", 0)


pending, failed = task_queue()
print(json.dumps({"rows": rows(), "pending_tasks": pending, "failed_tasks": failed}))
