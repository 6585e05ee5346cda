"""The per-enrollment summary the cohort dashboard reads instead of scanning progress and
attempts (issue #7: a cohort of 10,000 learners in 10 courses within one second).

``Enrollment.started_at`` is set, once, by whatever writes her first module progress in
the course (courses.learning); the three assessment scores are rewritten by
``note_assessment_scores``, which the assessments app calls in the same transaction as any
change to a submitted attempt's score. The definitions are those of cohorts/reports.py:

- *first pre-test*: her lowest-numbered submitted attempt at a pre-test of the course;
- *first final*: her lowest-numbered submitted, non-pre-test attempt at a final
  assessment of the course; *best final*: the highest percentage among those.

(Attempt numbers count per quiz; between two quizzes with the same number the lower
score is taken, as the dashboard always did.) The migration that added the columns
filled them from the existing rows with ``backfill``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

from courses.models import Enrollment, ModuleProgress
from lms.core.api import note_learning_state_changed
from lms.core.models import User


@dataclass(frozen=True, slots=True)
class AssessmentScores:
    """Her summary scores in one course, in percent (None: no such attempt)."""

    first_pretest: Decimal | None = None
    first_final: Decimal | None = None
    best_final: Decimal | None = None


def note_started(*, user: User, course_id: int, now: datetime) -> None:
    """Call inside the transaction that wrote her module progress in the course: the
    first such write marks the enrollment started; later ones change nothing."""
    Enrollment.objects.filter(user=user, course_id=course_id, started_at__isnull=True).update(
        started_at=now)


def started_from_progress(*, user_ids: list[int], course_id: int) -> None:
    """For enrollments just made: progress kept from an earlier enrollment (deleted by an
    administrator) still counts as started."""
    first = (ModuleProgress.objects.filter(user_id=OuterRef("user_id"), course_id=course_id)
             .values("user_id")
             .annotate(at=Min(Coalesce("first_viewed_at", "completed_at", "last_viewed_at")))
             .values("at")[:1])
    (Enrollment.objects.filter(user_id__in=user_ids, course_id=course_id,
                               started_at__isnull=True)
     .update(started_at=Subquery(first)))


def note_assessment_scores(*, user: User, course_id: int,
                           scores: Callable[[], AssessmentScores]) -> bool:
    """Rewrite her enrollment's summary scores in the course from ``scores()``, which is
    called once her enrollment row is locked, so two submissions at once cannot each
    write a summary that misses the other's attempt. Call it inside the transaction that
    changed the attempt; returns False (and writes nothing) when she has no enrollment."""
    with transaction.atomic():
        enrollment = (Enrollment.objects.select_for_update()
                      .filter(user=user, course_id=course_id).only("pk").first())
        if enrollment is None:
            return False
        found = scores()
        Enrollment.objects.filter(pk=enrollment.pk).update(
            first_pretest_score=found.first_pretest, first_final_score=found.first_final,
            best_final_score=found.best_final)
        note_learning_state_changed(user=user)
    return True


# --- Backfill (the migration that added the columns, and tests) -------------------------

_STARTED_SQL = """
UPDATE {enrollment} SET started_at = (
    SELECT MIN(COALESCE(p.first_viewed_at, p.completed_at, p.last_viewed_at))
    FROM {progress} p
    WHERE p.user_id = {enrollment}.user_id AND p.course_id = {enrollment}.course_id)
"""
_CLEAR_SCORES_SQL = """
UPDATE {enrollment} SET first_pretest_score = NULL, first_final_score = NULL,
       best_final_score = NULL
"""
# One aggregate over the attempts, per (learner, course); "first" is the lowest attempt
# number, then the lowest score, found as the minimum of number * 100000 + score * 100
# (rounded: SQLite holds decimals as floats, and 73.82 * 100 is 7381.99...).
_SCORES_SQL = """
UPDATE {enrollment} SET first_pretest_score = s.first_pre, first_final_score = s.first_post,
       best_final_score = s.best
FROM (
    SELECT user_id, course_id, MAX(best) AS best,
           MIN(first_pre) %% 100000 / 100.0 AS first_pre,
           MIN(first_post) %% 100000 / 100.0 AS first_post
    FROM (
        SELECT a.user_id, q.course_id,
               CASE WHEN NOT q.is_pretest THEN a.score_percent END AS best,
               CASE WHEN q.is_pretest THEN a.number * 100000
                    + CAST(ROUND(a.score_percent * 100) AS INTEGER) END AS first_pre,
               CASE WHEN NOT q.is_pretest THEN a.number * 100000
                    + CAST(ROUND(a.score_percent * 100) AS INTEGER) END AS first_post
        FROM {attempt} a JOIN {quiz} q ON q.id = a.quiz_id
        WHERE a.state = %s AND q.course_id IS NOT NULL
          AND (q.is_pretest = %s OR (q.is_final_assessment = %s AND a.is_pretest = %s))
    ) f
    GROUP BY user_id, course_id
) s
WHERE {enrollment}.user_id = s.user_id AND {enrollment}.course_id = s.course_id
"""


def backfill(*, connection, enrollment: str, progress: str, attempt: str, quiz: str,
             submitted: str = "submitted") -> None:
    """Fill every enrollment's summary from the rows it sums up: two statements. Table
    names are passed in so the migration can use its historical models."""
    names = {"enrollment": connection.ops.quote_name(enrollment),
             "progress": connection.ops.quote_name(progress),
             "attempt": connection.ops.quote_name(attempt),
             "quiz": connection.ops.quote_name(quiz)}
    with connection.cursor() as cursor:
        cursor.execute(_STARTED_SQL.format(**names))
        cursor.execute(_CLEAR_SCORES_SQL.format(**names))
        cursor.execute(_SCORES_SQL.format(**names), [submitted, True, True, False])
