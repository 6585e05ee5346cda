"""Scores of interactive activities (an XBlock's published grade), exactly once.

``record_activity_score`` keeps one ``ActivityScore`` row per learner and activity and
appends an ``ActivityGradeEvent`` for every call that changed it; a repeated or
concurrent identical call changes nothing. ``activity_scores`` is what the learner's
course and module pages show. Re-exported by ``assessments.api``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import ActivityGradeEvent, ActivityScore
from courses import api as courses_api
from lms.core.api import note_learning_state_changed
from lms.core.models import User

PLACES = Decimal("0.0001")
MAX_POINTS = Decimal("999999")


class ActivityScoreError(ValueError):
    """A score that cannot be recorded (nothing was saved); ``str(error)`` says why."""


@dataclass(frozen=True, slots=True)
class ActivityScoreView:
    """One scored activity as the learner's pages show it."""

    module: object
    activity_key: str
    title: str
    earned: Decimal
    possible: Decimal
    percent: Decimal
    updated_at: datetime

    @property
    def earned_display(self) -> str:
        return _plain(self.earned)

    @property
    def possible_display(self) -> str:
        return _plain(self.possible)


def _plain(value: Decimal) -> str:
    """2.0000 -> "2", 2.5000 -> "2.5", 10 -> "10"."""
    return f"{value.normalize():f}"


def _percent(earned: Decimal, possible: Decimal) -> Decimal:
    return (earned * 100 / possible).quantize(Decimal("0.01"), ROUND_DOWN)


def _checked(earned, possible) -> tuple[Decimal, Decimal]:
    try:
        earned = Decimal(str(earned)).quantize(PLACES)
        possible = Decimal(str(possible)).quantize(PLACES)
    except (InvalidOperation, ValueError):
        raise ActivityScoreError(_("An activity score must be a number.")) from None
    if not possible.is_finite() or not earned.is_finite():
        raise ActivityScoreError(_("An activity score must be a number."))
    if possible <= 0 or possible > MAX_POINTS:
        raise ActivityScoreError(
            _("The points possible must be more than 0 and at most %(max)s (got %(possible)s).")
            % {"max": MAX_POINTS, "possible": possible})
    if earned < 0 or earned > possible:
        raise ActivityScoreError(
            _("The points earned must be between 0 and %(possible)s (got %(earned)s).")
            % {"possible": _plain(possible), "earned": _plain(earned)})
    return earned, possible


def _course_of(module):
    try:
        return courses_api.module_outline(module=module).course
    except courses_api.CoursePage.DoesNotExist:
        return None  # a page outside any course (an editor's scratch page)


def _locked_row(user: User, activity_key: str, defaults: dict) -> tuple[ActivityScore, bool]:
    """Her score row for the activity, locked; (row, created)."""
    row = ActivityScore.objects.select_for_update().filter(
        user=user, activity_key=activity_key).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return ActivityScore.objects.create(
                user=user, activity_key=activity_key, **defaults), True
    except IntegrityError:  # a concurrent call created it: wait for it, then compare
        return ActivityScore.objects.select_for_update().get(
            user=user, activity_key=activity_key), False


def record_activity_score(
    *, user: User, module, activity_key: str, title: str, earned: Decimal,
    possible: Decimal, only_if_higher: bool = False,
) -> bool:
    """Record the learner's score on an activity in ``module``; True if it changed.

    The same score again changes nothing (and returns False), also when two calls race;
    with ``only_if_higher`` a lower score (as a fraction of what is possible) is ignored.
    Raises ActivityScoreError (a ValueError) unless 0 <= earned <= possible and
    possible > 0, or for an anonymous user; nothing is saved then."""
    if not getattr(user, "is_authenticated", False):
        raise ActivityScoreError(_("Only a signed-in learner can have an activity score."))
    if not activity_key:
        raise ActivityScoreError(_("An activity score needs the activity's key."))
    earned, possible = _checked(earned, possible)
    module = courses_api.canonical_page(module)  # a translation's activity is its source's
    title = (title or "")[:255]
    now = timezone.now()
    with transaction.atomic():
        row, created = _locked_row(user, activity_key, {
            "module": module, "course": _course_of(module), "title": title,
            "earned": earned, "possible": possible, "updated_at": now})
        if not created:
            if row.earned == earned and row.possible == possible:
                return False
            if only_if_higher and earned * row.possible <= row.earned * possible:
                return False
            row.earned, row.possible, row.title, row.updated_at = earned, possible, title, now
            row.module = module
            row.save(update_fields=["earned", "possible", "title", "updated_at", "module"])
        ActivityGradeEvent.objects.create(score=row, user=user, activity_key=activity_key,
                                          earned=earned, possible=possible, created_at=now)
        note_learning_state_changed(user=user)
    return True


def activity_scores(*, user: User, course=None, module=None) -> list[ActivityScoreView]:
    """Her scores on the activities of ``course`` (or of one ``module``), in the order of
    the course's modules; one query, none when she is anonymous."""
    if not getattr(user, "is_authenticated", False):
        return []
    placement = ({"module": courses_api.canonical_page(module)} if module is not None
                 else {"course": courses_api.canonical_page(course)})
    rows = (ActivityScore.objects.filter(user=user, **placement)
            .select_related("module").order_by("module__path", "pk"))
    return [ActivityScoreView(module=row.module, activity_key=row.activity_key, title=row.title,
                              earned=row.earned, possible=row.possible,
                              percent=_percent(row.earned, row.possible),
                              updated_at=row.updated_at) for row in rows]
