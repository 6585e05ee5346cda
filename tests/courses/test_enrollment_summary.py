"""The per-enrollment summary the cohort dashboard reads (courses/summary.py): kept by
the write paths in the same transaction, and filled by the migration's backfill with the
same figures the dashboard used to compute from progress and attempts."""

import threading
from decimal import Decimal

import pytest
from django.db.models import Exists, OuterRef

from assessments import api as assessments_api
from assessments import summary as assessments_summary
from assessments.models import Attempt
from cohorts import reports
from courses import api as courses_api
from courses.models import Enrollment, ModuleProgress
from tests import factories
from tests.cohorts import report_fixture
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db
RIGHT, WRONG = {"choice": "c1"}, {"choice": "c2"}


def _two_question_quiz(course, **kind):
    return factories.make_quiz(course=course, questions=[factories.make_question(),
                                                         factories.make_question()], **kind)


def take(user, quiz, right: int):
    """Start, answer ``right`` of her two questions correctly, submit: 0, 50 or 100 %."""
    attempt = assessments_api.start_attempt(user=user, quiz=quiz)
    answers = {q["id"]: (RIGHT if i < right else WRONG)
               for i, q in enumerate(attempt.questions)}
    assessments_api.save_responses(user=user, attempt=attempt, answers=answers)
    return assessments_api.submit_attempt(user=user, attempt=attempt)


def summary(user, course) -> tuple:
    row = Enrollment.objects.get(user=user, course=course)
    return (row.first_pretest_score, row.first_final_score, row.best_final_score)


@pytest.fixture
def course_setup():
    tree = factories.make_course_tree(modules=2)
    learner = factories.make_user()
    courses_api.enroll(user=learner, course=tree.course)
    return learner, tree


# --- started_at ------------------------------------------------------------------------


def test_started_at_is_set_by_her_first_module_view_and_kept(course_setup):
    learner, tree = course_setup
    assert Enrollment.objects.get(user=learner).started_at is None
    progress = courses_api.course_progress(user=learner, course=tree.course)
    assert courses_api.record_module_view(user=learner, module=tree.modules[0],
                                          progress=progress)
    first = Enrollment.objects.get(user=learner).started_at
    assert first is not None

    courses_api.complete_module(user=learner, module=tree.modules[0])
    courses_api.unenroll(user=learner, course=tree.course)
    courses_api.enroll(user=learner, course=tree.course)
    assert Enrollment.objects.get(user=learner).started_at == first  # never moved or cleared


def test_started_at_is_set_by_a_completion_without_a_view(course_setup):
    learner, tree = course_setup
    courses_api.complete_module(user=learner, module=tree.modules[0])
    assert Enrollment.objects.get(user=learner).started_at is not None
    overall, _ = reports.cohort_figures(cohort=_cohort_of(learner, tree.course),
                                        courses=[tree.course])
    assert (overall.enrolled, overall.started) == (1, 1)


def test_a_new_enrollment_counts_progress_kept_from_a_deleted_one(course_setup):
    learner, tree = course_setup
    courses_api.complete_module(user=learner, module=tree.modules[0])
    Enrollment.objects.filter(user=learner).delete()  # an administrator's doing
    courses_api.enroll(user=learner, course=tree.course)
    assert Enrollment.objects.get(user=learner).started_at is not None


def _cohort_of(user, course):
    from cohorts.models import Cohort, CohortMembership

    cohort = Cohort.objects.create(name="Ward 4", organisation="MoH", country="KE")
    cohort.courses.set([course])
    CohortMembership.objects.create(cohort=cohort, user=user)
    return cohort


# --- scores ----------------------------------------------------------------------------


def test_scores_follow_her_first_and_best_submitted_attempts(course_setup):
    learner, tree = course_setup
    pre = _two_question_quiz(tree.course, is_pretest=True)
    final = _two_question_quiz(tree.course, is_final_assessment=True, pass_mark=100)
    assert summary(learner, tree.course) == (None, None, None)

    take(learner, pre, right=1)
    assert summary(learner, tree.course) == (Decimal("50.00"), None, None)
    take(learner, pre, right=2)  # a retake is not her first pre-test, nor a final
    take(learner, final, right=0)
    assert summary(learner, tree.course) == (Decimal("50.00"), Decimal("0.00"), Decimal("0.00"))
    take(learner, final, right=2)
    take(learner, final, right=1)  # a worse later attempt does not lower her best
    assert summary(learner, tree.course) == (
        Decimal("50.00"), Decimal("0.00"), Decimal("100.00"))

    overall, _ = reports.cohort_figures(cohort=_cohort_of(learner, tree.course),
                                        courses=[tree.course])
    assert overall.mean_score == pytest.approx(100) and overall.scored_learners == 1
    assert (overall.gain.mean_pre, overall.gain.mean_post) == (pytest.approx(50), 0)


def test_an_unsubmitted_attempt_and_a_plain_course_quiz_do_not_count(course_setup):
    learner, tree = course_setup
    final = _two_question_quiz(tree.course, is_final_assessment=True)
    other = _two_question_quiz(tree.course)  # on the course, neither pre-test nor final
    take(learner, other, right=2)
    assessments_api.start_attempt(user=learner, quiz=final)  # in progress
    assert summary(learner, tree.course) == (None, None, None)


def test_a_regraded_attempt_updates_the_summary(course_setup):
    learner, tree = course_setup
    final = _two_question_quiz(tree.course, is_final_assessment=True)
    take(learner, final, right=2)
    attempt = Attempt.objects.get(user=learner, quiz=final)
    # What a grade override does: a lower score, then the summary is noted in the same
    # transaction through the same hook the submission uses.
    Attempt.objects.filter(pk=attempt.pk).update(score_percent=Decimal("25.00"))
    assessments_summary.note_course_scores(user=learner, quiz_course_id=tree.course.pk)
    assert summary(learner, tree.course) == (None, Decimal("25.00"), Decimal("25.00"))


def test_scores_are_kept_on_leaving_and_are_in_the_learning_state(course_setup):
    learner, tree = course_setup
    final = _two_question_quiz(tree.course, is_final_assessment=True)
    before = type(learner).objects.get(pk=learner.pk).learning_state_version
    take(learner, final, right=1)
    assert type(learner).objects.get(pk=learner.pk).learning_state_version > before
    courses_api.unenroll(user=learner, course=tree.course)
    assert summary(learner, tree.course)[2] == Decimal("50.00")


# --- the backfill ----------------------------------------------------------------------


def _figures(fx):
    return reports.cohort_figures(cohort=fx.cohort,
                                  courses=reports.cohort_courses(cohort=fx.cohort))


def summary_of(row) -> tuple:
    return (row.first_pretest_score, row.first_final_score, row.best_final_score)


def _old_computation() -> dict:
    """Per enrollment, what the dashboard computed before the summary: module progress
    probed, and the attempts scanned (the subqueries cohorts.reports still has)."""
    rows = Enrollment.objects.annotate(
        progressed=Exists(ModuleProgress.objects.filter(user_id=OuterRef("user_id"),
                                                        course_id=OuterRef("course_id"))),
        pre=reports.first_scores(pretest=True), post=reports.first_scores(pretest=False),
        best=reports.best_score())
    return {(row.user_id, row.course_id): (row.progressed, row.pre, row.post, row.best)
            for row in rows}


def test_the_backfill_gives_the_figures_computed_from_progress_and_attempts():
    fx = report_fixture.build()
    figures = _figures(fx)
    Enrollment.objects.update(started_at=None, first_pretest_score=None,
                              first_final_score=None, best_final_score=None)
    assert _figures(fx) != figures  # the dashboard reads the columns

    report_fixture.fill_summaries()

    assert _figures(fx) == figures
    found = {(row.user_id, row.course_id): (row.started_at is not None, *summary_of(row))
             for row in Enrollment.objects.all()}
    assert found == _old_computation()
    ana_a = Enrollment.objects.get(user=fx.learners["ana"], course=fx.course_a)
    assert summary_of(ana_a) == (Decimal(40), Decimal(80), Decimal(90))  # by hand
    assert Enrollment.objects.get(user=fx.learners["dina"], course=fx.course_a
                                  ).started_at is None


def test_the_backfill_agrees_with_the_write_paths(course_setup):
    learner, tree = course_setup
    pre = _two_question_quiz(tree.course, is_pretest=True)
    final = _two_question_quiz(tree.course, is_final_assessment=True, pass_mark=100)
    take(learner, pre, right=1)
    take(learner, final, right=1)
    take(learner, final, right=2)
    progress = courses_api.course_progress(user=learner, course=tree.course)
    courses_api.record_module_view(user=learner, module=tree.modules[0], progress=progress)
    kept = Enrollment.objects.get(user=learner)
    report_fixture.fill_summaries()
    filled = Enrollment.objects.get(user=learner)
    assert summary_of(filled) == summary_of(kept)
    assert filled.started_at == kept.started_at
    assert summary_of(filled) == (Decimal(50), Decimal(50), Decimal(100))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_leave_her_true_best_and_first_scores():
    tree = factories.make_course_tree(modules=1)
    learner = factories.make_user()
    courses_api.enroll(user=learner, course=tree.course)
    finals = [_two_question_quiz(tree.course, title=f"Final {n}", is_final_assessment=True,
                                 pass_mark=100) for n in range(4)]
    attempts = []
    for quiz, right in zip(finals, (1, 2, 0, 1), strict=True):
        attempt = assessments_api.start_attempt(user=learner, quiz=quiz)
        assessments_api.save_responses(user=learner, attempt=attempt, answers={
            q["id"]: (RIGHT if i < right else WRONG) for i, q in enumerate(attempt.questions)})
        attempts.append(attempt)
    pending = iter(attempts)
    lock = threading.Lock()

    def submit_one():
        with lock:
            attempt = next(pending)
        return assessments_api.submit_attempt(user=learner, attempt=attempt).score_percent

    scores = run_concurrently(4, submit_one)

    assert sorted(scores) == [0, 50, 50, 100]
    # All four are attempt number 1: the first is the lowest of them, the best the highest
    assert summary(learner, tree.course) == (None, Decimal("0.00"), Decimal("100.00"))
