"""Background work: issue a certificate when a course is completed, render and sign it,
remind learners before their certificates expire. Run by django-tasks (the database
worker, ``manage.py db_worker``, in production; immediately in tests). Each task only
calls certificates.api, with ids, so a retry is harmless."""

from django.contrib.auth import get_user_model
from django_tasks import task

from certificates import api
from certificates.models import Certificate
from courses import api as courses_api


@task()
def issue_certificate_task(user_id: int, course_id: int) -> str | None:
    """Issue (once) the certificate a completed course earns; its PDF and credential follow
    in prepare_certificate_task. Returns the public id, or None if none is awarded."""
    user = get_user_model().objects.filter(pk=user_id).first()
    course = courses_api.CoursePage.objects.filter(pk=course_id).first()
    if user is None or course is None:
        return None
    certificate = api.issue_certificate(user=user, course=course)
    return certificate.public_id if certificate else None


@task()
def prepare_certificate_task(certificate_id: int) -> None:
    """Render the certificate's PDF and sign its credential (each once)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return
    api.render_certificate(certificate=certificate)
    api.sign_certificate(certificate=certificate)


@task()
def send_expiry_reminders_task() -> int:
    return api.send_expiry_reminders()


def on_course_completed(sender, *, user, course, **kwargs) -> None:
    """courses.signals.course_completed receiver (sent on commit): queue the issue."""
    issue_certificate_task.enqueue(user.pk, course.pk)
