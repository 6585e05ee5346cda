"""Background work for cohorts, run by django-tasks (``manage.py db_worker`` in
production, immediately in tests): CSV imports, their invitations, enrolling a large
cohort in a newly assigned course, reminders and exports. Each task takes ids and calls
cohorts.api; each is safe to run twice."""

import datetime

from django_tasks import task

from cohorts import api


@task()
def run_import_task(import_id: int) -> str | None:
    cohort_import = api.run_import(import_id=import_id)
    return cohort_import.status if cohort_import else None


@task()
def send_invitations_task(import_id: int) -> int:
    return api.send_invitations(import_id=import_id)


@task()
def enroll_members_task(cohort_id: int, course_ids: list[int]) -> int:
    cohort = api.Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return 0
    return api.enroll_members(cohort=cohort, course_ids=course_ids)


@task()
def send_reminder_minute_task(batch_id: int, until: str) -> int:
    """Send one minute's share of a reminder batch (those scheduled before ``until``)."""
    return api.send_due_messages(batch_id=batch_id,
                                 until=datetime.datetime.fromisoformat(until))


@task()
def run_export_task(export_id: int) -> str | None:
    """Build one cohort export's CSV or XLSX file (does nothing once it is done)."""
    export = api.run_export(export_id=export_id)
    return export.status if export else None
