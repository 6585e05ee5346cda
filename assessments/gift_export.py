"""Writing definitions as Moodle GIFT (the import side and the mapping are in gift.py).

Each question is preceded by a ``// allele: {…}`` comment carrying its id and the fields
GIFT cannot express, so ``parse_gift(export_gift(definitions)) == definitions`` for
every type GIFT has. Text is written as ``[html]`` with ``\\ ~ = # { } :`` escaped and
line breaks as ``\\n``, so a question never contains a blank line. Ordering questions
and case sets have no GIFT form: they become a ``// Skipped`` comment and are listed in
the report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from assessments.importing import ExportReport
from assessments.questions import (
    Matching,
    MultipleResponse,
    Numeric,
    Question,
    ShortText,
    SingleChoice,
    TrueFalse,
)

META_PREFIX = "// allele:"
_ESCAPES = str.maketrans({char: "\\" + char for char in "\\~=#{}:"} | {"\n": "\\n"})
HUNDRED = Decimal(100)


def escape(text: str) -> str:
    """Text made safe to place anywhere in a GIFT question."""
    return text.translate(_ESCAPES)


def _number(value: Decimal) -> str:
    return format(value, "f")


def _percent(value: Decimal) -> str:
    return format((value * HUNDRED).normalize(), "f")


def _feedback(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def _single_choice(question: SingleChoice, meta: dict[str, Any]) -> list[str]:
    meta["ids"] = {"choice": [choice.id for choice in question.choices]}
    return [f"{'=' if choice.correct else '~'}{escape(choice.text)}{_feedback(choice.feedback)}"
            for choice in question.choices]


def _multiple_response(question: MultipleResponse, meta: dict[str, Any]) -> list[str]:
    """Right choices share 100%; each wrong one costs as much as a right one earns, which
    is exactly the ``partial`` rule when Moodle adds the weights up and floors at 0."""
    meta["ids"] = {"choice": [choice.id for choice in question.choices]}
    if question.scoring != "partial":
        meta["scoring"] = question.scoring
    right = sum(choice.correct for choice in question.choices)
    weight = format((HUNDRED / right).quantize(Decimal("0.00001")).normalize(), "f")
    return [
        f"~%{'' if choice.correct else '-'}{weight}%{escape(choice.text)}"
        f"{_feedback(choice.feedback)}"
        for choice in question.choices
    ]


def _true_false(question: TrueFalse, meta: dict[str, Any]) -> list[str]:
    """Moodle's order: ``TRUE#feedback for a wrong answer#feedback for a right one``."""
    right, wrong = question.feedback_true, question.feedback_false
    if not question.answer:
        right, wrong = wrong, right
    feedback = [escape(wrong), escape(right)]
    while feedback and not feedback[-1]:
        feedback.pop()
    return ["#".join(["TRUE" if question.answer else "FALSE", *feedback])]


def _numeric(question: Numeric, meta: dict[str, Any]) -> list[str]:
    """Moodle knows only absolute tolerances: a relative one is written as its absolute
    equivalent, and the relative values travel in the metadata."""
    relative = question.tolerance_kind == "relative"
    if relative:
        meta["tolerance_kind"] = "relative"
        meta["tolerances"] = [str(question.tolerance),
                              *(str(alt.tolerance) for alt in question.alternatives)]
    for key in ("unit", "accepted_units"):
        if getattr(question, key):
            meta[key] = list(question.accepted_units) if key == "accepted_units" else question.unit
    if question.unit_penalty != Decimal("0.1"):
        meta["unit_penalty"] = str(question.unit_penalty)

    def spec(value: Decimal, tolerance: Decimal) -> str:
        absolute = tolerance * abs(value) if relative else tolerance
        return f"{_number(value)}:{_number(absolute)}"

    first = spec(question.answer, question.tolerance) + _feedback(question.feedback)
    if not question.alternatives:
        return [f"#{first}"]
    others = [f"=%{_percent(alt.credit)}%{spec(alt.value, alt.tolerance)}"
              f"{_feedback(alt.feedback)}" for alt in question.alternatives]
    return ["#", f"={first}", *others]


def _short_text(question: ShortText, meta: dict[str, Any]) -> list[str]:
    for key in ("case_sensitive", "accent_sensitive"):
        if getattr(question, key):
            meta[key] = True
    return [
        f"={'' if answer.credit == 1 else f'%{_percent(answer.credit)}%'}"
        f"{escape(answer.text)}{_feedback(answer.feedback)}"
        for answer in question.answers
    ]


def _matching(question: Matching, meta: dict[str, Any]) -> list[str]:
    meta["ids"] = {"prompt": [prompt.id for prompt in question.prompts],
                   "answer": [answer.id for answer in question.answers]}
    texts = {answer.id: answer.text for answer in question.answers}
    used = {prompt.answer_id for prompt in question.prompts}
    lines = [f"={escape(prompt.text)} -> {escape(texts[prompt.answer_id])}"
             for prompt in question.prompts]
    return lines + [f"= -> {escape(answer.text)}" for answer in question.answers
                    if answer.id not in used]


_WRITERS: dict[str, Callable[[Any, dict[str, Any]], list[str]]] = {
    SingleChoice.type: _single_choice, MultipleResponse.type: _multiple_response,
    TrueFalse.type: _true_false, Numeric.type: _numeric, ShortText.type: _short_text,
    Matching.type: _matching,
}


def _meta(question: Question) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": question.id}
    if question.points != 1:
        meta["points"] = str(question.points)
    if question.tags.domain:
        meta["domain"] = question.tags.domain
    if question.tags.difficulty:
        meta["difficulty"] = question.tags.difficulty
    if question.references:
        meta["references"] = list(question.references)
    return meta


def _question(question: Question, meta: dict[str, Any]) -> str:
    answers = _WRITERS[question.type](question, meta)
    title = f"::{escape(question.title)}::" if question.title else ""
    general = [f"####{escape(question.explanation)}"] if question.explanation else []
    return "\n".join([
        f"{META_PREFIX} {json.dumps(meta, ensure_ascii=False, sort_keys=True)}",
        f"{title}[html]{escape(question.stem)} {{", *answers, *general, "}",
    ])


def export_gift_report(definitions: Iterable[Question]) -> ExportReport:
    """GIFT text for every definition GIFT can express, and the (id, reason) of the rest."""
    chunks: list[str] = []
    skipped: list[tuple[str, str]] = []
    category = ""
    for question in definitions:
        if question.type not in _WRITERS:
            reason = f"GIFT has no {question.type.replace('_', ' ')} question"
            skipped.append((question.id, reason))
            chunks.append(f"// Skipped {question.id}: {reason}.")
            continue
        meta = _meta(question)
        topic = " ".join(question.tags.topic.split())
        if topic and topic != category:
            chunks.append(f"$CATEGORY: {topic}")
            category = topic
        elif not topic and category:
            meta["topic"] = ""
        chunks.append(_question(question, meta))
    return ExportReport(text="\n\n".join(chunks) + "\n", skipped=tuple(skipped))


def export_gift(definitions: Iterable[Question]) -> str:
    """GIFT text for the definitions; see ``export_gift_report`` for what was skipped."""
    return export_gift_report(definitions).text
