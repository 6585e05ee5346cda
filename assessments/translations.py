"""Quizzes in the learner's language (ADR 0011). Re-exported by nothing: assessments.api
uses it.

Attempts are always on the canonical quiz and its canonical questions, and graded on the
attempt's snapshot. What a learner reads is the snapshot with the texts of the live
translation of each question in her language laid over it by id (wagtail-localize keeps
StreamField block ids, so question, choice, prompt and item ids are the same in every
translation). Anything a translation lacks, or gives empty, stays as in the snapshot.
``overlay`` is pure; grading never sees its result.
"""

import copy
import dataclasses
from collections.abc import Mapping

from django.utils import translation

# Texts a learner reads; never an answer key (a short-text question's accepted answers,
# numeric values and units stay the snapshot's).
TEXT_KEYS = ("title", "stem", "explanation", "vignette", "text", "feedback",
             "feedback_true", "feedback_false", "hint", "general_feedback")
LIST_KEYS = ("choices", "prompts", "answers", "items", "parts", "hints")


def overlay(snapshot: Mapping, translated: Mapping | None) -> dict:
    """``snapshot`` (a question's JSON) with ``translated``'s texts where they have the
    same id; pure."""
    result = dict(snapshot)
    if not translated:
        return result
    for key in TEXT_KEYS:
        value = translated.get(key)
        if key in snapshot and isinstance(value, str) and value.strip():
            result[key] = value
    for key in LIST_KEYS:
        mine, theirs = snapshot.get(key), translated.get(key)
        if not isinstance(mine, list) or not isinstance(theirs, list):
            continue
        by_id = {item["id"]: item for item in theirs if isinstance(item, dict) and "id" in item}
        result[key] = [overlay(item, by_id.get(item.get("id")))
                       if isinstance(item, dict) and item.get("id") in by_id else item
                       for item in mine]
    return result


def with_feedback_of(grade, shown):
    """``grade`` (graded on the snapshot) with the feedback texts of ``shown`` (the same
    response graded on the translated definition, whose answer keys are the snapshot's)."""
    if shown is None or shown.question_id != grade.question_id:
        return grade
    parts = grade.parts
    if len(shown.parts) == len(parts):
        parts = tuple(with_feedback_of(part, other) for part, other in zip(parts, shown.parts,
                                                                           strict=True))
    return dataclasses.replace(grade, feedback=shown.feedback or grade.feedback, parts=parts)


def translated_questions(*, quiz, questions) -> dict[str, dict]:
    """The JSON of the live translations, in the active language, of the questions a
    quiz draws from (``questions``: a queryset of its canonical questions), by question
    id; empty (and no query) when the active language is the quiz's."""
    from assessments.models import Question
    from assessments.questions import QuestionDefinitionError

    language = _language()
    if language == quiz.locale.language_code:
        return {}
    found = {}
    for question in Question.objects.filter(
            locale__language_code=language, live=True,
            translation_key__in=questions.values("translation_key")):
        try:
            data = question.definition().to_dict()
        except QuestionDefinitionError:
            continue
        found[data["id"]] = data
    return found


def shown_quiz(quiz):
    """The canonical ``quiz`` with the title and introduction of its live translation in
    the active language, if any (an unsaved copy: never save it); no query when she
    reads the quiz's own language (load quizzes with ``select_related("locale")``), one
    otherwise."""
    language = _language()
    if language == quiz.locale.language_code:
        return quiz
    translated = type(quiz).objects.filter(
        translation_key=quiz.translation_key, locale__language_code=language, live=True,
    ).only("title", "introduction").first()
    if translated is None:
        return quiz
    shown = copy.copy(quiz)
    shown.title = translated.title or quiz.title
    shown.introduction = translated.introduction or quiz.introduction
    return shown


def _language() -> str:
    """The active language's code, as Locale rows spell it (settings.LANGUAGES)."""
    return (translation.get_language() or "").lower()
