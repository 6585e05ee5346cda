"""Background work: run an export or import job (django-tasks; the database worker in
production, immediately in tests). The task only calls packages.api with the job's id,
and a job runs once however often the task is delivered."""

from django_tasks import task

from packages import api


@task()
def run_package_job(job_id: int, language: str | None = None) -> str | None:
    job = api.run_job(job_id=job_id, language=language)
    return None if job is None else job.status
