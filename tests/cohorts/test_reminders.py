"""Reminders: the right learners, once per course in 24 hours, spread by the rate limit."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from cohorts import api
from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.cohorts.helpers import make_cohort, make_manager

pytestmark = pytest.mark.django_db
TEXT = {"subject": "Keep going with {course}", "body": "Dear {name}, see {link} ({cohort})"}


@pytest.fixture
def cohort_of_four(course_tree):
    """Four modules... no: three. Nadia not started, Ola behind (1 of 3 with 2/3 of the time
    gone), Pat on pace (3 of 3 would be done: 2 of 3), Quinn complete."""
    today = timezone.localdate()
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course],
                         starts_on=today - datetime.timedelta(days=20),
                         ends_on=today + datetime.timedelta(days=10))
    people = {}
    for name in ("Nadia", "Ola", "Pat", "Quinn"):
        user = factories.make_user(email=f"{name.lower()}@example.org")
        core_api.save_profile(user=user, full_name=name, profession="nurse", country="KE")
        api.CohortMembership.objects.create(cohort=cohort, user=user)
        people[name] = user
    api.enroll_members(cohort=cohort)
    modules = course_tree.modules
    courses_api.complete_module(user=people["Ola"], module=modules[0])
    for module in modules[:2]:
        courses_api.complete_module(user=people["Pat"], module=module)
    for module in modules:
        courses_api.complete_module(user=people["Quinn"], module=module)
    return cohort, manager, people


def send(cohort, manager, kind, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api.send_reminders(cohort=cohort, kind=kind, sent_by=manager, **TEXT, **extra)


def test_not_started_reaches_only_those_who_have_not_started(cohort_of_four):
    cohort, manager, people = cohort_of_four
    batch = send(cohort, manager, "not_started")
    assert batch.recipients == 1
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert mail.outbox[0].subject == "Keep going with Preventing SJS/TEN"
    assert mail.outbox[0].body.startswith("Dear Nadia, see ")
    message = api.ReminderMessage.objects.get()
    assert (message.user, message.status, message.kind) == (people["Nadia"], "sent",
                                                            "not_started")
    assert message.sent_at is not None


def test_behind_is_started_and_slower_than_the_cohorts_calendar(cohort_of_four):
    cohort, manager, _people = cohort_of_four
    send(cohort, manager, "behind")
    assert [m.to for m in mail.outbox] == [["ola@example.org"]]


def test_a_second_send_within_24_hours_sends_nothing(cohort_of_four):
    cohort, manager, _people = cohort_of_four
    send(cohort, manager, "not_started")
    again = send(cohort, manager, "not_started")
    assert again.recipients == 0 and len(mail.outbox) == 1
    api.ReminderMessage.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    send(cohort, manager, "not_started")
    assert len(mail.outbox) == 2


def test_a_task_run_twice_sends_each_message_once(cohort_of_four):
    cohort, manager, _people = cohort_of_four
    batch = send(cohort, manager, "not_started")
    later = timezone.now() + datetime.timedelta(hours=1)
    assert api.send_due_messages(batch_id=batch.pk, until=later) == 0
    assert len(mail.outbox) == 1


def test_expected_share_follows_the_cohorts_dates(settings):
    cohort = api.Cohort(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 1, 11))
    enrolled = datetime.date(2026, 1, 1)
    assert api.expected_share(cohort=cohort, enrolled_on=enrolled,
                              today=datetime.date(2026, 1, 6)) == 0.5
    assert api.expected_share(cohort=cohort, enrolled_on=enrolled,
                              today=datetime.date(2026, 2, 1)) == 1.0
    settings.ALLELE_COHORT_DEFAULT_WEEKS = 2
    open_ended = api.Cohort()
    assert api.expected_share(cohort=open_ended, enrolled_on=enrolled,
                              today=datetime.date(2026, 1, 8)) == 0.5


def test_rate_limit_spreads_messages_over_minutes():
    start = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)
    times = api.schedule_times(count=5, start=start, per_minute=2)
    assert [(t - start).total_seconds() for t in times] == [0, 30, 60, 90, 120]
    from cohorts.reminders import minute_slots

    assert [(t - start).total_seconds() for t in minute_slots(times)] == [0, 60, 120]


def test_batches_are_queued_after_the_ones_already_waiting(cohort_of_four, settings):
    """With a deferring backend, each minute's share is its own task, run_after that minute,
    and a second batch starts after the first batch's last message."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.ALLELE_REMINDER_RATE_PER_MINUTE = 1
    cohort, manager, _people = cohort_of_four
    from django_tasks import default_task_backend

    default_task_backend.clear()
    before = timezone.now()
    send(cohort, manager, "not_started")
    send(cohort, manager, "behind")
    times = sorted(api.ReminderMessage.objects.values_list("scheduled_for", flat=True))
    assert len(times) == 2 and times[1] - times[0] == datetime.timedelta(minutes=1)
    assert times[0] >= before
    results = default_task_backend.results
    assert len(results) == 2 and mail.outbox == []
    deferred = [result.task.run_after for result in results]
    assert deferred[0] is None or deferred[0] <= times[0] + datetime.timedelta(seconds=1)
    assert deferred[1] is not None and deferred[1] >= times[1] - datetime.timedelta(seconds=1)


def test_the_reminder_page_sends_and_lists_history(client, cohort_of_four):
    cohort, manager, _people = cohort_of_four
    client.force_login(manager)
    page = client.get(f"/admin/cohorts/{cohort.pk}/reminders/").content.decode()
    assert "{name}" in page  # the default text, editable
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/admin/cohorts/{cohort.pk}/reminders/", {"kind": "not_started", **TEXT})
        client.post(f"/admin/cohorts/{cohort.pk}/reminders/", {"kind": "not_started", **TEXT})
    assert len(mail.outbox) == 1
    history = client.get(f"/admin/cohorts/{cohort.pk}/reminders/").content.decode()
    assert history.count("Keep going with {course}") == 2
    assert "1 / 0 / 0" in history and "0 / 0 / 0" in history
