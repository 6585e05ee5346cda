"""The editorial library's front door: references, glossary terms, educators, competencies.

Courses and assessments read the Library only through these functions. Reads that
feed cached pages return frozen dataclasses (picklable); writes here are the ones the
demo loader and imports need, each matching an existing snippet before making one.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from editorial import identifiers
from editorial.glossary import GlossaryEntry, mark_terms, terms_used
from editorial.interchange import (
    LibraryImportError,
    export_library_item,
    import_library_items,
    library_key,
)
from editorial.models import (
    ALL_PROFESSIONS,
    Competency,
    CompetencyFramework,
    CompetencyLevel,
    Educator,
    GlossaryTerm,
    Reference,
)
from lms.core.html import sanitize_html

__all__ = [
    "ALL_PROFESSIONS",
    "LIBRARY_MODELS",
    "CitedReference",
    "Competency",
    "CompetencyFramework",
    "CompetencyLevel",
    "Educator",
    "FrameworkCompetencies",
    "GlossaryEntry",
    "GlossaryTerm",
    "LibraryImportError",
    "Reference",
    "citation_texts",
    "competencies_by_code",
    "ensure_educator",
    "ensure_glossary_term",
    "ensure_reference",
    "export_library_item",
    "glossary_entries",
    "group_by_framework",
    "import_library_items",
    "library_key",
    "mark_terms",
    "number_references",
    "references_by_id",
    "terms_used",
]

# Saving or deleting any of these changes what published pages show.
LIBRARY_MODELS = (Reference, GlossaryTerm, Educator, CompetencyFramework, Competency)


@dataclass(frozen=True, slots=True)
class CitedReference:
    """A reference as a page shows it, numbered as the module cites it."""

    pk: int
    number: int
    citation: str
    doi: str
    pmid: str
    url: str
    doi_url: str
    pubmed_url: str

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"


@dataclass(frozen=True, slots=True)
class FrameworkCompetencies:
    framework: str  # its name and version
    competencies: tuple[Competency, ...]


def references_by_id(*, ids: Iterable[int]) -> dict[int, Reference]:
    """The references with these primary keys (missing ones left out), in one query."""
    wanted = {int(pk) for pk in ids if pk}
    return Reference.objects.in_bulk(wanted) if wanted else {}


def number_references(*, ids: Iterable[int]) -> list[CitedReference]:
    """The references, numbered 1, 2, 3 in the order of ``ids`` (repeats numbered once)."""
    order = list(dict.fromkeys(int(pk) for pk in ids if pk))
    found = references_by_id(ids=order)
    cited, number = [], 0
    for pk in order:
        if (reference := found.get(pk)) is not None:
            number += 1
            cited.append(CitedReference(
                pk=pk, number=number, citation=reference.citation, doi=reference.doi,
                pmid=reference.pmid, url=reference.url, doi_url=reference.doi_url,
                pubmed_url=reference.pubmed_url,
            ))
    return cited



def citation_texts(*, ids: Iterable[int]) -> list[str]:
    """Each reference as one line of plain text (for question snapshots), in ``ids`` order."""
    order = list(dict.fromkeys(int(pk) for pk in ids if pk))
    found = references_by_id(ids=order)
    return [found[pk].as_text() for pk in order if pk in found]


def glossary_entries(*, language: str) -> list[GlossaryEntry]:
    """Every glossary term in ``language``, ready for marking and listing."""
    return [
        GlossaryEntry(
            pk=term.pk, term=term.term, words=(term.term, *term.synonym_list),
            anchor=term.anchor, definition_html=term.definition or "",
            definition_text=term.definition_text,
        )
        for term in GlossaryTerm.objects.filter(language=language).order_by("term")
    ]


def competencies_by_code(*, codes: Iterable[str], framework: str | None = None) -> list[Competency]:
    """The competencies with these codes (in the named framework, if given), codes' order."""
    codes = list(codes)
    found = Competency.objects.filter(code__in=codes)
    if framework:
        found = found.filter(framework__name=framework)
    by_code = {competency.code: competency for competency in found}
    return [by_code[code] for code in codes if code in by_code]


def group_by_framework(*, competencies: Iterable[Competency]) -> list[FrameworkCompetencies]:
    """Competencies (with ``framework`` loaded) grouped by framework, each sorted by code."""
    groups: dict[int, list[Competency]] = {}
    names: dict[int, str] = {}
    for competency in competencies:
        groups.setdefault(competency.framework_id, []).append(competency)
        names[competency.framework_id] = str(competency.framework)
    return [
        FrameworkCompetencies(
            framework=names[pk],
            competencies=tuple(sorted({c.pk: c for c in items}.values(), key=lambda c: c.code)),
        )
        for pk, items in sorted(groups.items(), key=lambda item: names[item[0]])
    ]


def ensure_reference(*, citation: str, doi: str = "", pmid: str = "", url: str = "",
                     year: int | None = None) -> Reference:
    """The reference with this DOI, PMID or (without either) citation; made if missing.

    Raises ValidationError for an invalid identifier or address.
    """
    doi, pmid = identifiers.normalize_doi(doi), identifiers.normalize_pmid(pmid)
    url = identifiers.normalize_url(url)
    with transaction.atomic():
        found = (Reference.objects.filter(doi__iexact=doi).first() if doi else None) or (
            Reference.objects.filter(pmid=pmid).first() if pmid else None) or (
            None if doi or pmid else Reference.objects.filter(citation=citation).first())
        values = {"citation": citation, "doi": doi, "pmid": pmid, "url": url, "year": year}
        if found is None:
            reference = Reference(**values)
            reference.full_clean()
            reference.save()
            return reference
        if any(getattr(found, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(found, name, value)
            found.full_clean()
            found.save()
        return found


def ensure_glossary_term(*, term: str, definition: str, language: str = "en",
                         synonyms: str = "") -> GlossaryTerm:
    """The glossary term ``term`` in ``language``, with this definition and synonyms."""
    definition = sanitize_html(definition)
    with transaction.atomic():
        found = GlossaryTerm.objects.filter(term__iexact=term.strip(), language=language).first()
        found = found or GlossaryTerm(term=term, language=language)
        if (found.pk is None or found.definition != definition
                or found.synonyms != synonyms or found.term != term):
            found.term, found.definition, found.synonyms = term, definition, synonyms
            found.full_clean()
            found.save()
        return found


def ensure_educator(*, name: str, title: str = "", affiliation: str = "") -> Educator:
    """The educator with this name, title and affiliation; made if missing."""
    educator, _created = Educator.objects.get_or_create(
        name=name, title=title, affiliation=affiliation
    )
    return educator
