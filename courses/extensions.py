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
``MODULE_COMPONENTS``
    ``fn(*, request, module, components: list[ComponentRef]) -> dict[str, str]``: the HTML
    of each interactive component (an XBlock) embedded in ``module``'s body, keyed by
    ``ComponentRef.block_id``. Fragments are per learner: they are never cached with the
    module body. Returned HTML must be safe.
``COMPONENT_TYPES``
    ``fn() -> list[tuple[str, str]]``: the component types educators may embed, as
    ``(value, label)`` choices (the site administrator's allow-list).
``COMPONENT_ERRORS``
    ``fn(*, component: ComponentRef) -> list[str]``: what is wrong with a component as
    authored (unreadable OLX, a type the site does not allow); empty when it is fine.
``MODULE_COMPONENT_RESOURCES``
    ``fn(*, request, module) -> str``: HTML for the ``<head>`` of a module page with
    components (the CSS and JavaScript its fragments need, with the request's CSP nonce).
    Called once per request, after ``MODULE_COMPONENTS``, so it may read what the
    renderer noted on the request. Returned HTML must be safe.

A module page with components renders its body (cached per revision) with one
placeholder per component and fills each with its fragment per request; it is never
served from the learner's personal page cache (component state changes through AJAX
handlers without moving her learning state version, and the CSP nonce differs per
request). With no renderer registered, or none returning a component's HTML, the learner
sees "This interactive activity is not available on this site." in its place.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

MODULE_SECTIONS = "allele_module_sections"
COURSE_SECTIONS = "allele_course_sections"
COMPLETION_REQUIREMENTS = "allele_completion_requirements"
DASHBOARD_SECTIONS = "allele_dashboard_sections"
COURSE_SCORE = "allele_course_score"
MODULE_COMPONENTS = "allele_module_components"
COMPONENT_TYPES = "allele_component_types"
COMPONENT_ERRORS = "allele_component_errors"
MODULE_COMPONENT_RESOURCES = "allele_module_component_resources"


@dataclass(frozen=True, slots=True)
class ComponentRef:
    """An interactive component as an educator placed it in a module's body.

    ``block_id`` is the StreamField block's stable id; the educator gives either ``olx``
    or a ``block_type`` with ``fields`` (a JSON object of field values).
    """

    block_id: str
    block_type: str = ""
    olx: str = ""
    fields: str = ""


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


def component_fragments(
    *, request, module, components: list[ComponentRef]
) -> dict[str, SafeString]:
    """The HTML of each embedded component, from the registered renderers (none: empty)."""
    fragments: dict[str, SafeString] = {}
    for fn in hooks.get_hooks(MODULE_COMPONENTS):
        rendered = fn(request=request, module=module, components=components)
        fragments.update({key: mark_safe(html) for key, html in rendered.items()})  # noqa: S308
    return fragments


def component_resources(*, request, module) -> SafeString:
    """The ``<head>`` HTML every registered function gives for ``module``'s components."""
    return mark_safe("".join(  # noqa: S308
        fn(request=request, module=module) for fn in hooks.get_hooks(MODULE_COMPONENT_RESOURCES)))


def component_type_choices() -> list[tuple[str, str]]:
    """The component types educators may choose (a callable for the block's choices)."""
    return [choice for fn in hooks.get_hooks(COMPONENT_TYPES) for choice in fn()]


def component_errors(*, component: ComponentRef) -> list[str]:
    """Every registered check's complaints about ``component``."""
    return [error for fn in hooks.get_hooks(COMPONENT_ERRORS) for error in fn(component=component)]
