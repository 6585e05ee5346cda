"""Immediate feedback: "Check answer" grades one question during the attempt, shows its
verdict, feedback and explanation there, and locks its answer; nothing of the questions
she has not checked reaches the browser."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import api
from assessments.models import Attempt, Response
from tests import factories

pytestmark = pytest.mark.django_db

A_SECRETS = ["A-RIGHT-FEEDBACK-31f", "A-EXPLANATION-8d0"]
B_SECRETS = ["B-RIGHT-FEEDBACK-6c2", "B-WRONG-FEEDBACK-e47", "B-EXPLANATION-0b9"]


def question(prefix: str, right_feedback: str, wrong_feedback: str, explanation: str):
    value = factories.single_choice_value(prefix=prefix, explanation=f"<p>{explanation}</p>",
                                          stem=f"<p>Stem {prefix.upper()}</p>")
    value["choices"][0]["value"]["feedback"] = right_feedback
    for choice in value["choices"][1:]:
        choice["value"]["feedback"] = wrong_feedback
    return factories.make_question(value=value, block_id=f"question-{prefix}")


@pytest.fixture
def quiz(quiz_setup):
    """Two single-choice questions, A (choices a1 right, a2, a3) then B (b1 right...),
    with immediate feedback."""
    bank = [question("a", A_SECRETS[0], "A-WRONG-FEEDBACK-1d3", A_SECRETS[1]),
            question("b", *B_SECRETS)]
    return factories.make_quiz(module=quiz_setup.module, questions=bank, title="Checked quiz",
                               feedback_timing="immediately")


def answers(a=None, b=None):
    return {"question-a": a and {"choice": a}, "question-b": b and {"choice": b}}


def test_check_grades_that_question_only_and_locks_its_answer(learner, quiz):
    attempt = api.start_attempt(user=learner, quiz=quiz)
    result = api.check_answer(user=learner, attempt=attempt, question_id="question-a",
                              answers=answers(a="a2", b="b1"))
    assert result.grade.status == "incorrect" and result.answer == {"choice": "a2"}
    assert result.grade.feedback == ("A-WRONG-FEEDBACK-1d3",)
    rows = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    assert rows["question-a"].checked_at is not None and rows["question-b"].checked_at is None
    assert rows["question-b"].answer == {"choice": "b1"}  # the other answers were saved too
    saved = api.save_responses(user=learner, attempt=attempt, answers=answers(a="a1", b="b2"))
    assert saved.saved == ["question-b"] and saved.ignored == ["question-a"]
    assert Response.objects.get(question_id="question-a").answer == {"choice": "a2"}
    view = api.attempt_view(user=learner, attempt=attempt)
    assert set(view.checks) == {"question-a"} and view.can_check


def test_a_double_check_returns_the_same_result(learner, quiz):
    attempt = api.start_attempt(user=learner, quiz=quiz)
    first = api.check_answer(user=learner, attempt=attempt, question_id="question-a",
                             answers=answers(a="a1"))
    again = api.check_answer(user=learner, attempt=attempt, question_id="question-a",
                             answers=answers(a="a3"))
    assert again == first and first.grade.status == "correct"
    assert Response.objects.get(question_id="question-a").answer == {"choice": "a1"}


@pytest.mark.parametrize("case", ["other_learner", "other_timing", "submitted", "time_up",
                                  "unknown_question", "unanswered"])
def test_check_is_refused(learner, quiz, case):
    attempt = api.start_attempt(user=learner, quiz=quiz)
    user, question_id = learner, "question-a"
    expected = case
    if case == "other_learner":
        user, expected = factories.make_user(email="mallory@example.org"), "not_found"
    elif case == "other_timing":
        quiz.feedback_timing = "after_attempt"
        quiz.save()
        expected = "no_check"
    elif case == "submitted":
        api.submit_attempt(user=learner, attempt=attempt)
    elif case == "time_up":
        Attempt.objects.filter(pk=attempt.pk).update(
            deadline=timezone.now() - api.SAVE_GRACE - timedelta(seconds=1))
    elif case == "unknown_question":
        question_id = "elsewhere"
    with pytest.raises(api.QuizError) as refused:
        api.check_answer(user=user, attempt=attempt, question_id=question_id,
                         answers=answers(a=None if case == "unanswered" else "a1"))
    assert refused.value.code == expected
    assert not Response.objects.filter(checked_at__isnull=False).exists()


def test_submit_after_checks_gives_the_same_grades(learner, quiz):
    attempt = api.start_attempt(user=learner, quiz=quiz)
    checks = [api.check_answer(user=learner, attempt=attempt, question_id=question_id,
                               answers=answers(a="a1", b="b2"))
              for question_id in ("question-a", "question-b")]
    result = api.submit_attempt(user=learner, attempt=attempt)
    grades = dict(attempt.grade_changes.values_list("question_id", "points"))
    assert grades == {check.question_id: check.grade.points_awarded for check in checks}
    assert result.score_percent == 50


def start(client, quiz):
    assert client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
    return Attempt.objects.latest("pk")


def test_checking_with_the_plain_form_shows_that_question_only(auth_client, quiz):
    attempt = start(auth_client, quiz)
    url = reverse("attempt", args=[attempt.pk])
    before = auth_client.get(url).content.decode()
    assert before.count('name="check"') == 2 and "Check answer" in before
    form = {"q/question-a": "a1", "q/question-b": "b2"}
    response = auth_client.post(url, {**form, "check": "question-a"})
    assert response.status_code == 302 and response["Location"] == f"{url}#q-question-a"
    html = auth_client.get(url).content.decode()
    assert 'id="q-question-a" aria-describedby="q-question-a-stem" disabled' in html
    assert 'role="status"' in html and "Correct" in html
    assert all(secret in html for secret in A_SECRETS)
    assert html.count('name="check"') == 1 and 'value="question-b"' in html
    # B is still open: no verdict, and nothing of its feedback or explanation
    assert 'id="q-question-b" aria-describedby="q-question-b-stem">' in html
    assert not any(secret in html for secret in B_SECRETS)
    assert 'value="b2" checked' in html  # her answer to B was saved with the check
    # a later plain save (the disabled inputs send nothing) or a forged answer changes nothing
    auth_client.post(url, {"q/question-b": "b2", "save": ""})
    auth_client.post(url, {"q/question-a": "a3", "q/question-b": "b2", "save": ""})
    assert Response.objects.get(question_id="question-a").answer == {"choice": "a1"}
    saved = auth_client.post(reverse("attempt_save", args=[attempt.pk]), {"q/question-a": "a2"})
    assert "question-a" in saved.json()["ignored"]
    again = auth_client.post(url, {**form, "check": "question-a"})  # a double click
    assert again["Location"] == f"{url}#q-question-a"
    auth_client.post(url, {**form, "submit": "1"})
    attempt.refresh_from_db()
    assert attempt.score_percent == 50


def test_no_feedback_of_unchecked_questions_reaches_the_browser(auth_client, quiz):
    attempt = start(auth_client, quiz)
    url = reverse("attempt", args=[attempt.pk])
    form = {"q/question-a": "a2", "q/question-b": "b1"}
    served = [auth_client.get(url).content.decode()]
    served.append(auth_client.post(url, {**form, "check": "question-a"}, follow=True)
                  .content.decode())
    served.append(auth_client.post(reverse("attempt_save", args=[attempt.pk]), form)
                  .content.decode())
    served.append(auth_client.post(url, {**form, "save": ""}, follow=True).content.decode())
    for html in served:
        assert not any(secret in html for secret in B_SECRETS)
    assert "A-WRONG-FEEDBACK-1d3" in served[1] and A_SECRETS[1] in served[1]
    assert A_SECRETS[0] not in served[1]  # the feedback of the choice she did not pick


def test_checks_are_refused_through_the_view(auth_client, quiz, quiz_setup):
    attempt = start(auth_client, quiz)
    url = reverse("attempt", args=[attempt.pk])
    response = auth_client.post(url, {"check": "question-a"}, follow=True)
    assert "Answer the question before checking it." in response.content.decode()
    response = auth_client.post(url, {"q/question-a": "a1", "check": "elsewhere"}, follow=True)
    assert "There is no such question" in response.content.decode()
    assert not Response.objects.filter(checked_at__isnull=False).exists()
    intruder = Client()
    intruder.force_login(factories.make_user(email="mallory@example.org"))
    assert intruder.post(url, {"q/question-a": "a1", "check": "question-a"}).status_code == 404
    plain = factories.make_quiz(module=quiz_setup.module, title="Plain quiz")
    other = start(auth_client, plain)
    html = auth_client.get(reverse("attempt", args=[other.pk])).content.decode()
    assert 'name="check"' not in html
    response = auth_client.post(reverse("attempt", args=[other.pk]),
                                {f"q/{other.questions[0]['id']}": "c1",
                                 "check": other.questions[0]["id"]}, follow=True)
    assert "after the attempt" in response.content.decode()
