"""The XBlock runtime's front door: render a module's components, run their handlers, serve
their public files, list and check the component types educators may use.

Views (``xblocks/views.py``), the courses hooks (``wagtail_hooks.py``) and the publish signal
call these functions; nothing else touches the runtime or its models. The user is always
the authenticated user the caller passes: a usage id selects a block, the user selects whose
state it sees.
"""

import importlib.resources
import inspect
import logging
import mimetypes
from pathlib import Path

import webob
from django.conf import settings
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from xblock.exceptions import NoSuchHandlerError, NoSuchUsage

from courses import api as courses_api
from courses.extensions import ComponentRef
from lms.core.api import note_learning_state_changed
from lms.core.csp import allow_eval, allow_inline_styles, csp_nonce
from xblocks import blocktypes, fetches, progress
from xblocks.fields import PageState, load_page_state, save_page_state
from xblocks.models import XBlockUsage
from xblocks.olx import OLXError, source_hash
from xblocks.runtime import AlleleRuntime, CourseKey
from xblocks.sync import parse_component, sync_component, unsaved_usages
from xblocks.sync import sync_module as _sync_module
from xblocks.wrapper import fragment_resources

__all__ = [
    "XBlockAccessDenied",
    "XBlockNotFound",
    "allowed_block_types",
    "authoring_handlers",
    "component_errors",
    "handle_request",
    "page_resources",
    "render_components",
    "resource",
    "sync_module",
]

logger = logging.getLogger(__name__)

_FRAGMENTS_ATTRIBUTE = "_allele_xblock_fragments"


class XBlockNotFound(Exception):
    """No such usage, handler or resource (a 404)."""


class XBlockAccessDenied(Exception):
    """The user may not call this (a 403)."""


def authoring_handlers() -> list[str]:
    """Handlers only a module's editors may call (``ALLELE_XBLOCK_AUTHORING_HANDLERS``)."""
    return list(getattr(settings, "ALLELE_XBLOCK_AUTHORING_HANDLERS", ["studio_submit"]))


def allowed_block_types() -> list[tuple[str, str]]:
    """The component types educators may embed, as ``(value, label)`` choices."""
    return [(name, blocktypes.block_label(name)) for name in blocktypes.allowed_block_types()]


def component_errors(*, component: ComponentRef) -> list[str]:
    """What is wrong with ``component`` as authored (its OLX, or a type, or a descendant's
    type, that the site does not install or allow); empty when it can be used."""
    allowed = set(blocktypes.allowed_block_types())
    try:
        parse_component(module_pk=0, component=component, allowed=allowed)
    except OLXError as error:
        return [str(error)]
    return []


def sync_module(*, module) -> list[str]:
    """Write the usages of every component of the published ``module`` (ids stay the same
    across publishes and imports); retire those it no longer has. Returns the errors of
    components that could not be read."""
    return _sync_module(module=module, allowed=set(blocktypes.allowed_block_types()))


# --- Rendering -------------------------------------------------------------------------------

def _notice(message: str) -> SafeString:
    return format_html('<div class="xblock-unavailable" role="note">{}</div>', message)


def _roots(state: PageState) -> dict[str, XBlockUsage]:
    return {usage.component_id: usage for usage in state.usages.values()
            if usage.parent_id is None and usage.retired_at is None}


def _preview_state(module, components, allowed) -> tuple[PageState, dict[str, str]]:
    state, errors = PageState(user=None, persistent=False), {}
    for component in components:
        try:
            parsed = parse_component(module_pk=module.pk, component=component, allowed=allowed)
        except OLXError as error:
            errors[component.block_id] = str(error)
            continue
        state.add_usages(unsaved_usages(module=module, parsed=parsed,
                                        component_id=component.block_id))
    return state, errors


def _learner_state(user, module, components, allowed) -> tuple[PageState, dict[str, str]]:
    state, errors = load_page_state(user=user, module=module), {}
    roots = _roots(state)
    stale = [component for component in components
             if component.block_id not in roots
             or roots[component.block_id].source_hash != source_hash(component)]
    for component in stale:
        try:
            sync_component(module=module, component=component, allowed=allowed)
        except OLXError as error:
            errors[component.block_id] = str(error)
    if stale:
        state = load_page_state(user=user, module=module)
    return state, errors


def _is_editor(user, module) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or module.permissions_for_user(user).can_edit())


def _runtime(*, user, state, module, allowed, authoring=False) -> AlleleRuntime:
    course = courses_api.module_outline(module=module).course
    return AlleleRuntime(user=user, state=state, module=module, course_key=CourseKey(course.pk),
                         allowed=allowed, authoring=authoring,
                         user_is_staff=_is_editor(user, module),
                         on_publish=progress.handle_event)


def render_components(*, request, module, components: list[ComponentRef]) -> dict[str, SafeString]:
    """Each component's HTML for the request's user, keyed by its StreamField block id.

    Reads the state of every component in a fixed number of queries; a component that
    cannot be shown gets a short notice (and the error is logged), never a broken page. A
    Wagtail preview renders the draft from memory and saves nothing.
    """
    if not components:
        return {}
    allowed = set(blocktypes.allowed_block_types(request=request))
    preview = bool(getattr(request, "is_preview", False))
    user = request.user
    if preview:
        state, errors = _preview_state(module, components, allowed)
    else:
        state, errors = _learner_state(user, module, components, allowed)
    runtime = _runtime(user=user, state=state, module=module, allowed=allowed)
    roots = _roots(state)
    fragments: dict[str, SafeString] = {}
    rendered, seen = [], []
    for component in components:
        root = roots.get(component.block_id)
        if root is None:
            logger.warning("Component %s of module %s not shown: %s", component.block_id,
                           module.pk, errors.get(component.block_id, "no usage"))
            fragments[component.block_id] = _notice(
                _("This interactive activity cannot be shown."))
            continue
        try:
            block = runtime.get_block(root.usage_id)
            view = "author_view" if preview and hasattr(block, "author_view") else "student_view"
            fragment = runtime.render(block, view, context={})
        except Exception:
            logger.exception("Component %s (%s) of module %s failed to render",
                             component.block_id, root.usage_id, module.pk)
            fragments[component.block_id] = _notice(
                _("This interactive activity cannot be shown right now."))
            continue
        fragments[component.block_id] = mark_safe(fragment.body_html())  # noqa: S308 (wrapped)
        rendered.append(fragment)
        seen += [usage.usage_id for usage in state.usages.values()
                 if usage.component_id == component.block_id and usage.retired_at is None]
    _after_render(user=user, module=module, state=state, seen=seen, preview=preview)
    if rendered:
        allow_inline_styles(request)  # blocks' templates set widths in style= attributes
    eval_types = set(getattr(settings, "ALLELE_XBLOCK_EVAL_TYPES", []))
    if any(usage.block_type in eval_types for usage in state.usages.values()
           if usage.usage_id in seen):
        allow_eval(request)  # only this page's policy allows eval, and only for these types
    setattr(request, _FRAGMENTS_ATTRIBUTE, [*getattr(request, _FRAGMENTS_ATTRIBUTE, []),
                                            *rendered])
    return fragments


def _after_render(*, user, module, state: PageState, seen: list[str], preview: bool) -> None:
    if preview or state.user is None:
        return
    if save_page_state(state=state):  # blocks such as view counters write while rendering
        note_learning_state_changed(user=user)
    if seen:
        progress.note_viewed(user=user, module=module, state=state, usage_ids=seen)


def page_resources(*, request) -> SafeString:
    """The CSS and JavaScript of the fragments rendered for this request, each once, for
    the page's head (inline scripts carry the request's CSP nonce)."""
    return fragment_resources(getattr(request, _FRAGMENTS_ATTRIBUTE, []),
                              nonce=csp_nonce(request))


# --- Handlers --------------------------------------------------------------------------------

def _usage_and_module(usage_id: str):
    usage = XBlockUsage.objects.filter(usage_id=usage_id, retired_at__isnull=True).first()
    if usage is None:
        raise XBlockNotFound(usage_id)
    try:
        module = courses_api.ModulePage.objects.get(pk=usage.module_id)
    except courses_api.ModulePage.DoesNotExist:
        raise XBlockNotFound(usage_id) from None
    return usage, module


def _check_access(*, user, module, handler_name: str, authoring: bool) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise XBlockAccessDenied(_("Sign in to use this activity."))
    if authoring:
        if not _is_editor(user, module):
            raise XBlockAccessDenied(_("Only the module's editors can change this component."))
        return
    if handler_name in authoring_handlers():
        raise XBlockAccessDenied(_("Only the module's editors can change this component."))
    course = courses_api.module_outline(module=module).course
    if not (module.live and course.live) or not _passes_restrictions(user, module):
        raise XBlockAccessDenied(_("This activity is not available to you."))
    if _is_editor(user, module):
        return  # the module's editors try its activities without enrolling
    progress = courses_api.course_progress(user=user, course=course)
    if not progress.is_enrolled:
        raise XBlockAccessDenied(
            _("Enroll in “%(course)s” to use this activity.") % {"course": course.title})
    status = progress.status_of(module)
    if status is None or status.state is courses_api.ModuleState.LOCKED:
        raise XBlockAccessDenied(_("Complete the earlier modules first to use this activity."))


def _passes_restrictions(user, module) -> bool:
    """Wagtail's view restrictions on the module and its ancestors, for a signed-in user
    (a password restriction needs the browser session: handlers refuse it)."""
    for restriction in module.get_view_restrictions():
        if restriction.restriction_type == restriction.LOGIN or user.is_superuser:
            continue
        if restriction.restriction_type == restriction.GROUPS and user.groups.filter(
                pk__in=restriction.groups.values("pk")).exists():
            continue
        return False
    return True


def handle_request(*, user, usage_id: str, handler_name: str, suffix: str,
                   request: webob.Request, authoring: bool) -> webob.Response:
    """Run a block's handler for ``user`` on her own state, in one transaction.

    Raises XBlockNotFound (no such live usage or handler) or XBlockAccessDenied (anonymous,
    a module she may not view, an authoring handler she may not call)."""
    usage, module = _usage_and_module(usage_id)
    _check_access(user=user, module=module, handler_name=handler_name, authoring=authoring)
    allowed = set(blocktypes.allowed_block_types())
    if usage.block_type not in allowed:
        raise XBlockNotFound(usage_id)
    guarded = fetches.replacement(usage.block_type, handler_name)
    if guarded is not None:  # a handler that fetches URLs: Allele's version, via the guard
        return guarded(request)
    with transaction.atomic():
        component = list(XBlockUsage.objects.filter(
            module_id=module.pk, component_id=usage.component_id).values_list("pk", flat=True))
        state = load_page_state(user=user, module=module, lock_usage_ids=component)
        runtime = _runtime(user=user, state=state, module=module, allowed=allowed,
                           authoring=authoring)
        try:
            block = runtime.get_block(usage_id)
            response = runtime.handle(block, handler_name, request, suffix)
        except (NoSuchHandlerError, NoSuchUsage, OLXError) as missing:
            raise XBlockNotFound(usage_id) from missing
        if save_page_state(state=state):
            note_learning_state_changed(user=user)
    return response


# --- Static resources ------------------------------------------------------------------------

def _inside(cls, path: str) -> bool:
    """Whether ``path`` resolves (symlinks followed) inside the class's public folder."""
    package = inspect.getmodule(cls).__package__
    try:
        base = importlib.resources.files(package).joinpath(cls.resources_dir or "")
    except (ModuleNotFoundError, TypeError):
        return False
    if not isinstance(base, Path):
        return True  # a zipped package has no symlinks to follow
    public = (base / cls.public_dir).resolve()
    target = (base / path).resolve()
    return target.is_file() and target.is_relative_to(public)


def resource(*, block_type: str, path: str) -> tuple[object, str]:
    """A file from an allowed block type's public resources and its content type; raises
    XBlockNotFound for anything else (other folders, ``..``, absolute paths, symlinks that
    lead out, unknown or disallowed types)."""
    cls = blocktypes.block_class(block_type)
    if cls is None or block_type not in blocktypes.allowed_block_types():
        raise XBlockNotFound(block_type)
    public = getattr(cls, "public_dir", "public") or "public"
    parts = path.split("/")
    if (getattr(cls, "resources_dir", None) is None or not path.startswith(public + "/")
            or "\\" in path or "\x00" in path
            or any(part in ("", ".", "..") for part in parts) or not _inside(cls, path)):
        raise XBlockNotFound(path)
    try:
        opened = cls.open_local_resource(path)
    except Exception as error:
        raise XBlockNotFound(path) from error
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return opened, content_type
