"""Moodle Aiken import and export: single-choice questions only.

The format, as Moodle reads it::

    What does BRCA1 encode?
    A. A tumour suppressor
    B) An oncogene
    ANSWER: A

The question text is every line before the first option (joined with a space); options
are a capital letter followed by ``.`` or ``)``; ``ANSWER: <letter>`` ends the question.
Blank lines between questions are optional. Text is HTML, as in Moodle, and is sanitised.
``parse_aiken`` checks the whole file and raises ``ImportErrors`` (every bad question, as
``AikenSyntaxError(line, message)``) or returns every definition.

Aiken has no ids, titles, feedback or explanations: ids are UUID5s of the question text
(choice ids of their text) and the other fields are empty on import and dropped on
export. Export writes each question on one line (line breaks become spaces) and skips,
and reports, every question that is not single choice.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from assessments.importing import (
    ExportReport,
    ImportErrors,
    ImportIssue,
    decode,
    derived_id,
    derived_ids,
)
from assessments.questions import Choice, QuestionDefinitionError, SingleChoice

__all__ = ["AikenSyntaxError", "ImportErrors", "export_aiken", "export_aiken_report",
           "parse_aiken"]

_OPTION = re.compile(r"\s*([A-Z])[.)]\s+(.*)")
_ANSWER = re.compile(r"\s*ANSWER\s*:\s*(\S*)\s*", re.IGNORECASE)


class AikenSyntaxError(ImportIssue):
    """A problem in an Aiken file, at a line."""


@dataclass
class _Draft:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[tuple[int, str, str]] = field(default_factory=list)  # (line, letter, text)


def parse_aiken(data: str | bytes) -> list[SingleChoice]:
    """Every question of an Aiken file, or ``ImportErrors`` naming every bad one."""
    issues: list[ImportIssue] = []
    questions: list[SingleChoice] = []
    draft: _Draft | None = None
    for number, line in enumerate(decode(data, AikenSyntaxError).split("\n"), start=1):
        if not line.strip():
            continue
        option, answer = _OPTION.fullmatch(line), _ANSWER.fullmatch(line)
        if answer:
            if draft is None:
                issues.append(AikenSyntaxError(number, "ANSWER line without a question"))
            else:
                _finish(draft, answer.group(1), number, questions, issues)
            draft = None
        elif draft is not None and draft.options and not option:
            issues.append(AikenSyntaxError(draft.line, "missing ANSWER line"))
            draft = _Draft(number, [line.strip()])
        elif option and draft is not None:
            draft.options.append((number, option.group(1), option.group(2).strip()))
        elif option:
            issues.append(AikenSyntaxError(number, "an option before any question text"))
        elif draft is None:
            draft = _Draft(number, [line.strip()])
        else:
            draft.stem.append(line.strip())
    if draft is not None:
        issues.append(AikenSyntaxError(draft.line, "missing ANSWER line"))
    if issues:
        raise ImportErrors(issues)
    return questions


def _finish(draft: _Draft, letter: str, line: int, questions: list[SingleChoice],
            issues: list[ImportIssue]) -> None:
    letters = [option_letter for _, option_letter, _ in draft.options]
    problem = ""
    if len(draft.options) < 2:
        problem = "a question needs at least two options"
    elif len(set(letters)) != len(letters):
        problem = "two options have the same letter"
    elif letter.upper() not in letters:
        problem = f"ANSWER {letter or '(empty)'} is not one of the options {', '.join(letters)}"
    if problem:
        issues.append(AikenSyntaxError(line if "ANSWER" in problem else draft.line, problem))
        return
    stem = " ".join(draft.stem)
    texts = [text for _, _, text in draft.options]
    question_id = derived_id("aiken", stem)
    ids = derived_ids(question_id, "choice", texts)
    try:
        choices = tuple(
            Choice(id=ids[i], text=texts[i], correct=letters[i] == letter.upper())
            for i in range(len(texts))
        )
        question = SingleChoice(id=question_id, stem=stem, choices=choices)
    except QuestionDefinitionError as error:
        message = re.sub(r"^(choice )?[0-9a-f-]{36}: ", "", str(error))
        issues.append(AikenSyntaxError(draft.line, message))
        return
    if any(other.id == question_id for other in questions):
        issues.append(AikenSyntaxError(draft.line, "the same question text appears twice"))
    questions.append(question)


def _one_line(html: str) -> str:
    return " ".join(html.split())


def export_aiken_report(definitions: Iterable[object]) -> ExportReport:
    """Aiken text for every single-choice definition and the (id, reason) of the rest."""
    chunks: list[str] = []
    skipped: list[tuple[str, str]] = []
    for question in definitions:
        if not isinstance(question, SingleChoice):
            kind = getattr(question, "type", type(question).__name__)
            skipped.append((getattr(question, "id", ""), f"Aiken has no {kind} question"))
            continue
        if len(question.choices) > len(string.ascii_uppercase):
            skipped.append((question.id, "Aiken allows at most 26 options"))
            continue
        lines = [_one_line(question.stem)]
        answer = ""
        for letter, choice in zip(string.ascii_uppercase, question.choices, strict=False):
            lines.append(f"{letter}. {_one_line(choice.text)}")
            answer = letter if choice.correct else answer
        chunks.append("\n".join([*lines, f"ANSWER: {answer}"]))
    return ExportReport(text="\n\n".join(chunks) + "\n" if chunks else "",
                        skipped=tuple(skipped))


def export_aiken(definitions: Iterable[object]) -> str:
    """Aiken text for the single-choice definitions; see ``export_aiken_report``."""
    return export_aiken_report(definitions).text
