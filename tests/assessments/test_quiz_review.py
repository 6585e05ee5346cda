"""Quizzes and questions under clinical review (ADR 0004): learners see only what a
reviewer approved; an edit never changes an attempt already started, and the edit form
says so while learners are mid-attempt; imports by educators wait for review."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from assessments import api
from assessments.models import Attempt, Question, Quiz, QuizQuestion
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.assessments.conftest import RIGHT, WRONG

pytestmark = pytest.mark.django_db



def c2_is_right() -> dict:
    """The default question with its right answer moved from choice c1 to c2."""
    value = factories.single_choice_value()
    for choice in value["choices"]:
        choice["value"]["correct"] = choice["id"] == "c2"
    return value


@pytest.fixture
def author(db):
    """An educator given the question bank and quizzes (add and change, never publish)."""
    person = factories.make_user(email="grace@example.org")
    core_api.assign_role(user=person, role=Role.EDUCATOR)
    person.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="assessments",
        codename__in=["add_question", "change_question", "view_question",
                      "add_quiz", "change_quiz", "view_quiz"]))
    return person


@pytest.fixture
def reviewer(db):
    person = factories.make_user(email="dr.okafor@example.org")
    core_api.assign_role(user=person, role=Role.CLINICAL_REVIEWER)
    return person


def approve(client, reviewer, obj, comment: str = ""):
    model = type(obj)._meta.model_name
    task_state = TaskState.objects.get(workflow_state__object_id=str(obj.pk),
                                       workflow_state__base_content_type__model=model,
                                       status=TaskState.STATUS_IN_PROGRESS)
    client.force_login(reviewer)
    return client.post(reverse(f"wagtailsnippets_assessments_{model}:workflow_action",
                               args=(obj.pk, "approve", task_state.pk)),
                       {"comment": comment})


def quiz_form(module, question, **actions) -> dict:
    return nested_form_data({
        "title": "HLA-B*15:02 check", "introduction": rich_text(""),
        "module": module.pk, "course": "", "quiz_questions": inline_formset(
            [{"question": question.pk}]),
        "draw_count": "", "pool_domain": "", "pool_topic": "", "pool_difficulty": "",
        "pass_mark": "70", "max_attempts": "", "min_minutes_between_attempts": "0",
        "time_limit_minutes": "", "feedback_timing": "after_attempt", **actions,
    })


def qid(attempt):
    return attempt.questions[0]["id"]


def test_the_snippets_are_under_the_clinical_review_workflow():
    for model in (Quiz, Question):
        workflow = model().get_workflow()
        assert workflow is not None and workflow.name == "Clinical review"


def test_a_new_quiz_reaches_learners_only_after_a_reviewer_approves_it(
        client, author, reviewer, learner, quiz_setup):
    module = quiz_setup.tree.modules[1]
    client.force_login(learner)
    assert "HLA-B*15:02 check" not in client.get(module.url).content.decode()
    client.force_login(author)

    response = client.post(reverse("wagtailsnippets_assessments_quiz:add"),
                           quiz_form(module, factories.make_question(),
                                     **{"action-submit": "submit"}))

    assert response.status_code == 302, response.content.decode()[-3000:]
    quiz = Quiz.objects.get(title="HLA-B*15:02 check")
    assert not quiz.live and quiz.workflow_in_progress
    assert "HLA-B*15:02 check" not in [s.quiz.title for s in
                                       api.quiz_summaries(user=learner, module=module)]
    with pytest.raises(Quiz.DoesNotExist):
        api.get_quiz(quiz_id=quiz.pk)
    assert approve(client, author, quiz).status_code == 302  # not a reviewer: no effect
    quiz.refresh_from_db()
    assert not quiz.live

    assert approve(client, reviewer, quiz, "Matches CPIC 2024.").status_code == 302

    quiz.refresh_from_db()
    assert quiz.live
    client.force_login(learner)
    assert "HLA-B*15:02 check" in client.get(module.url).content.decode()  # cache refreshed
    assert api.get_quiz(quiz_id=quiz.pk) == quiz


def test_a_quiz_edited_after_attempts_began_leaves_those_attempts_scores_unchanged(
        learner, author, reviewer, quiz_setup):
    quiz = quiz_setup.quiz
    finished = api.start_attempt(user=learner, quiz=quiz)
    api.save_responses(user=learner, attempt=finished, answers={qid(finished): WRONG})
    api.submit_attempt(user=learner, attempt=finished)
    started = api.start_attempt(user=learner, quiz=quiz)
    api.save_responses(user=learner, attempt=started, answers={qid(started): RIGHT})

    # The educator swaps the right answer, adds a question and raises the pass mark;
    # a reviewer approves each change.
    question = Question.objects.get()
    question.body = [{"type": "single_choice", "id": question.body[0].id,
                      "value": c2_is_right()}]
    question.save_revision(user=author).publish(user=reviewer)
    quiz = Quiz.objects.get(pk=quiz.pk)
    quiz.pass_mark = 100
    quiz.quiz_questions.add(QuizQuestion(question=factories.make_question(), sort_order=1))
    quiz.save_revision(user=author).publish(user=reviewer)
    assert Quiz.objects.get(pk=quiz.pk).pass_mark == 100

    result = api.submit_attempt(user=learner, attempt=started)

    assert result.score_percent == 100 and result.passed is True
    started.refresh_from_db()
    finished.refresh_from_db()
    assert (len(started.questions), started.pass_mark) == (1, 70)
    assert (finished.score_percent, finished.passed) == (0, False)
    new = api.start_attempt(user=learner, quiz=quiz)
    assert (len(new.questions), new.pass_mark) == (2, 100)
    api.save_responses(user=learner, attempt=new, answers={
        definition["id"]: RIGHT for definition in new.questions})
    assert api.submit_attempt(user=learner, attempt=new).passed is False  # c1 is wrong now


def test_the_quiz_editor_warns_while_learners_are_mid_attempt(client, author, learner,
                                                              quiz_setup):
    quiz, question = quiz_setup.quiz, Question.objects.get()
    quiz_edit = reverse("wagtailsnippets_assessments_quiz:edit", args=(quiz.pk,))
    question_edit = reverse("wagtailsnippets_assessments_question:edit", args=(question.pk,))
    client.force_login(author)
    assert "in the middle of" not in client.get(quiz_edit).content.decode()

    api.start_attempt(user=learner, quiz=quiz)

    page = client.get(quiz_edit).content.decode()
    assert ("1 learner is in the middle of this quiz. They will finish on the version they "
            "started; your changes apply to new attempts.") in page
    assert "1 learner is in the middle of a quiz with this question." in client.get(
        question_edit).content.decode()
    attempt = Attempt.objects.get()
    api.submit_attempt(user=learner, attempt=attempt)
    assert "in the middle of" not in client.get(quiz_edit).content.decode()


def test_learners_draw_only_live_questions(learner, quiz_setup):
    quiz = quiz_setup.quiz
    draft = factories.make_question(title="Unreviewed", live=False)
    QuizQuestion.objects.create(quiz=quiz, question=draft, sort_order=1)
    Quiz.objects.filter(pk=quiz.pk).update(pool_topic="PGx")
    Question.objects.update(topic="PGx")
    factories.make_question(title="Draft in the pool", topic="PGx", live=False)

    attempt = api.start_attempt(user=learner, quiz=Quiz.objects.get(pk=quiz.pk))

    assert [d["title"] for d in attempt.questions] == ["Question 1"]


GIFT = "::Warfarin T/F::VKORC1 variants change the warfarin dose.{T}\n"


def import_gift(client, user, text: str = GIFT):
    client.force_login(user)
    return client.post("/admin/assessments/import/", {
        "file": SimpleUploadedFile("bank.gift", text.encode()), "format": "auto",
        "domain": "", "topic": "", "difficulty": ""})


def test_questions_an_educator_imports_wait_for_review(client, author, reviewer):
    assert import_gift(client, author).status_code == 302

    question = Question.objects.get()
    assert not question.live and question.workflow_in_progress
    approve(client, reviewer, question)
    question.refresh_from_db()
    assert question.live
    import_gift(client, author)  # the same file again: nothing new to review
    assert not Question.objects.get().workflow_in_progress

    import_gift(client, author, GIFT.replace("{T}", "{F}"))  # a change to a live question

    question.refresh_from_db()
    assert question.live and question.has_unpublished_changes
    assert question.definition().answer is True  # learners keep the reviewed version
    approve(client, reviewer, question)
    assert Question.objects.get().definition().answer is False


def test_questions_a_reviewer_imports_go_live(client, reviewer):
    reviewer.user_permissions.add(Permission.objects.get(codename="add_question"))

    assert import_gift(client, reviewer).status_code == 302

    assert Question.objects.get().live


def test_a_final_assessment_in_review_neither_shows_nor_blocks_completion(learner, quiz_setup):
    course = quiz_setup.tree.course
    draft = factories.make_quiz(course=course, title="Final check", is_final_assessment=True,
                                live=False)

    assert api.quiz_summaries(user=learner, course=course) == []
    assert api.unmet_final_assessments(user=learner, course=course) is None
    Quiz.objects.filter(pk=draft.pk).update(live=True)
    assert api.unmet_final_assessments(user=learner, course=course) == (
        "Pass the final assessment “Final check”.")
