"""Definitions into the question bank and back: the inverse of Question.definition(),
imports that update instead of duplicating, and GIFT export."""

from decimal import Decimal

import pytest

from assessments import bank
from assessments.gift import parse_gift
from assessments.grading import grade
from assessments.models import Question
from tests.assessments import samples


def _without_labels(data: dict) -> dict:
    data = {key: value for key, value in data.items() if key not in ("title", "tags")}
    if "parts" in data:
        data["parts"] = [_without_labels(part) for part in data["parts"]]
    return data


@pytest.mark.parametrize("definition", samples.every_type(), ids=lambda d: d.type)
def test_question_from_definition_is_the_inverse_of_definition(definition):
    question = bank.question_from_definition(definition)
    back = question.definition()
    assert back.id == definition.id
    if definition.type == "matching":  # the editor names answers after their first prompt
        right = {"pairs": {p.id: p.answer_id for p in back.prompts}}
        assert grade(back, right).correct
        assert [p.text for p in back.prompts] == [p.text for p in definition.prompts]
        return
    assert _without_labels(back.to_dict()) == _without_labels(definition.to_dict())


def test_title_and_tags():
    definition = samples.single(title="")
    question = bank.question_from_definition(definition, topic="CF", difficulty="hard")
    assert question.title == "How is CF inherited?"
    assert (question.domain, question.topic, question.difficulty) == ("", "CF", "hard")
    kept = bank.question_from_definition(samples.single())
    assert (kept.topic, kept.difficulty) == ("inheritance", "easy")


GIFT = """$CATEGORY: $course$/top/Genetics

::CF::How is CF inherited? {=Autosomal recessive ~Autosomal dominant ~X-linked}

::Dose::Dose in mg? {#37.25:0.25}
"""


@pytest.mark.django_db
def test_import_twice_updates_instead_of_duplicating():
    first = bank.import_questions(definitions=parse_gift(GIFT))
    assert (len(first.created), len(first.updated)) == (2, 0)
    changed = GIFT.replace("Autosomal dominant", "Autosomal dominant (AD)")
    again = bank.import_questions(definitions=parse_gift(changed), difficulty="hard")
    assert (len(again.created), len(again.updated)) == (0, 2)
    assert Question.objects.count() == 2
    cf = Question.objects.get(title="CF")
    assert cf.difficulty == "hard" and cf.topic == "Genetics"
    assert "Autosomal dominant (AD)" in [c.text for c in cf.definition().choices]


@pytest.mark.django_db
def test_what_the_bank_cannot_store_imports_nothing():
    definitions = [samples.single(), samples.numeric(alternatives=(
        samples.NumericAnswer(value=Decimal(37), credit=Decimal("0.5")),))]
    with pytest.raises(bank.BankImportError) as error:
        bank.import_questions(definitions=definitions)
    [issue] = error.value.issues
    assert issue.number == 2 and "more than one accepted numeric answer" in issue.message
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_export_round_trips_through_gift():
    bank.import_questions(definitions=parse_gift(GIFT))
    report = bank.export_questions(questions_=list(Question.objects.order_by("title")))
    assert report.skipped == ()
    back = {d.id: d for d in parse_gift(report.text)}
    for question in Question.objects.all():
        definition = question.definition()
        assert _without_labels(back[definition.id].to_dict()) == _without_labels(
            definition.to_dict())
