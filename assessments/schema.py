"""Reading question definitions from their JSON form (``schema_version`` 1).

Owns the strict reader behind ``Question.from_dict``: unknown keys, wrong types and
unsupported schema versions are errors that name the field (``parts[1].choices[0].id``),
never silently ignored. Validation of meaning (exactly one correct choice, …) belongs to
the dataclasses in ``questions.py``; this module only turns JSON into their arguments.
When the schema changes, bump ``SCHEMA_VERSION`` and upgrade old dicts here, in
``_upgrade``, before reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assessments.questions import (
    QUESTION_TYPES,
    SCHEMA_VERSION,
    CaseSet,
    Choice,
    Item,
    MatchPrompt,
    NumericAnswer,
    Question,
    QuestionDefinitionError,
    Tags,
    TextAnswer,
    to_decimal,
)

_COMMON = frozenset({"schema_version", "id", "type", "title", "stem", "explanation",
                     "references", "tags", "points"})
_KEYS: dict[str, frozenset[str]] = {
    "single_choice": frozenset({"choices"}),
    "multiple_response": frozenset({"choices", "scoring"}),
    "true_false": frozenset({"answer", "feedback_true", "feedback_false"}),
    "numeric": frozenset({"answer", "tolerance", "tolerance_kind", "unit", "accepted_units",
                          "unit_penalty", "feedback", "alternatives"}),
    "short_text": frozenset({"answers", "case_sensitive", "accent_sensitive"}),
    "matching": frozenset({"prompts", "answers"}),
    "ordering": frozenset({"items", "scoring"}),
    "case_set": frozenset({"vignette", "parts"}),
}
_MISSING: Any = object()


class _Reader:
    """Typed, path-aware access to one JSON object."""

    def __init__(self, data: object, path: str, allowed: frozenset[str]) -> None:
        if not isinstance(data, Mapping):
            raise QuestionDefinitionError(f"{path or 'definition'}: expected an object")
        unknown = sorted(str(key) for key in data if key not in allowed)
        if unknown:
            raise QuestionDefinitionError(f"{path or 'definition'}: unknown keys {unknown}")
        self.data, self.path = data, path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = _MISSING) -> Any:
        if key not in self.data:
            if default is _MISSING:
                raise QuestionDefinitionError(f"{self.where(key)}: required")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise QuestionDefinitionError(f"{self.where(key)}: wrong type")
        return value

    def text(self, key: str, default: Any = _MISSING) -> str:
        return self.get(key, str, default)

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        return self.get(key, bool, default)

    def number(self, key: str, default: Any = _MISSING) -> Decimal:
        value = self.get(key, (str, int, float, Decimal), default)
        return to_decimal(value, self.where(key))

    def objects(self, key: str, keys: frozenset[str]) -> list[_Reader]:
        items = self.get(key, list, [])
        return [_Reader(item, f"{self.where(key)}[{index}]", keys)
                for index, item in enumerate(items)]

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(value, str) for value in values):
            raise QuestionDefinitionError(f"{self.where(key)}: must be a list of strings")
        return tuple(values)


def _upgrade(data: Mapping[str, Any], version: object) -> Mapping[str, Any]:
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise QuestionDefinitionError(
            f"schema_version {version!r} is not supported (expected {SCHEMA_VERSION})"
        )
    return data


def read_question(data: Mapping[str, Any], path: str = "", version: object = None) -> Question:
    """Build a definition; ``version`` is inherited by case-set parts that omit it."""
    if not isinstance(data, Mapping):
        raise QuestionDefinitionError(f"{path or 'definition'}: expected an object")
    version = data.get("schema_version", version)
    data = _upgrade(data, version)
    kind = data.get("type")
    if kind not in QUESTION_TYPES:
        raise QuestionDefinitionError(f"{path or 'definition'}: unknown type {kind!r}")
    reader = _Reader(data, path, _COMMON | _KEYS[kind])
    tags = _Reader(reader.get("tags", Mapping, {}), reader.where("tags"),
                   frozenset({"domain", "topic", "difficulty"}))
    common: dict[str, Any] = {
        "id": reader.text("id"), "title": reader.text("title", ""),
        "stem": reader.text("stem", ""), "explanation": reader.text("explanation", ""),
        "references": reader.strings("references"),
        "tags": Tags(domain=tags.text("domain", ""), topic=tags.text("topic", ""),
                     difficulty=tags.get("difficulty", (str, type(None)), None)),
    }
    if kind != CaseSet.type:
        common["points"] = reader.number("points", Decimal(1))
    try:
        return QUESTION_TYPES[kind](**common, **_READERS[kind](reader, version))
    except QuestionDefinitionError as error:
        if not path or str(error).startswith(path):
            raise
        raise QuestionDefinitionError(f"{path}: {error}") from None


_CHOICE = frozenset({"id", "text", "correct", "feedback"})


def _choices(reader: _Reader) -> tuple[Choice, ...]:
    return tuple(
        Choice(id=item.text("id"), text=item.text("text"), correct=item.flag("correct", False),
               feedback=item.text("feedback", ""))
        for item in reader.objects("choices", _CHOICE)
    )


def _single(reader: _Reader, version: object) -> dict[str, Any]:
    return {"choices": _choices(reader)}


def _multiple(reader: _Reader, version: object) -> dict[str, Any]:
    return {"choices": _choices(reader), "scoring": reader.text("scoring", "partial")}


def _true_false(reader: _Reader, version: object) -> dict[str, Any]:
    return {"answer": reader.flag("answer"), "feedback_true": reader.text("feedback_true", ""),
            "feedback_false": reader.text("feedback_false", "")}


def _numeric(reader: _Reader, version: object) -> dict[str, Any]:
    keys = frozenset({"value", "tolerance", "credit", "feedback"})
    alternatives = tuple(
        NumericAnswer(value=item.number("value"), tolerance=item.number("tolerance", 0),
                      credit=item.number("credit", 1), feedback=item.text("feedback", ""))
        for item in reader.objects("alternatives", keys)
    )
    return {
        "answer": reader.number("answer"), "tolerance": reader.number("tolerance", 0),
        "tolerance_kind": reader.text("tolerance_kind", "absolute"),
        "unit": reader.text("unit", ""), "accepted_units": reader.strings("accepted_units"),
        "unit_penalty": reader.number("unit_penalty", Decimal("0.1")),
        "feedback": reader.text("feedback", ""), "alternatives": alternatives,
    }


def _short_text(reader: _Reader, version: object) -> dict[str, Any]:
    answers = []
    for index, item in enumerate(reader.get("answers", list)):
        if isinstance(item, str):  # shorthand: a bare accepted answer with full credit
            answers.append(TextAnswer(text=item))
            continue
        answer = _Reader(item, f"{reader.where('answers')}[{index}]",
                         frozenset({"text", "credit", "feedback"}))
        answers.append(TextAnswer(text=answer.text("text"), credit=answer.number("credit", 1),
                                  feedback=answer.text("feedback", "")))
    return {"answers": tuple(answers), "case_sensitive": reader.flag("case_sensitive", False),
            "accent_sensitive": reader.flag("accent_sensitive", False)}


def _matching(reader: _Reader, version: object) -> dict[str, Any]:
    prompts = tuple(
        MatchPrompt(id=item.text("id"), text=item.text("text"), answer_id=item.text("answer_id"))
        for item in reader.objects("prompts", frozenset({"id", "text", "answer_id"}))
    )
    return {"prompts": prompts, "answers": _items(reader, "answers")}


def _items(reader: _Reader, key: str) -> tuple[Item, ...]:
    return tuple(Item(id=item.text("id"), text=item.text("text"))
                 for item in reader.objects(key, frozenset({"id", "text"})))


def _ordering(reader: _Reader, version: object) -> dict[str, Any]:
    return {"items": _items(reader, "items"), "scoring": reader.text("scoring", "partial")}


def _case_set(reader: _Reader, version: object) -> dict[str, Any]:
    parts = tuple(
        read_question(part, f"{reader.where('parts')}[{index}]", version)
        for index, part in enumerate(reader.get("parts", list))
    )
    return {"vignette": reader.text("vignette"), "parts": parts}


_READERS = {
    "single_choice": _single, "multiple_response": _multiple, "true_false": _true_false,
    "numeric": _numeric, "short_text": _short_text, "matching": _matching,
    "ordering": _ordering, "case_set": _case_set,
}
