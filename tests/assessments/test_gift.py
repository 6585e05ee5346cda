"""Moodle GIFT import and export: every supported form, round trips, and broken files that
import nothing and say which line is wrong and why."""

from decimal import Decimal
from pathlib import Path

import pytest

from assessments.gift import GiftSyntaxError, ImportErrors, parse_gift
from assessments.gift_export import escape, export_gift, export_gift_report
from assessments.grading import grade
from assessments.questions import (
    Matching,
    MultipleResponse,
    Numeric,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from tests.assessments import samples
from tests.badinput import corpus, unsafe_constructs

GIFT = Path(__file__).parents[1] / "data" / "gift"


def _fixture() -> list:
    return parse_gift((GIFT / "all_types.gift").read_text(encoding="utf-8"))


def test_fixture_covers_every_gift_type():
    questions = _fixture()
    assert [type(q) for q in questions] == [
        SingleChoice, MultipleResponse, TrueFalse, TrueFalse, ShortText, Numeric, Numeric,
        Numeric, Matching, SingleChoice, SingleChoice]
    assert {q.tags.topic for q in questions[:9]} == {"Genetics/Inheritance"}
    assert questions[-1].tags.topic == "Pharmacogenomics"


def test_single_choice_with_feedback_and_general_feedback():
    question = _fixture()[0]
    assert question.title == "Inheritance of cystic fibrosis"
    assert question.stem == "<p>Cystic fibrosis is inherited in which pattern?</p>"
    assert [(c.text, c.correct) for c in question.choices] == [
        ("Autosomal recessive", True), ("Autosomal dominant", False),
        ("X-linked recessive", False)]
    assert question.choices[0].feedback == "Yes: both copies of <i>CFTR</i> are affected."
    assert question.explanation == "<p>CF follows autosomal recessive inheritance.</p>"


def test_weighted_choices_become_multiple_response():
    question = _fixture()[1]
    assert [c.correct for c in question.choices] == [True, True, False, False]
    assert question.scoring == "partial"
    assert grade(question, {"choices": [question.choices[0].id]}).score == Decimal("0.5")


def test_true_false_feedback_follows_moodle_order():
    true_question, false_question = _fixture()[2:4]
    assert true_question.answer is True
    assert true_question.feedback_true == "Right."  # the second feedback: a right answer
    assert true_question.feedback_false == "Not quite: it does."
    assert true_question.explanation == "General feedback for T/F."
    assert false_question.answer is False


def test_short_answer_in_several_scripts_with_plain_text_stem():
    question = _fixture()[4]
    assert question.stem == "Which gene is mutated in cystic fibrosis? Type the symbol {HGNC}."
    assert [a.credit for a in question.answers] == [1, Decimal("0.5"), 1, 1, 1]
    for typed in ("cftr", "التليف الكيسي", "सिस्टिक फाइब्रोसिस", "囊性纤维化"):
        assert grade(question, {"text": typed}).correct


def test_numeric_forms():
    single, range_, several = _fixture()[5:8]
    assert (single.answer, single.tolerance) == (Decimal("0.6667"), Decimal("0.01"))
    assert (range_.answer, range_.tolerance) == (Decimal("7.4"), Decimal("0.05"))
    assert grade(range_, {"value": "7.35"}).correct and grade(range_, {"value": "7.45"}).correct
    assert not grade(range_, {"value": "7.451"}).correct
    assert several.answer == 46 and several.alternatives[0].credit == Decimal("0.5")
    assert grade(several, {"value": "23"}).feedback == ("That is the haploid number.",)


def test_matching_with_shared_answer_and_distractor():
    question = _fixture()[8]
    assert [p.text for p in question.prompts] == [
        "Huntington disease", "Haemophilia A", "Achondroplasia"]
    assert [a.text for a in question.answers] == [
        "Autosomal dominant", "X-linked recessive", "Mitochondrial"]
    assert question.prompts[0].answer_id == question.prompts[2].answer_id


def test_missing_word_and_escapes():
    missing, escaped = _fixture()[9:]
    assert missing.stem == "Warfarin dose depends on variants in _____ and CYP2C9."
    assert escaped.stem == "Untitled question with a colon: and an equals sign = and a hash #?"


def test_fixture_round_trips():
    questions = _fixture()
    assert parse_gift(export_gift(questions)) == questions


def test_definitions_round_trip_with_ids_and_metadata():
    definitions = samples.gift_types()
    text = export_gift(definitions)
    assert parse_gift(text) == definitions
    assert parse_gift(text.encode("utf-8")) == definitions


def test_ids_are_stable_and_come_from_the_title():
    first, second = _fixture(), _fixture()
    assert [q.id for q in first] == [q.id for q in second]
    renamed = (GIFT / "all_types.gift").read_text(encoding="utf-8").replace(
        "Cystic fibrosis is inherited", "CF is inherited")
    assert parse_gift(renamed)[0].id == first[0].id
    assert parse_gift(renamed)[0].choices[0].id == first[0].choices[0].id


def test_bom_crlf_and_bytes():
    text = "::A::Is it? {T}\r\n\r\n::B::Pick {=a ~b}\r\n"
    assert parse_gift(("\ufeff" + text).encode("utf-8")) == parse_gift(text.replace("\r", ""))
    assert len(parse_gift(text.encode("utf-8-sig"))) == 2


def test_not_utf8_names_the_line():
    with pytest.raises(ImportErrors) as error:
        parse_gift(b"::A::ok {T}\n\n::B::caf\xe9 {T}\n")
    assert error.value.issues == (GiftSyntaxError(3, "the file is not UTF-8 text"),)


def test_format_markers():
    plain, html_, markdown = parse_gift(
        "[plain]<b>x</b> & y {T}\n\n[html]<b>x</b> <script>1</script>{T}\n\n"
        "[markdown]**x** <i>y</i> {=a ~[html]<b>b</b> ~c}")
    assert plain.stem == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert html_.stem == "<b>x</b>"
    assert markdown.stem == "**x** &lt;i&gt;y&lt;/i&gt;"
    assert [c.text for c in markdown.choices] == ["a", "<b>b</b>", "c"]


def test_export_skips_ordering_and_case_sets_with_a_report():
    report = export_gift_report(samples.every_type())
    assert report.skipped == (("q-order", "GIFT has no ordering question"),
                              ("q-case", "GIFT has no case set question"))
    assert "// Skipped q-order" in report.text
    assert [q.id for q in parse_gift(report.text)] == [
        "q-single", "q-multi", "q-tf", "q-num", "q-text", "q-match"]


def test_escape_covers_gift_syntax():
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


@pytest.mark.parametrize("payload", corpus("xss.txt"))
def test_imported_html_is_sanitised(payload):
    text = (f"::X::[html]Stem {escape(payload)} {{\n=Right {escape(payload)}"
            f"#{escape(payload)}\n~Wrong\n####{escape(payload)}\n}}")
    question = parse_gift(text)[0]
    for html in (question.stem, question.explanation, question.choices[0].text,
                 question.choices[0].feedback):
        assert unsafe_constructs(html) == []


# Broken files: nothing is returned; every bad question is named -------------------------

BROKEN = {
    "unclosed_brace.gift": [(1, "unclosed {")],
    "no_right_answer.gift": [(2, "no right answer")],
    "numeric_not_a_number.gift": [(1, "numeric answer 'abc' is not a number")],
    "unknown_escape.gift": [(2, "unknown escape \\q")],
    "matching_one_pair.gift": [(1, "at least two pairs")],
    "empty_answer_set.gift": [(1, "empty answer set")],
    "mixed_errors.gift": [
        (5, "one right answer (=)"), (7, "equal weights"), (12, "'x' is not a number"),
        (14, "at most two feedbacks"), (16, "no answer block"),
        (20, "same id as the question on line 18"), (22, "weight lies between 0% and 100%"),
        (26, "a matching answer is written =prompt -> answer"),
    ],
}


@pytest.mark.parametrize(("name", "expected"), BROKEN.items(), ids=BROKEN.keys())
def test_broken_files_import_nothing(name, expected):
    with pytest.raises(ImportErrors) as error:
        parse_gift((GIFT / name).read_text(encoding="utf-8"))
    issues = error.value.issues
    assert all(isinstance(issue, GiftSyntaxError) for issue in issues)
    assert [issue.line for issue in issues] == [line for line, _ in expected]
    for issue, (_, reason) in zip(issues, expected, strict=True):
        assert reason in issue.message
    assert str(error.value).startswith(f"line {expected[0][0]}: ")


@pytest.mark.parametrize(("text", "reason"), [
    ("::Untitled {=a ~b}", "unclosed ::title::"),
    ("Q {=a ~b} and {=c ~d}", "one answer block per question"),
    ("Q } {=a ~b}", "no answer block"),
    ("Q {=a {b} ~c}", "one answer block"),
    ("Q {=a ~%50%b}", "partial credit for a wrong choice"),
    ("Q {=%50%a ~b}", "earns 100%"),
    ("Q {~%50%a ~%50%b ~%150%c}", "between -100% and 100%"),
    ("Q {=a ~}", "an answer is empty"),
    ("Q {junk =a ~b}", "text before the first answer"),
    ("Q {~%abc%a =b}", "a weight is written %50%"),
    ("Q {#1.5:-0.1}", "must not be negative"),
    ("Q {#2..1}", "low..high"),
    ("Q {#=%50%1 =%20%2}", "no numeric answer earns 100%"),
    ("Q {#=1 ~2}", "numeric answers are written"),
    ("Q {=a -> b =c -> d#feedback}", "no ~, weights or feedback"),
    ("Q {=a}\n// allele: [1]\n", "not valid metadata"),
    ("Q \ufdd0 {=a ~b}", "reserved character"),
    ("Q {=a ~b}\\", "unknown escape"),
    ("{=a ~b}", "the stem is empty"),
])
def test_other_errors(text, reason):
    with pytest.raises(ImportErrors) as error:
        parse_gift(text)
    assert reason in str(error.value)


def test_category_and_comment_only_files():
    assert parse_gift("// only a comment\n\n$CATEGORY: $course$/top\n") == []
    question = parse_gift("$CATEGORY: $course$/top/A/B\n::Q::Is it? {T}")[0]
    assert question.tags.topic == "A/B"
