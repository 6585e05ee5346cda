"""The expiry reminder task: one e-mail per certificate inside its reminder period, however
often the task runs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates import api, tasks
from certificates.models import Certificate, CertificateAction
from lms.core import api as core_api
from tests.certificates.conftest import complete_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, tree):
    complete_course(learner, tree)
    return api.issue_certificate(user=learner, course=tree.course)


def expire_in(certificate, days):
    # Test setup only: the default policy issues certificates that never expire.
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=days))


def test_expiring_within_the_window_sends_one_email_even_when_run_twice(certificate, learner):
    expire_in(certificate, 10)  # the default reminder period is 30 days

    first = tasks.send_expiry_reminders_task.enqueue()
    assert first.return_value == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert "Preventing SJS/TEN" in message.subject and "Amina Yusuf" in message.body

    second = tasks.send_expiry_reminders_task.enqueue()
    assert second.return_value == 0
    assert len(mail.outbox) == 1
    assert CertificateAction.objects.filter(
        certificate=certificate, action=CertificateAction.Kind.REMINDER_SENT).count() == 1


def test_outside_the_window_or_never_expiring_sends_nothing(certificate):
    assert tasks.send_expiry_reminders_task.enqueue().return_value == 0  # never expires
    expire_in(certificate, 45)
    assert tasks.send_expiry_reminders_task.enqueue().return_value == 0
    assert mail.outbox == []


FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"]


def test_the_reminder_is_written_in_the_learners_language_with_its_date_format(
        certificate, learner):
    core_api.set_preferred_language(user=learner, language="fr")
    expire_in(certificate, 10)
    tasks.send_expiry_reminders_task.enqueue()
    expires = timezone.localdate(Certificate.objects.get(pk=certificate.pk).expires_at)
    french_date = f"{expires.day} {FRENCH_MONTHS[expires.month - 1]} {expires.year}"
    [message] = mail.outbox
    assert french_date in message.subject and french_date in message.body
