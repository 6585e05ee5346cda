"""Her pre-test and final-assessment scores in a course, as the enrollment summary keeps
them (courses/summary.py has the definitions; cohorts/reports.py reads them)."""

from __future__ import annotations

from django.db.models import Q

from assessments.models import Attempt
from courses import api as courses_api
from lms.core.models import User


def course_scores(*, user: User, course_id: int) -> courses_api.AssessmentScores:
    """Her first pre-test, first final and best final percentages in the course, from her
    submitted attempts at the course's quizzes (one query)."""
    rows = list(
        Attempt.objects.filter(user=user, quiz__course_id=course_id,
                               state=Attempt.State.SUBMITTED, score_percent__isnull=False)
        .filter(Q(quiz__is_pretest=True) | Q(quiz__is_final_assessment=True, is_pretest=False))
        .values_list("quiz__is_pretest", "number", "score_percent")
    )
    pre = [(number, score) for is_pretest, number, score in rows if is_pretest]
    final = [(number, score) for is_pretest, number, score in rows if not is_pretest]
    return courses_api.AssessmentScores(
        first_pretest=min(pre)[1] if pre else None,
        first_final=min(final)[1] if final else None,
        best_final=max(score for _, score in final) if final else None,
    )


def note_course_scores(*, user: User, quiz_course_id: int | None) -> None:
    """Call in the transaction that submitted or regraded an attempt at a quiz: rewrite
    her enrollment's summary scores when the quiz sits on a course (module quizzes are
    neither pre-tests nor final assessments of the course: nothing to do)."""
    if quiz_course_id is None:
        return
    courses_api.note_assessment_scores(
        user=user, course_id=quiz_course_id,
        scores=lambda: course_scores(user=user, course_id=quiz_course_id))
