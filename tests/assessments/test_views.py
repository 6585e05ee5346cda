"""Taking a quiz over HTTP, with plain forms: start, answer, save, submit, result; and
nothing that reveals an answer reaches the browser before submission."""

import json
import re

import pytest
from django.urls import reverse

from assessments import api
from assessments.models import Attempt, GradeChange, Response
from courses.models import ModuleProgress
from tests import factories
from tests.assessments.test_models import VALUES, items

pytestmark = pytest.mark.django_db

SECRETS = ["FEEDBACK-RIGHT-7f3", "FEEDBACK-WRONG-9a1", "EXPLANATION-4c2", "ACCEPTED-ANSWER-b8d",
           "NUMERIC-FEEDBACK-5e0", "TF-FEEDBACK-2d9", "CASE-EXPLANATION-1aa", "REFERENCE-e61"]


def secret_question_bank():
    """One question of each type whose answers, feedback and explanations carry markers."""
    common = {"explanation": "<p>EXPLANATION-4c2</p>", "references": ["REFERENCE-e61"],
              "points": "1"}
    single = factories.single_choice_value(**common)
    single["choices"][0]["value"]["feedback"] = "FEEDBACK-RIGHT-7f3"
    single["choices"][1]["value"]["feedback"] = "FEEDBACK-WRONG-9a1"
    numeric = {**VALUES["numeric"], **common, "answer": "4817.25", "feedback":
               "NUMERIC-FEEDBACK-5e0"}
    short = {**VALUES["short_text"], **common, "answers": items(
        {"text": "ACCEPTED-ANSWER-b8d", "credit": "1", "feedback": ""})}
    true_false = {**VALUES["true_false"], **common, "feedback_true": "TF-FEEDBACK-2d9",
                  "feedback_false": "TF-FEEDBACK-2d9"}
    case = {"vignette": "<p>A woman with epilepsy.</p>",
            "explanation": "<p>CASE-EXPLANATION-1aa</p>", "references": [],
            "parts": [{"type": "single_choice", "id": "case-part", "value": single}]}
    values = [("single_choice", single), ("numeric", numeric), ("short_text", short),
              ("true_false", true_false), ("matching", {**VALUES["matching"], **common}),
              ("ordering", {**VALUES["ordering"], **common}), ("case_set", case),
              ("multiple_response", {**VALUES["multiple_response"], **common})]
    return [factories.make_question(kind=kind, value=value) for kind, value in values]


def start(client, quiz):
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


def test_start_answer_and_submit_with_plain_forms(auth_client, learner, quiz_setup):
    attempt = start(auth_client, quiz_setup.quiz)
    page = auth_client.get(reverse("attempt", args=[attempt.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Question 1" in html and 'type="radio"' in html and "js/quiz.js" in html
    name = f"q/{attempt.questions[0]['id']}"
    response = auth_client.post(reverse("attempt", args=[attempt.pk]),
                                {name: "c1", "submit": "1"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("attempt_result", args=[attempt.pk])
    assert "you scored 100%" in html and "You passed." in html
    assert ModuleProgress.objects.get(module=quiz_setup.module).completed_at is not None


def test_saving_keeps_answers_and_shows_them_again(auth_client, quiz_setup):
    attempt = start(auth_client, quiz_setup.quiz)
    name = f"q/{attempt.questions[0]['id']}"
    response = auth_client.post(reverse("attempt", args=[attempt.pk]),
                                {name: "c2", "save": ""}, follow=True)
    assert "Your answers are saved." in response.content.decode()
    assert 'value="c2" checked' in response.content.decode()
    assert Response.objects.get().answer == {"choice": "c2"}


def test_autosave_json_answers_only_which_ids_were_saved(auth_client, quiz_setup):
    attempt = start(auth_client, quiz_setup.quiz)
    question_id = attempt.questions[0]["id"]
    url = reverse("attempt_save", args=[attempt.pk])
    response = auth_client.post(url, {f"q/{question_id}": "c1"})
    assert response.status_code == 200
    assert response.json()["saved"] == [question_id]
    response = auth_client.post(url, json.dumps({"answers": {"elsewhere": {"choice": "c1"}}}),
                                content_type="application/json")
    assert response.json()["ignored"] == ["elsewhere"]
    assert Response.objects.count() == 1


def test_double_submit_grades_once(auth_client, quiz_setup):
    attempt = start(auth_client, quiz_setup.quiz)
    url = reverse("attempt_submit", args=[attempt.pk])
    first = auth_client.post(url)
    second = auth_client.post(url)
    assert first["Location"] == second["Location"]
    assert GradeChange.objects.count() == 1


def test_another_learners_attempt_is_a_404(client, quiz_setup):
    attempt = api.start_attempt(user=quiz_setup.tree.course.enrollments.get().user,
                                quiz=quiz_setup.quiz)
    intruder = factories.make_user(email="mallory@example.org")
    client.force_login(intruder)
    for name in ("attempt", "attempt_result"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    for name in ("attempt_save", "attempt_submit"):
        assert client.post(reverse(name, args=[attempt.pk])).status_code == 404
    assert not attempt.grade_changes.exists()


def test_start_refused_shows_why_on_the_module_page(auth_client, quiz_setup):
    quiz = quiz_setup.quiz
    quiz.max_attempts = 1
    quiz.save()
    attempt = start(auth_client, quiz)
    auth_client.post(reverse("attempt_submit", args=[attempt.pk]))
    response = auth_client.post(reverse("quiz_start", args=[quiz.pk]), follow=True)
    assert "You have used your attempt at this quiz." in response.content.decode()


def test_the_module_page_shows_the_quiz_section(auth_client, quiz_setup):
    html = auth_client.get(quiz_setup.module.url).content.decode()
    assert "Check your understanding" in html and "Pass mark 70%" in html
    assert "Start the quiz" in html
    attempt = start(auth_client, quiz_setup.quiz)
    html = auth_client.get(quiz_setup.module.url).content.decode()
    assert "Resume the quiz" in html  # the start bumped her learning state: page re-rendered
    auth_client.post(reverse("attempt_submit", args=[attempt.pk]))
    html = auth_client.get(quiz_setup.module.url).content.decode()
    assert "Last score 0%" in html and "Try again" in html


def test_no_answer_feedback_or_explanation_reaches_the_browser_before_submission(
    auth_client, quiz_setup
):
    bank = secret_question_bank()
    quiz = factories.make_quiz(module=quiz_setup.module, questions=bank, title="Secret quiz",
                               shuffle_choices=True)
    served = [auth_client.get(quiz_setup.module.url).content.decode()]
    attempt = start(auth_client, quiz)
    attempt_url = reverse("attempt", args=[attempt.pk])
    served.append(auth_client.get(attempt_url).content.decode())
    form = {f"q/{q['id']}": "x" for q in attempt.questions}
    served.append(auth_client.post(reverse("attempt_save", args=[attempt.pk]), form)
                  .content.decode())
    served.append(auth_client.post(attempt_url, {**form, "save": ""}, follow=True)
                  .content.decode())
    served.append(auth_client.get(quiz_setup.module.url).content.decode())
    for html in served:
        for secret in SECRETS:
            assert secret not in html
        assert "4817" not in html  # the numeric answer
    for html in served[1:4]:  # the attempt page and the autosave JSON: nothing flags a choice
        assert "correct" not in html.lower()
    assert "Which drug needs" in served[1]  # the questions are there
    auth_client.post(reverse("attempt_submit", args=[attempt.pk]))
    result = auth_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "EXPLANATION-4c2" in result and "ACCEPTED-ANSWER-b8d" in result


def test_every_question_type_renders_accessible_inputs_and_round_trips(auth_client, quiz_setup):
    quiz = factories.make_quiz(module=quiz_setup.module, questions=secret_question_bank())
    attempt = start(auth_client, quiz)
    html = auth_client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert html.count("<fieldset") == 8  # seven questions and one case part (in a section)
    assert html.count("<legend>") == 8
    main = html[html.index('<main id="main"'):]  # the header has its own (language) select
    inputs = re.findall(r'<(?:input|select) [^>]*id="([^"]+)"', main)
    assert len(inputs) == 19
    assert all(f'<label for="{dom_id}"' in html for dom_id in inputs)
    by_type = {q["type"]: q for q in attempt.questions}
    matching, ordering = by_type["matching"], by_type["ordering"]
    form = {
        f"q/{by_type['numeric']['id']}": "4817.25", f"q/{by_type['numeric']['id']}/unit": "mg",
        f"q/{by_type['short_text']['id']}": "accepted-answer-B8D",
        f"q/{by_type['true_false']['id']}": "true",
        f"q/{by_type['multiple_response']['id']}": ["i1", "i2"],
        f"q/{matching['id']}/p1": "p1-a", f"q/{matching['id']}/p2": "p2-a",
        f"q/{ordering['id']}/i1": "1", f"q/{ordering['id']}/i2": "2",
        f"q/{ordering['id']}/i3": "3",
        f"q/{by_type['case_set']['id']}/case-part": "c1",
        f"q/{by_type['single_choice']['id']}": "c1", "submit": "1",
    }
    auth_client.post(reverse("attempt", args=[attempt.pk]), form)
    attempt.refresh_from_db()
    statuses = dict(attempt.grade_changes.values_list("question_id", "status"))
    assert set(statuses.values()) == {"correct"}, statuses
    assert attempt.score_percent == 100


def test_the_bank_and_quizzes_in_the_wagtail_admin(client, quiz_setup):
    admin = factories.make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in ("question", "quiz"):
        listing = client.get(reverse(f"wagtailsnippets_assessments_{model}:list"),
                             {"q": "Question"})
        assert listing.status_code == 200
        assert client.get(reverse(f"wagtailsnippets_assessments_{model}:add")).status_code == 200
    filtered = client.get(reverse("wagtailsnippets_assessments_question:list"),
                          {"difficulty": "medium", "domain": "", "topic": ""})
    assert filtered.status_code == 200 and "Question 1" in filtered.content.decode()
    edit = client.get(reverse("wagtailsnippets_assessments_question:edit",
                              args=[quiz_setup.quiz.quiz_questions.get().question_id]))
    assert edit.status_code == 200
