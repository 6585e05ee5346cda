"""Allele's XBlock runtime, on XBlock core (modelled on edx-platform's newer runtime).

One ``AlleleRuntime`` serves one user on one module page: blocks read their fields from a
``PageState`` loaded for the whole page, their handler and resource URLs point at Allele's
routes, and what they publish (grades, completion) goes to the assessments and learning-path
APIs. The user is whoever the caller authenticated; nothing a block or a request sends can
change it. ``ParsingRuntime`` reads OLX into blocks with ids derived from the module, the
StreamField block and the path inside the OLX, so they survive a re-publish or re-import.
"""

import functools
import importlib.resources
import inspect
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.template import Context, Engine
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from xblock.exceptions import NoSuchDefinition, NoSuchServiceError, NoSuchUsage
from xblock.fields import Scope, ScopeIds
from xblock.runtime import DictKeyValueStore, IdGenerator, IdReader, KvsFieldData, Runtime

from xblocks import blocktypes
from xblocks.fields import PageFieldData, PageState
from xblocks.olx import OLXError
from xblocks.services import (
    AlleleUserService,
    I18nService,
    ReplaceURLService,
    SettingsService,
    anonymous_user_id,
)
from xblocks.wrapper import wrapped_fragment

logger = logging.getLogger(__name__)

_SEGMENT_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


class CourseKey(str):
    """The course a block belongs to, shaped like an Open edX course key."""

    __slots__ = ("course", "org", "run")

    def __new__(cls, course_pk):
        key = super().__new__(cls, f"course-v1:allele+{course_pk}+live")
        key.org, key.course, key.run = "allele", str(course_pk), "live"
        return key

    def html_id(self) -> str:
        return _SEGMENT_UNSAFE.sub("_", self)


class UsageKey(str):
    """A usage id (``str()`` of it is the id) with the attributes blocks read from
    ``scope_ids.usage_id`` or ``block.location``."""

    __slots__ = ("block_id", "block_type", "course_key")

    def __new__(cls, usage_id, *, block_type: str, course_key: str):
        key = super().__new__(cls, usage_id)
        key.block_type, key.block_id, key.course_key = block_type, str(usage_id), course_key
        return key

    category = property(lambda self: self.block_type)
    context_key = property(lambda self: self.course_key)

    def html_id(self) -> str:
        return _SEGMENT_UNSAFE.sub("_", self)

    def map_into_course(self, course_key):
        return self


class LocationMixin:
    """The attributes blocks written for Open edX expect on themselves."""

    @property
    def location(self):
        return self.scope_ids.usage_id

    @property
    def url_name(self):
        return self.scope_ids.usage_id

    @property
    def category(self):
        return self.scope_ids.block_type

    @property
    def course_id(self):
        return self.runtime.course_id


@functools.cache
def _template_engine(package: str) -> Engine | None:
    try:
        folder = importlib.resources.files(package).joinpath("templates")
    except (ModuleNotFoundError, TypeError):
        return None
    if not folder.is_dir():
        return None
    return Engine(dirs=[str(folder)], autoescape=True)


class _BaseRuntime(Runtime):
    """What every Allele runtime does: URLs, templates, services, no asides."""

    authoring = False

    def __init__(self, *, user, course_key: CourseKey, id_reader, id_generator, field_data,
                 user_is_staff: bool = False):
        super().__init__(id_reader=id_reader, id_generator=id_generator,
                         mixins=(LocationMixin,))
        self.user = user
        self.course_id = course_key
        self.user_is_staff = user_is_staff
        self._deprecated_per_instance_user_id = (
            user.pk if user is not None and user.is_authenticated else None)
        self._field_data_service = field_data
        self._packages: list[str] = []

    # The attributes blocks written for Open edX read from the runtime.
    @property
    def anonymous_student_id(self) -> str | None:
        if self.user is None or not self.user.is_authenticated:
            return None
        return anonymous_user_id(user=self.user, course_key=self.course_id)

    def get_real_user(self, anonymous_id):
        return self.user if anonymous_id and anonymous_id == self.anonymous_student_id else None

    # XBlock's four abstract methods.
    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        if thirdparty:
            logger.warning("Third-party handler URLs are not supported (%s).", handler_name)
        kwargs = {"usage_id": str(block.scope_ids.usage_id), "handler_name": handler_name}
        if suffix:
            kwargs["suffix"] = suffix
        name = "xblocks:authoring_handler" if self.authoring else "xblocks:handler"
        url = reverse(name, kwargs=kwargs)
        return f"{url}?{query}" if query else url

    def resource_url(self, resource):
        """A file from Allele's static files; blocks ask for shared libraries this way."""
        try:
            return static(resource)
        except ValueError:  # not in the manifest: the browser gets a 404, the page renders
            logger.warning("A block asked for a static file Allele does not have: %s",
                           resource)
            return f"{settings.STATIC_URL}{resource}"

    def local_resource_url(self, block, uri):
        cls = getattr(type(block), "unmixed_class", type(block))
        public = getattr(cls, "public_dir", "public") or "public"
        parts = uri.split("/")
        if (not uri.startswith(public + "/") or uri.startswith("/") or "\\" in uri
                or any(part in ("", ".", "..") for part in parts)):
            raise ValueError(f"Only files under {public}/ can be served: {uri!r}")
        return reverse("xblocks:resource", kwargs={
            "block_type": block.scope_ids.block_type, "path": quote(uri, safe="/")})

    def publish(self, block, event_type, event_data):
        pass

    # Blocks and their data.
    def applicable_aside_types(self, block):
        return []

    def load_block_type(self, block_type):
        cls = blocktypes.block_class(block_type)
        if cls is None:
            raise OLXError(_("The component type “%(type)s” is not installed on this site.")
                           % {"type": block_type})
        package = inspect.getmodule(cls).__package__
        if package and package not in self._packages:
            self._packages.append(package)
        return cls

    def query(self, block):
        return BlockQuery(self, [block])

    def render_template(self, template_name, **kwargs):
        """The xblock-sdk samples' helper: a template from a loaded block's package."""
        for package in self._packages:
            engine = _template_engine(package)
            if engine is None:
                continue
            try:
                template = engine.get_template(template_name)
            except Exception:  # noqa: S112 (TemplateDoesNotExist: try the next package)
                continue
            return template.render(Context(kwargs))
        raise NoSuchServiceError(f"No template {template_name!r} in the loaded blocks.")

    def service(self, block, service_name):
        declaration = block.service_declaration(service_name)
        if declaration is None:
            raise NoSuchServiceError(f"Service {service_name!r} was not requested.")
        if service_name == "field-data":
            return self._field_data_service
        if service_name == "i18n":
            return I18nService()
        if service_name == "user":
            return AlleleUserService(user=self.user, course_key=self.course_id,
                                     user_is_staff=self.user_is_staff)
        if service_name == "settings":
            return SettingsService()
        if service_name == "replace_urls":
            return ReplaceURLService(block=block, runtime=self)
        return super().service(block, service_name)

    def wrap_xblock(self, block, view, frag, context):
        return wrapped_fragment(fragment=frag, block=block,
                                usage_id=str(block.scope_ids.usage_id), view=view,
                                authoring=self.authoring)


class BlockQuery:
    """The tree navigation behind ``Runtime.querypath`` (``./name/@field``, ``..``, ``//``),
    which the xblock-sdk problem blocks use to find their inputs and checkers."""

    def __init__(self, runtime, blocks):
        self.runtime = runtime
        self.blocks = list({str(block.scope_ids.usage_id): block for block in blocks}.values())

    def __iter__(self):
        return iter(self.blocks)

    def _children_of(self, block):
        return [self.runtime.get_block(child) for child in getattr(block, "children", ())]

    def parent(self):
        return BlockQuery(self.runtime, [self.runtime.get_block(block.parent)
                                         for block in self.blocks if block.parent])

    def children(self):
        return BlockQuery(self.runtime, [child for block in self.blocks
                                         for child in self._children_of(block)])

    def descendants(self):
        found, pending = [], list(self.blocks)
        while pending:
            children = self._children_of(pending.pop(0))
            found += children
            pending += children
        return BlockQuery(self.runtime, found)

    def tagged(self, tag):
        def matches(block):
            return (getattr(block, "name", None) == tag or tag in (getattr(block, "tags", None)
                    or ()) or tag in getattr(block, "_class_tags", ()))

        return BlockQuery(self.runtime, [block for block in self.blocks if matches(block)])

    def attr(self, name):
        return (getattr(block, name) for block in self.blocks if hasattr(block, name))


# --- Reading OLX ---------------------------------------------------------------------------

@dataclass
class ParsedBlock:
    usage_id: str
    definition_id: str
    block_type: str
    url_name: str
    parent_id: str | None
    position: int
    content: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


def component_prefix(*, module_pk: int, component_id: str) -> str:
    return f"m{module_pk}-{_SEGMENT_UNSAFE.sub('', component_id)[:40] or 'x'}"


class _NoIds(IdReader, IdGenerator):
    """Ids come from the database (``PageIdReader``) or the OLX path (``ParsingRuntime``)."""

    def __init__(self, state: PageState | None = None):
        self.state = state

    def get_definition_id(self, usage_id):
        try:
            return self.state.definition(usage_id).definition_id
        except (KeyError, AttributeError):
            raise NoSuchUsage(repr(usage_id)) from None

    def get_block_type(self, def_id):
        for usage in (self.state.usages.values() if self.state else ()):
            if usage.definition.definition_id == def_id:
                return usage.block_type
        raise NoSuchDefinition(repr(def_id))

    def get_usage_id_from_aside(self, aside_id):
        raise NotImplementedError

    def get_definition_id_from_aside(self, aside_id):
        raise NotImplementedError

    def get_aside_type_from_usage(self, aside_id):
        raise NotImplementedError

    def get_aside_type_from_definition(self, aside_id):
        raise NotImplementedError

    def create_aside(self, definition_id, usage_id, aside_type):
        raise NotImplementedError

    def create_usage(self, def_id):
        raise NotImplementedError

    def create_definition(self, block_type, slug=None):
        raise NotImplementedError


class ParsingRuntime(_BaseRuntime):
    """Reads one component's OLX into ``ParsedBlock``s, refusing types the site does not
    install or allow (the root and every descendant)."""

    def __init__(self, *, module_pk: int, component_id: str, allowed: set[str]):
        self.kvs = DictKeyValueStore()
        super().__init__(user=None, course_key=CourseKey(0), id_reader=_NoIds(),
                         id_generator=_NoIds(), field_data=KvsFieldData(self.kvs))
        self.prefix = component_prefix(module_pk=module_pk, component_id=component_id)
        self.allowed = allowed
        self.blocks: dict[str, ParsedBlock] = {}
        self._positions: dict = {}

    def _path_for(self, node, parent_id):
        parent_path = self.blocks[parent_id].url_name if parent_id else ""
        name = _SEGMENT_UNSAFE.sub("-", node.attrib.pop("url_name", "") or "").strip("-")
        position = self._positions.get(parent_id, 0)
        self._positions[parent_id] = position + 1
        if not name:  # the n-th child of its type: unchanged when other types come and go
            same_type = self._positions.get((parent_id, node.tag), 0) + 1
            self._positions[(parent_id, node.tag)] = same_type
            name = node.tag if parent_id is None else f"{node.tag}{same_type}"
        path = f"{parent_path}.{name}" if parent_path else name
        while f"{self.prefix}.{path}" in self.blocks:
            path += "-2"
        return path, position

    def _usage_id_from_node(self, node, parent_id):
        if not isinstance(node.tag, str):
            raise OLXError(_("The OLX contains something that is not a component."))
        block_type = node.tag
        node.attrib.pop("xblock-family", None)
        if blocktypes.block_class(block_type) is None:
            raise OLXError(_("The component type “%(type)s” is not installed on this site.")
                           % {"type": block_type[:100]})
        if block_type not in self.allowed:
            raise OLXError(_("The component type “%(type)s” is not allowed on this site; a "
                             "site administrator can allow it in Settings.")
                           % {"type": block_type[:100]})
        path, position = self._path_for(node, parent_id)
        usage_id = f"{self.prefix}.{path}"[:255]
        parsed = ParsedBlock(usage_id=usage_id, definition_id=f"d{usage_id[1:]}",
                             block_type=block_type, url_name=path, parent_id=parent_id,
                             position=position)
        self.blocks[usage_id] = parsed
        keys = ScopeIds(None, block_type, parsed.definition_id,
                        UsageKey(usage_id, block_type=block_type, course_key=self.course_id))
        block_class = self.mixologist.mix(self.load_block_type(block_type))
        for child in list(node):  # asides are not supported: drop them
            if child.attrib.get("xblock-family", "xblock.v1") != "xblock.v1":
                node.remove(child)
        block = block_class.parse_xml(node, self, keys)
        block.save()
        return usage_id

    def parse(self, root) -> list[ParsedBlock]:
        self._usage_id_from_node(root, None)
        by_definition = {block.definition_id: block for block in self.blocks.values()}
        for key, value in self.kvs.db_dict.items():
            target = by_definition.get(key.block_scope_id) or self.blocks.get(key.block_scope_id)
            if target is None:
                continue
            if key.scope == Scope.content:
                target.content[key.field_name] = value
            elif key.scope == Scope.settings:
                target.settings[key.field_name] = value
            elif key.scope == Scope.children:
                target.children = [str(child) for child in value]
        return list(self.blocks.values())


# --- The runtime learners and editors use --------------------------------------------------

class AlleleRuntime(_BaseRuntime):
    """The blocks of one module page for one user, with their state from ``state``."""

    def __init__(self, *, user, state: PageState, module, course_key: CourseKey,
                 allowed: set[str], authoring: bool = False, user_is_staff: bool = False,
                 on_publish=None):
        self.authoring = authoring
        super().__init__(user=user, course_key=course_key, id_reader=_NoIds(state),
                         id_generator=_NoIds(state), user_is_staff=user_is_staff,
                         field_data=PageFieldData(state, authoring=authoring))
        self.state = state
        self.module = module
        self.allowed = allowed
        self.on_publish = on_publish
        self._blocks: dict[str, object] = {}

    def get_block(self, usage_id, for_parent=None):
        usage_id = str(usage_id)
        if usage_id in self._blocks:
            return self._blocks[usage_id]
        usage = self.state.usages.get(usage_id)
        if usage is None:
            raise NoSuchUsage(repr(usage_id))
        if usage.block_type not in self.allowed:
            raise OLXError(_("The component type “%(type)s” is not allowed on this site.")
                           % {"type": usage.block_type})
        keys = ScopeIds(self._deprecated_per_instance_user_id, usage.block_type,
                        usage.definition.definition_id,
                        UsageKey(usage_id, block_type=usage.block_type,
                                 course_key=self.course_id))
        block = self.construct_xblock(usage.block_type, keys, for_parent=for_parent)
        self._blocks[usage_id] = block
        return block

    def publish(self, block, event_type, event_data):
        if self.on_publish is not None:
            self.on_publish(self, block, event_type, event_data)
