"""Checks a package's JSON against the JSON Schemas in ``packages/schema/``.

The schemas are the documented format (docs/course-package.md), so the importer reads
them rather than repeating their rules in code. This is a small validator for the part
of JSON Schema (2020-12) they use: ``type``, ``enum``, ``const``, ``properties``,
``required``, ``additionalProperties``, ``minProperties``/``maxProperties``, ``items``,
``minItems``/``maxItems``, ``minLength``/``maxLength``, ``pattern``,
``minimum``/``maximum``, ``allOf`` and local ``$ref``s. Other keywords are annotations.
Errors name the place in the document (``course.modules[2].fields.summary``).
"""

import json
import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

SCHEMA_DIR = Path(__file__).parent / "schema"

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaViolation(ValueError):
    """The document breaks its schema; ``str(error)`` says where and how."""


@cache
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def validate(document, *, schema_name: str, where: str) -> None:
    """Raise SchemaViolation for the first rule ``document`` breaks."""
    schema = load_schema(schema_name)
    _check(document, schema, schema, where)


def _fail(where: str, message: str) -> None:
    raise SchemaViolation(f"{where}: {message}")


def _check(value, schema: dict, root: dict, where: str) -> None:
    if "$ref" in schema:
        _check(value, _resolve(root, schema["$ref"]), root, where)
    for part in schema.get("allOf", []):
        _check(value, part, root, where)
    _check_type(value, schema, where)
    if "const" in schema and value != schema["const"]:
        _fail(where, _("must be %(value)r") % {"value": schema["const"]})
    if "enum" in schema and value not in schema["enum"]:
        _fail(where, _("must be one of %(values)s")
              % {"values": ", ".join(map(str, schema["enum"]))})
    if isinstance(value, str):
        _check_string(value, schema, where)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _check_number(value, schema, where)
    elif isinstance(value, list):
        _check_array(value, schema, root, where)
    elif isinstance(value, dict):
        _check_object(value, schema, root, where)


def _resolve(root: dict, reference: str) -> dict:
    if not reference.startswith("#/"):
        raise ValueError(f"only local $refs are supported: {reference}")
    node = root
    for part in reference[2:].split("/"):
        node = node[part]
    return node


def _check_type(value, schema: dict, where: str) -> None:
    expected = schema.get("type")
    if expected is None:
        return
    names = expected if isinstance(expected, list) else [expected]
    if not any(_TYPES[name](value) for name in names):
        _fail(where, _("must be %(types)s") % {"types": " | ".join(names)})


def _check_string(value: str, schema: dict, where: str) -> None:
    if len(value) > schema.get("maxLength", len(value)):
        _fail(where, _("is longer than %(count)s characters") % {"count": schema["maxLength"]})
    if len(value) < schema.get("minLength", 0):
        _fail(where, _("must have at least %(count)s characters")
              % {"count": schema["minLength"]})
    if "pattern" in schema and not re.search(schema["pattern"], value):
        _fail(where, _("%(value)r is not in the expected form") % {"value": value[:60]})


def _check_number(value, schema: dict, where: str) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        _fail(where, _("must be at least %(minimum)s") % {"minimum": schema["minimum"]})
    if "maximum" in schema and value > schema["maximum"]:
        _fail(where, _("must be at most %(maximum)s") % {"maximum": schema["maximum"]})


def _check_array(value: list, schema: dict, root: dict, where: str) -> None:
    if len(value) > schema.get("maxItems", len(value)):
        _fail(where, _("has more than %(count)s items") % {"count": schema["maxItems"]})
    if len(value) < schema.get("minItems", 0):
        _fail(where, _("must have at least %(count)s items") % {"count": schema["minItems"]})
    if "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], root, f"{where}[{index}]")


def _check_object(value: dict, schema: dict, root: dict, where: str) -> None:
    for name in schema.get("required", []):
        if name not in value:
            _fail(where, _("%(name)r is missing") % {"name": name})
    if len(value) > schema.get("maxProperties", len(value)):
        _fail(where, _("has more than %(count)s entries") % {"count": schema["maxProperties"]})
    if len(value) < schema.get("minProperties", 0):
        _fail(where, _("must have at least %(count)s entries")
              % {"count": schema["minProperties"]})
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            _check(item, properties[name], root, f"{where}.{name}")
        elif extra is False:
            _fail(where, _("unexpected entry %(name)r") % {"name": str(name)[:60]})
        elif isinstance(extra, dict):
            _check(item, extra, root, f"{where}.{name}")
