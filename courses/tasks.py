"""Background work of courses, run by django-tasks (the database worker, ``manage.py
db_worker``, in production; immediately in tests). Each task only calls courses.api."""

from django_tasks import task

from courses import api


@task()
def send_review_reminders_task() -> int:
    """E-mail the owners of pages whose clinical review is overdue (once per page and due
    date); returns how many e-mails went out."""
    return api.send_review_reminders()


@task()
def build_handbook_pdf_task(course_id: int) -> str | None:
    """Build the PDF handbook of the course as published now (once per published edition);
    returns the stored file's name."""
    return api.build_handbook_pdf(course_id=course_id)
