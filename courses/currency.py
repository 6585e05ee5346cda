"""Keeping content current: review-date defaults, who may see the reviews-due report,
and the daily e-mail to the owners of pages whose clinical review is overdue.

Genomic guidance changes fast, so every course and module carries ``last_reviewed_on``
and ``review_due_on`` (courses.pages.ReviewDatesMixin). Re-exported by courses.api.

Reminders are sent at most once per page, due date and recipient: the ``ReviewReminder``
row is inserted before the e-mail goes out, inside the transaction that sends it, so a
rerun or a concurrent run finds the row (the unique constraint makes a concurrent insert
wait for the first run and then fail) and sends nothing; a failed send rolls the rows
back so the next run tries again.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import CoursePage, ModulePage, ReviewReminder
from lms.core.models import User
from lms.core.roles import Role

__all__ = [
    "DUE_SOON_DAYS",
    "OverduePage",
    "apply_review_defaults",
    "may_see_all_reviews",
    "may_see_review_report",
    "overdue_pages",
    "review_interval",
    "send_review_reminders",
]

# A review falling due within this many days is listed as "due soon".
DUE_SOON_DAYS = 30


def review_interval() -> datetime.timedelta:
    """How long a review stays current (``ALLELE_REVIEW_INTERVAL_DAYS``, one year by default)."""
    return datetime.timedelta(days=settings.ALLELE_REVIEW_INTERVAL_DAYS)


def apply_review_defaults(page) -> None:
    """Fill ``review_due_on`` from ``last_reviewed_on`` when the editor left it blank, and
    refuse a due date before the last review (a ValidationError on ``review_due_on``)."""
    if page.last_reviewed_on and not page.review_due_on:
        page.review_due_on = page.last_reviewed_on + review_interval()
    if page.last_reviewed_on and page.review_due_on and (
        page.review_due_on < page.last_reviewed_on
    ):
        raise ValidationError({"review_due_on": _(
            "The next review cannot be due before the last review (%(date)s)."
        ) % {"date": date_format(page.last_reviewed_on)}})


# --- Who sees what ---------------------------------------------------------------------------


def _group_names(user: User) -> set[str]:
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(user.groups.values_list("name", flat=True))


def may_see_all_reviews(*, user: User) -> bool:
    """Superusers, site administrators and clinical reviewers see every page's review."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return bool(_group_names(user) & {Role.SITE_ADMINISTRATOR, Role.CLINICAL_REVIEWER})


def may_see_review_report(*, user: User) -> bool:
    """Who may open the reviews-due report: those above, and educators (their own pages)."""
    return may_see_all_reviews(user=user) or Role.EDUCATOR in _group_names(user)


# --- Reminders -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverduePage:
    page: CoursePage | ModulePage
    course: CoursePage
    recipient: User


def _usable(user: User | None) -> bool:
    return bool(user is not None and user.is_active and user.email)


def overdue_pages(*, today: datetime.date | None = None) -> list[OverduePage]:
    """Live courses and modules whose review was due before ``today``, each with who is
    reminded: the page's owner, else its course's owner (skipped when neither is an active
    user with an e-mail address). Three queries."""
    today = today or timezone.localdate()
    courses = {c.path: c for c in CoursePage.objects.live().select_related("owner")}
    modules = ModulePage.objects.live().filter(review_due_on__lt=today).select_related("owner")
    found = []
    for page in [*(c for c in courses.values() if c.review_due_on and c.review_due_on < today),
                 *modules]:
        course = page if isinstance(page, CoursePage) else courses.get(page.path[:-page.steplen])
        if course is None:
            continue
        recipient = page.owner if _usable(page.owner) else course.owner
        if _usable(recipient):
            found.append(OverduePage(page=page, course=course, recipient=recipient))
    return sorted(found, key=lambda item: (item.page.review_due_on, item.page.pk))


def send_review_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail each owner ONE message listing her overdue pages not yet reminded for their
    current due date. Returns the number of e-mails sent."""
    by_recipient: dict[int, list[OverduePage]] = defaultdict(list)
    for item in overdue_pages(today=today):
        by_recipient[item.recipient.pk].append(item)
    return sum(_remind(items) for items in by_recipient.values())


def _remind(items: list[OverduePage]) -> int:
    recipient = items[0].recipient
    with transaction.atomic():
        fresh = [item for item in items if _record(item)]
        if not fresh:
            return 0
        _send(recipient, fresh)  # raising rolls the records back: the next run retries
    return 1


def _record(item: OverduePage) -> bool:
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(
                page=item.page, due_on=item.page.review_due_on, recipient=item.recipient,
                sent_at=timezone.now(),
            )
    except IntegrityError:  # reminded already, by an earlier or a concurrent run
        return False
    return True


def recipient_language(user: User) -> str:
    """The language she reads Allele in: the one she chose for the admin, else her
    learner profile's, else the site's."""
    for profile in ("wagtail_userprofile", "learner_profile"):
        language = getattr(getattr(user, profile, None), "preferred_language", "")
        if language:
            return language
    return settings.LANGUAGE_CODE


def _send(recipient: User, items: list[OverduePage]) -> None:
    with translation.override(recipient_language(recipient)):
        _send_in_language(recipient, items)


def _send_in_language(recipient: User, items: list[OverduePage]) -> None:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "recipient": recipient,
        "items": [
            {"page": item.page, "course": item.course,
             "edit_url": base + reverse("wagtailadmin_pages:edit", args=[item.page.pk])}
            for item in items
        ],
        "report_url": base + reverse("courses_reviews_due"),
    }
    subject = render_to_string("courses/email/review_reminder_subject.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string("courses/email/review_reminder.txt", context),
        from_email=None, recipient_list=[recipient.email],
    )
