"""What courses show of the editorial library: numbered citations in a module, glossary
terms marked in its text, the course glossary, and the competencies courses build.

Everything here reads published content only and is cached by the catalog version
(saving a Library snippet bumps it, see courses/caching.py), or by the module revision.
"""

import html
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from editorial import api as editorial_api


def _cached(key: str, build):
    from courses import caching  # courses.caching imports the models, which import this

    return caching.cached(key, build)


@dataclass(frozen=True, slots=True)
class ModuleCitations:
    """A module's references, numbered in the order the module first cites them."""

    references: list[editorial_api.CitedReference] = field(default_factory=list)
    listed: frozenset[int] = frozenset()  # those a references block in the body lists

    def number_of(self, pk: int) -> int | None:
        return next((ref.number for ref in self.references if ref.pk == pk), None)

    def numbered(self, pks: Iterable[int]) -> list[editorial_api.CitedReference]:
        """The references with these keys, in number order."""
        wanted = {pk for pk in pks if pk}
        return [ref for ref in self.references if ref.pk in wanted]

    @property
    def unlisted(self) -> list[editorial_api.CitedReference]:
        """Cited in the text but listed by no references block: shown after the body."""
        return [ref for ref in self.references if ref.pk not in self.listed]


def _reference_ids(body, block_types: tuple[str, ...]) -> list[int]:
    ids = []
    for child in body.raw_data:
        if child.get("type") in block_types:
            for item in (child.get("value") or {}).get("references") or []:
                value = item.get("value") if isinstance(item, dict) else item
                if isinstance(value, int | str) and str(value).isdigit():
                    ids.append(int(value))
    return ids


def module_citations(*, module, preview: bool = False) -> ModuleCitations:
    """The numbered references of ``module`` as published (or as previewed)."""

    def build() -> ModuleCitations:
        return ModuleCitations(
            references=editorial_api.number_references(
                ids=_reference_ids(module.body, ("references", "cite"))
            ),
            listed=frozenset(_reference_ids(module.body, ("references",))),
        )

    if preview:
        return build()
    return _cached(f"citations:{module.pk}:{module.live_revision_id}", build)


def glossary_entries(*, language: str) -> list[editorial_api.GlossaryEntry]:
    return _cached(
        f"glossary:{language}", lambda: editorial_api.glossary_entries(language=language)
    )


def mark_glossary(*, html: str, language: str, glossary_url: str) -> SafeString:
    """``html`` (rendered, trusted) with its first use of each glossary term marked."""
    marked, _found = editorial_api.mark_terms(
        html, glossary_entries(language=language), glossary_url=glossary_url
    )
    return mark_safe(marked)  # noqa: S308 - text is re-escaped; tags pass through unchanged


def course_glossary(*, course) -> list[editorial_api.GlossaryEntry]:
    """The terms a course's published modules use or define, alphabetically."""

    def build() -> list[editorial_api.GlossaryEntry]:
        from courses.pages import ModulePage

        entries = glossary_entries(language=course.language)
        by_pk = {entry.pk: entry for entry in entries}
        found: dict[int, editorial_api.GlossaryEntry] = {}
        for module in ModulePage.objects.child_of(course).live().order_by("path"):
            for child in module.body.raw_data:
                if child.get("type") == "glossary_term" and child.get("value") in by_pk:
                    found[child["value"]] = by_pk[child["value"]]
            text = _module_text(module)
            found.update((entry.pk, entry) for entry in editorial_api.terms_used(text, entries))
        return sorted(found.values(), key=lambda entry: entry.term.casefold())

    return _cached(f"course-glossary:{course.pk}", build)


TEXT_BLOCK_TYPES = ("rich_text", "heading", "key_point", "case_vignette")


def _module_text(module) -> str:
    """The words of a module's text blocks as HTML paragraphs, read from the raw data (so
    chooser blocks cost no query)."""
    stream_block = module.body.stream_block
    texts = []
    for child in module.body.raw_data:
        block = stream_block.child_blocks.get(child.get("type"))
        if block is not None and child.get("type") in TEXT_BLOCK_TYPES:
            texts += block.get_searchable_content(block.to_python(child.get("value")))
    return "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in texts)


def _competency_ids(courses: Iterable) -> list[int]:
    ids = []
    for course in courses:
        for child in course.learning_objectives.raw_data:
            for item in (child.get("value") or {}).get("competencies") or []:
                value = item.get("value") if isinstance(item, dict) else item
                if isinstance(value, int | str) and str(value).isdigit():
                    ids.append(int(value))
    return ids


def competencies_built(*, courses: Iterable) -> list[editorial_api.FrameworkCompetencies]:
    """The competencies the objectives of ``courses`` link to, grouped by framework (one
    query, whatever the number of courses and objectives)."""
    ids = set(_competency_ids(courses))
    if not ids:
        return []
    found = editorial_api.Competency.objects.filter(pk__in=ids).select_related("framework")
    return editorial_api.group_by_framework(competencies=found)


def dashboard_competencies(*, request, dashboard) -> list[str]:
    """The dashboard section: competencies covered by the learner's completed courses."""
    groups = competencies_built(courses=[progress.course for progress in dashboard.completed])
    if not groups:
        return []
    return [render_to_string("editorial/dashboard_competencies.html",
                             {"groups": groups}, request=request)]
