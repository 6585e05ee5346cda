"""Which XBlock types are installed (the ``xblock.v1`` entry point) and which the site allows."""

import functools
import logging

from xblock.core import XBlock

logger = logging.getLogger(__name__)


@functools.cache
def _installed() -> dict[str, type]:
    classes: dict[str, type] = {}
    for name, cls in XBlock.load_classes():
        classes.setdefault(name, cls)
    return classes


def installed_block_types() -> list[str]:
    """Every block type an installed package declares, sorted."""
    return sorted(_installed())


def block_class(block_type: str) -> type | None:
    """The installed class for ``block_type``, or None."""
    return _installed().get(block_type)


def block_label(block_type: str) -> str:
    cls = block_class(block_type)
    field = getattr(cls, "fields", {}).get("display_name") if cls else None
    default = getattr(field, "default", None)
    return f"{default} ({block_type})" if default and default != block_type else block_type


def allowed_block_types(*, request=None) -> list[str]:
    """The installed types the site administrator allows, sorted."""
    from xblocks.models import XBlockSettings

    allowed = set(XBlockSettings.load(request_or_site=request).allowed_block_types or [])
    return [name for name in installed_block_types() if name in allowed]
