"""Taking a quiz through assessments.api: starting, saving, submitting, results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import api
from assessments.models import Attempt, GradeChange, Response
from courses import api as courses_api
from courses.models import Enrollment, ModuleProgress
from tests import factories
from tests.assessments.conftest import RIGHT, WRONG

pytestmark = pytest.mark.django_db


def qid(attempt):
    return attempt.questions[0]["id"]


def take(learner, quiz, answer):
    attempt = api.start_attempt(user=learner, quiz=quiz)
    api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): answer})
    return attempt, api.submit_attempt(user=learner, attempt=attempt)


def test_passing_completes_the_module_and_moves_course_progress(learner, quiz_setup):
    version = type(learner).objects.get(pk=learner.pk).learning_state_version
    attempt, result = take(learner, quiz_setup.quiz, RIGHT)
    assert result.passed is True and result.score_percent == 100
    assert attempt.number == 1
    assert ModuleProgress.objects.get(module=quiz_setup.module).completed_at is not None
    progress = courses_api.course_progress(user=learner, course=quiz_setup.tree.course)
    assert progress.required_complete == 1
    assert type(learner).objects.get(pk=learner.pk).learning_state_version > version


def test_failing_does_not_complete_and_a_retry_can_pass(learner, quiz_setup):
    _, first = take(learner, quiz_setup.quiz, WRONG)
    assert first.passed is False and first.score_percent == 0
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()
    second, result = take(learner, quiz_setup.quiz, RIGHT)
    assert second.number == 2 and result.passed
    assert [c.status for c in GradeChange.objects.order_by("pk")] == ["incorrect", "correct"]


def test_start_resumes_the_attempt_in_progress(learner, quiz_setup):
    first = api.start_attempt(user=learner, quiz=quiz_setup.quiz)
    assert api.start_attempt(user=learner, quiz=quiz_setup.quiz).pk == first.pk
    assert Attempt.objects.count() == 1


def test_a_learner_not_enrolled_cannot_start(quiz_setup):
    stranger = factories.make_user(email="other@example.org")
    with pytest.raises(api.QuizError) as error:
        api.start_attempt(user=stranger, quiz=quiz_setup.quiz)
    assert error.value.code == "not_enrolled"
    assert "Enroll in" in str(error.value)


def test_a_locked_module_quiz_cannot_start(learner):
    tree = factories.make_course_tree(modules=2, sequential=True)
    courses_api.enroll(user=learner, course=tree.course)
    quiz = factories.make_quiz(module=tree.modules[1])
    with pytest.raises(api.QuizError, match="Complete “Module 1” first") as error:
        api.start_attempt(user=learner, quiz=quiz)
    assert error.value.code == "locked"


def test_the_attempt_limit_is_enforced(learner, quiz_setup):
    quiz = quiz_setup.quiz
    quiz.max_attempts = 2
    quiz.save()
    take(learner, quiz, WRONG)
    take(learner, quiz, WRONG)
    with pytest.raises(api.QuizError, match="all 2 attempts") as error:
        api.start_attempt(user=learner, quiz=quiz)
    assert error.value.code == "no_attempts_left"


def test_the_retry_delay_is_enforced_with_a_clear_message(learner, quiz_setup):
    quiz = quiz_setup.quiz
    quiz.min_minutes_between_attempts = 30
    quiz.save()
    attempt, _ = take(learner, quiz, WRONG)
    with pytest.raises(api.QuizError, match=r"try this quiz again at \d.*in 30 minutes") as error:
        api.start_attempt(user=learner, quiz=quiz)
    assert error.value.code == "too_soon"
    assert error.value.retry_at == Attempt.objects.get(pk=attempt.pk).submitted_at + timedelta(
        minutes=30)
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=31))
    assert api.start_attempt(user=learner, quiz=quiz).number == 2


def test_saving_upserts_and_ignores_ids_not_in_the_attempt(learner, quiz_setup):
    attempt = api.start_attempt(user=learner, quiz=quiz_setup.quiz)
    result = api.save_responses(user=learner, attempt=attempt,
                                answers={qid(attempt): WRONG, "not-mine": RIGHT})
    assert result.saved == [qid(attempt)] and result.ignored == ["not-mine"]
    api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): RIGHT})
    api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): RIGHT})
    assert list(Response.objects.values_list("question_id", "answer")) == [(qid(attempt), RIGHT)]


def test_submitting_twice_grades_once_and_returns_the_same_result(learner, quiz_setup):
    attempt, first = take(learner, quiz_setup.quiz, RIGHT)
    again = api.submit_attempt(user=learner, attempt=attempt)
    assert again == first
    assert GradeChange.objects.count() == 1


def test_saving_after_submit_is_refused(learner, quiz_setup):
    attempt, _ = take(learner, quiz_setup.quiz, WRONG)
    with pytest.raises(api.QuizError) as error:
        api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): RIGHT})
    assert error.value.code == "submitted"
    assert Response.objects.get().answer == WRONG


def test_past_the_time_limit_saves_are_refused_and_what_was_saved_is_graded(learner, quiz_setup):
    quiz = quiz_setup.quiz
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = api.start_attempt(user=learner, quiz=quiz)
    assert attempt.deadline is not None
    api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): WRONG})
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(minutes=1))
    attempt.refresh_from_db()
    with pytest.raises(api.QuizError) as error:
        api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): RIGHT})
    assert error.value.code == "time_up"
    result = api.submit_attempt(user=learner, attempt=attempt)
    assert result.passed is False and result.score_percent == 0


def test_an_expired_attempt_is_graded_when_she_starts_again(learner, quiz_setup):
    quiz = quiz_setup.quiz
    quiz.time_limit_minutes = 5
    quiz.save()
    first = api.start_attempt(user=learner, quiz=quiz)
    api.save_responses(user=learner, attempt=first, answers={qid(first): RIGHT})
    Attempt.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    second = api.start_attempt(user=learner, quiz=quiz)
    first.refresh_from_db()
    assert first.is_submitted and first.passed and second.number == 2


def test_a_pretest_never_passes_and_never_completes_the_module(learner, quiz_setup):
    pretest = factories.make_quiz(module=quiz_setup.module, title="Before you start",
                                  is_pretest=True)
    _, result = take(learner, pretest, RIGHT)
    assert result.passed is None and result.score_percent == 100
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_editing_the_question_or_quiz_after_start_changes_nothing_for_the_attempt(
    learner, quiz_setup
):
    quiz = quiz_setup.quiz
    attempt = api.start_attempt(user=learner, quiz=quiz)
    snapshot = attempt.questions
    question = quiz.quiz_questions.get().question
    value = factories.single_choice_value(right="Phenytoin", wrong=("Carbamazepine",))
    question.body = [{"type": "single_choice", "id": question.body[0].id, "value": value}]
    question.save()  # now c1 is Phenytoin and c2 Carbamazepine
    quiz.pass_mark = 100
    quiz.quiz_questions.all().delete()
    quiz.save()
    api.save_responses(user=learner, attempt=attempt, answers={qid(attempt): RIGHT})
    result = api.submit_attempt(user=learner, attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.questions == snapshot
    assert result.passed and result.score_percent == 100
    view = api.result_view(user=learner, attempt=attempt)
    assert "Carbamazepine" in view.items[0].definition.choices[0].text


def test_drawing_from_a_tagged_pool(learner, quiz_setup):
    for number in range(5):
        factories.make_question(topic="HLA", value=factories.single_choice_value(
            prefix=f"x{number}-"))
    factories.make_question(topic="Other")
    quiz = factories.make_quiz(module=quiz_setup.module, questions=[
        factories.make_question(topic="listed")], pool_topic="hla", draw_count=3,
        shuffle_questions=True, shuffle_choices=True)
    attempt = api.start_attempt(user=learner, quiz=quiz)
    assert len(attempt.questions) == 3
    assert all(q["tags"]["topic"] in ("HLA", "listed") for q in attempt.questions)


def test_final_assessment_gates_course_completion(learner):
    tree = factories.make_course_tree(modules=1)
    courses_api.enroll(user=learner, course=tree.course)
    final = factories.make_quiz(course=tree.course, is_final_assessment=True,
                                title="Final assessment")
    courses_api.complete_module(user=learner, module=tree.modules[0])
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.completed_at is None
    assert api.unmet_final_assessments(user=learner, course=tree.course) == (
        "Pass the final assessment “Final assessment”.")
    take(learner, final, WRONG)
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is None
    take(learner, final, RIGHT)
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None
    assert api.unmet_final_assessments(user=learner, course=tree.course) is None


def test_other_learners_attempts_do_not_exist_for_her(learner, quiz_setup):
    attempt = api.start_attempt(user=learner, quiz=quiz_setup.quiz)
    other = factories.make_user(email="other@example.org")
    with pytest.raises(Attempt.DoesNotExist):
        api.get_attempt(user=other, attempt_id=attempt.pk)
    with pytest.raises(api.QuizError):
        api.submit_attempt(user=other, attempt=attempt)
    with pytest.raises(api.QuizError):
        api.save_responses(user=other, attempt=attempt, answers={})


@pytest.mark.parametrize(("timing", "passes", "shown"), [
    ("immediately", False, True), ("after_attempt", False, True),
    ("after_passing", False, False), ("after_passing", True, True), ("never", True, False),
])
def test_the_result_follows_the_feedback_policy(learner, quiz_setup, timing, passes, shown):
    quiz = quiz_setup.quiz
    quiz.feedback_timing = timing
    quiz.save()
    attempt, _ = take(learner, quiz, RIGHT if passes else WRONG)
    view = api.result_view(user=learner, attempt=attempt)
    assert view.show_feedback is shown
    assert bool(view.items) is shown


def test_quiz_summaries_for_the_module_section(learner, quiz_setup, django_assert_num_queries):
    quiz = quiz_setup.quiz
    quiz.max_attempts = 3
    quiz.save()
    take(learner, quiz, WRONG)
    with django_assert_num_queries(2):
        [summary] = api.quiz_summaries(user=learner, module=quiz_setup.module)
    assert summary.attempts_left == 2 and summary.best_percent == 0
    assert not summary.has_passed and summary.in_progress is None


def test_the_course_score_is_her_best_final_assessment(learner, quiz_setup):
    course = quiz_setup.tree.course
    final = factories.make_quiz(course=course, is_final_assessment=True, title="Final")
    assert courses_api.course_score(user=learner, course=course) is None
    take(learner, quiz_setup.quiz, RIGHT)  # a module quiz does not count
    assert courses_api.course_score(user=learner, course=course) is None
    take(learner, final, WRONG)
    assert courses_api.course_score(user=learner, course=course) == 0
    take(learner, final, RIGHT)
    take(learner, final, WRONG)
    assert courses_api.course_score(user=learner, course=course) == 100
