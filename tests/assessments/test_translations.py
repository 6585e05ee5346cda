"""A quiz and its question translated with wagtail-localize: a French learner takes the
canonical quiz, reads the French stem, choices and feedback, and is graded exactly as in
English; passing it completes the (canonical) module."""

import pytest
from django.urls import reverse

from assessments import api
from assessments.models import Attempt, Question, Quiz
from assessments.translations import overlay
from courses import api as courses_api
from courses.models import ModuleProgress
from tests.courses.translation_helpers import translate

pytestmark = pytest.mark.django_db

FRENCH = {
    "Carbamazepine": "Carbamazépine",
    "Paracetamol": "Paracétamol",
    "Right: SJS risk.": "Juste : risque de SJS.",
    "Check your understanding": "Vérifiez vos connaissances",
}


@pytest.fixture
def french_quiz(quiz_setup):
    question = Question.objects.get()
    question.save_revision().publish()
    quiz_setup.quiz.save_revision().publish()
    french_question = translate(question, "fr", FRENCH)
    french_quiz = translate(quiz_setup.quiz, "fr", FRENCH)
    french_module = translate(quiz_setup.module, "fr", {quiz_setup.module.title: "Module FR"})
    translate(quiz_setup.tree.course, "fr", {quiz_setup.tree.course.title: "Cours FR"})
    return quiz_setup, french_question, french_quiz, french_module


def test_translations_keep_the_question_and_choice_ids(french_quiz):
    _setup, french_question, french_quiz, _module = french_quiz
    source = Question.objects.get(locale__language_code="en").definition()
    translated = french_question.definition()
    assert translated.id == source.id
    assert [choice.id for choice in translated.choices] == [c.id for c in source.choices]
    assert translated.choices[1].text == "Paracétamol"
    assert french_quiz.module_id == _setup.module.pk  # placement stays on the source page


def test_a_french_learner_takes_the_quiz_in_french_and_is_graded_the_same(
        client, learner, french_quiz):
    setup, _question, french_quiz_row, french_module = french_quiz
    client.force_login(learner)
    client.cookies["django_language"] = "fr"
    module_page = client.get(setup.module.url).content.decode()
    assert "Module FR" in module_page and "Vérifiez vos connaissances" in module_page
    # Starting from the French quiz's id starts the canonical quiz.
    response = client.post(reverse("quiz_start", args=[french_quiz_row.pk]))
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.quiz_id == setup.quiz.pk
    page = client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert "Paracétamol" in page and "Carbamazépine" in page and "Paracetamol" not in page
    question_id = attempt.questions[0]["id"]
    response = client.post(reverse("attempt", args=[attempt.pk]),
                           {f"q/{question_id}": "c1", "submit": "1"}, follow=True)
    html = response.content.decode()
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score_percent == 100
    assert "Juste : risque de SJS." in html
    assert ModuleProgress.objects.get(module=setup.module).completed_at is not None
    assert courses_api.course_progress(user=learner, course=setup.tree.course).status_of(
        french_module).state is courses_api.ModuleState.COMPLETE
    # The snapshot, which grading reads, stays the source's.
    assert attempt.questions[0]["choices"][1]["text"] in ("Paracetamol", "Amoxicillin")


def test_in_english_the_same_attempt_reads_in_english(client, learner, french_quiz):
    setup, *_ = french_quiz
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    attempt = api.start_attempt(user=learner, quiz=setup.quiz)
    page = client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert "Paracetamol" in page and "Paracétamol" not in page


def test_the_module_lists_only_the_canonical_quiz(learner, french_quiz):
    setup, _question, _french_quiz_row, french_module = french_quiz
    assert Quiz.objects.count() == 2
    for module in (setup.module, french_module):
        summaries = api.quiz_summaries(user=learner, module=module)
        assert [summary.quiz.pk for summary in summaries] == [setup.quiz.pk]


def test_overlay_keeps_what_a_translation_lacks_and_never_answer_keys():
    snapshot = {"id": "q", "stem": "<p>Stem</p>", "answers": [{"text": "warfarin"}],
                "choices": [{"id": "a", "text": "A", "correct": True, "feedback": "Yes"},
                            {"id": "b", "text": "B", "correct": False, "feedback": ""}]}
    translated = {"id": "q", "stem": "", "answers": [{"text": "warfarine"}],
                  "choices": [{"id": "a", "text": "A-fr", "correct": False, "feedback": ""}]}
    shown = overlay(snapshot, translated)
    assert shown["stem"] == "<p>Stem</p>"
    assert shown["answers"] == [{"text": "warfarin"}]
    assert shown["choices"][0] == {"id": "a", "text": "A-fr", "correct": True, "feedback": "Yes"}
    assert shown["choices"][1]["text"] == "B"
