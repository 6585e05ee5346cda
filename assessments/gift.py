"""Moodle GIFT import and export for the question types GIFT can express.

``parse_gift(text)`` checks the whole file and raises ``ImportErrors`` (every bad
question, as ``GiftSyntaxError(line, message)``) or returns all definitions.
``export_gift(definitions)`` writes GIFT that Moodle reads and that ``parse_gift``
turns back into equal definitions. Mapping (docs/decisions/0002-*):

- ``::title::`` → ``title``; ``$CATEGORY: a/b`` → ``tags.topic`` ("$course$/top/" dropped);
  ``####general feedback`` → ``explanation``; ``#feedback`` per answer.
- ``{=right ~wrong}`` → single choice (exactly one ``=``; ``~`` may carry only ≤ 0 weights).
- ``{~%50%a ~%50%b ~%-100%c}`` (no ``=``) → multiple response, scoring ``partial``: positive
  weights mark right choices and must be equal; the weights themselves are not kept.
- ``{T}``/``{TRUE}``/``{F}``/``{FALSE}``, with ``#wrong-answer feedback#right-answer
  feedback`` as Moodle reads them.
- ``{=a =%50%b}`` → short text (weights become credit); ``{=a -> b = -> distractor}`` →
  matching; ``{#1.5:0.1}``, ``{#1..2}`` and ``{#=1.5:0 =%50%1.5:0.2}`` → numeric.
- Escapes ``\\\\ \\~ \\= \\# \\{ \\} \\: \\n``; any other backslash is an error.
- ``[html]``/``[moodle]`` text is HTML (sanitised); ``[plain]``/``[markdown]`` text is
  escaped, not rendered. Without a marker, text is HTML, as in Moodle.
- Text around the answer block becomes a missing-word stem: ``before _____ after``.

Not supported (an import error): essay ``{}``, description questions (no ``{}``), partial
credit on a single-choice wrong answer, feedback on matching answers. GIFT has no
ordering or case-set questions: export skips them, leaves a ``// Skipped`` comment and
lists them in ``export_gift_report(...).skipped``.

GIFT has no ids. Export writes one comment line before each question,
``// allele: {"id": …}``, carrying the id and what GIFT cannot say (points, domain,
difficulty, references, sub-item ids, scoring mode, relative tolerance, units, case and
accent sensitivity); Moodle ignores it. Without it, ids are UUID5s of the category and
title (or, untitled, the question's text) and sub-item ids UUID5s of their text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessments.gift_export import META_PREFIX, export_gift, export_gift_report
from assessments.importing import (
    ImportErrors,
    ImportIssue,
    decode,
    derived_id,
    derived_ids,
)
from assessments.questions import (
    Choice,
    Item,
    Matching,
    MatchPrompt,
    MultipleResponse,
    Numeric,
    NumericAnswer,
    Question,
    QuestionDefinitionError,
    ShortText,
    SingleChoice,
    Tags,
    TextAnswer,
    TrueFalse,
    to_decimal,
)

__all__ = ["GiftSyntaxError", "ImportErrors", "export_gift", "export_gift_report", "parse_gift"]


class GiftSyntaxError(ImportIssue):
    """A problem in a GIFT file, at a line."""


class _BlockError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


_ESCAPABLE = "\\~=#{}:n"
_PROTECT = {char: chr(0xFDD0 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({p: "\n" if c == "n" else c for c, p in _PROTECT.items()})
_FORMAT = re.compile(r"\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%(-?[0-9]+(?:\.[0-9]+)?)%")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_META = META_PREFIX
_META_TYPES: dict[str, Any] = {
    "id": str, "points": str, "domain": str, "topic": str, "difficulty": str,
    "references": list, "scoring": str, "tolerance_kind": str, "tolerances": list,
    "unit": str, "accepted_units": list, "unit_penalty": str, "case_sensitive": bool,
    "accent_sensitive": bool, "ids": dict,
}
HUNDRED = Decimal(100)


@dataclass
class _Block:
    lines: list[tuple[int, str]]
    category: str
    meta: dict[str, Any] = field(default_factory=dict)

    def line_at(self, text: str, offset: int) -> int:
        index = min(text.count("\n", 0, max(offset, 0)), len(self.lines) - 1)
        return self.lines[index][0]


@dataclass
class _Seg:
    """One answer inside the braces, still with escapes protected."""

    marker: str
    weight: Decimal | None
    text: str
    feedback: str | None
    line: int


@dataclass
class _Ctx:
    block: _Block
    text: str
    start: int  # offset of the answer block's content in ``text``
    fmt: str
    common: dict[str, Any]

    def line(self, offset: int = 0) -> int:
        return self.block.line_at(self.text, self.start + offset)

    @property
    def meta(self) -> dict[str, Any]:
        return self.block.meta


# Import ---------------------------------------------------------------------------------

def parse_gift(data: str | bytes) -> list[Question]:
    """Every question of a GIFT file, or ``ImportErrors`` naming every bad one."""
    blocks, issues = _read_blocks(decode(data, GiftSyntaxError))
    questions: list[Question] = []
    first_line: dict[str, int] = {}
    for block in blocks:
        try:
            question = _parse_block(block)
        except _BlockError as error:
            issues.append(GiftSyntaxError(error.line, error.message))
            continue
        start = block.lines[0][0]
        if question.id in first_line:
            issues.append(GiftSyntaxError(start, f"same id as the question on line "
                                                 f"{first_line[question.id]} (same title?)"))
        first_line.setdefault(question.id, start)
        questions.append(question)
    if issues:
        raise ImportErrors(issues)
    return questions


def _read_blocks(text: str) -> tuple[list[_Block], list[ImportIssue]]:
    groups: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            groups.append([])
        elif stripped.startswith(_META) or not stripped.startswith("//"):
            groups[-1].append((number, line))
    blocks, issues, category = [], [], ""
    for group in filter(None, groups):
        meta: dict[str, Any] = {}
        content = []
        for number, line in group:
            if line.strip().startswith(_META):
                meta = _read_meta(line.strip(), number, issues)
            else:
                content.append((number, line))
        if content and content[0][1].strip().startswith("$CATEGORY:"):
            category = _category(content.pop(0)[1])
        if content:
            blocks.append(_Block(content, category, meta))
    return blocks, issues


def _category(line: str) -> str:
    path = line.strip()[len("$CATEGORY:"):].strip()
    path = re.sub(r"^\$[a-z0-9]+\$/?", "", path)
    return "" if path == "top" else path.removeprefix("top/")


def _read_meta(line: str, number: int, issues: list[ImportIssue]) -> dict[str, Any]:
    try:
        meta = json.loads(line[len(_META):])
    except ValueError:
        meta = None
    ok = isinstance(meta, dict) and all(
        key in _META_TYPES and isinstance(value, _META_TYPES[key]) for key, value in meta.items()
    )
    if not ok:
        issues.append(GiftSyntaxError(number, "the '// allele:' line is not valid metadata"))
        return {}
    return meta


def _protect(block: _Block, text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in _PROTECT:
            line = block.line_at(text, match.start())
            raise _BlockError(line, f"unknown escape \\{char or '(end of line)'}: "
                                    f"write \\\\ for a backslash")
        return _PROTECT[char]

    if any(0xFDD0 <= ord(char) <= 0xFDD0 + len(_ESCAPABLE) for char in text):
        raise _BlockError(block.lines[0][0], "the text contains a reserved character")
    return re.sub(r"\\(.?)", replace, text, flags=re.DOTALL)


def _parse_block(block: _Block) -> Question:
    raw = "\n".join(line for _, line in block.lines)
    text = _protect(block, raw)
    title, body = "", 0
    if text.lstrip().startswith("::"):
        opened = text.index("::")
        closed = text.find("::", opened + 2)
        if closed < 0:
            raise _BlockError(block.lines[0][0], "unclosed ::title::")
        title, body = text[opened + 2:closed].translate(_RESTORE), closed + 2
    opened = text.find("{", body)
    closed = text.find("}", body)
    if opened < 0 or 0 <= closed < opened:
        where = closed if closed >= 0 else body
        raise _BlockError(block.line_at(text, where), "no answer block {...}: every question "
                          "needs one (write \\{ and \\} for literal braces)")
    closed = text.find("}", opened)
    nested = text.find("{", opened + 1)
    if closed < 0:
        raise _BlockError(block.line_at(text, opened), "unclosed {: the answer block has no }")
    if 0 <= nested < closed or "{" in text[closed:] or "}" in text[closed + 1:]:
        raise _BlockError(block.line_at(text, opened), "one answer block per question")
    after = text[closed + 1:]
    stem = text[body:opened] + (f"_____{after}" if after.strip() else "")
    fmt, stem = _format(stem, "moodle")
    content = text[opened + 1:closed]
    content, _, general = content.partition("####")
    ctx = _Ctx(block, text, opened + 1, fmt, {})
    ctx.common = _common(ctx, title, raw, _html(ctx, stem), _html(ctx, general))
    try:
        return _build(ctx, content)
    except QuestionDefinitionError as error:
        message = str(error).replace(f"{ctx.common['id']}: ", "")
        raise _BlockError(block.lines[0][0], message) from None


def _format(text: str, default: str) -> tuple[str, str]:
    match = _FORMAT.match(text)
    return (match.group(1).lower(), text[match.end():]) if match else (default, text)


def _html(ctx: _Ctx, text: str) -> str:
    fmt, text = _format(text, ctx.fmt)
    text = text.translate(_RESTORE).strip()
    return html.escape(text, quote=False) if fmt in ("plain", "markdown") else text


def _plain(text: str) -> str:
    return _format(text, "plain")[1].translate(_RESTORE).strip()


def _common(ctx: _Ctx, title: str, raw: str, stem: str, explanation: str) -> dict[str, Any]:
    meta, category = ctx.meta, ctx.block.category
    question_id = meta.get("id") or derived_id("gift", category, " ".join(title.split()) or raw)
    return {
        "id": question_id, "title": title, "stem": stem, "explanation": explanation,
        "references": tuple(meta.get("references", ())),
        "tags": Tags(domain=meta.get("domain", ""), topic=meta.get("topic", category),
                     difficulty=meta.get("difficulty")),
        "points": meta.get("points", "1"),
    }


def _build(ctx: _Ctx, content: str) -> Question:
    stripped = content.strip()
    if not stripped:
        raise _BlockError(ctx.line(), "empty answer set {}: essay questions are not supported")
    if stripped.startswith("#"):
        return _numeric(ctx, content)
    head, *feedback = stripped.split("#")
    if head.strip().upper() in _TRUE_FALSE:
        return _true_false(ctx, _TRUE_FALSE[head.strip().upper()], feedback)
    segs = _segments(ctx, content)
    arrows = ["->" in seg.text for seg in segs]
    if all(arrows) or (any(arrows) and all(seg.marker == "=" for seg in segs)):
        return _matching(ctx, segs)  # "->" in a choice's HTML ("-->") is just text
    if any(seg.marker == "~" for seg in segs):
        return _choices(ctx, segs)
    return _short_text(ctx, segs)


def _segments(ctx: _Ctx, content: str, offset: int = 0) -> list[_Seg]:
    marks = [match.start() for match in re.finditer(r"[~=]", content)]
    if not marks or content[:marks[0]].strip():
        raise _BlockError(ctx.line(offset), "text before the first answer: start every "
                                            "answer with = (right) or ~ (wrong)")
    segs = []
    for start, end in zip(marks, [*marks[1:], len(content)], strict=True):
        body, weight = content[start + 1:end], None
        match = _WEIGHT.match(body)
        if match:
            weight, body = Decimal(match.group(1)), body[match.end():]
        elif body.lstrip().startswith("%"):
            raise _BlockError(ctx.line(offset + start), "a weight is written %50%")
        text, hash_, feedback = body.partition("#")
        if not _plain(text):
            raise _BlockError(ctx.line(offset + start), "an answer is empty")
        seg = _Seg(content[start], weight, text, feedback if hash_ else None,
                   ctx.line(offset + start))
        segs.append(seg)
    return segs


def _sub_ids(ctx: _Ctx, role: str, texts: list[str]) -> list[str]:
    given = ctx.meta.get("ids", {}).get(role)
    if isinstance(given, list) and len(given) == len(texts):
        return given
    return derived_ids(ctx.common["id"], role, texts)


def _choice_list(ctx: _Ctx, segs: list[_Seg], correct: list[bool]) -> tuple[Choice, ...]:
    texts = [_html(ctx, seg.text) for seg in segs]
    ids = _sub_ids(ctx, "choice", texts)
    return tuple(
        Choice(id=ids[i], text=texts[i], correct=correct[i],
               feedback=_html(ctx, segs[i].feedback or ""))
        for i in range(len(segs))
    )


def _choices(ctx: _Ctx, segs: list[_Seg]) -> Question:
    rights = [seg for seg in segs if seg.marker == "="]
    for seg in segs:
        if seg.weight is not None and not -HUNDRED <= seg.weight <= HUNDRED:
            raise _BlockError(seg.line, "weights lie between -100% and 100%")
    if rights:
        if len(rights) > 1:
            raise _BlockError(rights[1].line, "a choice question has one right answer (=); "
                                              "for several, give weights: ~%50%")
        for seg in segs:
            if seg.marker == "=" and seg.weight not in (None, HUNDRED):
                raise _BlockError(seg.line, "the right answer (=) earns 100%")
            if seg.marker == "~" and (seg.weight or 0) > 0:
                raise _BlockError(seg.line, "partial credit for a wrong choice is not supported")
        return SingleChoice(**ctx.common, choices=_choice_list(
            ctx, segs, [seg.marker == "=" for seg in segs]))
    positive = [seg.weight for seg in segs if seg.weight and seg.weight > 0]
    if not positive:
        raise _BlockError(ctx.line(), "no right answer: mark it with = (or, for several "
                                      "right answers, give weights: ~%50%)")
    if max(positive) - min(positive) > Decimal("0.01"):
        raise _BlockError(ctx.line(), "right answers must carry equal weights")
    choices = _choice_list(ctx, segs, [bool(seg.weight and seg.weight > 0) for seg in segs])
    return MultipleResponse(**ctx.common, choices=choices,
                            scoring=ctx.meta.get("scoring", "partial"))


def _true_false(ctx: _Ctx, answer: bool, feedback: list[str]) -> Question:
    if len(feedback) > 2:
        raise _BlockError(ctx.line(), "true/false takes at most two feedbacks: #wrong#right")
    wrong, right = (_html(ctx, text) for text in [*feedback, "", ""][:2])
    return TrueFalse(**ctx.common, answer=answer, feedback_true=right if answer else wrong,
                     feedback_false=wrong if answer else right)


def _short_text(ctx: _Ctx, segs: list[_Seg]) -> Question:
    answers = []
    for seg in segs:
        weight = HUNDRED if seg.weight is None else seg.weight
        if not 0 <= weight <= HUNDRED:
            raise _BlockError(seg.line, "a short-answer weight lies between 0% and 100%")
        answers.append(TextAnswer(text=_plain(seg.text), credit=weight / HUNDRED,
                                  feedback=_html(ctx, seg.feedback or "")))
    return ShortText(**ctx.common, answers=tuple(answers),
                     case_sensitive=ctx.meta.get("case_sensitive", False),
                     accent_sensitive=ctx.meta.get("accent_sensitive", False))


def _matching(ctx: _Ctx, segs: list[_Seg]) -> Question:
    pairs = []
    for seg in segs:
        if seg.marker != "=" or "->" not in seg.text or seg.feedback is not None:
            raise _BlockError(seg.line, "a matching answer is written =prompt -> answer "
                                        "(no ~, weights or feedback)")
        prompt, _, answer = seg.text.partition("->")
        pairs.append((_html(ctx, prompt), _html(ctx, answer)))
    answer_texts = list(dict.fromkeys(answer for _, answer in pairs))
    answer_ids = dict(zip(answer_texts, _sub_ids(ctx, "answer", answer_texts), strict=True))
    prompt_pairs = [(prompt, answer) for prompt, answer in pairs if prompt]
    prompt_ids = _sub_ids(ctx, "prompt", [prompt for prompt, _ in prompt_pairs])
    prompts = tuple(MatchPrompt(id=prompt_id, text=prompt, answer_id=answer_ids[answer])
                    for prompt_id, (prompt, answer) in zip(prompt_ids, prompt_pairs, strict=True))
    answers = tuple(Item(id=answer_ids[text], text=text) for text in answer_texts)
    return Matching(**ctx.common, prompts=prompts, answers=answers)


def _numeric(ctx: _Ctx, content: str) -> Question:
    offset = content.index("#") + 1
    body = content[offset:]
    if body.lstrip().startswith(("=", "~")):
        specs = []
        for seg in _segments(ctx, body, offset):
            weight = HUNDRED if seg.weight is None else seg.weight
            if seg.marker != "=" or not 0 <= weight <= HUNDRED:
                raise _BlockError(seg.line, "numeric answers are written =%50%value:tolerance")
            specs.append((seg.text, weight / HUNDRED, seg.feedback or "", seg.line))
    else:
        text, _, feedback = body.partition("#")
        specs = [(text, Decimal(1), feedback, ctx.line(offset))]
    answers = [(*_numeric_spec(text, line), credit, _html(ctx, feedback))
               for text, credit, feedback, line in specs]
    first = next((index for index, answer in enumerate(answers) if answer[2] == 1), None)
    if first is None:
        raise _BlockError(ctx.line(), "no numeric answer earns 100%")
    meta = ctx.meta
    kind, tolerances = meta.get("tolerance_kind", "absolute"), meta.get("tolerances")
    if kind == "relative" and isinstance(tolerances, list) and len(tolerances) == len(answers):
        answers = [(value, to_decimal(tol, "tolerance"), credit, feedback)
                   for (value, _, credit, feedback), tol in zip(answers, tolerances, strict=True)]
    primary = answers[first]
    alternatives = tuple(NumericAnswer(value=value, tolerance=tol, credit=credit, feedback=fb)
                         for index, (value, tol, credit, fb) in enumerate(answers)
                         if index != first)
    return Numeric(
        **ctx.common, answer=primary[0], tolerance=primary[1], tolerance_kind=kind,
        unit=meta.get("unit", ""), accepted_units=tuple(meta.get("accepted_units", ())),
        unit_penalty=meta.get("unit_penalty", "0.1"), feedback=primary[3],
        alternatives=alternatives,
    )


def _numeric_spec(text: str, line: int) -> tuple[Decimal, Decimal]:
    text = _plain(text)
    low, sep, high = text.partition("..")
    if not sep:
        low, sep, high = text.partition(":")
    for piece in (low, high) if sep else (low,):
        if not _NUMBER.fullmatch(piece.strip()):
            raise _BlockError(line, f"numeric answer {piece.strip()[:30]!r} is not a number")
    if sep == "..":
        low_value, high_value = Decimal(low.strip()), Decimal(high.strip())
        if low_value > high_value:
            raise _BlockError(line, "a numeric range is written low..high")
        return (low_value + high_value) / 2, (high_value - low_value) / 2
    tolerance = Decimal(high.strip()) if sep else Decimal(0)
    if tolerance < 0:
        raise _BlockError(line, "a numeric tolerance must not be negative")
    return Decimal(low.strip()), tolerance
