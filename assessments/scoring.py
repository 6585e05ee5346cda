"""An attempt's score from its grade ledger, and what a pass sets off. Used when an attempt
is graded (``api.submit_attempt``) and when an educator overrides a question's grade
(``overrides.override_grade``), so both reach the same score, pass/fail and completion."""

from __future__ import annotations

from assessments import ledger, summary
from assessments.models import Attempt, GradeChange
from courses import api as courses_api
from lms.core.api import note_learning_state_changed

SCORE_FIELDS = ["points", "max_points", "score_percent", "passed"]


def settle(attempt: Attempt, *, also_save: tuple[str, ...] = ()) -> None:
    """Fold the ledger of a locked attempt into its score and pass/fail, save them (and
    ``also_save``); on a pass, complete what the quiz completes. Call inside the
    transaction that wrote the ledger: completion is announced on commit."""
    score = ledger.fold(GradeChange.objects.filter(attempt=attempt).order_by("created_at", "pk"))
    attempt.points, attempt.max_points = score.points, score.max_points
    attempt.score_percent = score.percent
    attempt.passed = None if attempt.is_pretest else score.percent >= attempt.pass_mark
    attempt.save(update_fields=[*also_save, *SCORE_FIELDS])
    if attempt.passed:
        complete_on_pass(attempt)
    summary.note_course_scores(user=attempt.user, quiz_course_id=attempt.quiz.course_id)
    note_learning_state_changed(user=attempt.user)


def complete_on_pass(attempt: Attempt) -> None:
    """A passed quiz completes its module (quiz completion rule) or, as the course's final
    assessment, lets the course complete; both are idempotent."""
    quiz = attempt.quiz
    try:
        if quiz.module_id and quiz.module.completion_rule == courses_api.CompletionRule.QUIZ:
            courses_api.complete_module(user=attempt.user, module=quiz.module,
                                        source=courses_api.CompletionRule.QUIZ)
        elif quiz.course_id and quiz.is_final_assessment:
            courses_api.complete_course_if_done(user=attempt.user, course=quiz.course)
    except courses_api.LearningError:
        pass  # e.g. she left the course meanwhile: the pass stays recorded
