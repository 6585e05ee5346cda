"""Who holds what about a person: each app's declaration of the personal data it stores.

``lms.core`` is the lowest layer and knows none of the apps above it, so the apps tell it:
each registers a ``PersonalDataDeclaration`` from its ``AppConfig.ready()`` (its own
``personal_data.py`` module) naming the models that hold personal data, how to export one
person's rows and how to erase them, and one sentence on what is kept after erasure and why.
A learner's data export (``lms.core.data_rights``) is the union of every ``export``; deleting
an account runs every ``erase``; the privacy page prints every ``kept_after_erasure``. A test
walks all installed models and fails for one holding personal data that nobody declares
(tests/core/test_personal_data.py).

``model_rows`` turns a queryset into JSON-able rows, so most exports are one line per table.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

__all__ = [
    "PersonalDataDeclaration",
    "declared_models",
    "detach",
    "erase_personal_data",
    "export_personal_data",
    "model_rows",
    "personal_data_declarations",
    "register_personal_data",
]

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PersonalDataDeclaration:
    """What one app stores about a person.

    ``models``: the labels ("app_label.ModelName") of the models that hold it.
    ``export(user)``: table name -> rows of plain JSON values (no model instances).
    ``erase(user)``: remove or blank this app's personal data about ``user``; it runs in the
    transaction that deletes the account, before the user row is deleted, and must be safe
    to run twice. ``kept_after_erasure``: one translatable sentence for the privacy page
    (empty when nothing is kept). ``order``: erasures run in ascending order (an app whose
    rows point at another app's runs first).
    """

    app_label: str
    models: tuple[str, ...]
    export: Callable[[Any], dict[str, Rows]]
    erase: Callable[[Any], None]
    kept_after_erasure: Any = ""
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


_REGISTRY: dict[str, PersonalDataDeclaration] = {}


def register_personal_data(declaration: PersonalDataDeclaration) -> None:
    """Record (or replace: ``ready()`` may run twice in tests) an app's declaration."""
    _REGISTRY[declaration.app_label] = declaration


def personal_data_declarations() -> list[PersonalDataDeclaration]:
    """Every declaration, in erasure order."""
    return sorted(_REGISTRY.values(), key=lambda item: (item.order, item.app_label))


def declared_models(
    declarations: Iterable[PersonalDataDeclaration] | None = None,
) -> set[str]:
    """The labels of every model some declaration names."""
    chosen = personal_data_declarations() if declarations is None else declarations
    return {label for declaration in chosen for label in declaration.models}


def export_personal_data(*, user) -> dict[str, Rows]:
    """Everything every app holds about ``user``: table name -> rows, tables sorted."""
    tables: dict[str, Rows] = {}
    for declaration in personal_data_declarations():
        for table, rows in declaration.export(user).items():
            tables.setdefault(table, []).extend(rows)
    return dict(sorted(tables.items()))


def erase_personal_data(*, user) -> None:
    """Run every app's ``erase`` for ``user`` (the caller holds the transaction)."""
    for declaration in personal_data_declarations():
        declaration.erase(user)


def model_rows(queryset: Iterable[models.Model], *, fields: Iterable[str] | None = None,
               exclude: Iterable[str] = ()) -> Rows:
    """Each instance's concrete fields as plain JSON values (foreign keys as ids, dates as
    ISO 8601, decimals as strings, files as their stored name). ``fields`` keeps only
    these (e.g. a page an editor owns: its id and title, not its content); ``exclude``
    leaves some out (secrets such as a password hash or an authenticator's key)."""
    kept = None if fields is None else set(fields)
    left_out = set(exclude)
    rows: Rows = []
    for instance in queryset:
        rows.append({
            model_field.attname: _plain(model_field.value_from_object(instance))
            for model_field in instance._meta.concrete_fields
            if (kept is None or model_field.name in kept or model_field.attname in kept)
            and model_field.name not in left_out and model_field.attname not in left_out
        })
    return rows


def detach(model: type[models.Model], field_name: str, user) -> int:
    """Set ``field_name`` (a nullable "who did it" foreign key) to None wherever it names
    ``user``: the record stays, it no longer says who. Returns the rows changed."""
    return model._default_manager.filter(**{field_name: user}).update(**{field_name: None})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)  # CountryField's Country, lazy strings, anything else
