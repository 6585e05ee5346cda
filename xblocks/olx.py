"""Reading a component's OLX safely, and writing OLX for a component given as fields.

Educators paste OLX into the admin, and course packages bring it from other sites, so it is
untrusted: no DTDs, no entities (no XXE, no "billion laughs"), no network, no huge trees.
"""

import hashlib
import json
import re

from django.utils.translation import gettext as _
from lxml import etree

MAX_OLX_BYTES = 200 * 1024
MAX_OLX_ELEMENTS = 2000

_TAG = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


class OLXError(ValueError):
    """OLX that cannot be used; ``str(error)`` is a message for the educator."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


def parse_olx(text: str) -> etree._Element:
    """The root element of ``text``; raises OLXError for anything unsafe or unreadable."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    if len(data) > MAX_OLX_BYTES:
        raise OLXError(_("The OLX is too long (%(size)d KB; at most %(limit)d KB).") % {
            "size": len(data) // 1024, "limit": MAX_OLX_BYTES // 1024})
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise OLXError(_("The OLX may not contain a DOCTYPE or entity declarations."))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise OLXError(_("The OLX is not well-formed XML: %(error)s") % {"error": error}) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise OLXError(_("The OLX may not contain a DOCTYPE or entity declarations."))
    for count, node in enumerate(root.iter(), start=1):
        if isinstance(node, etree._Entity):
            raise OLXError(_("The OLX may not use entities other than &lt; &gt; &amp; "
                             "&quot; &apos; and character references."))
        if count > MAX_OLX_ELEMENTS:
            raise OLXError(_("The OLX has too many elements (at most %(limit)d).")
                           % {"limit": MAX_OLX_ELEMENTS})
    return root


def olx_from_fields(*, block_type: str, fields: str) -> str:
    """``<block_type name="value" .../>`` for a JSON object of field values (escaped)."""
    if not _TAG.match(block_type or ""):
        raise OLXError(_("“%(type)s” is not a component type.") % {"type": block_type[:100]})
    try:
        values = json.loads(fields) if fields and fields.strip() else {}
    except ValueError:
        raise OLXError(_("The field values are not valid JSON.")) from None
    if not isinstance(values, dict):
        raise OLXError(_("The field values must be a JSON object, e.g. {\"question\": \"...\"}."))
    element = etree.Element(block_type)
    for name, value in values.items():
        if not _FIELD.match(name):
            raise OLXError(_("“%(name)s” is not a field name.") % {"name": str(name)[:100]})
        element.set(name, value if isinstance(value, str) else json.dumps(value))
    return etree.tostring(element, encoding="unicode")


def component_olx(component) -> str:
    """The OLX of a ``ComponentRef``: its own, or one built from its type and fields."""
    if component.olx and component.olx.strip():
        return component.olx
    if component.block_type:
        return olx_from_fields(block_type=component.block_type, fields=component.fields)
    raise OLXError(_("Give the component's OLX, or choose its type."))


def source_hash(component) -> str:
    """A fingerprint of the component as authored, to notice that it changed."""
    text = json.dumps([component.olx, component.block_type, component.fields])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
