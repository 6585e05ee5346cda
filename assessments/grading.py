"""Grading: a pure function of (question definition, response); no ORM, no request.

Owns the response format of each question type, the scoring rules and the ``Grade`` and
``AttemptGrade`` results. ``GRADERS`` maps a question type to its function. A response
is a small JSON-like dict keyed by the stable ids of ``questions.py``:

=====================  ==============================================================
single_choice          ``{"choice": "<choice id>"}``
multiple_response      ``{"choices": ["<choice id>", …]}``
true_false             ``{"answer": true}``
numeric                ``{"value": "1,5", "unit": "mg"}`` (unit optional; ``"1.5 mg"`` in
                       ``value`` also works; see textnorm.parse_number for what is read)
short_text             ``{"text": "…"}``
matching               ``{"pairs": {"<prompt id>": "<answer id>", …}}``
ordering               ``{"order": ["<item id>", …]}`` (every item, once)
case_set               ``{"parts": {"<sub-question id>": <response>, …}}``
=====================  ==============================================================

Nothing a learner sends raises: a missing or empty response is ``unanswered``; a
malformed one (wrong types, unknown or repeated ids, extra keys, text over 1,000
characters, an unreadable or non-finite number) is ``invalid`` with a ``reason``; both
score 0. Scores are exact fractions internally and are reported as Decimals truncated
to four places, so ``score == 1`` exactly when ``correct``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext
from fractions import Fraction
from typing import Any

from assessments.questions import (
    MAX_ANSWER_CHARS,
    CaseSet,
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    TrueFalse,
)
from assessments.textnorm import NumberFormatError, normalize_unit, parse_number
from assessments.textnorm import split_number_and_unit as split_unit

CORRECT, PARTIAL, INCORRECT = "correct", "partially_correct", "incorrect"
UNANSWERED, INVALID = "unanswered", "invalid"
MAX_IDS = 1000
_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Grade:
    """The result of grading one response. ``score`` is the fraction 0..1 of the points."""

    question_id: str
    score: Decimal
    points_awarded: Decimal
    points_possible: Decimal
    correct: bool
    status: str
    feedback: tuple[str, ...] = ()
    reason: str = ""
    parts: tuple[Grade, ...] = ()


@dataclass(frozen=True)
class AttemptGrade:
    """Totals over the questions of one attempt; ``percentage`` is 0..100."""

    points_awarded: Decimal
    points_possible: Decimal
    percentage: Decimal
    grades: tuple[Grade, ...]
    ignored_response_ids: tuple[str, ...] = ()

    def grade_for(self, question_id: str) -> Grade:
        return next(grade for grade in self.grades if grade.question_id == question_id)


@dataclass(frozen=True)
class _Outcome:
    fraction: Fraction
    status: str = ""  # derived from the fraction when empty
    feedback: tuple[str, ...] = ()
    reason: str = ""
    parts: tuple[Grade, ...] = ()


class _Invalid(Exception):
    """The response is malformed; the message is the reason."""


class _Unanswered(Exception):
    """The response is missing or empty."""


def _truncate(value: Fraction) -> Decimal:
    with localcontext(prec=60):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            _PLACES, rounding=ROUND_DOWN
        )


def _to_grade(question: Question, outcome: _Outcome) -> tuple[Grade, Fraction]:
    fraction = min(max(outcome.fraction, Fraction(0)), Fraction(1))
    status = outcome.status or (
        CORRECT if fraction == 1 else PARTIAL if fraction > 0 else INCORRECT
    )
    awarded = fraction * Fraction(question.points)
    grade = Grade(
        question_id=question.id, score=_truncate(fraction), points_awarded=_truncate(awarded),
        points_possible=question.points, correct=fraction == 1 and status == CORRECT,
        status=status, feedback=tuple(text for text in outcome.feedback if text),
        reason=outcome.reason, parts=outcome.parts,
    )
    return grade, awarded


def _grade_exact(question: Question, response: object) -> tuple[Grade, Fraction]:
    try:
        if response is None or (isinstance(response, Mapping) and not response):
            raise _Unanswered
        if not isinstance(response, Mapping):
            raise _Invalid("the response must be an object")
        outcome = GRADERS[question.type](question, response)
    except _Unanswered:
        outcome = _Outcome(Fraction(0), UNANSWERED)
    except _Invalid as error:
        outcome = _Outcome(Fraction(0), INVALID, reason=str(error))
    return _to_grade(question, outcome)


def grade(definition: Question, response: object) -> Grade:
    """Grade one response to one definition; never raises for any response."""
    return _grade_exact(definition, response)[0]


def grade_attempt(definitions: Mapping[str, Question], responses: object) -> AttemptGrade:
    """Grade every question of an attempt. Responses to ids outside ``definitions`` are
    ignored, never counted, and listed in ``ignored_response_ids``."""
    for key, definition in definitions.items():
        if key != definition.id:
            raise ValueError(f"definitions key {key!r} is not the id {definition.id!r}")
    if responses is None:
        responses = {}
    grades, awarded, possible = [], Fraction(0), Fraction(0)
    for question_id, definition in definitions.items():
        if isinstance(responses, Mapping):
            grade_, exact = _grade_exact(definition, responses.get(question_id))
        else:
            grade_, exact = _to_grade(definition, _Outcome(
                Fraction(0), INVALID, reason="responses must be keyed by question id"))
        grades.append(grade_)
        awarded += exact
        possible += Fraction(definition.points)
    ignored = sorted(str(key) for key in responses if key not in definitions) if isinstance(
        responses, Mapping) else []
    percentage = _truncate(awarded / possible * 100) if possible else Decimal(0)
    return AttemptGrade(
        points_awarded=_truncate(awarded), points_possible=_truncate(possible),
        percentage=percentage.quantize(Decimal("0.01"), rounding=ROUND_DOWN),
        grades=tuple(grades), ignored_response_ids=tuple(ignored),
    )


# Reading responses ----------------------------------------------------------------------

def _field(response: Mapping[str, Any], key: str, optional: tuple[str, ...] = ()) -> Any:
    """The response's one required field; unknown keys are invalid, empties unanswered."""
    extra = [k for k in response if k != key and k not in optional]
    if extra:
        raise _Invalid(f"unexpected keys {sorted(map(str, extra))[:5]}")
    value = response.get(key)
    if value is None or (isinstance(value, (str, list, dict)) and not value):
        raise _Unanswered
    return value


def _ids(value: object, known: set[str], what: str) -> list[str]:
    """A list of distinct known ids."""
    if not isinstance(value, list) or len(value) > MAX_IDS:
        raise _Invalid(f"{what} must be a list of ids")
    if not all(isinstance(item, str) for item in value):
        raise _Invalid(f"{what} must be a list of ids")
    if len(set(value)) != len(value):
        raise _Invalid(f"repeated {what}")
    if not set(value) <= known:
        raise _Invalid(f"{what} not in this question")
    return value


# One function per type ------------------------------------------------------------------

def grade_single_choice(question: SingleChoice, response: Mapping[str, Any]) -> _Outcome:
    choice_id = _field(response, "choice")
    chosen = next((c for c in question.choices if c.id == choice_id), None)
    if not isinstance(choice_id, str) or chosen is None:
        raise _Invalid("choice not in this question")
    return _Outcome(Fraction(int(chosen.correct)), feedback=(chosen.feedback,))


def grade_multiple_response(question: MultipleResponse, response: Mapping[str, Any]) -> _Outcome:
    """partial: max(0, (right picked - wrong picked) / number right)."""
    picked = set(_ids(_field(response, "choices"), {c.id for c in question.choices}, "choices"))
    right = sum(1 for c in question.choices if c.correct and c.id in picked)
    wrong = sum(1 for c in question.choices if not c.correct and c.id in picked)
    total = sum(1 for c in question.choices if c.correct)
    if question.scoring == "all_or_nothing":
        fraction = Fraction(int(right == total and wrong == 0))
    else:
        fraction = max(Fraction(0), Fraction(right - wrong, total))
    feedback = tuple(c.feedback for c in question.choices if c.id in picked)
    return _Outcome(fraction, feedback=feedback)


def grade_true_false(question: TrueFalse, response: Mapping[str, Any]) -> _Outcome:
    answer = _field(response, "answer")
    if not isinstance(answer, bool):
        raise _Invalid("answer must be true or false")
    feedback = question.feedback_true if answer else question.feedback_false
    return _Outcome(Fraction(int(answer == question.answer)), feedback=(feedback,))


def _within(value: Decimal, answer: Decimal, tolerance: Decimal, kind: str) -> bool:
    """Inclusive tolerance, computed exactly (1.5 ± 0.1 accepts 1.4 and 1.6)."""
    with localcontext(prec=1000):
        allowed = tolerance * abs(answer) if kind == "relative" else tolerance
        return abs(value - answer) <= allowed


def _read_numeric(response: Mapping[str, Any]) -> tuple[Decimal, str | None]:
    raw = _field(response, "value", optional=("unit",))
    unit = response.get("unit")
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise _Invalid("value must be a number or a string")
    if (unit is not None and not isinstance(unit, str)) or len(unit or "") > 50:
        raise _Invalid("unit must be a short string")
    text = repr(raw) if isinstance(raw, float) else str(raw)
    if len(text) > 100:
        raise _Invalid("value too long")
    if not (unit or "").strip() and isinstance(raw, str):
        text, unit = split_unit(text)
    try:
        value = parse_number(text)
    except NumberFormatError as error:
        raise _Invalid(str(error)) from None
    return value, normalize_unit(unit) if unit and unit.strip() else None


def grade_numeric(question: Numeric, response: Mapping[str, Any]) -> _Outcome:
    """Best of the answer (credit 1) and alternatives; a unit not accepted scores 0, a
    missing unit (when one is asked for) loses ``unit_penalty`` of the credit."""
    value, unit = _read_numeric(response)
    units, factor = question.units(), Fraction(1)
    if units and unit is None:
        factor = 1 - Fraction(question.unit_penalty)
    elif units and unit not in units:
        return _Outcome(Fraction(0), reason=f"unit {unit!r} is not accepted")
    kind = question.tolerance_kind
    if _within(value, question.answer, question.tolerance, kind):
        return _Outcome(factor, feedback=(question.feedback,))
    matches = [alt for alt in question.alternatives
               if _within(value, alt.value, alt.tolerance, kind)]
    if not matches:
        return _Outcome(Fraction(0))
    best = max(matches, key=lambda alt: alt.credit)
    return _Outcome(Fraction(best.credit) * factor, feedback=(best.feedback,))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def grade_short_text(question: ShortText, response: Mapping[str, Any]) -> _Outcome:
    text = _field(response, "text")
    if not isinstance(text, str) or len(text) > MAX_ANSWER_CHARS:
        raise _Invalid(f"text must be a string of at most {MAX_ANSWER_CHARS} characters")
    if not text.isascii() and not _encodable(text):
        raise _Invalid("text is not valid Unicode")
    typed = question.normalize(text)
    if not typed:
        raise _Unanswered
    matches = [a for a in question.answers if question.normalize(a.text) == typed]
    if not matches:
        return _Outcome(Fraction(0))
    best = max(matches, key=lambda answer: answer.credit)
    return _Outcome(Fraction(best.credit), feedback=(best.feedback,))


def grade_matching(question: Matching, response: Mapping[str, Any]) -> _Outcome:
    """One share of the credit per prompt matched to its answer."""
    pairs = _field(response, "pairs")
    if not isinstance(pairs, Mapping):
        raise _Invalid("pairs must map prompt ids to answer ids")
    prompts = {prompt.id: prompt for prompt in question.prompts}
    answers = {answer.id for answer in question.answers}
    if not set(pairs) <= set(prompts):
        raise _Invalid("pairs name a prompt not in this question")
    if not all(value is None or (isinstance(value, str) and value in answers)
               for value in pairs.values()):
        raise _Invalid("pairs name an answer not in this question")
    if all(value is None for value in pairs.values()):
        raise _Unanswered
    right = sum(1 for key, value in pairs.items() if prompts[key].answer_id == value)
    return _Outcome(Fraction(right, len(prompts)))


def _longest_ordered_run(positions: list[int]) -> int:
    """Length of the longest increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for position in positions:
        index = bisect_left(tails, position)
        tails[index:index + 1] = [position]
    return len(tails)


def grade_ordering(question: Ordering, response: Mapping[str, Any]) -> _Outcome:
    """partial: (L - 1) / (n - 1), L the longest subsequence in the right relative order."""
    correct = [item.id for item in question.items]
    order = _ids(_field(response, "order"), set(correct), "items")
    if len(order) != len(correct):
        raise _Invalid("order must list every item once")
    if question.scoring == "all_or_nothing":
        return _Outcome(Fraction(int(order == correct)))
    run = _longest_ordered_run([correct.index(item_id) for item_id in order])
    return _Outcome(Fraction(run - 1, len(correct) - 1))


def grade_case_set(question: CaseSet, response: Mapping[str, Any]) -> _Outcome:
    """Sum of the parts: points awarded over points possible, each part graded alone."""
    answers = _field(response, "parts")
    if not isinstance(answers, Mapping):
        raise _Invalid("parts must map sub-question ids to responses")
    if not set(answers) <= {part.id for part in question.parts}:
        raise _Invalid("parts name a sub-question not in this case")
    results = [_grade_exact(part, answers.get(part.id)) for part in question.parts]
    grades = tuple(grade_ for grade_, _ in results)
    statuses = {grade_.status for grade_ in grades}
    fraction = sum((exact for _, exact in results), Fraction(0)) / Fraction(question.points)
    status = ""
    if statuses == {UNANSWERED}:
        status = UNANSWERED
    elif fraction == 0 and statuses <= {UNANSWERED, INVALID}:
        status = INVALID
    return _Outcome(fraction, status, parts=grades)


GRADERS: dict[str, Callable[[Any, Mapping[str, Any]], _Outcome]] = {
    SingleChoice.type: grade_single_choice,
    MultipleResponse.type: grade_multiple_response,
    TrueFalse.type: grade_true_false,
    Numeric.type: grade_numeric,
    ShortText.type: grade_short_text,
    Matching.type: grade_matching,
    Ordering.type: grade_ordering,
    CaseSet.type: grade_case_set,
}
