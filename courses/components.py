"""Interactive components (XBlocks) in a module's body: finding them, and filling each
placeholder of the cached body with the learner's own fragment.

The module body is cached per published revision, so a component's block template
renders only a placeholder (``<div data-allele-component="<block id>"></div>``); the
page computes every fragment once per request (``extensions.component_fragments``) and
``{% components_filled %}`` puts them in after the cache.
"""

import re
from collections.abc import Iterator, Mapping

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from wagtail.blocks import StreamValue

from courses.extensions import ComponentRef

COMPONENT_BLOCK = "component"
PLACEHOLDER = re.compile(r'<div data-allele-component="([^"<>]*)"></div>')


def _raw_streams(data) -> Iterator[dict]:
    """Every stream child in raw StreamField JSON, nested streams included."""
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and "type" in item and "value" in item:
                yield item
                yield from _raw_streams(item["value"])
            else:
                yield from _raw_streams(item)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _raw_streams(value)


def has_components(body: StreamValue) -> bool:
    """Whether the body embeds a component, read from its raw JSON (no queries)."""
    return any(item["type"] == COMPONENT_BLOCK for item in _raw_streams(list(body.raw_data)))


def component_refs(body: StreamValue) -> list[ComponentRef]:
    """The components of a body in reading order, nested streams included, read from its
    raw JSON (no queries: the body's images and snippets are not loaded)."""
    return [
        ComponentRef(block_id=str(item.get("id") or ""),
                     block_type=item["value"].get("block_type") or "",
                     olx=item["value"].get("olx") or "", fields=item["value"].get("fields") or "")
        for item in _raw_streams(list(body.raw_data))
        if item["type"] == COMPONENT_BLOCK and isinstance(item["value"], dict) and item.get("id")
    ]


def fill(html: str, fragments: Mapping[str, str]) -> SafeString:
    """``html`` with each placeholder replaced by its fragment, or by a notice when there
    is none (no renderer installed, or it gave nothing for that component)."""
    notice = None

    def replace(match: re.Match) -> str:
        nonlocal notice
        fragment = fragments.get(match.group(1))
        if fragment:
            return fragment
        if notice is None:
            notice = render_to_string("courses/blocks/component_unavailable.html")
        return notice

    return mark_safe(PLACEHOLDER.sub(replace, html))  # noqa: S308 - fragments are safe HTML
