"""Concurrent imports, double-submitted uploads and double-clicked reminders on PostgreSQL:
every learner, enrollment, invitation and reminder exists once."""

import itertools
import threading

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from cohorts import api
from courses import api as courses_api
from lms.core.models import User
from tests.cohorts.helpers import csv_bytes, make_cohort, make_manager, upload
from tests.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def rows(numbers) -> list[str]:
    return [f"person{n}@example.org,Person {n},nurse,KE," for n in numbers]


def test_two_overlapping_imports_at_once_create_each_learner_once(course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    other = make_cohort(name="Other", managers=[manager], courses=[course_tree.course])
    pending = [
        api.CohortImport.objects.create(
            cohort=target, uploaded_by=manager, original_name=f"{index}.csv", sha256="",
            file=ContentFile(csv_bytes(rows(numbers)), name=f"{index}.csv"))
        for index, (target, numbers) in enumerate([(cohort, range(0, 600)),
                                                    (other, range(300, 900))])
    ]
    ids, lock = iter([p.pk for p in pending]), threading.Lock()

    def run_one():
        with lock:
            import_id = next(ids)
        return api.run_import(import_id=import_id).status

    assert run_concurrently(2, run_one) == ["done", "done"]
    emails = [f"person{n}@example.org" for n in range(900)]
    assert User.objects.filter(email__in=emails).count() == 900
    assert api.Invitation.objects.count() == 900
    assert sorted(message.to[0] for message in mail.outbox) == sorted(emails)
    assert cohort.memberships.count() == 600 and other.memberships.count() == 600
    assert courses_api.Enrollment.objects.filter(course=course_tree.course).count() == 900
    created = api.CohortImport.objects.values_list("created_users", flat=True)
    assert sum(created) == 900


def test_a_double_submitted_upload_makes_one_import(course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    content = csv_bytes(rows(range(20)))

    def submit():
        return api.start_import(cohort=cohort, uploaded_by=manager, upload=upload(content),
                                idempotency_key="one-form").pk

    results = run_concurrently(4, submit)
    assert len(set(results)) == 1
    assert api.CohortImport.objects.count() == 1
    assert User.objects.filter(email__startswith="person").count() == 20
    assert len(mail.outbox) == 20


def test_a_double_clicked_reminder_sends_once(course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    api.run_import(import_id=api.CohortImport.objects.create(
        cohort=cohort, uploaded_by=manager, original_name="a.csv", sha256="",
        file=ContentFile(csv_bytes(rows(range(5))), name="a.csv")).pk)
    mail.outbox.clear()
    counter = itertools.count()

    def click():
        next(counter)
        return api.send_reminders(cohort=cohort, kind="not_started", subject="Hi {name}",
                                  body="Start {course}", sent_by=manager).recipients

    assert sorted(run_concurrently(3, click)) == [0, 0, 5]
    assert api.ReminderMessage.objects.count() == 5
    assert len(mail.outbox) == 5
