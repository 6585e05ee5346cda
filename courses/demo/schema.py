"""The shape of the demo catalog's content, and small builders for module blocks.

Content modules under ``courses/demo/content/`` describe one course each with
these dataclasses; the loader turns them into pages. Nothing here touches the
database.
"""

from dataclasses import dataclass

Block = tuple[str, dict | str]


@dataclass(frozen=True)
class Educator:
    name: str
    title: str
    affiliation: str = "Allele demo faculty (illustrative)"


@dataclass(frozen=True)
class Objective:
    """A learning objective and the codes of the seeded competencies it builds."""

    text: str
    competencies: tuple[str, ...] = ()


def objective(text: str, *competency_codes: str) -> Objective:
    return Objective(text=text, competencies=competency_codes)


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    estimated_minutes: int
    body: list[Block]


@dataclass(frozen=True)
class Course:
    domain: str  # a WorkingGroup value, which is also the domain page's slug
    slug: str
    title: str
    summary: str
    description: str
    learning_objectives: list[Objective]
    intended_audience: str
    level: str
    estimated_hours: str
    cpd_credit_hours: str
    prerequisites: str
    educators: list[Educator]
    modules: list[Module]
    language: str = "en"


# --- Block builders: each returns a (block type, value) pair for ModuleBodyBlock. ---


def heading(text: str, level: str = "h2") -> Block:
    return ("heading", {"text": text, "level": level})


def text(html: str) -> Block:
    return ("rich_text", html.strip())


def key_point(html: str, title: str = "Key point") -> Block:
    return ("key_point", {"title": title, "text": html.strip()})


def case(title: str, presentation: str, question: str, discussion: str) -> Block:
    return (
        "case_vignette",
        {
            "title": title,
            "presentation": presentation.strip(),
            "question": question.strip(),
            "discussion": discussion.strip(),
        },
    )


def term(name: str, definition: str, *, synonyms: str = "") -> Block:
    """A glossary term (plain-text definition), made a Library snippet by the loader."""
    return ("glossary_term", {"term": name, "definition": definition.strip(),
                              "synonyms": synonyms})


def ref(citation: str, *, doi: str = "", pmid: str = "", url: str = "") -> dict:
    return {"citation": citation, "doi": doi, "pmid": pmid, "url": url}


def references(*items: dict, title: str = "References") -> Block:
    return ("references", {"heading": title, "references": list(items)})


def cite(*items: dict) -> Block:
    """Citation marks ("[1], [2]") for references made with :func:`ref`."""
    return ("cite", {"references": list(items)})
