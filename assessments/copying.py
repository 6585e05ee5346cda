"""Quizzes follow their pages when an educator copies a course (a new edition) or a module.

Wagtail's copy-page copies the course and its modules; quizzes are snippets pointing at a
module or course, so nothing copies them unless we do. ``copy_quizzes`` gives every quiz
placed on a copied page a twin placed on the copy: same settings, same questions from the
bank (the ``quiz_questions`` links, not the questions themselves), created as a draft that
is not live until it is published (through review). Attempts, grades and learners'
progress stay with the originals.

Called from the ``after_copy_page`` hook in ``assessments/wagtail_hooks.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from assessments.models import Quiz, QuizQuestion
from courses import api as courses_api

__all__ = ["copy_quizzes"]

# Bookkeeping of the source quiz (draft state, revisions, locks) that a fresh copy must
# not inherit; everything else is the quiz as the educator set it up.
NOT_COPIED = frozenset({
    "id", "module", "course", "live", "has_unpublished_changes", "first_published_at",
    "translation_key",  # a new edition's quiz is a new quiz, not a translation
    "last_published_at", "live_revision", "latest_revision", "go_live_at", "expire_at",
    "expired", "locked", "locked_at", "locked_by",
})


def _placements(source, target) -> dict[int, int]:
    """Each course or module at or under ``source`` -> the page at the same place under
    ``target`` (a copy keeps the slugs of the pages it copies)."""
    pages = [source, *source.get_descendants()]
    by_url = {page.url_path[len(source.url_path):]: page.pk for page in pages}
    copies = [target, *target.get_descendants()]
    mapping = {}
    for copy in copies:
        original = by_url.get(copy.url_path[len(target.url_path):])
        if original is not None:
            mapping[original] = copy.pk
    return mapping


def _latest(quiz: Quiz) -> Quiz:
    """The quiz as last edited (its latest draft, if it keeps revisions)."""
    if getattr(quiz, "latest_revision_id", None):
        return quiz.get_latest_revision_as_object()
    return quiz


def _copy_one(quiz: Quiz, *, module_id: int | None, course_id: int | None, user) -> Quiz:
    source = _latest(quiz)
    fields = {field.attname: getattr(source, field.attname)
              for field in Quiz._meta.concrete_fields if field.name not in NOT_COPIED}
    twin = Quiz(**fields, module_id=module_id, course_id=course_id)
    if hasattr(twin, "live"):
        twin.live, twin.has_unpublished_changes = False, True
    twin.save()
    QuizQuestion.objects.bulk_create([
        QuizQuestion(quiz=twin, question_id=link.question_id, sort_order=link.sort_order)
        for link in source.quiz_questions.all()
    ])
    if hasattr(twin, "save_revision"):
        twin.save_revision(user=user)
    return twin


def copy_quizzes(*, source_page, target_page, user=None) -> list[Quiz]:
    """Copy, as drafts, the quizzes placed on ``source_page`` and the courses and modules
    under it onto their copies under ``target_page``; returns the new quizzes.

    Does nothing (and returns []) when the copies already carry quizzes, so a repeated
    call cannot double them.
    """
    mapping = _placements(source_page, target_page)
    placed = Q(module_id__in=list(mapping)) | Q(course_id__in=list(mapping))
    copies = list(mapping.values())
    copied_placed = Q(module_id__in=copies) | Q(course_id__in=copies)
    with transaction.atomic():
        if not mapping or Quiz.objects.filter(copied_placed).exists():
            return []
        # Only canonical quizzes: translations follow when the edition is translated.
        quizzes = courses_api.canonical_only(Quiz.objects.filter(placed)).order_by("pk")
        return [
            _copy_one(quiz, module_id=mapping.get(quiz.module_id),
                      course_id=mapping.get(quiz.course_id), user=user)
            for quiz in quizzes
        ]
