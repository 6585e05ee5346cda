"""Side effects (e-mail, tasks, certificates) happen only after commit and only once
(issue #11, item 7): a rolled-back transaction leaves none; a task run twice repeats
none; a side effect that fails halfway is completed by the retry without doubling."""

import datetime
import itertools
import uuid
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from django_tasks import task_backends

from certificates import api as certificates_api
from certificates import tasks as certificate_tasks
from certificates.models import Certificate, CertificateAction
from cohorts import api as cohorts_api
from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.cohorts.helpers import csv_bytes, import_file, make_cohort, make_manager, upload
from tests.durability.mail import FlakyEmailBackend

pytestmark = pytest.mark.django_db
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
FAKE_PDF = b"%PDF-1.7\n% a certificate\n"


@pytest.fixture
def queued(settings):
    """Tasks are recorded, not run: the list of (task name, args) of the project's tasks
    enqueued so far (not Wagtail's reference-index updates, which Wagtail queues at save
    time; they only re-read the saved row)."""
    settings.TASKS = DUMMY_TASKS

    def names():
        return [(result.task.name, result.args) for result in task_backends["default"].results
                if not result.task.func.__module__.startswith("wagtail.")]

    yield names
    task_backends["default"].clear()


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.durability.mail.FlakyEmailBackend"
    FlakyEmailBackend.failing, FlakyEmailBackend.error = {}, SMTPServerDisconnected
    yield FlakyEmailBackend
    FlakyEmailBackend.failing, FlakyEmailBackend.error = {}, SMTPServerDisconnected


@pytest.fixture
def nearly_done(learner):
    """She is enrolled in a two-module course and has completed the first module."""
    tree = factories.make_course_tree(modules=2)
    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    return tree


def complete_last_module(learner, tree):
    courses_api.complete_module(user=learner, module=tree.modules[1])


# --- (a) Nothing leaves a rolled-back transaction ----------------------------------------


def test_a_rolled_back_course_completion_sends_queues_and_issues_nothing(
        learner, nearly_done, queued, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        complete_last_module(learner, nearly_done)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == [] and queued() == [] and mail.outbox == []
    assert not Certificate.objects.exists()
    assert not courses_api.Enrollment.objects.filter(completed_at__isnull=False).exists()

    # The same completion committed queues the certificate once, after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        complete_last_module(learner, nearly_done)
    assert queued() == [("issue_certificate_task", [learner.pk, nearly_done.course.pk])]


def test_rolled_back_reminders_and_reissues_queue_nothing(
        learner, nearly_done, queued, django_capture_on_commit_callbacks):
    complete_last_module(learner, nearly_done)
    certificate = certificates_api.issue_certificate(user=learner, course=nearly_done.course)
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[nearly_done.course])
    other = factories.make_user(email="nadia@example.org")
    cohorts_api.CohortMembership.objects.create(cohort=cohort, user=other)
    cohorts_api.enroll_members(cohort=cohort)
    queued_before = queued()

    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        batch = cohorts_api.send_reminders(cohort=cohort, kind="not_started", sent_by=manager,
                                           subject="Go on", body="Dear {name}")
        assert batch.recipients == 1
        certificates_api.reissue(certificate=certificate, actor=manager, reason="Name corrected")
        raise RuntimeError("rolled back")
    assert callbacks == [] and queued() == queued_before and mail.outbox == []
    assert Certificate.objects.get() == certificate


# --- (b) A task run twice does its work once -----------------------------------------------


def test_certificate_tasks_run_twice_give_one_certificate_and_one_pdf(
        learner, nearly_done, queued, monkeypatch, settings, django_capture_on_commit_callbacks):
    from certificates import pdf

    monkeypatch.setattr(pdf, "render_certificate_pdf", lambda content: FAKE_PDF)
    complete_last_module(learner, nearly_done)
    args = (learner.pk, nearly_done.course.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = certificate_tasks.issue_certificate_task.call(*args)
    with django_capture_on_commit_callbacks(execute=True):
        second = certificate_tasks.issue_certificate_task.call(*args)
    certificate = Certificate.objects.get()
    assert first == second == certificate.public_id
    assert queued() == [("prepare_certificate_task", [certificate.pk])]  # once, on commit

    certificate_tasks.prepare_certificate_task.call(certificate.pk)
    certificate_tasks.prepare_certificate_task.call(certificate.pk)
    certificate.refresh_from_db()
    stored = list((settings.MEDIA_ROOT / "certificates" / "pdf").iterdir())
    assert [path.name for path in stored] == [f"{certificate.public_id}.pdf"]
    assert certificate.pdf.name == f"certificates/pdf/{certificate.public_id}.pdf"
    assert certificate.credential


def test_a_pdf_left_by_a_worker_that_died_before_recording_it_is_replaced_not_doubled(
        learner, nearly_done, queued, monkeypatch, settings):
    from certificates import pdf

    complete_last_module(learner, nearly_done)
    certificate = certificates_api.issue_certificate(user=learner, course=nearly_done.course)
    folder = settings.MEDIA_ROOT / "certificates" / "pdf"
    folder.mkdir(parents=True)
    (folder / f"{certificate.public_id}.pdf").write_bytes(b"%PDF- half written")

    monkeypatch.setattr(pdf, "render_certificate_pdf", lambda content: FAKE_PDF)
    certificate_tasks.prepare_certificate_task.call(certificate.pk)
    certificate.refresh_from_db()
    assert [path.name for path in folder.iterdir()] == [f"{certificate.public_id}.pdf"]
    assert certificate.pdf.read() == FAKE_PDF


# --- (c) A side effect that fails halfway is completed by the retry, not doubled ------------


@pytest.fixture
def expiring(learner, nearly_done, queued):
    complete_last_module(learner, nearly_done)
    certificate = certificates_api.issue_certificate(user=learner, course=nearly_done.course)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=10))
    return certificate


def test_an_expiry_reminder_that_failed_to_send_is_sent_once_by_the_next_run(
        learner, expiring, flaky_mail):
    flaky_mail.failing = {learner.email: 1}
    assert certificate_tasks.send_expiry_reminders_task.call() == 0
    assert mail.outbox == []
    assert not CertificateAction.objects.filter(action=CertificateAction.Kind.REMINDER_SENT)

    assert certificate_tasks.send_expiry_reminders_task.call() == 1
    assert certificate_tasks.send_expiry_reminders_task.call() == 0
    assert [message.to for message in mail.outbox] == [[learner.email]]


INVITED = ["amina.yusuf@example.org", "ravi.sharma@example.org", "wang@example.org"]


def test_invitations_cut_off_by_the_mail_server_are_completed_by_the_retry_once_each(
        course_tree, flaky_mail):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    flaky_mail.failing = {INVITED[1]: 1}  # the connection drops at the second invitation
    rows = [f"{address},Learner {n},nurse,KE," for n, address in enumerate(INVITED)]
    done = import_file(cohort=cohort, by=manager, content=csv_bytes(rows))
    assert done.status == "done"
    assert [message.to for message in mail.outbox] == [[INVITED[0]]]  # delivered before it

    assert cohorts_api.send_invitations(import_id=done.pk) == 2  # the task's retry
    assert cohorts_api.send_invitations(import_id=done.pk) == 0  # and another
    assert sorted(message.to[0] for message in mail.outbox) == INVITED


@pytest.fixture
def reminder_batch(course_tree, queued):
    """A not-started reminder queued for two learners (its minute task not yet run)."""
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    for address in ("nadia@example.org", "ola@example.org"):
        user = factories.make_user(email=address)
        core_api.save_profile(user=user, full_name=address[:4], profession="nurse",
                              country="KE")
        cohorts_api.CohortMembership.objects.create(cohort=cohort, user=user)
    cohorts_api.enroll_members(cohort=cohort)
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = cohorts_api.send_reminders(cohort=cohort, kind="not_started", sent_by=manager,
                                           subject="Go on with {course}", body="Dear {name}")
    assert batch.recipients == 2 and mail.outbox == []
    return batch


def send_minute(batch) -> int:
    until = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    from cohorts.tasks import send_reminder_minute_task

    return send_reminder_minute_task.call(batch.pk, until)


def test_a_reminder_whose_worker_died_while_sending_it_is_sent_once_by_the_retry(
        reminder_batch, flaky_mail):
    flaky_mail.failing, flaky_mail.error = {"ola@example.org": 1}, SystemExit  # worker dies
    with pytest.raises(SystemExit):
        send_minute(reminder_batch)
    statuses = dict(reminder_batch.messages.values_list("user__email", "status"))
    assert statuses == {"nadia@example.org": "sent", "ola@example.org": "queued"}

    assert send_minute(reminder_batch) == 1  # the requeued task
    assert send_minute(reminder_batch) == 0
    assert sorted(message.to[0] for message in mail.outbox) == [
        "nadia@example.org", "ola@example.org"]


def test_a_reminder_the_mail_server_refused_is_recorded_failed_and_not_resent_by_a_rerun(
        reminder_batch, flaky_mail):
    flaky_mail.failing = {"ola@example.org": 1}
    assert send_minute(reminder_batch) == 1
    assert send_minute(reminder_batch) == 0
    ola = reminder_batch.messages.get(user__email="ola@example.org")
    assert ola.status == "failed" and "connection lost" in ola.error and ola.sent_at is None
    assert [message.to for message in mail.outbox] == [["nadia@example.org"]]


def test_an_import_whose_worker_died_midway_is_finished_by_the_rerun_adding_each_once(
        course_tree, queued, monkeypatch):
    from cohorts import imports

    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    people = [f"person{n}@example.org" for n in range(5)]
    started = cohorts_api.start_import(
        cohort=cohort, uploaded_by=manager, idempotency_key=uuid.uuid4().hex,
        upload=upload(csv_bytes([f"{email},Person {n},nurse,KE," for n, email in
                                 enumerate(people)])))
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    real_batch, batches = imports._import_batch, itertools.count()

    def dying_in_the_second_batch(cohort_import, batch):
        if next(batches) == 1:
            raise SystemExit("worker killed")
        real_batch(cohort_import, batch)

    monkeypatch.setattr(imports, "_import_batch", dying_in_the_second_batch)
    with pytest.raises(SystemExit):
        cohorts_api.run_import(import_id=started.pk)
    started.refresh_from_db()
    assert started.status == "importing" and cohort.memberships.count() == 2

    monkeypatch.setattr(imports, "_import_batch", real_batch)
    assert cohorts_api.run_import(import_id=started.pk).status == "done"  # the requeued task
    assert cohorts_api.send_invitations(import_id=started.pk) == 5
    assert cohorts_api.run_import(import_id=started.pk) is None  # done: nothing more
    assert cohorts_api.send_invitations(import_id=started.pk) == 0
    assert cohort.memberships.count() == 5
    assert sorted(message.to[0] for message in mail.outbox) == people
