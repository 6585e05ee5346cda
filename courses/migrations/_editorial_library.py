"""Data steps of 0007_editorial_library: inline educators, references and glossary terms
become Library snippets; plain-text objectives become objective blocks.

Snippets are matched before they are made (a DOI, a PMID, a citation, a term), so the
same source cited in ten modules becomes one reference.
"""

import html

from django.core.exceptions import ValidationError
from wagtail.blocks.migrations.migrate_operation import MigrateStreamData
from wagtail.blocks.migrations.operations import BaseBlockOperation

from editorial import identifiers

EDUCATOR_FIELDS = ("name", "title", "affiliation")


def _educator_id(Educator, row: dict) -> int:
    values = {name: (row.get(name) or "")[:200] for name in EDUCATOR_FIELDS}
    educator = Educator.objects.filter(**values).order_by("pk").first()
    return (educator or Educator.objects.create(**values)).pk


def _check_constraints_now(schema_editor) -> None:
    """On PostgreSQL, run the deferred foreign-key checks of the rows just written, so that
    the same migration may then alter the table ("pending trigger events" otherwise)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def educators_to_snippets(apps, schema_editor):
    Educator = apps.get_model("editorial", "Educator")
    CourseEducator = apps.get_model("courses", "CourseEducator")
    for placement in CourseEducator.objects.all():
        placement.educator_id = _educator_id(
            Educator, {name: getattr(placement, name) for name in EDUCATOR_FIELDS}
        )
        placement.save(update_fields=["educator"])
    for revision in _course_revisions(apps):
        rows = revision.content.get("educators") or []
        if rows and any("educator" not in row for row in rows):
            for row in rows:
                row.setdefault("educator", _educator_id(Educator, row))
            revision.save(update_fields=["content"])
    _check_constraints_now(schema_editor)


def snippets_to_educators(apps, schema_editor):
    CourseEducator = apps.get_model("courses", "CourseEducator")
    for placement in CourseEducator.objects.select_related("educator"):
        for name in EDUCATOR_FIELDS:
            setattr(placement, name, getattr(placement.educator, name))
        placement.save(update_fields=list(EDUCATOR_FIELDS))
    _check_constraints_now(schema_editor)


def _course_revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="courses", model="coursepage").first()
    if content_type is None:
        return []
    return Revision.objects.filter(content_type_id=content_type.pk).iterator()


class MigrateStreamDataWithApps(MigrateStreamData):
    """Wagtail's stream data migration, handing the historical ``apps`` to operations that
    create snippets."""

    def migrate_stream_data_forward(self, apps, schema_editor):
        for operation, _path in self.operations_and_block_paths:
            operation.apps = apps
        return super().migrate_stream_data_forward(apps, schema_editor)


class ObjectiveToStruct(BaseBlockOperation):
    """"Explain a VUS" becomes {"text": "Explain a VUS", "competencies": []}."""

    def apply(self, block_value):
        if isinstance(block_value, dict):
            return block_value
        return {"text": str(block_value or "")[:300], "competencies": []}

    @property
    def operation_name_fragment(self):
        return "objective_to_struct"


class InlineReferencesToSnippets(BaseBlockOperation):
    """Each inline reference (citation, DOI, PMID, URL) becomes a Reference snippet."""

    apps = None

    def apply(self, block_value):
        items = []
        for item in block_value.get("references") or []:
            value = item.get("value") if isinstance(item, dict) and "type" in item else item
            if isinstance(value, dict):
                value = self._reference_id(value)
            if value:
                items.append({**item, "value": value} if isinstance(item, dict) and "type" in item
                             else {"type": "item", "value": value})
        return {**block_value, "references": items}

    def _reference_id(self, data: dict) -> int | None:
        Reference = self.apps.get_model("editorial", "Reference")
        citation = " ".join(str(data.get("citation") or "").split())[:1000]
        doi, pmid, url = (_or_blank(check, data.get(name)) for check, name in (
            (identifiers.normalize_doi, "doi"), (identifiers.normalize_pmid, "pmid"),
            (identifiers.normalize_url, "url")))
        if not (citation or doi or pmid):
            return None
        found = (Reference.objects.filter(doi__iexact=doi).first() if doi else None) or (
            Reference.objects.filter(pmid=pmid).first() if pmid else None) or (
            Reference.objects.filter(citation=citation, doi="", pmid="").first())
        if found is None:
            found = Reference.objects.create(citation=citation or doi or pmid, doi=doi,
                                             pmid=pmid, url=url)
        return found.pk

    @property
    def operation_name_fragment(self):
        return "references_to_snippets"


class InlineTermToSnippet(BaseBlockOperation):
    """An inline {term, definition} becomes a GlossaryTerm snippet (in English: a block
    does not know its course's language; editors can move it)."""

    apps = None

    def apply(self, block_value):
        if not isinstance(block_value, dict):
            return block_value
        GlossaryTerm = self.apps.get_model("editorial", "GlossaryTerm")
        term = " ".join(str(block_value.get("term") or "").split())[:120]
        if not term:
            return None
        found = GlossaryTerm.objects.filter(term__iexact=term, language="en").first()
        if found is None:
            definition = html.escape(str(block_value.get("definition") or "").strip())
            found = GlossaryTerm.objects.create(term=term, language="en",
                                                definition=f"<p>{definition}</p>")
        return found.pk

    @property
    def operation_name_fragment(self):
        return "term_to_snippet"


def _or_blank(check, value) -> str:
    try:
        return check(str(value or ""))
    except ValidationError:  # an unreadable identifier is dropped, the citation kept
        return ""
