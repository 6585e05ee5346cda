"""Question definitions: validation, the versioned JSON schema, public_dict, sanitising.
No database: every test here is a pure function call."""

import json
from decimal import Decimal

import pytest

from assessments.questions import (
    QUESTION_TYPES,
    CaseSet,
    Choice,
    Item,
    Matching,
    MatchPrompt,
    Numeric,
    Question,
    QuestionDefinitionError,
    SingleChoice,
    TextAnswer,
    question_from_dict,
)
from tests.assessments import samples
from tests.badinput import corpus, unsafe_constructs

XSS = corpus("xss.txt")


@pytest.mark.parametrize("question", samples.every_type(), ids=lambda q: q.type)
def test_to_dict_is_json_and_round_trips(question):
    data = json.loads(json.dumps(question.to_dict()))
    assert data["schema_version"] == 1
    assert data["type"] == question.type
    assert question_from_dict(data) == question
    assert type(question).from_dict(data) == question


def test_every_type_is_registered():
    assert set(QUESTION_TYPES) == {q.type for q in samples.every_type()}


def test_from_dict_on_a_subclass_checks_the_type():
    with pytest.raises(QuestionDefinitionError, match="expected 'numeric'"):
        Numeric.from_dict(samples.single().to_dict())


def test_short_text_answers_may_be_bare_strings():
    data = samples.short_text().to_dict() | {"answers": ["okapianswer", "okapi"]}
    assert [a.text for a in question_from_dict(data).answers] == ["okapianswer", "okapi"]


def test_case_set_points_are_the_sum_of_its_parts():
    case = samples.case_set()
    assert case.points == Decimal(4)
    assert question_from_dict(case.to_dict() | {"points": "99"}).points == Decimal(4)


def _broken(data, **changes):
    return data | changes


BAD = {
    "zero correct": _broken(samples.single().to_dict(), choices=[
        {"id": "a", "text": "A"}, {"id": "b", "text": "B"}]),
    "two correct": _broken(samples.single().to_dict(), choices=[
        {"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B", "correct": True}]),
    "duplicate ids": _broken(samples.single().to_dict(), choices=[
        {"id": "a", "text": "A", "correct": True}, {"id": "a", "text": "B"}]),
    "one choice": _broken(samples.single().to_dict(), choices=[
        {"id": "a", "text": "A", "correct": True}]),
    "empty stem": _broken(samples.single().to_dict(), stem="<p> </p>"),
    "stem only script": _broken(samples.single().to_dict(), stem="<script>x</script>"),
    "empty choice": _broken(samples.single().to_dict(), choices=[
        {"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "<b></b>"}]),
    "negative tolerance": _broken(samples.numeric().to_dict(), tolerance="-0.1"),
    "nan answer": _broken(samples.numeric().to_dict(), answer="NaN"),
    "bad tolerance kind": _broken(samples.numeric().to_dict(), tolerance_kind="percent"),
    "unit penalty over 1": _broken(samples.numeric().to_dict(), unit="mg", unit_penalty="2"),
    "accepted units without unit": _broken(samples.numeric().to_dict(), accepted_units=["mg"]),
    "no right multiple": _broken(samples.multiple().to_dict(), choices=[
        {"id": "a", "text": "A"}, {"id": "b", "text": "B"}]),
    "bad scoring": _broken(samples.multiple().to_dict(), scoring="generous"),
    "no full-credit text": _broken(samples.short_text().to_dict(), answers=[
        {"text": "x", "credit": "0.5"}]),
    "same answer twice": _broken(samples.short_text().to_dict(), answers=["Café", "cafe"]),
    "credit over 1": _broken(samples.short_text().to_dict(), answers=[
        {"text": "x", "credit": "1.5"}]),
    "one pair": _broken(samples.matching().to_dict(), prompts=[
        {"id": "p", "text": "P", "answer_id": "a-ad"}]),
    "unknown answer id": _broken(samples.matching().to_dict(), prompts=[
        {"id": "p", "text": "P", "answer_id": "a-ad"},
        {"id": "q", "text": "Q", "answer_id": "nope"}]),
    "one item": _broken(samples.ordering().to_dict(), items=[{"id": "a", "text": "A"}]),
    "case in case": _broken(samples.case_set().to_dict(), parts=[samples.case_set(
        id="inner").to_dict()]),
    "case without parts": _broken(samples.case_set().to_dict(), parts=[]),
    "part id repeats": _broken(samples.case_set().to_dict(), parts=[
        samples.true_false(id="x").to_dict(), samples.true_false(id="x").to_dict()]),
    "empty vignette": _broken(samples.case_set().to_dict(), vignette=""),
    "unknown key": _broken(samples.single().to_dict(), answer="c-ar"),
    "unknown type": _broken(samples.single().to_dict(), type="essay"),
    "future schema": _broken(samples.single().to_dict(), schema_version=2),
    "bad difficulty": _broken(samples.single().to_dict(), tags={"difficulty": "brutal"}),
    "zero points": _broken(samples.single().to_dict(), points="0"),
    "bool points": _broken(samples.single().to_dict(), points=True),
    "bad id": _broken(samples.single().to_dict(), id="has space"),
    "missing id": {k: v for k, v in samples.single().to_dict().items() if k != "id"},
    "correct not bool": _broken(samples.single().to_dict(), choices=[
        {"id": "a", "text": "A", "correct": "yes"}, {"id": "b", "text": "B"}]),
    "not an object": [],
}


@pytest.mark.parametrize("data", BAD.values(), ids=BAD.keys())
def test_invalid_definitions_are_refused_with_a_message(data):
    with pytest.raises(QuestionDefinitionError) as error:
        question_from_dict(data)
    assert str(error.value)


def test_messages_say_what_is_wrong():
    with pytest.raises(QuestionDefinitionError, match="exactly one correct choice, not 2"):
        question_from_dict(BAD["two correct"])
    with pytest.raises(QuestionDefinitionError, match="duplicate id 'a'"):
        question_from_dict(BAD["duplicate ids"])
    with pytest.raises(QuestionDefinitionError, match="stem is empty"):
        question_from_dict(BAD["empty stem"])
    with pytest.raises(QuestionDefinitionError, match="must not be negative"):
        question_from_dict(BAD["negative tolerance"])
    with pytest.raises(QuestionDefinitionError, match="cannot contain another case set"):
        question_from_dict(BAD["case in case"])
    with pytest.raises(QuestionDefinitionError, match="cannot contain another case set"):
        CaseSet(id="c", vignette="v", parts=(samples.case_set(id="inner"),))
    with pytest.raises(QuestionDefinitionError, match=r"choices\[0\]\.correct: wrong type"):
        question_from_dict(BAD["correct not bool"])


def test_direct_construction_validates_too():
    with pytest.raises(QuestionDefinitionError):
        SingleChoice(id="q", stem="S", choices=(Choice("a", "A"), Choice("b", "B")))


def test_definitions_are_frozen():
    question = samples.single()
    with pytest.raises(AttributeError):
        question.stem = "changed"


def test_matching_answers_take_a_canonical_order():
    shuffled = samples.matching(answers=tuple(reversed(samples.matching().answers)))
    assert shuffled == samples.matching()
    assert [a.id for a in shuffled.answers] == ["a-ad", "a-xl", "a-mt"]


# public_dict -----------------------------------------------------------------------------

@pytest.mark.parametrize("question", samples.every_type(), ids=lambda q: q.type)
def test_public_dict_reveals_no_answer(question):
    text = json.dumps(question.public_dict(), ensure_ascii=False)
    for secret in samples.SECRETS:
        assert secret not in text
    for word in ("correct", "feedback", "explanation", "answer_id", "accepted", "tolerance",
                 "alternatives", "credit", "references", "title"):
        assert f'"{word}' not in text
    assert "Autosomal recessive" not in text or question.type in ("single_choice", "case_set")


def test_public_dict_shows_what_the_learner_needs():
    public = samples.single().public_dict()
    assert public["choices"] == [{"id": "c-ar", "text": "Autosomal recessive"},
                                 {"id": "c-ad", "text": "Autosomal dominant"},
                                 {"id": "c-xl", "text": "X-linked"}]
    assert samples.numeric(unit="mg").public_dict()["unit"] == "mg"
    case = samples.case_set().public_dict()
    assert [part["id"] for part in case["parts"]] == ["case-single", "case-tf", "case-num"]


def test_ordering_is_never_shown_in_the_right_order():
    for n in range(2, 8):
        items = tuple(Item(f"i{k}", f"Item {k}") for k in range(n))
        for question_id in ("a", "b", "c", "d"):
            question = samples.ordering(id=question_id, items=items)
            shown = [item["id"] for item in question.public_dict()["items"]]
            assert sorted(shown) == sorted(item.id for item in items)
            assert shown != [item.id for item in items]


def test_matching_answers_are_not_shown_in_prompt_order():
    prompts = tuple(MatchPrompt(f"p{k}", f"P{k}", f"a{k}") for k in range(6))
    answers = tuple(Item(f"a{k}", f"A{k}") for k in range(6))
    question = Matching(id="m", stem="Match", prompts=prompts, answers=answers)
    shown = [a["id"] for a in question.public_dict()["answers"]]
    assert sorted(shown) == sorted(a.id for a in answers)
    assert shown != [a.id for a in answers]


# Sanitising ------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", XSS)
def test_authored_html_is_sanitised(payload):
    data = samples.single().to_dict() | {
        "stem": f"<p>Stem</p>{payload}", "explanation": payload,
        "choices": [{"id": "a", "text": f"A {payload}", "correct": True, "feedback": payload},
                    {"id": "b", "text": f"B {payload}", "feedback": payload}],
    }
    question = question_from_dict(data)
    for html in (json.dumps(question.to_dict()), json.dumps(question.public_dict())):
        assert unsafe_constructs(json.loads(html)["stem"]) == []
    for choice in question.choices:
        assert unsafe_constructs(choice.text) == []
        assert unsafe_constructs(choice.feedback) == []
    assert unsafe_constructs(question.explanation) == []


@pytest.mark.parametrize("payload", XSS[::10])
def test_other_html_fields_are_sanitised(payload):
    case = samples.case_set(vignette=f"<p>V</p>{payload}")
    match = samples.matching(prompts=(MatchPrompt("p1", f"P1 {payload}", "a-ad"),
                                      MatchPrompt("p2", "P2", "a-xl")))
    text = samples.short_text(answers=(TextAnswer("x", feedback=payload),))
    for html in (case.vignette, match.prompts[0].text, text.answers[0].feedback):
        assert unsafe_constructs(html) == []


def test_sanitising_keeps_harmless_markup():
    question = samples.single(stem='<p>See <a href="https://omim.org">OMIM</a> <i>CFTR</i></p>')
    assert question.stem == '<p>See <a href="https://omim.org">OMIM</a> <i>CFTR</i></p>'


def test_base_from_dict_builds_every_type():
    for question in samples.every_type():
        assert isinstance(Question.from_dict(question.to_dict()), type(question))
