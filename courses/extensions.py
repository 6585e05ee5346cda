"""Where apps above courses plug into the learning path, without courses importing them.

Apps register functions under these Wagtail hook names in their ``wagtail_hooks.py``
(``@hooks.register(MODULE_SECTIONS)``); courses calls whatever is registered.

``MODULE_SECTIONS``
    ``fn(*, request, module, progress) -> list[str]``: HTML sections shown after a
    module's body (a quiz, an activity). Returned HTML must be safe (rendered templates).
``COURSE_SECTIONS``
    ``fn(*, request, course, progress) -> list[str]``: the same on a course page (a final
    assessment).
``COMPLETION_REQUIREMENTS``
    ``fn(*, user, course) -> str | None``: why ``course`` is not complete for ``user`` even
    though every required module is (for instance "Pass the final assessment"), or None.
``DASHBOARD_SECTIONS``
    ``fn(*, request, dashboard) -> list[str]``: HTML sections on the learner's dashboard
    (her certificates). The dashboard is cached against her learning state version: an app
    whose section changes must call ``lms.core.api.note_learning_state_changed``.
``COURSE_SCORE``
    ``fn(*, user, course) -> Decimal | None``: the learner's score for the course, as a
    percentage (for instance her best final-assessment result), or None if it has none.
"""

from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

MODULE_SECTIONS = "allele_module_sections"
COURSE_SECTIONS = "allele_course_sections"
COMPLETION_REQUIREMENTS = "allele_completion_requirements"
DASHBOARD_SECTIONS = "allele_dashboard_sections"
COURSE_SCORE = "allele_course_score"


def sections(hook_name: str, **kwargs) -> list[SafeString]:
    """Every section the registered functions return, in registration order."""
    return [mark_safe(html) for fn in hooks.get_hooks(hook_name) for html in fn(**kwargs)]  # noqa: S308


def unmet_requirements(*, user, course) -> list[str]:
    """The reasons, from every registered function, why the course is not yet complete."""
    reasons = (fn(user=user, course=course) for fn in hooks.get_hooks(COMPLETION_REQUIREMENTS))
    return [reason for reason in reasons if reason]


def course_score(*, user, course) -> Decimal | None:
    """The highest score any registered provider reports for ``user`` in ``course``."""
    scores = [fn(user=user, course=course) for fn in hooks.get_hooks(COURSE_SCORE)]
    scores = [score for score in scores if score is not None]
    return max(scores) if scores else None
