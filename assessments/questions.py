"""Question definitions: frozen, validated, versioned; no Django, no database.

This module owns what a question *is*: one frozen dataclass per type, the JSON schema
they round-trip through (``to_dict``/``from_dict``, tagged with ``schema_version``), the
rules that make a definition valid (:class:`QuestionDefinitionError` otherwise), and
``public_dict()``, the only form a browser may see during an attempt (nothing that
reveals an answer). Grading lives in ``grading.py``; GIFT and Aiken in their modules.

Every definition, and every choice, prompt and item inside one, has a stable string id
(a StreamField block UUID, a primary key, or a UUID derived on import); responses are
keyed by these ids, never by position. All HTML (stem, explanation, vignette, choice and
feedback text) passes through :func:`lms.core.html.sanitize_html` whenever a definition
is constructed, from ``from_dict`` or directly, so an unsafe definition cannot exist.
Typed answers (short-text accepted answers, units) are plain text, never HTML.

JSON shape (``schema_version`` 1); keys common to every type::

    {"schema_version": 1, "id": "…", "type": "single_choice", "title": "",
     "stem": "<p>…</p>", "explanation": "", "references": ["…"],
     "tags": {"domain": "", "topic": "", "difficulty": "easy|medium|hard|null"},
     "points": "1"}

plus, per type (decimals are strings so they stay exact):

- ``single_choice``: ``choices: [{id, text, correct, feedback}]`` (exactly one correct)
- ``multiple_response``: ``choices`` (at least one correct), ``scoring``
- ``true_false``: ``answer: bool, feedback_true, feedback_false``
- ``numeric``: ``answer, tolerance, tolerance_kind, unit, accepted_units, unit_penalty,
  feedback, alternatives: [{value, tolerance, credit, feedback}]``
- ``short_text``: ``answers: [{text, credit, feedback}], case_sensitive, accent_sensitive``
- ``matching``: ``prompts: [{id, text, answer_id}], answers: [{id, text}]`` (answers no
  prompt points at are distractors; two prompts may share an answer)
- ``ordering``: ``items: [{id, text}]`` in the correct order, ``scoring``
- ``case_set``: ``vignette``, ``parts: [<definition of any other type>]``; its points
  are always the sum of its parts' points.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from assessments.textnorm import normalize_answer, normalize_unit
from lms.core.html import sanitize_html

SCHEMA_VERSION = 1
DIFFICULTIES = ("easy", "medium", "hard")
SCORING_MODES = ("partial", "all_or_nothing")
TOLERANCE_KINDS = ("absolute", "relative")
MAX_ANSWER_CHARS = 1000
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
_TAG = re.compile(r"<[^>]*>")
ONE = Decimal(1)


class QuestionDefinitionError(ValueError):
    """A definition that breaks a rule; the message names the question and the field."""


def _fail(where: str, message: str) -> None:
    raise QuestionDefinitionError(f"{where}: {message}" if where else message)


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def to_decimal(value: object, where: str) -> Decimal:
    """An exact, finite Decimal from a str, int, float or Decimal (floats via repr)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        _fail(where, "must be a number")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        _fail(where, f"{str(value)[:30]!r} is not a number")
    if not number.is_finite():
        _fail(where, "must be a finite number")
    return number


def check_id(value: object, where: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        _fail(where, "id must be 1-100 characters from A-Z a-z 0-9 _ . : - (e.g. a UUID)")
    return value  # type: ignore[return-value]


def has_content(html: str) -> bool:
    """True when sanitised HTML shows something: text or an embedded image."""
    return bool(_TAG.sub("", html).strip()) or "<embed" in html


def _html_fields(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, str):
            _fail(name, "must be a string of HTML")
        _set(obj, name, sanitize_html(value).strip())


def _unique(ids: Sequence[str], where: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            _fail(where, f"duplicate id {item_id!r}")
        seen.add(item_id)


def stable_shuffle(question_id: str, items: Sequence[Any]) -> list[Any]:
    """A per-question order that does not depend on how the items were authored."""
    return sorted(
        items, key=lambda item: hashlib.sha256(f"{question_id}\x1f{item.id}".encode()).digest()
    )


@dataclass(frozen=True)
class Tags:
    domain: str = ""
    topic: str = ""
    difficulty: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.domain, str) or not isinstance(self.topic, str):
            _fail("tags", "domain and topic must be strings")
        _set(self, "domain", self.domain.strip())
        _set(self, "topic", self.topic.strip())
        if self.difficulty not in (None, *DIFFICULTIES):
            _fail("tags.difficulty", f"must be one of {', '.join(DIFFICULTIES)} or null")

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "topic": self.topic, "difficulty": self.difficulty}


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, "choice")
        _html_fields(self, "text", "feedback")
        if not isinstance(self.correct, bool):
            _fail(f"choice {self.id}", "correct must be true or false")
        if not has_content(self.text):
            _fail(f"choice {self.id}", "text is empty")


@dataclass(frozen=True)
class TextAnswer:
    """An accepted short-text answer (plain text) with its credit (0..1) and feedback."""

    text: str
    credit: Decimal = ONE
    feedback: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not normalize_answer(self.text):
            _fail("answer", "accepted answer text is empty")
        if len(self.text) > MAX_ANSWER_CHARS:
            _fail("answer", f"longer than {MAX_ANSWER_CHARS} characters")
        _credit(self, "answer")
        _html_fields(self, "feedback")


@dataclass(frozen=True)
class NumericAnswer:
    """A further accepted numeric answer with its own tolerance and credit (0..1)."""

    value: Decimal
    tolerance: Decimal = Decimal(0)
    credit: Decimal = ONE
    feedback: str = ""

    def __post_init__(self) -> None:
        _set(self, "value", to_decimal(self.value, "alternative value"))
        _set(self, "tolerance", _tolerance(self.tolerance))
        _credit(self, "alternative")
        _html_fields(self, "feedback")


def _credit(obj: TextAnswer | NumericAnswer, where: str) -> None:
    credit = to_decimal(obj.credit, f"{where} credit")
    if not 0 <= credit <= 1:
        _fail(where, "credit must be between 0 and 1")
    _set(obj, "credit", credit)


def _tolerance(value: object) -> Decimal:
    tolerance = to_decimal(value, "tolerance")
    if tolerance < 0:
        _fail("tolerance", "must not be negative")
    return tolerance


@dataclass(frozen=True)
class MatchPrompt:
    id: str
    text: str
    answer_id: str

    def __post_init__(self) -> None:
        check_id(self.id, "prompt")
        check_id(self.answer_id, f"prompt {self.id} answer_id")
        _html_fields(self, "text")
        if not has_content(self.text):
            _fail(f"prompt {self.id}", "text is empty")


@dataclass(frozen=True)
class Item:
    """A matching answer or an ordering item: an id and its HTML text."""

    id: str
    text: str

    def __post_init__(self) -> None:
        check_id(self.id, "item")
        _html_fields(self, "text")
        if not has_content(self.text):
            _fail(f"item {self.id}", "text is empty")


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields and behaviour common to every question type."""

    type: ClassVar[str] = ""
    needs_stem: ClassVar[bool] = True
    id: str
    stem: str = ""
    title: str = ""
    explanation: str = ""
    references: tuple[str, ...] = ()
    tags: Tags = field(default_factory=Tags)
    points: Decimal = ONE

    def __post_init__(self) -> None:
        check_id(self.id, "question")
        _html_fields(self, "stem", "explanation")
        if not isinstance(self.title, str):
            _fail(self.id, "title must be a string")
        _set(self, "title", " ".join(self.title.split()))
        refs = tuple(self.references)
        if not all(isinstance(ref, str) and ref.strip() for ref in refs):
            _fail(self.id, "references must be non-empty strings")
        _set(self, "references", tuple(ref.strip() for ref in refs))
        if not isinstance(self.tags, Tags):
            _fail(self.id, "tags must be a Tags")
        _set(self, "points", to_decimal(self.points, f"{self.id} points"))
        if self.points <= 0:
            _fail(self.id, "points must be greater than zero")
        if self.needs_stem and not has_content(self.stem):
            _fail(self.id, "the stem is empty")
        self._check()

    def _check(self) -> None:
        """Type-specific rules; raise QuestionDefinitionError."""

    def _body(self) -> dict[str, Any]:
        return {}

    def _public_body(self) -> dict[str, Any]:
        return {}

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON form (see the module docstring)."""
        return {
            "schema_version": SCHEMA_VERSION, "id": self.id, "type": self.type,
            "title": self.title, "stem": self.stem, "explanation": self.explanation,
            "references": list(self.references), "tags": self.tags.to_dict(),
            "points": str(self.points), **self._body(),
        }

    def public_dict(self) -> dict[str, Any]:
        """What a learner's browser may see: no answers, flags, feedback or explanation."""
        return {
            "schema_version": SCHEMA_VERSION, "id": self.id, "type": self.type,
            "stem": self.stem, "points": str(self.points), **self._public_body(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        """Build and validate a definition from its JSON form (any type from the base)."""
        from assessments.schema import read_question

        question = read_question(data)
        if cls is not Question and not isinstance(question, cls):
            _fail("type", f"expected {cls.type!r}, got {question.type!r}")
        return question


def _choices(question: SingleChoice | MultipleResponse) -> None:
    _set(question, "choices", tuple(question.choices))
    if len(question.choices) < 2 or not all(isinstance(c, Choice) for c in question.choices):
        _fail(question.id, "needs at least two choices")
    _unique([choice.id for choice in question.choices], question.id)


def _choice_dicts(choices: Sequence[Choice], *, public: bool) -> list[dict[str, Any]]:
    if public:
        return [{"id": choice.id, "text": choice.text} for choice in choices]
    return [dataclasses.asdict(choice) for choice in choices]


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    type: ClassVar[str] = "single_choice"
    choices: tuple[Choice, ...]

    def _check(self) -> None:
        _choices(self)
        right = sum(choice.correct for choice in self.choices)
        if right != 1:
            _fail(self.id, f"a single-choice question needs exactly one correct choice, "
                           f"not {right}")

    def _body(self) -> dict[str, Any]:
        return {"choices": _choice_dicts(self.choices, public=False)}

    def _public_body(self) -> dict[str, Any]:
        return {"choices": _choice_dicts(self.choices, public=True)}


@dataclass(frozen=True, kw_only=True)
class MultipleResponse(Question):
    """Select all that apply. ``partial``: (right picked - wrong picked) / number right,
    floored at 0. ``all_or_nothing``: 1 only for exactly the right set."""

    type: ClassVar[str] = "multiple_response"
    choices: tuple[Choice, ...]
    scoring: str = "partial"

    def _check(self) -> None:
        _choices(self)
        if not any(choice.correct for choice in self.choices):
            _fail(self.id, "a multiple-response question needs at least one correct choice")
        if self.scoring not in SCORING_MODES:
            _fail(self.id, f"scoring must be one of {', '.join(SCORING_MODES)}")

    def _body(self) -> dict[str, Any]:
        return {"choices": _choice_dicts(self.choices, public=False), "scoring": self.scoring}

    def _public_body(self) -> dict[str, Any]:
        return {"choices": _choice_dicts(self.choices, public=True), "scoring": self.scoring}


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """``feedback_true`` is shown to whoever answers True, ``feedback_false`` for False."""

    type: ClassVar[str] = "true_false"
    answer: bool
    feedback_true: str = ""
    feedback_false: str = ""

    def _check(self) -> None:
        if not isinstance(self.answer, bool):
            _fail(self.id, "answer must be true or false")
        _html_fields(self, "feedback_true", "feedback_false")

    def _body(self) -> dict[str, Any]:
        return {"answer": self.answer, "feedback_true": self.feedback_true,
                "feedback_false": self.feedback_false}


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """A number within ``tolerance`` of ``answer``, boundaries included. ``relative``
    tolerance is a fraction of |answer| (0.05 = 5 %). With a ``unit``, a response in a
    spelling not accepted scores 0; a missing unit costs ``unit_penalty`` of the credit."""

    type: ClassVar[str] = "numeric"
    answer: Decimal
    tolerance: Decimal = Decimal(0)
    tolerance_kind: str = "absolute"
    unit: str = ""
    accepted_units: tuple[str, ...] = ()
    unit_penalty: Decimal = Decimal("0.1")
    feedback: str = ""
    alternatives: tuple[NumericAnswer, ...] = ()

    def _check(self) -> None:
        _set(self, "answer", to_decimal(self.answer, f"{self.id} answer"))
        _set(self, "tolerance", _tolerance(self.tolerance))
        _set(self, "unit_penalty", to_decimal(self.unit_penalty, f"{self.id} unit_penalty"))
        _set(self, "alternatives", tuple(self.alternatives))
        _set(self, "accepted_units", tuple(self.accepted_units))
        _html_fields(self, "feedback")
        if self.tolerance_kind not in TOLERANCE_KINDS:
            _fail(self.id, f"tolerance_kind must be one of {', '.join(TOLERANCE_KINDS)}")
        if not 0 <= self.unit_penalty <= 1:
            _fail(self.id, "unit_penalty must be between 0 and 1")
        units = (self.unit, *self.accepted_units)
        if not all(isinstance(unit, str) and len(unit) <= 50 for unit in units):
            _fail(self.id, "units must be strings of at most 50 characters")
        if self.accepted_units and not normalize_unit(self.unit):
            _fail(self.id, "accepted_units given without a unit")
        if not all(isinstance(alt, NumericAnswer) for alt in self.alternatives):
            _fail(self.id, "alternatives must be NumericAnswer")

    def units(self) -> frozenset[str]:
        """Every accepted unit spelling, normalised (empty when no unit is asked for)."""
        spellings = (self.unit, *self.accepted_units)
        return frozenset(filter(None, map(normalize_unit, spellings)))

    def _body(self) -> dict[str, Any]:
        return {
            "answer": str(self.answer), "tolerance": str(self.tolerance),
            "tolerance_kind": self.tolerance_kind, "unit": self.unit,
            "accepted_units": list(self.accepted_units),
            "unit_penalty": str(self.unit_penalty), "feedback": self.feedback,
            "alternatives": [
                {"value": str(alt.value), "tolerance": str(alt.tolerance),
                 "credit": str(alt.credit), "feedback": alt.feedback}
                for alt in self.alternatives
            ],
        }

    def _public_body(self) -> dict[str, Any]:
        return {"unit": self.unit}


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    """Typed text compared with each accepted answer after textnorm.normalize_answer."""

    type: ClassVar[str] = "short_text"
    answers: tuple[TextAnswer, ...]
    case_sensitive: bool = False
    accent_sensitive: bool = False

    def _check(self) -> None:
        _set(self, "answers", tuple(self.answers))
        if not self.answers or not all(isinstance(a, TextAnswer) for a in self.answers):
            _fail(self.id, "needs at least one accepted answer")
        if not any(answer.credit == 1 for answer in self.answers):
            _fail(self.id, "needs an accepted answer with full credit")
        if not isinstance(self.case_sensitive, bool) or not isinstance(
            self.accent_sensitive, bool
        ):
            _fail(self.id, "case_sensitive and accent_sensitive must be true or false")
        _unique([self.normalize(answer.text) for answer in self.answers],
                f"{self.id} accepted answers (after normalisation)")

    def normalize(self, text: str) -> str:
        return normalize_answer(text, case_sensitive=self.case_sensitive,
                                accent_sensitive=self.accent_sensitive)

    def _body(self) -> dict[str, Any]:
        return {
            "answers": [{"text": a.text, "credit": str(a.credit), "feedback": a.feedback}
                        for a in self.answers],
            "case_sensitive": self.case_sensitive, "accent_sensitive": self.accent_sensitive,
        }


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Each prompt has one right answer; credit is the share of prompts matched right."""

    type: ClassVar[str] = "matching"
    prompts: tuple[MatchPrompt, ...]
    answers: tuple[Item, ...]

    def _check(self) -> None:
        _set(self, "prompts", tuple(self.prompts))
        _set(self, "answers", tuple(self.answers))
        if len(self.prompts) < 2:
            _fail(self.id, "a matching question needs at least two pairs")
        _unique([prompt.id for prompt in self.prompts], f"{self.id} prompts")
        _unique([answer.id for answer in self.answers], f"{self.id} answers")
        _unique([answer.text for answer in self.answers], f"{self.id} answer texts")
        _unique([prompt.text for prompt in self.prompts], f"{self.id} prompt texts")
        known = {answer.id: answer for answer in self.answers}
        for prompt in self.prompts:
            if prompt.answer_id not in known:
                _fail(self.id, f"prompt {prompt.id} points at unknown answer "
                               f"{prompt.answer_id!r}")
        # Canonical order: answers in the order prompts first use them, then distractors.
        used = list(dict.fromkeys(prompt.answer_id for prompt in self.prompts))
        _set(self, "answers", tuple(known[answer_id] for answer_id in used) + tuple(
            answer for answer in self.answers if answer.id not in used))

    def _body(self) -> dict[str, Any]:
        return {"prompts": [dataclasses.asdict(prompt) for prompt in self.prompts],
                "answers": [dataclasses.asdict(answer) for answer in self.answers]}

    def _public_body(self) -> dict[str, Any]:
        return {
            "prompts": [{"id": prompt.id, "text": prompt.text} for prompt in self.prompts],
            "answers": [dataclasses.asdict(a) for a in stable_shuffle(self.id, self.answers)],
        }


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """``items`` in the right order. ``partial``: (L - 1) / (n - 1), where L is the
    longest run of items, not necessarily adjacent, already in the right relative order."""

    type: ClassVar[str] = "ordering"
    items: tuple[Item, ...]
    scoring: str = "partial"

    def _check(self) -> None:
        _set(self, "items", tuple(self.items))
        if len(self.items) < 2:
            _fail(self.id, "an ordering question needs at least two items")
        _unique([item.id for item in self.items], f"{self.id} items")
        if self.scoring not in SCORING_MODES:
            _fail(self.id, f"scoring must be one of {', '.join(SCORING_MODES)}")

    def _body(self) -> dict[str, Any]:
        return {"items": [dataclasses.asdict(item) for item in self.items],
                "scoring": self.scoring}

    def _public_body(self) -> dict[str, Any]:
        shown = stable_shuffle(self.id, self.items)
        if shown == list(self.items):  # never show the answer as the starting order
            shown = shown[1:] + shown[:1]
        return {"items": [dataclasses.asdict(item) for item in shown], "scoring": self.scoring}


@dataclass(frozen=True, kw_only=True)
class CaseSet(Question):
    """A shared vignette and its sub-questions; points are the sum of the parts'."""

    type: ClassVar[str] = "case_set"
    needs_stem: ClassVar[bool] = False
    vignette: str
    parts: tuple[Question, ...]

    def __post_init__(self) -> None:
        parts = tuple(self.parts)
        _set(self, "parts", parts)
        if all(isinstance(part, Question) for part in parts):
            _set(self, "points", sum((part.points for part in parts), Decimal(0)) or ONE)
        super().__post_init__()

    def _check(self) -> None:
        _html_fields(self, "vignette")
        if not has_content(self.vignette):
            _fail(self.id, "the vignette is empty")
        if not self.parts or not all(isinstance(part, Question) for part in self.parts):
            _fail(self.id, "a case set needs at least one sub-question")
        if any(isinstance(part, CaseSet) for part in self.parts):
            _fail(self.id, "a case set cannot contain another case set")
        _unique([self.id, *(part.id for part in self.parts)], f"{self.id} parts")

    def _body(self) -> dict[str, Any]:
        return {"vignette": self.vignette, "parts": [part.to_dict() for part in self.parts]}

    def _public_body(self) -> dict[str, Any]:
        return {"vignette": self.vignette,
                "parts": [part.public_dict() for part in self.parts]}


QUESTION_TYPES: dict[str, type[Question]] = {
    cls.type: cls
    for cls in (SingleChoice, MultipleResponse, TrueFalse, Numeric, ShortText, Matching,
                Ordering, CaseSet)
}


def question_from_dict(data: Mapping[str, Any]) -> Question:
    """Build any definition from its JSON form; raise QuestionDefinitionError."""
    return Question.from_dict(data)
