"""The question bank: every block type becomes a valid definition with Wagtail's ids;
invalid questions cannot be saved; quiz placement rules."""

import pytest
from django.core.exceptions import ValidationError

from assessments import questions
from assessments.ledger import fold
from assessments.models import GradeChange, Question, Quiz
from tests import factories

pytestmark = pytest.mark.django_db


def items(*values, prefix="i"):
    return [{"type": "item", "id": f"{prefix}{n}", "value": v}
            for n, v in enumerate(values, start=1)]


COMMON = {"explanation": "<p>Why.</p>", "references": ["Dean L. Medical Genetics Summaries."],
          "points": "2"}

VALUES = {
    "multiple_response": {
        "stem": "<p>Which are pharmacogenes?</p>", "scoring": "all_or_nothing",
        "choices": items({"text": "CYP2C19", "correct": True, "feedback": ""},
                         {"text": "TPMT", "correct": True, "feedback": ""},
                         {"text": "BRCA1", "correct": False, "feedback": "Cancer risk."}),
        **COMMON},
    "true_false": {"stem": "<p>HLA-B*58:01 predicts allopurinol SCAR.</p>", "answer": True,
                   "feedback_true": "Yes.", "feedback_false": "It does.", **COMMON},
    "numeric": {"stem": "<p>Dose?</p>", "answer": "1.5", "tolerance": "0.1",
                "tolerance_kind": "absolute", "unit": "mg", "accepted_units": "milligram, mgs",
                "feedback": "", **COMMON},
    "short_text": {"stem": "<p>Gene for warfarin sensitivity?</p>", "case_sensitive": False,
                   "accent_sensitive": False,
                   "answers": items({"text": "VKORC1", "credit": "1", "feedback": ""}), **COMMON},
    "matching": {"stem": "<p>Match drug and gene.</p>",
                 "pairs": items({"prompt": "Clopidogrel", "answer": "CYP2C19"},
                                {"prompt": "Abacavir", "answer": "HLA-B*57:01"}, prefix="p"),
                 "distractors": items("BRCA2", prefix="d"), **COMMON},
    "ordering": {"stem": "<p>Order the steps.</p>", "scoring": "partial",
                 "items": items("Consent", "Test", "Report"), **COMMON},
}


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_each_type_becomes_a_valid_definition_with_stable_ids(kind):
    question = factories.make_question(kind=kind, value=VALUES[kind], domain="pharmacogenomics",
                                       topic="HLA", difficulty="hard")
    definition = Question.objects.get(pk=question.pk).definition()
    assert definition.type == kind
    assert definition.id == f"q1-{kind}"
    assert definition.tags.domain == "pharmacogenomics" and definition.tags.difficulty == "hard"
    assert definition.references == ("Dean L. Medical Genetics Summaries.",)
    assert questions.question_from_dict(definition.to_dict()) == definition


def test_choice_ids_are_the_list_item_ids_and_choice_text_is_escaped():
    value = factories.single_choice_value(right="<script>x</script>Carbamazepine")
    definition = factories.make_question(value=value).definition()
    assert [choice.id for choice in definition.choices] == ["c1", "c2", "c3"]
    assert "<script>" not in definition.choices[0].text


def test_matching_prompts_sharing_an_answer_and_distractors():
    value = {**VALUES["matching"], "pairs": items(
        {"prompt": "Clopidogrel", "answer": "CYP2C19"}, {"prompt": "Citalopram",
                                                         "answer": "CYP2C19"}, prefix="p")}
    definition = factories.make_question(kind="matching", value=value).definition()
    assert {p.answer_id for p in definition.prompts} == {"p1-a"}
    assert [a.id for a in definition.answers] == ["p1-a", "d1"]


def test_case_set_parts_keep_their_block_ids():
    value = {"vignette": "<p>A 34-year-old Han Chinese woman with epilepsy.</p>",
             "explanation": "", "references": [],
             "parts": [{"type": "single_choice", "id": "part-a",
                        "value": factories.single_choice_value()},
                       {"type": "true_false", "id": "part-b", "value": VALUES["true_false"]}]}
    definition = factories.make_question(kind="case_set", value=value).definition()
    assert [part.id for part in definition.parts] == ["part-a", "part-b"]
    assert definition.points == 3


def test_an_invalid_question_cannot_be_saved_through_clean():
    value = factories.single_choice_value()
    value["choices"][1]["value"]["correct"] = True  # two right answers
    question = Question(title="Broken", body=[{"type": "single_choice", "value": value}])
    with pytest.raises(ValidationError, match="exactly one correct choice"):
        question.full_clean()


def test_a_quiz_is_placed_in_a_module_or_on_a_course_not_both(course_tree):
    quiz = Quiz(title="Q", module=course_tree.modules[0], course=course_tree.course)
    with pytest.raises(ValidationError, match="either in a module or on a course"):
        quiz.clean()
    with pytest.raises(ValidationError, match="either"):
        Quiz(title="Q").clean()
    with pytest.raises(ValidationError):
        Quiz(title="Q", module=course_tree.modules[0], is_final_assessment=True).clean()
    Quiz(title="Q", course=course_tree.course, is_final_assessment=True).clean()


def test_the_score_is_the_fold_of_the_ledger_latest_change_per_question_wins():
    rows = [GradeChange(question_id="a", points=0, max_points=1, status="incorrect"),
            GradeChange(question_id="b", points=1, max_points=1, status="correct"),
            GradeChange(question_id="a", points=1, max_points=1, status="correct",
                        reason="override")]
    score = fold(rows)
    assert (score.points, score.max_points, score.percent) == (2, 2, 100)
    assert fold(rows[:2]).percent == 50
