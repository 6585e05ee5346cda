"""Quizzes and questions under clinical review (ADR 0004): who is mid-attempt when an
educator edits one, and the edit-view warning that says so.

Editing never changes an attempt already started (``Attempt.questions`` is a snapshot
and the pass mark is copied onto the attempt); the warning tells the educator that, so
she knows her change reaches only new attempts.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import Panel


def _in_progress():
    from assessments.models import Attempt

    return Attempt.objects.filter(
        Q(deadline__isnull=True) | Q(deadline__gt=timezone.now()),
        state=Attempt.State.IN_PROGRESS,
    )


def learners_mid_quiz(*, quiz) -> int:
    """How many learners have an attempt at ``quiz`` in progress (time not run out)."""
    if quiz.pk is None:
        return 0
    return _in_progress().filter(quiz=quiz).values("user").distinct().count()


def learners_mid_question(*, question) -> int:
    """How many learners have an attempt in progress that shows ``question`` (its stable
    id is in the attempt's snapshot)."""
    if question.pk is None or not len(question.body) or not question.body[0].id:
        return 0
    return (_in_progress().filter(questions__icontains=f'"{question.body[0].id}"')
            .values("user").distinct().count())


def mid_attempt_message(count: int) -> str:
    return ngettext(
        "%(count)d learner is in the middle of this quiz. They will finish on the version "
        "they started; your changes apply to new attempts.",
        "%(count)d learners are in the middle of this quiz. They will finish on the version "
        "they started; your changes apply to new attempts.",
        count,
    ) % {"count": count}


def mid_question_message(count: int) -> str:
    return ngettext(
        "%(count)d learner is in the middle of a quiz with this question. They will finish "
        "on the version they started; your changes apply to new attempts.",
        "%(count)d learners are in the middle of a quiz with this question. They will "
        "finish on the version they started; your changes apply to new attempts.",
        count,
    ) % {"count": count}


class MidAttemptWarningPanel(Panel):
    """A warning at the top of a quiz's or question's edit form while learners are
    mid-attempt on it; nothing at all otherwise (and nothing on the create form)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Learners mid-attempt"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "mid_attempt_warning"

    class BoundPanel(Panel.BoundPanel):
        template_name = "assessments/admin/mid_attempt_warning.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            from assessments.models import Quiz

            if isinstance(self.instance, Quiz):
                count = learners_mid_quiz(quiz=self.instance)
                self.message = mid_attempt_message(count) if count else ""
            else:
                count = learners_mid_question(question=self.instance)
                self.message = mid_question_message(count) if count else ""

        def is_shown(self) -> bool:
            return bool(self.message) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["message"] = self.message
            return context
