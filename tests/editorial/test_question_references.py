"""Question explanations cite Library references: their citations are copied into the
question's definition, so an attempt keeps the text it started with."""

import pytest
from django.urls import reverse

from assessments.models import Attempt
from courses import api as courses_api
from editorial.models import Reference
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    return Reference.objects.create(citation="Phillips EJ et al. CPIC guideline. 2018.",
                                    doi="10.1002/cpt.1004")


def _question(reference):
    value = factories.single_choice_value(
        references=["Typed: GeneReviews."],
        cited=[{"type": "item", "id": "cite-1", "value": reference.pk}],
    )
    return factories.make_question(value=value)


def test_cited_references_are_copied_into_the_definition(reference):
    definition = _question(reference).definition()
    assert definition.references == (
        "Typed: GeneReviews.", "Phillips EJ et al. CPIC guideline. 2018. doi:10.1002/cpt.1004")


def test_a_deleted_reference_is_left_out(reference):
    question = _question(reference)
    reference.delete()
    question.refresh_from_db()
    assert question.definition().references == ("Typed: GeneReviews.",)


def test_results_show_the_citation_the_attempt_started_with(auth_client, learner, reference):
    tree = factories.make_course_tree(modules=1)
    courses_api.enroll(user=learner, course=tree.course)
    quiz = factories.make_quiz(module=tree.modules[0], questions=[_question(reference)])
    assert auth_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
    attempt = Attempt.objects.latest("pk")
    reference.citation = "Edited <b>later</b>."
    reference.save()
    response = auth_client.post(reverse("attempt", args=[attempt.pk]),
                                {f"q/{attempt.questions[0]['id']}": "c1", "submit": "1"},
                                follow=True)
    html = response.content.decode()
    assert "Phillips EJ et al. CPIC guideline. 2018. doi:10.1002/cpt.1004" in html
    assert "Edited" not in html
