"""Moodle Aiken import and export (single choice only)."""

from pathlib import Path

import pytest

from assessments.aiken import AikenSyntaxError, ImportErrors, export_aiken_report, parse_aiken
from assessments.grading import grade
from tests.assessments import samples
from tests.badinput import corpus, unsafe_constructs

AIKEN = Path(__file__).parents[1] / "data" / "aiken"


def test_parse_valid_file():
    questions = parse_aiken((AIKEN / "valid.txt").read_text(encoding="utf-8"))
    assert [q.stem for q in questions] == [
        "What does BRCA1 encode?",
        "Which condition is inherited in an autosomal dominant pattern?",
        "Which test confirms cystic fibrosis?"]
    assert [len(q.choices) for q in questions] == [3, 4, 2]
    assert [c.text for c in questions[0].choices][1] == "An oncogene"  # "B)" also works
    first = questions[0]
    assert grade(first, {"choice": first.choices[0].id}).correct
    assert not grade(first, {"choice": first.choices[1].id}).correct


def test_bom_crlf_arabic_and_lowercase_answer():
    (question,) = parse_aiken((AIKEN / "arabic_bom_crlf.txt").read_bytes())
    assert question.stem == "ما هو الجين المسؤول عن التليف الكيسي؟"
    assert [c.correct for c in question.choices] == [True, False]


def test_round_trip_and_stable_ids():
    questions = parse_aiken((AIKEN / "valid.txt").read_text(encoding="utf-8"))
    report = export_aiken_report(questions)
    assert parse_aiken(report.text) == questions
    assert report.skipped == ()


def test_export_drops_what_aiken_cannot_hold():
    report = export_aiken_report(samples.every_type())
    assert [skipped_id for skipped_id, _ in report.skipped] == [
        "q-multi", "q-tf", "q-num", "q-text", "q-match", "q-order", "q-case"]
    (question,) = parse_aiken(report.text)
    original = samples.single()
    assert question.stem == original.stem
    assert [(c.text, c.correct) for c in question.choices] == [
        (c.text, c.correct) for c in original.choices]
    assert question.explanation == "" and question.choices[0].feedback == ""


def test_export_puts_each_question_on_one_line():
    text = export_aiken_report([samples.single(stem="<p>Line one</p>\n<p>Line two</p>")]).text
    assert text.splitlines()[0] == "<p>Line one</p> <p>Line two</p>"


def test_broken_file_imports_nothing_and_names_every_question():
    with pytest.raises(ImportErrors) as error:
        parse_aiken((AIKEN / "broken.txt").read_text(encoding="utf-8"))
    assert error.value.issues == (
        AikenSyntaxError(1, "missing ANSWER line"),
        AikenSyntaxError(8, "ANSWER C is not one of the options A, B"),
        AikenSyntaxError(10, "a question needs at least two options"),
        AikenSyntaxError(14, "an option before any question text"),
        AikenSyntaxError(15, "ANSWER line without a question"),
    )


@pytest.mark.parametrize(("text", "reason"), [
    ("Q\nA. a\nB. b\n", "missing ANSWER line"),
    ("Q\nA. a\nA. b\nANSWER: A\n", "same letter"),
    ("Q\nA. a\nB. b\nANSWER:\n", "ANSWER (empty) is not one of the options"),
    ("Q\nA. a\nB. <script>x</script>\nANSWER: A\n", "text is empty"),
    ("Q\nA. a\nB. b\nANSWER: A\n\nQ\nA. c\nB. d\nANSWER: B\n", "appears twice"),
    (b"Q\nA. caf\xe9\n", "not UTF-8"),
])
def test_other_errors(text, reason):
    with pytest.raises(ImportErrors) as error:
        parse_aiken(text)
    assert reason in str(error.value)


@pytest.mark.parametrize("payload", corpus("xss.txt")[::4])
def test_imported_html_is_sanitised(payload):
    flat = " ".join(payload.split())
    (question,) = parse_aiken(f"Stem {flat}\nA. Right {flat}\nB. Wrong\nANSWER: A\n")
    assert unsafe_constructs(question.stem) == []
    assert unsafe_constructs(question.choices[0].text) == []
