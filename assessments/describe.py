"""The result page's words for a graded question: her answer, the correct one, the
feedback and explanation. Only called once feedback may be shown (see api.result_view).

Definition texts are sanitised HTML already (questions.py); what the learner typed is
escaped here.
"""

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import questions as q
from assessments.grading import Grade
from assessments.grading import grade as grade_one

STATUS_LABELS = {
    "correct": gettext_lazy("Correct"),
    "partially_correct": gettext_lazy("Partly correct"),
    "incorrect": gettext_lazy("Incorrect"),
    "unanswered": gettext_lazy("Not answered"),
    "invalid": gettext_lazy("Answer not understood"),
}


def _join(texts: list[str], separator: str = "; ") -> SafeString:
    return mark_safe(separator.join(texts))  # noqa: S308 - sanitised or escaped above


def _texts(items, ids) -> list[str]:
    by_id = {item.id: item.text for item in items}
    return [by_id[item_id] for item_id in ids if item_id in by_id]


def describe_answer(definition: q.Question, answer: Any) -> SafeString:
    answer = answer if isinstance(answer, dict) else {}
    if isinstance(definition, q.SingleChoice):
        return _join(_texts(definition.choices, [answer.get("choice")]))
    if isinstance(definition, q.MultipleResponse):
        return _join(_texts(definition.choices, answer.get("choices") or []))
    if isinstance(definition, q.TrueFalse):
        value = answer.get("answer")
        return escape("" if value is None else _("True") if value else _("False"))
    if isinstance(definition, q.Numeric):
        return escape(" ".join(filter(None, (str(answer.get("value", "")),
                                             str(answer.get("unit", ""))))))
    if isinstance(definition, q.ShortText):
        return escape(answer.get("text", ""))
    if isinstance(definition, q.Matching):
        pairs = answer.get("pairs") or {}
        answers = {item.id: item.text for item in definition.answers}
        return _join([f"{p.text} → {answers.get(pairs.get(p.id), '—')}"
                      for p in definition.prompts if p.id in pairs])
    if isinstance(definition, q.Ordering):
        return _join(_texts(definition.items, answer.get("order") or []), " → ")
    return escape("")


def describe_correct(definition: q.Question) -> SafeString:
    if isinstance(definition, q.SingleChoice | q.MultipleResponse):
        return _join([choice.text for choice in definition.choices if choice.correct])
    if isinstance(definition, q.TrueFalse):
        return escape(_("True") if definition.answer else _("False"))
    if isinstance(definition, q.Numeric):
        tolerance = definition.tolerance
        if definition.tolerance_kind == "relative":
            within = f" ± {tolerance * 100:g} %" if tolerance else ""
        else:
            within = f" ± {tolerance}" if tolerance else ""
        return escape(f"{definition.answer}{within} {definition.unit}".strip())
    if isinstance(definition, q.ShortText):
        return escape(" / ".join(a.text for a in definition.answers if a.credit == 1))
    if isinstance(definition, q.Matching):
        answers = {item.id: item.text for item in definition.answers}
        return _join([f"{p.text} → {answers[p.answer_id]}" for p in definition.prompts])
    if isinstance(definition, q.Ordering):
        return _join([item.text for item in definition.items], " → ")
    return escape("")


def describe(definition: q.Question, answer: Any, grade: Grade) -> dict:
    """Everything the result page shows about one question (parts for a case set)."""
    row = {
        "type": definition.type, "stem": definition.stem, "status": grade.status,
        "status_label": STATUS_LABELS.get(grade.status, grade.status),
        "explanation": definition.explanation, "references": definition.references,
        "feedback": [mark_safe(text) for text in grade.feedback],  # noqa: S308 - sanitised
        "points": grade.points_awarded, "max_points": grade.points_possible,
    }
    if isinstance(definition, q.CaseSet):
        parts = (answer or {}).get("parts") or {} if isinstance(answer, dict) else {}
        grades = {part_grade.question_id: part_grade for part_grade in grade.parts}
        row["vignette"] = definition.vignette
        row["parts"] = [describe(part, parts.get(part.id),
                                 grades.get(part.id) or grade_one(part, parts.get(part.id)))
                        for part in definition.parts]
    else:
        row["your_answer"] = describe_answer(definition, answer)
        row["correct_answer"] = describe_correct(definition)
    return row



def describe_result(item) -> dict:
    """``describe`` for one ``api.QuestionResult``: the points and status are the ledger's
    (an educator's override wins over the automatic grade), with ``reviewed`` set then."""
    row = describe(item.definition, item.answer, item.grade)
    row.update(points=item.points, max_points=item.max_points, status=item.status,
               status_label=STATUS_LABELS.get(item.status, item.status),
               reviewed=item.reviewed)
    return row
