"""Library items in a portable form (course packages), and back.

A package carries the references, glossary terms, educators and competencies its course
and questions point at. Each item has a key that names the same thing on any site where
one exists: a reference by its DOI or PMID, a glossary term by its language and term, a
competency by its framework's name and version and its code; an educator (who has no
such identity) by the exporting site and its id. On import an item is matched by the
key map an earlier import kept, then by that natural identity; an item this site already
had is reused as it is (the package does not overwrite a site's own library), while one
an earlier import made is updated to the package's text. The packages app calls these
through ``editorial.api``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from editorial import identifiers
from editorial.models import Competency, CompetencyFramework, Educator, GlossaryTerm, Reference
from lms.core.html import sanitize_html

MODELS = {
    "editorial.reference": Reference,
    "editorial.glossaryterm": GlossaryTerm,
    "editorial.educator": Educator,
    "editorial.competency": Competency,
}
FIELDS = {
    "editorial.reference": ["label", "citation", "year", "doi", "pmid", "url"],
    "editorial.glossaryterm": ["term", "definition", "synonyms", "language"],
    "editorial.educator": ["name", "title", "affiliation", "bio"],
    "editorial.competency": ["code", "title", "description", "profession", "level"],
}
FRAMEWORK_FIELDS = ["name", "version", "description", "source"]


class LibraryImportError(ValueError):
    """A library item that cannot be imported; the message says which and why."""


def _digest(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def library_key(*, label: str, obj, site_id: str) -> str:
    """The item's key in a package (see the module docstring)."""
    if label == "editorial.reference" and (obj.doi or obj.pmid):
        return (f"{label}:doi:{obj.doi.lower()}" if obj.doi else f"{label}:pmid:{obj.pmid}")
    if label == "editorial.glossaryterm":
        return f"{label}:{_digest(obj.language, obj.term.strip().casefold())}"
    if label == "editorial.competency":
        framework = obj.framework
        return f"{label}:{_digest(framework.name, framework.version, obj.code)}"
    return f"{label}:{site_id}:{obj.pk}"


def export_library_item(*, label: str, pk: int, site_id: str,
                        image_key: Callable[[int], str | None]) -> dict | None:
    """The item as a JSON-ready dict, or None if there is no such item."""
    model = MODELS.get(label)
    obj = model.objects.filter(pk=pk).first() if model else None
    if obj is None:
        return None
    item = {"key": library_key(label=label, obj=obj, site_id=site_id), "model": label,
            "fields": {name: getattr(obj, name) for name in FIELDS[label]}}
    if label == "editorial.educator":
        item["fields"]["photo"] = image_key(obj.photo_id) if obj.photo_id else None
    if label == "editorial.competency":
        item["framework"] = {name: getattr(obj.framework, name) for name in FRAMEWORK_FIELDS}
    return item


def _natural_match(label: str, fields: dict, framework: CompetencyFramework | None):
    if label == "editorial.reference":
        doi = identifiers.normalize_doi(fields.get("doi") or "")
        pmid = identifiers.normalize_pmid(fields.get("pmid") or "")
        return ((Reference.objects.filter(doi__iexact=doi).first() if doi else None)
                or (Reference.objects.filter(pmid=pmid).first() if pmid else None))
    if label == "editorial.glossaryterm":
        return GlossaryTerm.objects.filter(term__iexact=(fields.get("term") or "").strip(),
                                           language=fields.get("language") or "en").first()
    if label == "editorial.competency" and framework is not None and framework.pk:
        return Competency.objects.filter(framework=framework, code=fields.get("code")).first()
    return None


def _framework(data: dict, where: str) -> CompetencyFramework:
    unknown = sorted(set(data) - set(FRAMEWORK_FIELDS))
    if unknown:
        raise LibraryImportError(_("%(where)s: unknown framework field %(name)r.")
                                 % {"where": where, "name": unknown[0]})
    framework = CompetencyFramework.objects.filter(
        name=data.get("name"), version=data.get("version")).first()
    if framework is None:
        framework = CompetencyFramework(**data)
        _save(framework, where)
    return framework


def _save(obj, where: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise LibraryImportError(f"{where}: {'; '.join(error.messages)[:300]}") from error
    obj.save()


def _import_item(item: dict, known: dict[str, int], own_site: bool,
                 local_image: Callable[[str], int | None]) -> int:
    label, key = item["model"], item["key"]
    model = MODELS.get(label)
    if model is None:
        raise LibraryImportError(_("Library item %(key)r: unknown kind %(kind)r.")
                                 % {"key": key, "kind": label})
    where = _("Library item %(key)r") % {"key": key}
    fields = dict(item["fields"])
    photo = fields.pop("photo", None) if label == "editorial.educator" else None
    unknown = sorted(set(fields) - set(FIELDS[label]))
    if unknown:
        raise LibraryImportError(_("%(where)s: unknown field %(name)r.")
                                 % {"where": where, "name": unknown[0]})
    framework = (_framework(item.get("framework") or {}, where)
                 if label == "editorial.competency" else None)
    obj = model.objects.filter(pk=known[key]).first() if key in known else None
    if obj is None and own_site and label == "editorial.educator":
        obj = model.objects.filter(pk=int(key.rsplit(":", 1)[1])).first()
    if obj is None and (found := _natural_match(label, fields, framework)) is not None:
        return found.pk  # the site's own item: reused, not overwritten
    obj = obj or model()
    if "definition" in fields:
        fields["definition"] = sanitize_html(fields["definition"] or "")
    for name, value in fields.items():
        setattr(obj, name, value)
    if framework is not None:
        obj.framework = framework
    if label == "editorial.educator":
        obj.photo_id = local_image(photo) if photo else None
    _save(obj, where)
    return obj.pk


def import_library_items(*, items: list[dict], known: dict[str, int], own_site: bool,
                         local_image: Callable[[str], int | None]) -> dict[str, int]:
    """Match or create every item (call inside the import's transaction); returns the map
    from each item's key to its local id. Raises LibraryImportError."""
    return {item["key"]: _import_item(item, known, own_site, local_image) for item in items}
