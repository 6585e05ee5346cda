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
"""

from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

MODULE_SECTIONS = "allele_module_sections"
COURSE_SECTIONS = "allele_course_sections"
COMPLETION_REQUIREMENTS = "allele_completion_requirements"


def sections(hook_name: str, **kwargs) -> list[SafeString]:
    """Every section the registered functions return, in registration order."""
    return [mark_safe(html) for fn in hooks.get_hooks(hook_name) for html in fn(**kwargs)]  # noqa: S308


def unmet_requirements(*, user, course) -> list[str]:
    """The reasons, from every registered function, why the course is not yet complete."""
    reasons = (fn(user=user, course=course) for fn in hooks.get_hooks(COMPLETION_REQUIREMENTS))
    return [reason for reason in reasons if reason]
