"""Courses in a portable form: a course tree as plain dicts, and back (course packages).

``export_course_tree`` turns a course and its modules into JSON-ready dicts in which
every reference to another object (an image, a document, a page) is a portable key
instead of a local primary key. ``import_course_tree`` creates or updates the course
under a domain from such dicts. The packages app calls both through ``courses.api``;
it owns the archive, the keys' mapping and the media files.

StreamField data crosses as Wagtail's raw JSON (``{"type", "value", "id"}``, block ids
kept so learners' answers and links stay meaningful). ``portable_stream`` and
``local_stream`` walk it against the block definitions: an unknown block type or struct
field is refused, chooser values are swapped for keys, and rich text has its page,
document and image references rewritten (and is sanitised on the way in).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from courses import caching
from courses.pages import CourseEducator, CoursePage, DomainPage, ModulePage
from lms.core.html import sanitize_html

COURSE_FIELDS = [
    "summary", "description", "learning_objectives", "intended_audience", "level",
    "estimated_hours", "cpd_credit_hours", "language", "prerequisites", "cover_image",
    "self_enrollment", "sequential", "starts_on", "ends_on", "last_reviewed_on",
    "review_due_on",
]
MODULE_FIELDS = [
    "summary", "estimated_minutes", "body", "completion_rule", "is_optional",
    "last_reviewed_on", "review_due_on",
]
RICH_TEXT_FIELDS = {"description", "prerequisites"}
EDUCATOR_FIELDS = ["name", "title", "affiliation"]
EDUCATOR_SNIPPET = "snippet:editorial.educator"

# A key for a local object (kind, pk) -> "image:<sha256>"...; and back: key -> local pk.
KeyOf = Callable[[str, int], str | None]
LocalOf = Callable[[str, str], int | None]


class InterchangeError(ValueError):
    """Content that cannot be imported; ``str(error)`` says where and why."""


# --- Walking raw StreamField data ------------------------------------------------------------


def _chooser_kind(block) -> str | None:
    if isinstance(block, ImageChooserBlock):
        return "image"
    if isinstance(block, DocumentChooserBlock):
        return "document"
    if isinstance(block, blocks.PageChooserBlock):
        return "page"
    if isinstance(block, blocks.ChooserBlock):  # snippets: "snippet:<app_label.model>"
        model = block.target_model
        return f"snippet:{model._meta.label_lower}"
    return None


def walk_stream_value(block, value, *, on_chooser, on_rich_text, where: str):
    """``value`` (raw JSON for ``block``) with choosers and rich text mapped; refuses
    unknown block types and struct fields, naming ``where`` they are."""
    if isinstance(block, blocks.StreamBlock):
        if not isinstance(value, list):
            raise InterchangeError(_("%(where)s: expected a list of blocks.") % {"where": where})
        return [_walk_stream_child(block, child, on_chooser, on_rich_text, where)
                for child in value]
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            raise InterchangeError(_("%(where)s: expected an object.") % {"where": where})
        unknown = sorted(set(value) - set(block.child_blocks))
        if unknown:
            raise InterchangeError(_("%(where)s: unknown field %(name)r.")
                                   % {"where": where, "name": unknown[0]})
        return {name: walk_stream_value(block.child_blocks[name], child_value,
                                        on_chooser=on_chooser, on_rich_text=on_rich_text,
                                        where=f"{where}.{name}")
                for name, child_value in value.items()}
    if isinstance(block, blocks.ListBlock):
        if not isinstance(value, list):
            raise InterchangeError(_("%(where)s: expected a list.") % {"where": where})
        return [_walk_list_item(block, item, on_chooser, on_rich_text, f"{where}[{index}]")
                for index, item in enumerate(value)]
    if isinstance(block, blocks.RichTextBlock):
        if value is not None and not isinstance(value, str):
            raise InterchangeError(_("%(where)s: expected rich text.") % {"where": where})
        return on_rich_text(value or "", where)
    kind = _chooser_kind(block)
    if kind is not None:
        return None if value in (None, "") else on_chooser(kind, value, where)
    return value


def _walk_stream_child(block, child, on_chooser, on_rich_text, where):
    if not isinstance(child, dict) or "type" not in child or "value" not in child:
        raise InterchangeError(_("%(where)s: each block needs a type and a value.")
                               % {"where": where})
    child_block = block.child_blocks.get(child["type"])
    if child_block is None:
        raise InterchangeError(_("%(where)s: unknown block type %(type)r.")
                               % {"where": where, "type": str(child["type"])[:50]})
    mapped = walk_stream_value(child_block, child["value"], on_chooser=on_chooser,
                               on_rich_text=on_rich_text, where=f"{where}.{child['type']}")
    return {**child, "value": mapped}


def _walk_list_item(block, item, on_chooser, on_rich_text, where):
    kwargs = {"on_chooser": on_chooser, "on_rich_text": on_rich_text, "where": where}
    if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
        return {**item, "value": walk_stream_value(block.child_block, item["value"], **kwargs)}
    return walk_stream_value(block.child_block, item, **kwargs)


# --- Rich text references --------------------------------------------------------------------

_TAG = re.compile(r"<(a|embed)\b([^>]*)>", re.IGNORECASE)
_TYPE = re.compile(r'\b(linktype|embedtype)="([^"]*)"')
_ID = re.compile(r'(?<![\w-])id="([^"]*)"')
_REFERENCE_KINDS = {"page": "page", "document": "document", "image": "image"}


def map_rich_text(html: str, map_reference: Callable[[str, str], str | None]) -> str:
    """``html`` with each page link, document link and image embed id replaced by
    ``map_reference(kind, id)``; a link whose target cannot be mapped loses its target
    (its text stays) and an embed that cannot be mapped is dropped."""

    def replace(match: re.Match) -> str:
        tag, attributes = match.group(1), match.group(2)
        kind_match, id_match = _TYPE.search(attributes), _ID.search(attributes)
        kind = _REFERENCE_KINDS.get(kind_match.group(2)) if kind_match else None
        if kind is None or id_match is None:
            return match.group(0)
        new_id = map_reference(kind, id_match.group(1))
        if new_id is None:
            return "<a>" if tag.lower() == "a" else ""
        attributes = _ID.sub(lambda _match: f'id="{new_id}"', attributes, count=1)
        return f"<{tag}{attributes}>"

    return _TAG.sub(replace, html or "")


# --- Export ----------------------------------------------------------------------------------


@dataclass
class ExportContext:
    """How to name local objects in a package: ``key_of(kind, pk)`` returns a key (and
    notes the object so its file travels with the package) or None to leave it out."""

    key_of: KeyOf
    page_keys: dict[int, str] = field(default_factory=dict)

    def reference(self, kind: str, local_id) -> str | None:
        try:
            pk = int(local_id)
        except (TypeError, ValueError):
            return None
        if kind == "page":
            return self.page_keys.get(pk)
        return self.key_of(kind, pk)

    def portable_stream(self, stream_block, raw: list, where: str) -> list:
        return walk_stream_value(
            stream_block, raw, where=where,
            on_chooser=lambda kind, value, _where: self.reference(kind, value),
            on_rich_text=lambda html, _where: map_rich_text(html, self.reference),
        )


def page_key(page) -> str:
    return f"page:{page.translation_key}"


def _content(page):
    """What to export of a page: its published content, or its latest draft if it was
    never published."""
    page = page.specific
    return page if page.live else page.get_latest_revision_as_object()


def _portable_fields(page, names: list[str], context: ExportContext, where: str) -> dict:
    values = {}
    for name in names:
        value = getattr(page, name)
        model_field = page._meta.get_field(name)
        if hasattr(model_field, "stream_block"):
            raw = list(value.raw_data) if value is not None else []
            values[name] = context.portable_stream(model_field.stream_block, raw,
                                                   f"{where}.{name}")
        elif name == "cover_image":
            values[name] = context.reference("image", page.cover_image_id)
        elif name in RICH_TEXT_FIELDS:
            values[name] = map_rich_text(value or "", context.reference)
        elif isinstance(value, Decimal):
            values[name] = str(value)
        elif isinstance(value, datetime.date):
            values[name] = value.isoformat()
        else:
            values[name] = value
    return values


def export_course_tree(*, course: CoursePage, key_of: KeyOf) -> dict:
    """The course and its modules (live and draft, in order) as JSON-ready dicts."""
    course = _content(course)
    modules = [_content(module) for module in
               ModulePage.objects.child_of(course).order_by("path")]
    context = ExportContext(key_of=key_of, page_keys={
        page.pk: page_key(page) for page in [course, *modules]})
    return {
        "key": page_key(course),
        "title": course.title,
        "slug": course.slug,
        "live": course.live,
        "domain": course.get_parent().specific.slug,
        "fields": _portable_fields(course, COURSE_FIELDS, context, "course"),
        "educators": [_portable_educator(placement, context)
                      for placement in course.educators.all()],
        "modules": [{
            "key": page_key(module),
            "title": module.title,
            "slug": module.slug,
            "live": module.live,
            "fields": _portable_fields(module, MODULE_FIELDS, context,
                                       f"module {module.slug}"),
        } for module in modules],
    }


# --- Import ----------------------------------------------------------------------------------


@dataclass
class ImportedCourse:
    course: CoursePage
    pages: dict[str, int]  # package key -> local page id, for every page imported
    modules_unpublished: list[str] = field(default_factory=list)
    created: bool = False


@dataclass
class ImportContext:
    """How to find local objects for a package's keys: ``local_of(kind, key)`` returns a
    local pk (media and snippets); pages resolve to those created or matched so far."""

    local_of: LocalOf
    page_ids: dict[str, int] = field(default_factory=dict)

    def local_reference(self, kind: str, key: str) -> str | None:
        local = self.page_ids.get(key) if kind == "page" else self.local_of(kind, key)
        return None if local is None else str(local)

    def local_chooser(self, kind: str, key, where: str):
        local = self.page_ids.get(key) if kind == "page" else self.local_of(kind, str(key))
        if local is None and kind != "page":
            raise InterchangeError(_("%(where)s: %(key)r is not in the package.")
                                   % {"where": where, "key": key})
        return local

    def local_stream(self, stream_block, portable: list, where: str) -> list:
        raw = walk_stream_value(
            stream_block, portable, where=where, on_chooser=self.local_chooser,
            on_rich_text=lambda html, _where: sanitize_html(
                map_rich_text(html, self.local_reference)),
        )
        try:
            stream_block.clean(stream_block.to_python(raw))
        except ValidationError as error:
            raise InterchangeError(f"{where}: {_describe(error)}") from error
        return raw


def _flatten(data, where: str = "") -> list[str]:
    """Wagtail's nested block errors as "block 3, text: This field is required." lines."""
    if isinstance(data, dict):
        lines = [f"{where}: {message}" if where else message
                 for message in data.get("messages", [])]
        for name, child in data.get("blockErrors", {}).items():
            label = f"block {int(name) + 1}" if isinstance(name, int) else str(name)
            lines += _flatten(child, f"{where}, {label}" if where else label)
        return lines
    if isinstance(data, list):
        return [line for item in data for line in _flatten(item, where)]
    return [f"{where}: {data}" if where else str(data)]


def _describe(error: ValidationError) -> str:
    if hasattr(error, "as_json_data"):
        return "; ".join(_flatten(error.as_json_data()))[:500]
    return "; ".join(error.messages)[:500]


def _local_fields(model, values: dict, names: list[str], context: ImportContext,
                  where: str) -> dict:
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise InterchangeError(_("%(where)s: unknown field %(name)r.")
                               % {"where": where, "name": unknown[0]})
    local = {}
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        if hasattr(model_field, "stream_block"):
            local[name] = context.local_stream(model_field.stream_block, value or [],
                                               f"{where}.{name}")
        elif name == "cover_image":
            local["cover_image_id"] = (None if value is None
                                       else context.local_chooser("image", value, where))
        elif name in RICH_TEXT_FIELDS:
            local[name] = sanitize_html(map_rich_text(value or "", context.local_reference))
        else:
            try:
                local[name] = model_field.clean(value, None)
            except ValidationError as error:
                raise InterchangeError(f"{where}.{name}: {_describe(error)}") from error
    return local


def get_domain(*, slug: str) -> DomainPage:
    """The domain an import goes into; raises InterchangeError naming the slug."""
    domain = DomainPage.objects.filter(slug=slug).first()
    if domain is None:
        raise InterchangeError(_("There is no domain %(slug)r on this site.") % {"slug": slug})
    return domain


def list_domains() -> list[DomainPage]:
    return list(DomainPage.objects.order_by("path"))


def _existing(model, key: str, known: dict[str, int]):
    pk = known.get(key)
    page = model.objects.filter(pk=pk).first() if pk is not None else None
    if page is None:
        translation_key = key.removeprefix("page:")
        page = model.objects.filter(translation_key=translation_key).first()
    return page


def _placeholder(model, parent, data: dict, where: str, user):
    """A new draft page holding only its title and slug, so that every page of the
    package has an id before rich text and choosers that link between them are filled.
    Its owner is the importer, as for a page she creates in the admin."""
    page = model(title=data["title"], slug=data["slug"], live=False, owner=user,
                 **({"summary": data["fields"].get("summary") or data["title"]}
                    if model is CoursePage else {}))
    try:
        parent.add_child(instance=page)
    except ValidationError as error:
        raise InterchangeError(f"{where}: {_describe(error)}") from error
    return page


def _save(page, *, values: dict, publish: bool, user, where: str):
    """Save the package's content as a new revision of ``page``; publish it if asked. A
    page that is not live keeps its content in its row too (nobody sees it yet)."""
    page = page.get_latest_revision_as_object()
    for name, value in values.items():
        setattr(page, name, value)
    try:
        if not page.live:
            page.save()
        revision = page.save_revision(user=user, log_action=True)
    except ValidationError as error:
        raise InterchangeError(f"{where}: {_describe(error)}") from error
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page


def _check_may_edit(page, user, where: str) -> None:
    """An import run by a person updates only pages she may edit (commands run as the
    operator, ``user`` None, and may update any)."""
    if page is not None and user is not None and not page.permissions_for_user(user).can_edit():
        raise InterchangeError(_("%(where)s: this package updates a page you may not edit. "
                                 "Ask its owner or a site administrator to import it.")
                               % {"where": where})


def _check_slug(model, parent, page, slug: str, where: str) -> None:
    clash = model.objects.child_of(parent).filter(slug=slug)
    if page is not None and page.pk:
        clash = clash.exclude(pk=page.pk)
    if clash.exists():
        raise InterchangeError(_(
            "%(where)s: the slug %(slug)r is already used by another page here that did not "
            "come from this package. Rename or move that page, then import again.")
            % {"where": where, "slug": slug})


def import_course_tree(*, data: dict, domain: DomainPage, known_pages: dict[str, int],
                       local_of: LocalOf, publish: bool = False, user=None) -> ImportedCourse:
    """Create or update the course in ``data`` (from ``export_course_tree``) under
    ``domain``. Pages are saved as new revisions, published only if ``publish``; modules
    that an earlier import made and this package no longer has are unpublished, never
    deleted (learners may have progress in them). Call inside a transaction."""
    context = ImportContext(local_of=local_of)
    course = _existing(CoursePage, data["key"], known_pages)
    created = course is None
    if course is not None and course.get_parent().specific != domain:
        domain = course.get_parent().specific  # an editor moved it: update it where it is
    where = f"Course {data['title']!r}"
    _check_slug(CoursePage, domain, course, data["slug"], where)
    _check_may_edit(course, user, where)
    course = course or _placeholder(CoursePage, domain, data, where, user)
    context.page_ids[data["key"]] = course.pk
    modules = []
    for module_data in data["modules"]:
        where = f"Module {module_data['title']!r}"
        page = _existing(ModulePage, module_data["key"], known_pages)
        _check_slug(ModulePage, course, page, module_data["slug"], where)
        _check_may_edit(page, user, where)
        page = page or _placeholder(ModulePage, course, module_data, where, user)
        context.page_ids[module_data["key"]] = page.pk
        modules.append((module_data, page))
    values = {"title": data["title"], "slug": data["slug"], **_local_fields(
        CoursePage, data["fields"], COURSE_FIELDS, context, f"Course {data['title']!r}")}
    values["educators"] = [_local_educator(index, educator, context)
                           for index, educator in enumerate(data["educators"])]
    course = _save(course, values=values, user=user,
                   publish=publish and data.get("live", True), where="Course")
    for module_data, page in modules:
        _import_module(module_data, page, context, publish, user)
    pages = dict(context.page_ids)
    _keep_order(course, [page for _data, page in modules])
    unpublished = _unpublish_dropped(course, known_pages, set(pages), user)
    caching.bump_catalog_version()
    return ImportedCourse(course=course, pages=pages, modules_unpublished=unpublished,
                          created=created)


def _placement_links_a_library_educator() -> bool:
    return any(f.name == "educator" for f in CourseEducator._meta.get_fields())


def _portable_educator(placement, context: ExportContext) -> dict:
    """An educator placement: a key to the Library's educator (or, on sites whose
    placements hold the person's details, the details themselves)."""
    if _placement_links_a_library_educator():
        return {"educator": context.reference(EDUCATOR_SNIPPET, placement.educator_id)}
    return {name: getattr(placement, name) for name in EDUCATOR_FIELDS}


def _local_educator(index: int, data: dict, context: ImportContext) -> CourseEducator:
    if not _placement_links_a_library_educator():
        return CourseEducator(sort_order=index, **{name: data.get(name, "")
                                                   for name in EDUCATOR_FIELDS})
    if "educator" not in data:
        raise InterchangeError(_("Course educator %(number)s: it names no Library educator.")
                               % {"number": index + 1})
    educator_id = context.local_chooser(EDUCATOR_SNIPPET, data["educator"],
                                        _("Course educator %(number)s") % {"number": index + 1})
    return CourseEducator(sort_order=index, educator_id=educator_id)


def _import_module(data: dict, page: ModulePage, context: ImportContext, publish: bool,
                   user) -> ModulePage:
    where = f"Module {data['title']!r}"
    values = {"title": data["title"], "slug": data["slug"],
              **_local_fields(ModulePage, data["fields"], MODULE_FIELDS, context, where)}
    return _save(page, values=values, user=user, publish=publish and data.get("live", True),
                 where=where)


def _keep_order(course: CoursePage, modules: list[ModulePage]) -> None:
    """The package's modules first, in its order; modules added on this site follow."""
    current = list(ModulePage.objects.child_of(course).order_by("path")
                   .values_list("pk", flat=True))
    wanted = [module.pk for module in modules]
    if current[: len(wanted)] == wanted:
        return
    for pk in [*wanted, *(pk for pk in current if pk not in wanted)]:
        ModulePage.objects.get(pk=pk).move(course, pos="last-child")


def _unpublish_dropped(course, known_pages: dict[str, int], kept: set[str], user) -> list[str]:
    dropped_ids = [pk for key, pk in known_pages.items() if key not in kept]
    unpublished = []
    for module in ModulePage.objects.child_of(course).filter(pk__in=dropped_ids, live=True):
        module.unpublish(user=user, log_action=True)
        unpublished.append(module.title)
    return unpublished


def find_course(*, reference: str) -> CoursePage:
    """A course by id or URL path (``/pharmacogenomics/sjs-ten/``), live or draft."""
    reference = reference.strip()
    if reference.isdigit():
        course = CoursePage.objects.filter(pk=int(reference)).first()
    else:
        path = "/" + reference.strip("/") + "/"
        course = CoursePage.objects.filter(url_path__endswith=path).first()
    if course is None:
        raise InterchangeError(_("There is no course %(reference)r.") % {"reference": reference})
    return course


def get_course_for_export(*, course_id: int) -> CoursePage:
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise InterchangeError(_("There is no course with id %(id)s.") % {"id": course_id})
    return course
