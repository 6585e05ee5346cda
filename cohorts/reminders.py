"""Reminders a manager e-mails to the cohort's learners who have not started or are behind.
Re-exported by cohorts.api.

Who: for each assigned course (or the one chosen), among the members actively enrolled
and not complete,
- "not started": she has opened no module of the course;
- "behind": she has opened one, and the share of modules she completed is below
  ``ALLELE_REMINDER_BEHIND_PACE`` (default 1.0) times the share of her time that has
  passed. Her time runs from the cohort's start date (or, without one, her enrollment)
  to the cohort's end date (or, without one, ``ALLELE_COHORT_DEFAULT_WEEKS`` later).

Once only: a learner gets at most one reminder per course in 24 hours, whoever sends it;
the cohort row is locked while a batch is chosen, so a double click sends nothing twice.
Rate: messages are scheduled ``ALLELE_REMINDER_RATE_PER_MINUTE`` per minute, site-wide,
after any already queued; one task per minute sends that minute's share. Every message
is recorded (``ReminderMessage``) with when it was scheduled and sent.
"""

import datetime
import math

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cohorts import conf
from cohorts.models import Cohort, ReminderBatch, ReminderMessage
from courses import api as courses_api
from lms.core.models import User

Kind = ReminderBatch.Kind
DEFAULT_SUBJECT = gettext_lazy("A reminder about your course {course}")
DEFAULT_BODY = gettext_lazy(
    "Dear {name},\n\nYou are enrolled in “{course}” with {cohort}. "
    "A little time each week is enough to finish it on time.\n\n"
    "Continue here: {link}\n"
)


def expected_share(*, cohort: Cohort, enrolled_on: datetime.date, today: datetime.date) -> float:
    """The share (0 to 1) of the course a learner is expected to have completed today."""
    start = cohort.starts_on or enrolled_on
    end = cohort.ends_on or start + conf.default_duration()
    if today <= start:
        return 0.0
    if today >= end:
        return 1.0
    return (today - start).days / max(1, (end - start).days)


def is_behind(*, standing: courses_api.Standing, modules: int, cohort: Cohort,
              today: datetime.date) -> bool:
    if not standing.started or standing.completed_at or not modules:
        return False
    expected = expected_share(cohort=cohort, today=today,
                              enrolled_on=timezone.localdate(standing.enrolled_at))
    return standing.modules_done / modules < conf.behind_pace() * expected


def reminder_candidates(*, cohort: Cohort, kind: str, course=None,
                        today: datetime.date | None = None) -> list[tuple[int, object]]:
    """(learner id, course) pairs the reminder of ``kind`` is for, before the 24-hour rule."""
    today = today or timezone.localdate()
    member_ids = list(cohort.memberships.values_list("user_id", flat=True))
    courses = [course] if course is not None else list(cohort.courses.order_by("pk"))
    pairs = []
    for each in courses:
        modules = len(courses_api.list_modules(course=each))
        for user_id, standing in sorted(
                courses_api.course_standings(course=each, user_ids=member_ids).items()):
            if kind == Kind.NOT_STARTED:
                due = not standing.started and not standing.completed_at
            else:
                due = is_behind(standing=standing, modules=modules, cohort=cohort, today=today)
            if due:
                pairs.append((user_id, each))
    return pairs


def schedule_times(*, count: int, start: datetime.datetime,
                   per_minute: int) -> list[datetime.datetime]:
    """When each of ``count`` messages goes out: ``per_minute`` in each minute from
    ``start`` (evenly spaced within it)."""
    step = datetime.timedelta(seconds=60 / per_minute)
    return [start + step * index for index in range(count)]


def _first_free_slot(now: datetime.datetime, per_minute: int) -> datetime.datetime:
    """Just after the last message scheduled within the past minute or later, site-wide."""
    last = ReminderMessage.objects.filter(
        scheduled_for__gt=now - datetime.timedelta(minutes=1)
    ).aggregate(last=Max("scheduled_for"))["last"]
    if last is None:
        return now
    return max(now, last + datetime.timedelta(seconds=60 / per_minute))


def send_reminders(*, cohort: Cohort, kind: str, subject: str, body: str, sent_by: User,
                   course=None) -> ReminderBatch:
    """Record and queue one reminder for each learner who is due one; returns the batch
    (``recipients`` may be 0 when everyone was reminded in the last 24 hours)."""
    now = timezone.now()
    per_minute = conf.reminder_rate_per_minute()
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        batch = ReminderBatch.objects.create(cohort=cohort, course=course, kind=kind,
                                             subject=subject, body=body, sent_by=sent_by)
        recent = set(ReminderMessage.objects.filter(
            created_at__gte=now - conf.REMINDER_INTERVAL,
        ).exclude(status=ReminderMessage.Status.FAILED).values_list("user_id", "course_id"))
        pairs = [(user_id, each) for user_id, each in
                 reminder_candidates(cohort=cohort, kind=kind, course=course)
                 if (user_id, each.pk) not in recent]
        times = schedule_times(count=len(pairs), start=_first_free_slot(now, per_minute),
                               per_minute=per_minute)
        ReminderMessage.objects.bulk_create([
            ReminderMessage(batch=batch, user_id=user_id, course=each, kind=kind,
                            scheduled_for=when)
            for (user_id, each), when in zip(pairs, times, strict=True)
        ])
        batch.recipients = len(pairs)
        batch.save(update_fields=["recipients"])
        transaction.on_commit(lambda: _enqueue_minutes(batch.pk, times))
    return batch


def minute_slots(times: list[datetime.datetime]) -> list[datetime.datetime]:
    """The start of each minute (from the first time) in which some message is due."""
    if not times:
        return []
    first = times[0]
    offsets = sorted({math.floor((when - first).total_seconds() / 60) for when in times})
    return [first + datetime.timedelta(minutes=offset) for offset in offsets]


def _enqueue_minutes(batch_id: int, times: list[datetime.datetime]) -> None:
    from cohorts.tasks import send_reminder_minute_task

    for slot in minute_slots(times):
        until = (slot + datetime.timedelta(minutes=1)).isoformat()
        task = send_reminder_minute_task
        if task.get_backend().supports_defer and slot > timezone.now():
            task = task.using(run_after=slot)
        task.enqueue(batch_id, until)


def send_due_messages(*, batch_id: int, until: datetime.datetime) -> int:
    """Send the batch's queued messages scheduled before ``until``; returns how many.

    Each message is claimed under a row lock, sent and marked sent in one transaction, so
    a task run twice (or two at once) sends nothing twice, and a worker killed while
    sending leaves the message queued for the rerun. A failure is recorded on the message.
    """
    sent = 0
    due = (ReminderMessage.objects.filter(batch_id=batch_id, scheduled_for__lt=until,
                                          status=ReminderMessage.Status.QUEUED)
           .order_by("scheduled_for", "pk"))
    for message_id in list(due.values_list("pk", flat=True)):
        try:
            sent += _send_once(message_id)
        except Exception as problem:  # recorded on the message; the others still go out
            ReminderMessage.objects.filter(
                pk=message_id, status=ReminderMessage.Status.QUEUED,
            ).update(status=ReminderMessage.Status.FAILED, error=str(problem)[:500])
    return sent


def _send_once(message_id: int) -> int:
    with transaction.atomic():
        message = (ReminderMessage.objects.select_for_update(skip_locked=True, of=("self",))
                   .filter(pk=message_id, status=ReminderMessage.Status.QUEUED)
                   .select_related("batch__cohort", "user__learner_profile", "course")
                   .first())
        if message is None:  # sent by an earlier run, or being sent by a concurrent one
            return 0
        _send(message)  # raising (or dying) rolls the claim back
        ReminderMessage.objects.filter(pk=message_id).update(
            status=ReminderMessage.Status.SENT, sent_at=timezone.now())
    return 1


def _send(message: ReminderMessage) -> None:
    profile = getattr(message.user, "learner_profile", None)
    values = {
        "{name}": profile.full_name if profile else message.user.email,
        "{course}": message.course.title,
        "{cohort}": message.batch.cohort.name,
        "{link}": message.course.get_full_url() or settings.WAGTAILADMIN_BASE_URL,
    }
    subject, body = message.batch.subject, message.batch.body
    for placeholder, value in values.items():
        subject, body = subject.replace(placeholder, value), body.replace(placeholder, value)
    send_mail(subject=" ".join(subject.split())[:200], message=body, from_email=None,
              recipient_list=[message.user.email])


def reminder_history(*, cohort: Cohort):
    """The cohort's reminder batches, newest first, each with its message counts."""
    statuses = ReminderMessage.Status
    return cohort.reminder_batches.select_related("course", "sent_by").annotate(
        sent=Count("messages", filter=Q(messages__status=statuses.SENT)),
        queued=Count("messages", filter=Q(messages__status=statuses.QUEUED)),
        failed=Count("messages", filter=Q(messages__status=statuses.FAILED)),
    )


def default_text() -> dict[str, str]:
    return {"subject": str(DEFAULT_SUBJECT), "body": str(DEFAULT_BODY)}

