"""Turning the components authored in a module into usages and definitions, idempotently.

Runs when a module is published (after the commit) and, lazily, when a component is first
rendered; both may run at once, so each component is written under a lock on the module's
page row, with unique constraints behind it. A usage that is no longer in the OLX (or whose
component was removed from the module) is kept, marked retired, with its learners' state.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses import api as courses_api
from xblocks.models import XBlockDefinition, XBlockUsage
from xblocks.olx import OLXError, component_olx, parse_olx, source_hash
from xblocks.runtime import ParsedBlock, ParsingRuntime


def parse_component(*, module_pk: int, component, allowed: set[str]) -> list[ParsedBlock]:
    """The blocks of ``component``, root first; raises OLXError (a clear message)."""
    root = parse_olx(component_olx(component))
    runtime = ParsingRuntime(module_pk=module_pk, component_id=component.block_id,
                             allowed=allowed)
    try:
        return runtime.parse(root)
    except OLXError:
        raise
    except Exception as error:
        raise OLXError(_("The component's OLX could not be read: %(error)s")
                       % {"error": str(error)[:200] or type(error).__name__}) from error


def unsaved_usages(*, module, parsed: list[ParsedBlock], component_id: str) -> list[XBlockUsage]:
    """In-memory usages and definitions, for a preview (nothing is written)."""
    usages: dict[str, XBlockUsage] = {}
    for index, block in enumerate(parsed, start=1):
        definition = XBlockDefinition(definition_id=block.definition_id,
                                      block_type=block.block_type, content=block.content,
                                      settings=block.settings, children=block.children)
        usage = XBlockUsage(usage_id=block.usage_id, definition=definition, pk=-index,
                            block_type=block.block_type, module_id=module.pk,
                            component_id=component_id, url_name=block.url_name,
                            position=block.position)
        if block.parent_id:
            usage.parent_id = usages[block.parent_id].pk
        usages[block.usage_id] = usage
    return list(usages.values())


def _write_definition(definition: XBlockDefinition | None, block: ParsedBlock):
    values = {"block_type": block.block_type, "content": block.content,
              "settings": block.settings, "children": block.children}
    if definition is None:
        return XBlockDefinition.objects.create(definition_id=block.definition_id, **values)
    if any(getattr(definition, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(definition, name, value)
        definition.save()
    return definition


def _write_component(*, module, component, parsed: list[ParsedBlock], now) -> None:
    existing = {usage.url_name: usage for usage in XBlockUsage.objects.filter(
        module_id=module.pk, component_id=component.block_id).select_related("definition")}
    written: dict[str, XBlockUsage] = {}
    for block in parsed:
        usage = existing.get(block.url_name)
        definition = _write_definition(usage.definition if usage else None, block)
        values = {
            "block_type": block.block_type, "position": block.position, "retired_at": None,
            "parent": written[block.parent_id] if block.parent_id else None,
            "source_hash": "" if block.parent_id else source_hash(component),
        }
        if usage is None:
            usage = XBlockUsage.objects.create(
                usage_id=block.usage_id, definition=definition, module_id=module.pk,
                component_id=component.block_id, url_name=block.url_name, **values)
        elif any(getattr(usage, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(usage, name, value)
            usage.save()
        written[block.usage_id] = usage
    kept = {usage.url_name for usage in written.values()}
    XBlockUsage.objects.filter(
        pk__in=[usage.pk for url, usage in existing.items() if url not in kept],
        retired_at__isnull=True,
    ).update(retired_at=now)


def sync_component(*, module, component, allowed: set[str]) -> None:
    """Write ``component``'s usages and definitions (raises OLXError if it is unusable)."""
    parsed = parse_component(module_pk=module.pk, component=component, allowed=allowed)
    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=module.pk).first()
        _write_component(module=module, component=component, parsed=parsed,
                         now=timezone.now())


def sync_module(*, module, allowed: set[str]) -> list[str]:
    """Bring every component of ``module`` (as published) into the database and retire the
    usages of components it no longer has; the errors of unusable components."""
    components = courses_api.module_components(module=module)
    current = {usage.component_id: usage.source_hash for usage in XBlockUsage.objects.filter(
        module_id=module.pk, parent__isnull=True, retired_at__isnull=True)}
    errors = []
    for component in components:
        if current.get(component.block_id) == source_hash(component):
            continue  # unchanged: keep what an authoring handler may have saved
        try:
            sync_component(module=module, component=component, allowed=allowed)
        except OLXError as error:
            errors.append(f"{component.block_id}: {error}")
    XBlockUsage.objects.filter(module_id=module.pk, retired_at__isnull=True).exclude(
        component_id__in=[component.block_id for component in components],
    ).update(retired_at=timezone.now())
    return errors
