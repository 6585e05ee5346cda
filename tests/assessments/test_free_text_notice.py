"""Every question a learner answers in her own words asks her not to enter patient
identifiers (issue #11: clinicians sometimes type patient details into free-text answers)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.assessments.test_views import secret_question_bank, start

NOTICE = "Do not enter patient identifiers (names, dates of birth, record numbers)"
QUESTION_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "assessments" / "questions"


@pytest.mark.django_db
def test_a_free_text_question_shows_the_notice_beside_its_box(auth_client, quiz_setup):
    quiz = factories.make_quiz(module=quiz_setup.module, questions=secret_question_bank())
    attempt = start(auth_client, quiz)
    html = auth_client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    short_text = next(q for q in attempt.questions if q["type"] == "short_text")
    box = re.search(rf'<input [^>]*name="q/{short_text["id"]}"[^>]*>', html)[0]
    notice_id = re.search(r'aria-describedby="([^"]+)"', box)[1]
    assert re.search(rf'id="{notice_id}"[^>]*>{re.escape(NOTICE)}', html)
    assert html.count(NOTICE) == 1  # choice questions carry no notice


@pytest.mark.django_db
def test_a_quiz_of_choices_only_shows_no_notice(auth_client, quiz_setup):
    attempt = start(auth_client, quiz_setup.quiz)  # one single-choice question
    html = auth_client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert NOTICE not in html


def test_every_question_template_with_a_text_box_includes_the_notice():
    """A new free-text question type (an essay) cannot forget it: a textarea, or a text
    input that is not a number, needs the notice include."""
    for template in QUESTION_TEMPLATES.glob("*.html"):
        source = template.read_text()
        free_text = "<textarea" in source or any(
            'inputmode="decimal"' not in tag and "/unit" not in tag
            for tag in re.findall(r'<input type="text"[^>]*>', source))
        if free_text:
            assert "_no_patient_identifiers.html" in source, template.name
