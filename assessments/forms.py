"""The attempt form without Django forms: field names for each question's inputs, reading
a POST into grading responses, and the values to show back in the inputs.

Works from the *public* question dicts only (nothing here knows an answer; the feedback of
a question she has checked is handed in, already described). Field names
are ``q/<question id>`` with ``/<sub id>`` for a matching prompt, an ordering item or a
case part (ids never contain ``/``).
"""

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.http import QueryDict

MAX_TEXT_CHARS = 1000


def _name(*ids: str) -> str:
    return "/".join(("q", *ids))


def _dom_id(name: str, *more: str) -> str:
    return "-".join((name.replace("/", "-"), *more))


def parse_answers(questions: list[dict], data: QueryDict) -> dict[str, Any]:
    """Every question's response as grading reads it (None when left empty)."""
    return {question["id"]: _parse(question, data, _name(question["id"]))
            for question in questions}


def _parse(question: dict, data: QueryDict, name: str) -> Any:
    kind = question["type"]
    if kind == "single_choice":
        return {"choice": data[name]} if data.get(name) else None
    if kind == "multiple_response":
        picked = [value for value in data.getlist(name) if value]
        return {"choices": list(dict.fromkeys(picked))} if picked else None
    if kind == "true_false":
        value = data.get(name)
        return {"answer": value == "true"} if value in ("true", "false") else None
    if kind == "numeric":
        value = data.get(name, "").strip()[:100]
        unit = data.get(f"{name}/unit", "").strip()[:50]
        if not value:
            return None
        return {"value": value, "unit": unit} if unit else {"value": value}
    if kind == "short_text":
        text = data.get(name, "").strip()[:MAX_TEXT_CHARS]
        return {"text": text} if text else None
    if kind == "matching":
        pairs = {p["id"]: data.get(_name(name[2:], p["id"])) for p in question["prompts"]}
        pairs = {key: value for key, value in pairs.items() if value}
        return {"pairs": pairs} if pairs else None
    if kind == "ordering":
        return _parse_order(question, data, name)
    if kind == "case_set":
        parts = {part["id"]: _parse(part, data, _name(name[2:], part["id"]))
                 for part in question["parts"]}
        parts = {key: value for key, value in parts.items() if value is not None}
        return {"parts": parts} if parts else None
    return None


def _parse_order(question: dict, data: QueryDict, name: str) -> Any:
    positions = {}
    for index, item in enumerate(question["items"]):
        raw = data.get(_name(name[2:], item["id"]), "")
        positions[item["id"]] = (int(raw) if raw.isdigit() else 10_000, index)
    if all(position >= 10_000 for position, _ in positions.values()):
        return None
    return {"order": sorted(positions, key=positions.__getitem__)}


def anchor(question_id: str) -> str:
    """The id of a question's fieldset (or case section) on the attempt page."""
    return _dom_id(_name(question_id))


def display_questions(questions: list[dict], answers: Mapping[str, Any],
                      checks: Mapping[str, dict] | None = None, *,
                      can_check: bool = False) -> list[dict]:
    """The public questions, numbered, with field names and her saved answers filled in.
    ``checks`` holds the feedback rows of the questions she has checked (their inputs are
    then locked); ``can_check`` offers a Check button on the others."""
    checks = checks or {}
    shown = []
    for number, question in enumerate(questions, start=1):
        check = checks.get(question["id"])
        item = _display(question, answers.get(question["id"]), _name(question["id"]), number,
                        locked=check is not None)
        item.update(check=check, can_check=can_check and check is None)
        if item["can_check"]:
            item["answer_digest"] += "-c"  # the button is cached with the question
        shown.append(item)
    return shown


def _display(question: dict, answer: Any, name: str, number: int | str, *,
             locked: bool = False) -> dict:
    answer = answer if isinstance(answer, Mapping) else {}
    points = Decimal(question["points"])
    digest = json.dumps([answer, locked], sort_keys=True).encode()
    shown = {**question, "number": number, "name": name, "dom_id": _dom_id(name),
             "points": int(points) if points == points.to_integral() else points,
             "locked": locked,
             "answer_digest": hashlib.blake2b(digest, digest_size=12).hexdigest()}
    kind = question["type"]
    if kind in ("single_choice", "multiple_response"):
        picked = {answer.get("choice")} | set(answer.get("choices") or [])
        shown["choices"] = [{**choice, "checked": choice["id"] in picked,
                             "dom_id": _dom_id(name, str(index))}
                            for index, choice in enumerate(question["choices"])]
    elif kind == "true_false":
        shown["value"] = {True: "true", False: "false"}.get(answer.get("answer"), "")
    elif kind == "numeric":
        shown["value"], shown["unit_value"] = answer.get("value", ""), answer.get("unit", "")
    elif kind == "short_text":
        shown["value"] = answer.get("text", "")
    elif kind == "matching":
        pairs = answer.get("pairs") or {}
        shown["prompts"] = [{**prompt, "name": _name(name[2:], prompt["id"]),
                             "dom_id": _dom_id(name, str(index)),
                             "selected": pairs.get(prompt["id"], "")}
                            for index, prompt in enumerate(question["prompts"])]
    elif kind == "ordering":
        order = answer.get("order") or []
        shown["positions"] = list(range(1, len(question["items"]) + 1))
        shown["items"] = [{**item, "name": _name(name[2:], item["id"]),
                           "dom_id": _dom_id(name, str(index)),
                           "position": order.index(item["id"]) + 1 if item["id"] in order else 0}
                          for index, item in enumerate(question["items"])]
    elif kind == "case_set":
        parts = answer.get("parts") or {}
        shown["parts"] = [_display(part, parts.get(part["id"]), _name(name[2:], part["id"]),
                                   f"{number}.{index}", locked=locked)
                          for index, part in enumerate(question["parts"], start=1)]
    return shown
