"""The daily reminder of overdue clinical reviews: one e-mail per owner listing all her
overdue pages, never twice for the same page and due date (reruns, concurrent runs), the
course owner standing in for a module without one, and the cron command."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from courses import api
from courses.models import ModulePage, ReviewReminder
from tests import factories
from tests.concurrency import run_concurrently

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _due(page, due: datetime.date, last: datetime.date | None = None):
    page.last_reviewed_on, page.review_due_on = last or due - datetime.timedelta(days=365), due
    return factories.publish(page)


@pytest.fixture
def grace(db):
    return factories.make_user(email="grace@example.org", first_name="Grace")


@pytest.fixture
def overdue(grace):
    """Grace's course with two overdue modules, one due later, and an overdue draft."""
    tree = factories.make_course_tree(modules=4, title="Warfarin dosing", owner=grace)
    for module in tree.modules:
        ModulePage.objects.filter(pk=module.pk).update(owner=grace)
        module.owner = grace
    _due(tree.modules[0], days(-3))
    _due(tree.modules[1], days(-40))
    _due(tree.modules[2], days(10))
    draft = tree.modules[3]
    draft.last_reviewed_on, draft.review_due_on = days(-500), days(-100)
    draft.save_revision()
    ModulePage.objects.filter(pk=draft.pk).update(live=False)
    return tree


@pytest.mark.django_db
def test_one_email_lists_all_her_overdue_live_pages(overdue):
    assert api.send_review_reminders() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace@example.org"]
    assert message.subject == "Clinical reviews are overdue: 2 pages"
    body = message.body
    assert body.startswith("Dear Grace,")
    assert body.index("Module 2") < body.index("Module 1")  # the longest overdue first
    assert "Module 3" not in body and "Module 4" not in body
    assert "in “Warfarin dosing”" in body
    assert f"/admin/pages/{overdue.modules[1].pk}/edit/" in body
    assert "/admin/reports/reviews-due/" in body
    assert "&quot;" not in body and "&#x27;" not in body


@pytest.mark.django_db
def test_the_email_is_in_the_language_she_chose(overdue, grace):
    from lms.core import api as core_api

    core_api.save_profile(user=grace, full_name="Grace", profession="nurse", country="KE",
                          preferred_language="fr")
    api.send_review_reminders()
    body = mail.outbox[0].body
    with translation.override("fr"):
        french_date = date_format(days(-40), "DATE_FORMAT")
    with translation.override("en"):
        english_date = date_format(days(-40), "DATE_FORMAT")
    assert french_date in body and english_date not in body


@pytest.mark.django_db
def test_a_rerun_sends_nothing_and_a_new_due_date_earns_a_new_reminder(overdue):
    assert api.send_review_reminders() == 1
    assert api.send_review_reminders() == 0
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.count() == 2
    # Reviewed, but the next review slipped too: remind again, for that page only.
    _due(ModulePage.objects.get(pk=overdue.modules[0].pk), days(-1), last=days(-2))
    assert api.send_review_reminders() == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "A clinical review is overdue: 1 page"
    assert "Module 1" in mail.outbox[1].body and "Module 2" not in mail.outbox[1].body


@pytest.mark.django_db
def test_a_page_due_today_is_not_yet_overdue(grace):
    tree = factories.make_course_tree(modules=1, owner=grace)
    _due(tree.course, TODAY)
    assert api.send_review_reminders() == 0
    assert api.send_review_reminders(today=days(1)) == 1
    assert "Preventing SJS/TEN" in mail.outbox[0].subject + mail.outbox[0].body


@pytest.mark.django_db
def test_a_module_without_an_owner_reminds_the_course_owner(grace):
    tree = factories.make_course_tree(modules=1, owner=grace)  # modules have no owner
    _due(tree.modules[0], days(-1))
    assert api.send_review_reminders() == 1
    assert mail.outbox[0].to == ["grace@example.org"]


@pytest.mark.django_db
def test_an_inactive_module_owner_falls_back_to_the_course_owner(grace):
    gone = factories.make_user(email="gone@example.org", is_active=False)
    tree = factories.make_course_tree(modules=1, owner=grace)
    ModulePage.objects.filter(pk=tree.modules[0].pk).update(owner=gone)
    _due(ModulePage.objects.get(pk=tree.modules[0].pk), days(-1))
    assert api.send_review_reminders() == 1
    assert mail.outbox[0].to == ["grace@example.org"]


@pytest.mark.django_db
def test_no_usable_owner_means_no_email_and_no_record(db):
    nobody = factories.make_user(email="x@example.org")
    nobody.email = ""
    nobody.save()
    tree = factories.make_course_tree(modules=1, owner=nobody)
    _due(tree.course, days(-1))
    assert api.send_review_reminders() == 0
    assert not mail.outbox and not ReviewReminder.objects.exists()


@pytest.mark.django_db
def test_owners_each_get_their_own_email(overdue):
    other = factories.make_user(email="ravi@example.org")
    tree = factories.make_course_tree(modules=1, owner=other, title="Clopidogrel",
                                      parent=factories.domain("evidence"))
    _due(tree.course, days(-2))
    assert api.send_review_reminders() == 2
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Clopidogrel" in bodies["ravi@example.org"]
    assert "Clopidogrel" not in bodies["grace@example.org"]


@pytest.mark.django_db
def test_a_failed_send_keeps_no_record_so_the_next_run_retries(overdue):
    down = mock.patch("courses.currency.send_mail", side_effect=OSError("SMTP down"))
    with down, pytest.raises(OSError):
        api.send_review_reminders()
    assert not ReviewReminder.objects.exists()
    assert api.send_review_reminders() == 1
    assert ReviewReminder.objects.count() == 2


@pytest.mark.django_db
def test_the_command_queues_the_task(overdue, capsys):
    call_command("send_review_reminders")  # tests run tasks immediately
    assert "Queued the review reminders" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_command_sends_inline_with_now(overdue, capsys):
    call_command("send_review_reminders", "--now")
    assert "Sent 1 review reminder(s)." in capsys.readouterr().out
    call_command("send_review_reminders", "--now")
    assert "Sent 0 review reminder(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_command_only_enqueues_without_now(overdue):
    target = "courses.management.commands.send_review_reminders.send_review_reminders_task"
    with mock.patch(target) as task:
        call_command("send_review_reminders")
    task.enqueue.assert_called_once_with()
    task.call.assert_not_called()
    assert not mail.outbox and not ReviewReminder.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_once(overdue):
    sent = run_concurrently(6, api.send_review_reminders)
    assert sum(sent) == 1
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.count() == 2
