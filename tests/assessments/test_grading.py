# ruff: noqa: RUF001 - answers in Arabic, Devanagari, Chinese and full-width Latin on purpose
"""Grading is a pure function of (definition, response): no database, no request, and no
response, however malformed, raises."""

from decimal import Decimal

import pytest

from assessments.grading import GRADERS, Grade, grade, grade_attempt
from assessments.questions import Item, Numeric, NumericAnswer, ShortText, TextAnswer
from assessments.textnorm import NumberFormatError, normalize_answer, parse_number
from tests.assessments import samples


def _score(question, response) -> tuple[Decimal, str]:
    result = grade(question, response)
    return result.score, result.status


def test_every_type_has_a_grader():
    assert set(GRADERS) == {q.type for q in samples.every_type()}


# Single choice ---------------------------------------------------------------------------

def test_single_choice():
    question = samples.single()
    right = grade(question, {"choice": "c-ar"})
    assert (right.score, right.status, right.correct) == (Decimal(1), "correct", True)
    assert right.feedback == ("zebrafeedback right",)
    assert right.points_awarded == right.points_possible == Decimal(1)
    wrong = grade(question, {"choice": "c-xl"})
    assert (wrong.score, wrong.status, wrong.correct, wrong.feedback) == (
        Decimal(0), "incorrect", False, ())


@pytest.mark.parametrize("response", [None, {}, {"choice": None}, {"choice": ""}])
def test_single_choice_unanswered(response):
    assert _score(samples.single(), response) == (Decimal(0), "unanswered")


@pytest.mark.parametrize("response", [
    {"choice": "tp53"},  # a choice id of another question
    {"choice": "nope"}, {"choice": 1}, {"choice": ["c-ar"]}, {"choice": {"id": "c-ar"}},
    {"choice": "c-ar", "extra": 1}, {"choices": ["c-ar"]}, "c-ar", ["c-ar"], 42,
    {"choice": "c-ar" * 10_000},
])
def test_single_choice_invalid(response):
    result = grade(samples.single(), response)
    assert (result.score, result.status, result.correct) == (Decimal(0), "invalid", False)
    assert result.reason


# Multiple response -----------------------------------------------------------------------

@pytest.mark.parametrize(("picked", "expected"), [
    (["tp53", "brca1"], "1"), (["tp53"], "0.5"), (["tp53", "brca1", "kras"], "0.5"),
    (["tp53", "kras"], "0"), (["kras", "myc"], "0"), (["tp53", "brca1", "kras", "myc"], "0"),
])
def test_multiple_response_partial(picked, expected):
    assert grade(samples.multiple(), {"choices": picked}).score == Decimal(expected)


def test_multiple_response_partial_status_and_feedback():
    result = grade(samples.multiple(), {"choices": ["kras", "tp53"]})
    assert result.status == "incorrect"
    assert result.feedback == ("zebrafeedback tp53", "zebrafeedback kras")  # choice order
    assert grade(samples.multiple(), {"choices": ["tp53"]}).status == "partially_correct"


@pytest.mark.parametrize(("picked", "expected"), [
    (["brca1", "tp53"], "1"), (["tp53"], "0"), (["tp53", "brca1", "myc"], "0")])
def test_multiple_response_all_or_nothing(picked, expected):
    question = samples.multiple("all_or_nothing")
    assert grade(question, {"choices": picked}).score == Decimal(expected)


@pytest.mark.parametrize("response", [
    {"choices": ["tp53", "tp53"]}, {"choices": ["c-ar"]}, {"choices": "tp53"},
    {"choices": [1]}, {"choices": ["tp53"] * 2000},
])
def test_multiple_response_invalid(response):
    assert _score(samples.multiple(), response) == (Decimal(0), "invalid")


def test_multiple_response_empty_is_unanswered():
    assert grade(samples.multiple(), {"choices": []}).status == "unanswered"


# True/false ------------------------------------------------------------------------------

def test_true_false():
    question = samples.true_false()
    assert grade(question, {"answer": True}).feedback == ("zebrafeedback yes",)
    wrong = grade(question, {"answer": False})
    assert (wrong.status, wrong.feedback) == ("incorrect", ("zebrafeedback no",))
    assert grade(samples.true_false(answer=False), {"answer": False}).correct


@pytest.mark.parametrize("value", ["true", 1, 0, "T", [True]])
def test_true_false_wants_a_boolean(value):
    assert grade(samples.true_false(), {"answer": value}).status == "invalid"


# Numeric ---------------------------------------------------------------------------------

def _tolerant(**fields) -> Numeric:
    return samples.numeric(**({"answer": Decimal("1.5"), "tolerance": Decimal("0.1")} | fields))


@pytest.mark.parametrize(("value", "status"), [
    ("1.5", "correct"), ("1.4", "correct"), ("1.6", "correct"), ("1.60000", "correct"),
    ("1.3999999", "incorrect"), ("1.6000001", "incorrect"), ("1.39", "incorrect"),
    ("1,4", "correct"), ("+1.6", "correct"), ("16e-1", "correct"), ("0.15E1", "correct"),
    ("  1.5  ", "correct"), ("١٫٥", "correct"), ("१.६", "correct"), ("-1.5", "incorrect"),
    (1.4, "correct"), (Decimal("1.6"), "correct"), (2, "incorrect"),
])
def test_numeric_tolerance_is_inclusive_and_exact(value, status):
    assert grade(_tolerant(), {"value": value}).status == status


def test_relative_tolerance():
    question = samples.numeric(answer=Decimal(200), tolerance=Decimal("0.05"),
                               tolerance_kind="relative")
    for value, status in [("190", "correct"), ("210", "correct"), ("189.99", "incorrect"),
                          ("210.01", "incorrect")]:
        assert grade(question, {"value": value}).status == status
    zero = samples.numeric(answer=Decimal(0), tolerance=Decimal("0.5"),
                           tolerance_kind="relative")
    assert grade(zero, {"value": "0"}).correct
    assert not grade(zero, {"value": "0.001"}).correct


def test_numeric_thousands_separators():
    question = samples.numeric(answer=Decimal("1234.5"), tolerance=Decimal(0))
    for value in ("1,234.5", "1.234,5", "1 234,5", "1\u202f234.5", "1234,5", "1234.50"):
        assert grade(question, {"value": value}).correct, value
    assert grade(question, {"value": "12,34.5"}).status == "invalid"


@pytest.mark.parametrize("value", [
    "abc", "NaN", "nan", "Infinity", "-inf", "1.2.3", "1,500", "1.500", "1e99999",
    "1" * 200, float("nan"), float("inf"), True, None.__class__, ["1.5"], {"v": 1},
    Decimal("NaN"), 10**200, "1,5,3",
])
def test_numeric_invalid_values(value):
    result = grade(_tolerant(), {"value": value})
    assert (result.status, result.score) == ("invalid", Decimal(0))


def test_numeric_ambiguous_separator_says_why():
    assert "ambiguous" in grade(_tolerant(), {"value": "1,500"}).reason


def test_numeric_units():
    question = samples.numeric(unit="µg", accepted_units=("mcg", "microgram"))
    answer = {"value": "37.25"}
    assert grade(question, answer | {"unit": "µg"}).correct
    assert grade(question, answer | {"unit": "μg"}).correct  # Greek mu, NFKC-equal to micro
    assert grade(question, answer | {"unit": " mcg "}).correct
    assert grade(question, {"value": "37.25 microgram"}).correct  # unit typed in the value
    missing = grade(question, answer)
    assert (missing.score, missing.status) == (Decimal("0.9"), "partially_correct")
    wrong = grade(question, answer | {"unit": "mg"})
    assert (wrong.score, wrong.status) == (Decimal(0), "incorrect")
    assert "not accepted" in wrong.reason
    assert grade(question, answer | {"unit": "MCG"}).status == "incorrect"  # case matters
    strict = samples.numeric(unit="mg", unit_penalty=Decimal(1))
    assert grade(strict, answer).score == Decimal(0)


def test_unit_is_ignored_when_none_is_asked_for():
    """A unit typed after the number is split off and, with no unit asked for, ignored."""
    assert grade(samples.numeric(), {"value": "37.25", "unit": "mg"}).correct
    assert grade(samples.numeric(), {"value": "37.25 mg"}).correct


@pytest.mark.parametrize("response", [{"value": "37.25", "unit": 5},
                                      {"value": "37.25", "unit": "m" * 60}])
def test_numeric_bad_unit_field_is_invalid(response):
    assert grade(samples.numeric(unit="mg"), response).status == "invalid"


def test_numeric_alternatives_give_partial_credit_and_feedback():
    question = samples.numeric(answer=Decimal(46), tolerance=Decimal(0), alternatives=(
        NumericAnswer(Decimal(23), Decimal(0), Decimal("0.5"), "haploid"),
        NumericAnswer(Decimal(23), Decimal(1), Decimal("0.25"), "close")))
    half = grade(question, {"value": "23"})
    assert (half.score, half.status, half.feedback) == (
        Decimal("0.5"), "partially_correct", ("haploid",))
    assert grade(question, {"value": "22"}).score == Decimal("0.25")
    assert grade(question, {"value": "46"}).feedback == ("zebrafeedback",)


def test_numeric_unanswered():
    for response in ({"value": ""}, {"value": None}, {"unit": "mg"}, {}):
        assert grade(samples.numeric(), response).status == "unanswered"


# Short text ------------------------------------------------------------------------------

def _text(*answers: str, **options) -> ShortText:
    return ShortText(id="t", stem="Type it", answers=tuple(map(TextAnswer, answers)), **options)


@pytest.mark.parametrize(("accepted", "typed"), [
    ("CFTR", "cftr"), ("CFTR", "  CFTR  "), ("CFTR", "ＣＦＴＲ"),  # full-width letters
    ("cystic fibrosis", "Cystic   Fibrosis"), ("café", "CAFE"), ("Ménière", "meniere"),
    ("Straße", "STRASSE"), ("Ёлка", "елка"), ("Øresund", "oresund"),
    ("التليف الكيسي", "التليف الكيسي"),
    ("مُحَمَّد", "محمد"),  # harakat (tashkeel) ignored unless accent-sensitive
    ("محمد", "مُحَمَّد"), ("العربية", "العــربية"),  # tatweel is decoration
    ("سلام", "\u200fسلام\u200e"),  # bidi marks from copy-paste
    ("सिस्टिक फाइब्रोसिस", "सिस्टिक  फाइब्रोसिस"), ("囊性纤维化", "囊性纤维化"),
    ("BRCA1", "brca1"),
])
def test_short_text_matches(accepted, typed):
    assert grade(_text(accepted), {"text": typed}).correct


@pytest.mark.parametrize(("accepted", "typed"), [
    ("कुल", "कल"),  # vowel sign u (Mn) is part of the word: "total" is not "yesterday"
    ("दूध", "दध"), ("किताब", "कताब"),  # matras (Mn/Mc) never stripped
    ("कुल", "कूल"), ("囊性纤维化", "囊性纤维"), ("CFTR", "CFTR1"), ("cafe", "café au lait"),
])
def test_short_text_does_not_over_normalise(accepted, typed):
    assert not grade(_text(accepted), {"text": typed}).correct


def test_case_and_accent_sensitivity():
    assert not grade(_text("CFTR", case_sensitive=True), {"text": "cftr"}).correct
    assert grade(_text("CFTR", case_sensitive=True), {"text": "CFTR"}).correct
    assert not grade(_text("café", accent_sensitive=True), {"text": "cafe"}).correct
    assert not grade(_text("مُحَمَّد", accent_sensitive=True), {"text": "محمد"}).correct
    assert grade(_text("café", accent_sensitive=True), {"text": "cafe\u0301"}).correct  # NFKC


def test_short_text_partial_credit_and_feedback():
    result = grade(samples.short_text(), {"text": "Narwhal"})
    assert (result.score, result.status) == (Decimal("0.5"), "partially_correct")
    assert grade(samples.short_text(), {"text": "okapianswer"}).feedback == ("zebrafeedback",)
    assert grade(samples.short_text(), {"text": "dolphin"}).status == "incorrect"


@pytest.mark.parametrize(("response", "status"), [
    ({"text": "   "}, "unanswered"), ({"text": "\u200b"}, "unanswered"),
    ({"text": "x" * 1001}, "invalid"), ({"text": 5}, "invalid"), ({"text": ["a"]}, "invalid"),
])
def test_short_text_edges(response, status):
    assert grade(samples.short_text(), response).status == status


# Matching --------------------------------------------------------------------------------

def test_matching_partial_credit_per_pair():
    question = samples.matching()
    right = {"p-hd": "a-ad", "p-ha": "a-xl", "p-ach": "a-ad"}  # two prompts share an answer
    assert grade(question, {"pairs": right}).correct
    two = grade(question, {"pairs": right | {"p-ha": "a-mt"}})
    assert (two.score, two.status) == (Decimal("0.6666"), "partially_correct")
    assert grade(question, {"pairs": {"p-hd": "a-ad"}}).score == Decimal("0.3333")
    assert grade(question, {"pairs": {"p-hd": None}}).status == "unanswered"


@pytest.mark.parametrize("pairs", [
    {"p-x": "a-ad"}, {"p-hd": "a-zz"}, {"p-hd": 1}, {"p-hd": ["a-ad"]}, ["p-hd", "a-ad"],
    "p-hd",
])
def test_matching_invalid(pairs):
    assert grade(samples.matching(), {"pairs": pairs}).status == "invalid"


# Ordering --------------------------------------------------------------------------------

STEPS = ["step-extract", "step-amplify", "step-sequence", "step-analyse"]


@pytest.mark.parametrize(("order", "expected"), [
    (STEPS, "1"), (STEPS[::-1], "0"),
    ([STEPS[3], *STEPS[:3]], "0.6666"),  # last moved to the front: 3 still in order
    ([STEPS[0], STEPS[2], STEPS[1], STEPS[3]], "0.6666"),  # one adjacent swap
    ([STEPS[1], STEPS[0], STEPS[3], STEPS[2]], "0.3333"),
])
def test_ordering_partial_is_longest_ordered_subset(order, expected):
    assert grade(samples.ordering(), {"order": order}).score == Decimal(expected)


def test_ordering_all_or_nothing():
    question = samples.ordering("all_or_nothing")
    assert grade(question, {"order": STEPS}).correct
    assert grade(question, {"order": [STEPS[1], STEPS[0], *STEPS[2:]]}).score == 0


@pytest.mark.parametrize("order", [
    STEPS[:3], [*STEPS, STEPS[0]], [*STEPS[:3], STEPS[2]], [*STEPS[:3], "step-x"],
    "step-extract", [1, 2, 3, 4],
])
def test_ordering_invalid(order):
    assert grade(samples.ordering(), {"order": order}).status == "invalid"


def test_two_item_ordering():
    question = samples.ordering(items=(Item("a", "A"), Item("b", "B")))
    assert grade(question, {"order": ["b", "a"]}).score == 0


# Case set --------------------------------------------------------------------------------

def test_case_set_is_the_sum_of_its_parts():
    case = samples.case_set()  # single (2 points), true/false (1), numeric with unit (1)
    result = grade(case, {"parts": {"case-single": {"choice": "c-ar"},
                                    "case-tf": {"answer": False},
                                    "case-num": {"value": "37.25"}}})
    assert result.points_possible == Decimal(4)
    assert result.points_awarded == Decimal("2.9")  # 2 + 0 + 0.9 (unit missing)
    assert (result.score, result.status) == (Decimal("0.725"), "partially_correct")
    by_id = {part.question_id: part for part in result.parts}
    assert by_id["case-single"].points_awarded == Decimal(2)
    assert by_id["case-tf"].status == "incorrect"
    assert by_id["case-num"].score == Decimal("0.9")


def test_case_set_edges():
    case = samples.case_set()
    assert grade(case, {"parts": {}}).status == "unanswered"
    assert grade(case, {"parts": {"case-tf": None}}).status == "unanswered"
    assert grade(case, {"parts": {"q-single": {"choice": "c-ar"}}}).status == "invalid"
    assert grade(case, {"parts": ["case-tf"]}).status == "invalid"
    bad_part = grade(case, {"parts": {"case-tf": {"answer": "yes"}}})
    assert bad_part.status == "invalid"
    assert {p.question_id: p.status for p in bad_part.parts}["case-tf"] == "invalid"
    full = {"case-single": {"choice": "c-ar"}, "case-tf": {"answer": True},
            "case-num": {"value": "37.25", "unit": "milligram"}}
    assert grade(case, {"parts": full}).correct


# Whole attempts --------------------------------------------------------------------------

def test_grade_attempt_totals_and_ignores_foreign_responses():
    definitions = {q.id: q for q in (samples.single(points=Decimal(2)), samples.true_false(),
                                     samples.short_text())}
    responses = {"q-single": {"choice": "c-ar"}, "q-tf": {"answer": False},
                 "q-other": {"choice": "c-ar"}, "q-text": {"text": "narwhal"}, 7: "x"}
    attempt = grade_attempt(definitions, responses)
    assert attempt.points_possible == Decimal(4)
    assert attempt.points_awarded == Decimal("2.5")
    assert attempt.percentage == Decimal("62.50")
    assert attempt.ignored_response_ids == ("7", "q-other")
    assert [g.question_id for g in attempt.grades] == ["q-single", "q-tf", "q-text"]
    assert attempt.grade_for("q-tf").status == "incorrect"


def test_grade_attempt_edges():
    definitions = {q.id: q for q in (samples.single(), samples.multiple())}
    empty = grade_attempt(definitions, {})
    assert {g.status for g in empty.grades} == {"unanswered"}
    assert empty.percentage == Decimal(0)
    assert grade_attempt(definitions, None).points_awarded == 0
    garbage = grade_attempt(definitions, ["q-single"])
    assert {g.status for g in garbage.grades} == {"invalid"}
    assert grade_attempt({}, {"x": 1}).ignored_response_ids == ("x",)
    with pytest.raises(ValueError, match="not the id"):
        grade_attempt({"wrong": samples.single()}, {})


def test_grade_attempt_keeps_exact_totals():
    thirds = {f"m{k}": samples.matching(id=f"m{k}") for k in range(3)}
    one_third = {"pairs": {"p-hd": "a-ad"}}
    attempt = grade_attempt(thirds, {key: one_third for key in thirds})
    assert attempt.points_awarded == Decimal(1)
    assert attempt.percentage == Decimal("33.33")


# Never raises ----------------------------------------------------------------------------

GARBAGE = [
    None, {}, [], "", "x" * 100_000, 0, 1.5, float("nan"), True, object(), {"": ""},
    {"choice": None}, {"choices": None}, {"value": {}}, {"text": None}, {"pairs": None},
    {"order": None}, {"parts": None}, {"choice": []}, {"choices": [[]]}, {"value": []},
    {"text": {}}, {"pairs": {"a": {}}}, {"order": [[]]}, {"parts": {"x": []}},
    {"answer": None}, {"answer": []}, {"value": "\x00"}, {"text": "\ud800"},
    {"value": "1e-999999"}, {"pairs": {(1, 2): "x"}},
]


@pytest.mark.parametrize("question", samples.every_type(), ids=lambda q: q.type)
def test_no_response_raises(question):
    for response in GARBAGE:
        result = grade(question, response)
        assert isinstance(result, Grade)
        assert result.status in ("unanswered", "invalid"), response
        assert result.score == 0 and not result.correct


@pytest.mark.parametrize("question", samples.every_type(), ids=lambda q: q.type)
def test_score_is_one_exactly_when_correct(question):
    for response in GARBAGE:
        result = grade(question, response)
        assert (result.score == 1) == result.correct


# The normalisers on their own ------------------------------------------------------------

def test_parse_number_refuses_guessing():
    with pytest.raises(NumberFormatError, match="ambiguous"):
        parse_number("12.345")
    assert parse_number("0,500") == Decimal("0.5")  # a leading zero cannot be thousands
    assert parse_number("1234,567") == Decimal("1234.567")


def test_normalize_answer_keeps_zero_width_joiners():
    assert normalize_answer("می\u200cخواهم") == "می\u200cخواهم"
