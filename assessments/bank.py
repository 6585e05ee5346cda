"""The question bank's import and export: definitions in, ``Question`` rows out, and back.

``question_body(definition)`` is the inverse of ``Question.definition()``: the raw
StreamField value whose block id is the definition's id and whose list items keep the
choice, prompt and item ids, so ``Question(body=question_body(d)).definition()`` grades
every response exactly as ``d`` does. Imported definitions carry stable ids (GIFT and
Aiken derive them from the title or text), so ``import_questions`` updates the question
whose block id is already that id instead of adding a duplicate.

The question editor keeps choice, prompt, item and feedback texts as plain text: markup
in them is dropped on import (the words stay). What the bank cannot store at all
(numeric alternatives, a unit penalty other than 10 %, points with more than two
decimals) makes the question an :class:`BankIssue`, and nothing is imported.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator

from assessments import questions
from assessments.gift_export import export_gift_report
from assessments.importing import ExportReport
from assessments.models import Difficulty, Question
from courses import api as courses_api
from lms.core.api import AuditAction, AuditTarget, record_audit

__all__ = [
    "BankImportError",
    "BankIssue",
    "ImportResult",
    "export_questions",
    "import_questions",
    "question_body",
    "question_from_definition",
]

DEFAULT_UNIT_PENALTY = Decimal("0.1")
TITLE_CHARS = 80


@dataclass(frozen=True)
class BankIssue:
    """A definition the bank cannot store: its position in the file (1-based), its title
    or text, and why."""

    number: int
    title: str
    message: str

    def __str__(self) -> str:
        return f"question {self.number} ({self.title}): {self.message}"


class BankImportError(Exception):
    def __init__(self, issues: Sequence[BankIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(map(str, self.issues)))


@dataclass(frozen=True)
class ImportResult:
    created: list[Question] = field(default_factory=list)
    updated: list[Question] = field(default_factory=list)


# --- Definition -> StreamField value -------------------------------------------------------


def _plain(text: str) -> str:
    """Plain text for the editor's plain-text fields (blocks.py escapes it back)."""
    return " ".join(html.unescape(strip_tags(text)).split())


def _items(pairs: list[tuple[str, Any]]) -> list[dict]:
    return [{"type": "item", "id": item_id, "value": value} for item_id, value in pairs]


def _common(definition: questions.Question) -> dict:
    return {
        "explanation": definition.explanation,
        "references": _items([(f"{definition.id}-ref-{n}", ref)
                              for n, ref in enumerate(definition.references, start=1)]),
        "points": str(definition.points),
    }


def _choices(definition) -> list[dict]:
    return _items([(choice.id, {"text": _plain(choice.text), "correct": choice.correct,
                                "feedback": _plain(choice.feedback)})
                   for choice in definition.choices])


def _matching(definition: questions.Matching) -> dict:
    answers = {answer.id: answer.text for answer in definition.answers}
    used = {prompt.answer_id for prompt in definition.prompts}
    return {
        "pairs": _items([(prompt.id, {"prompt": _plain(prompt.text),
                                      "answer": _plain(answers[prompt.answer_id])})
                         for prompt in definition.prompts]),
        "distractors": _items([(answer.id, _plain(answer.text))
                               for answer in definition.answers if answer.id not in used]),
    }


_BODIES = {
    "single_choice": lambda d: {"choices": _choices(d)},
    "multiple_response": lambda d: {"choices": _choices(d), "scoring": d.scoring},
    "true_false": lambda d: {"answer": d.answer, "feedback_true": _plain(d.feedback_true),
                             "feedback_false": _plain(d.feedback_false)},
    "numeric": lambda d: {
        "answer": str(d.answer), "tolerance": str(d.tolerance),
        "tolerance_kind": d.tolerance_kind, "unit": d.unit,
        "accepted_units": ", ".join(d.accepted_units), "feedback": _plain(d.feedback)},
    "short_text": lambda d: {
        "answers": _items([(f"{d.id}-answer-{n}", {"text": answer.text,
                                                   "credit": str(answer.credit),
                                                   "feedback": _plain(answer.feedback)})
                           for n, answer in enumerate(d.answers, start=1)]),
        "case_sensitive": d.case_sensitive, "accent_sensitive": d.accent_sensitive},
    "matching": _matching,
    "ordering": lambda d: {"items": _items([(item.id, _plain(item.text)) for item in d.items]),
                           "scoring": d.scoring},
}


def _value(definition: questions.Question) -> dict:
    if isinstance(definition, questions.CaseSet):
        return {"vignette": definition.vignette,
                "parts": [{"type": part.type, "id": part.id, "value": _value(part)}
                          for part in definition.parts],
                "explanation": definition.explanation,
                "references": _common(definition)["references"]}
    return {"stem": definition.stem, **_BODIES[definition.type](definition),
            **_common(definition)}


def question_body(definition: questions.Question) -> list[dict]:
    """The raw StreamField value of ``Question.body`` for a definition."""
    return [{"type": definition.type, "id": definition.id, "value": _value(definition)}]


def _title(definition: questions.Question) -> str:
    if definition.title:
        return definition.title[:255]
    text = _plain(getattr(definition, "stem", "") or getattr(definition, "vignette", ""))
    return Truncator(text).chars(TITLE_CHARS) or definition.id


def _domain(value: str) -> str:
    return value if value in courses_api.WorkingGroup.values else ""


def question_from_definition(definition: questions.Question, *, domain: str = "",
                             topic: str = "", difficulty: str = "") -> Question:
    """An unsaved Question for ``definition``; the arguments, when given, replace the
    definition's own tags."""
    tags = definition.tags
    return Question(
        title=_title(definition), body=question_body(definition),
        domain=_domain(domain or tags.domain), topic=(topic or tags.topic)[:100],
        difficulty=difficulty or tags.difficulty or Difficulty.MEDIUM,
    )


# --- Checks ---------------------------------------------------------------------------------


def _unsupported(definition: questions.Question) -> list[str]:
    reasons = []
    if definition.points != definition.points.quantize(Decimal("0.01")):
        reasons.append("points with more than two decimals")
    if isinstance(definition, questions.Numeric):
        if definition.alternatives:
            reasons.append("more than one accepted numeric answer")
        if definition.unit_penalty != DEFAULT_UNIT_PENALTY:
            reasons.append("a unit penalty other than 10 %")
    for part in getattr(definition, "parts", ()):
        reasons += _unsupported(part)
    return reasons


def _check(number: int, definition: questions.Question, question: Question) -> list[BankIssue]:
    title = Truncator(question.title).chars(60)
    reasons = _unsupported(definition)
    if reasons:
        return [BankIssue(number, title, "the question bank cannot store "
                          + ", ".join(reasons))]
    try:
        question.full_clean(exclude=["updated_at"])
    except ValidationError as error:
        messages = [str(m) for m in error.messages]
        return [BankIssue(number, title, "; ".join(messages))]
    return []


# --- Use cases -----------------------------------------------------------------------------


def _same_question(current: Question, incoming: Question) -> bool:
    """Whether the stored question already says exactly what the import says (text,
    answers, feedback, title and tags)."""
    try:
        return current.definition().to_dict() == incoming.definition().to_dict()
    except questions.QuestionDefinitionError:
        return False


def _store(question: Question, *, user, publish: bool) -> None:
    """Save an imported question. With ``publish`` (an importer who may publish questions)
    it goes live at once. Otherwise it waits for clinical review: a new question is a
    draft that learners never draw; a change to a live one is kept in a revision, the
    live row untouched; either is submitted to the review workflow."""
    if question.pk is None or not question.live or publish:
        question.live = question.live if question.pk else publish
        question.save()
    revision = question.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user, skip_permission_checks=True)
        return
    workflow = question.get_workflow()
    if workflow is not None and not question.workflow_in_progress:
        workflow.start(question, user)


def import_questions(*, definitions: Sequence[questions.Question], domain: str = "",
                     topic: str = "", difficulty: str = "", user=None,
                     publish: bool = False, source: str = "") -> ImportResult:
    """Create a Question per definition, or update the one already holding its id, in one
    transaction; raises BankImportError (nothing saved) if any cannot be stored. Unless
    ``publish``, nothing imported reaches learners before a clinical reviewer approves it
    (see ``_store``). The audit trail records the import (``source``: the file's name)."""
    built = [question_from_definition(d, domain=domain, topic=topic, difficulty=difficulty)
             for d in definitions]
    issues = [issue for number, (definition, question) in
              enumerate(zip(definitions, built, strict=True), start=1)
              for issue in _check(number, definition, question)]
    if issues:
        raise BankImportError(issues)
    ids = [definition.id for definition in definitions]
    result = ImportResult()
    with transaction.atomic():
        existing = {question.body[0].id: question for question in
                    Question.objects.select_for_update().filter(body__0__id__in=ids)}
        for definition, question in zip(definitions, built, strict=True):
            current = existing.get(definition.id)
            if current is None:
                _store(question, user=user, publish=publish)
                result.created.append(question)
                continue
            if _same_question(current, question):  # re-uploaded as it is: no new review
                result.updated.append(current)
                continue
            for name in ("title", "body", "domain", "topic", "difficulty"):
                setattr(current, name, getattr(question, name))
            _store(current, user=user, publish=publish)
            result.updated.append(current)
        record_audit(actor=user, action=AuditAction.IMPORT_RUN,
                     target=AuditTarget(type="assessments.question_bank", label=source),
                     summary=f"{source}: {len(result.created)} new, {len(result.updated)} "
                             f"updated questions",
                     details={"source": source, "created": len(result.created),
                              "updated": len(result.updated), "published": publish})
    return result


def export_questions(*, questions_: Sequence[Question], exported_by=None,
                     description: str = "") -> ExportReport:
    """GIFT for the questions (see gift_export); ordering and case-set questions, and any
    that is not valid yet, are skipped and listed in the report. With ``exported_by``, the
    audit trail records the export (``description``: what was chosen)."""
    definitions, skipped = [], []
    for question in questions_:
        try:
            definitions.append(question.definition())
        except questions.QuestionDefinitionError as error:
            skipped.append((question.title, str(error)))
    report = export_gift_report(definitions)
    if exported_by is not None:
        record_audit(actor=exported_by, action=AuditAction.EXPORT_MADE,
                     target=AuditTarget(type="assessments.question_bank", label=description),
                     summary=f"GIFT: {len(questions_)} questions ({description})",
                     details={"format": "gift", "questions": [q.pk for q in questions_][:500],
                              "skipped": len(report.skipped) + len(skipped)})
    return ExportReport(text=report.text, skipped=(*report.skipped, *skipped))
