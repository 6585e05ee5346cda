"""Find human text in templates that is not marked for translation.

A template is cut by Django's own template Lexer into text and tags. Every tag, variable
and comment becomes an opaque placeholder, and so does everything between
``{% blocktranslate %}`` and ``{% endblocktranslate %}`` (or ``{% comment %}`` and
``{% endcomment %}``); ``{% translate %}`` is a tag, so it is a placeholder too. What is
left is the template's literal text, which is read as HTML: a text node, or a
human-facing attribute value (``alt``, ``title``, ``aria-label``, ``placeholder``, the
``value`` of a submit button, a description ``<meta>``...), that still holds a letter is
a string a learner would see in English whatever her language. ``<script>`` and
``<style>`` bodies, HTML comments, entities and text made only of punctuation, digits or
symbols are not, nor is a one-letter variable in a formula (``n=12``). A quoted phrase
passed to a tag or filter (``{{ title|default:"No title" }}``) is human text too. A few names
(``ALLOWED_NAMES``) are the same in every language, and a ``{% block *_class %}`` fills
an attribute of its parent template, not text.

``tests/core/test_translatable_templates.py`` runs this over every project template.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

__all__ = ["ALLOWED_NAMES", "Literal", "find_literals", "project_templates"]

# Names written the same in every language. Anything else belongs in the catalogue.
ALLOWED_NAMES = (
    "Allele",  # the product
    "PDF", "CSV",  # file formats, named so on every download button in the world
    "doi", "PMID",  # identifier labels of a citation (Vancouver style), as journals print them
)

HUMAN_ATTRIBUTES = frozenset({
    "alt", "title", "aria-label", "aria-description", "aria-roledescription",
    "aria-placeholder", "aria-valuetext", "placeholder", "label",
})
BUTTON_INPUT_TYPES = frozenset({"submit", "button", "reset"})
PLACEHOLDER = "\ue000"  # a private-use character stands for every tag, variable, comment

_OPENERS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
            "comment": "endcomment"}
_ALLOWED = re.compile(r"\b(?:" + "|".join(map(re.escape, ALLOWED_NAMES)) + r")\b")
_QUOTED = re.compile(r"""(?<!_\()(["'])(.*?)\1""")
_PHRASE = re.compile(r"[^\W\d_]{2,} +[^\W\d_]{2,}")
# A single letter before "=" is a variable in a formula: (n=12), g = 0.41.
_FORMULA_VARIABLE = re.compile(r"(?<!\w)[^\W\d_]\s*=")
# Blocks that fill an attribute of the parent template, not text: {% block main_class %}.
_ATTRIBUTE_BLOCK_SUFFIX = "_class"


@dataclass(frozen=True, slots=True)
class Literal:
    """Untranslated text: where it is (line in the template) and what it says."""

    line: int
    text: str
    where: str  # "text" or the attribute's name

    def __str__(self) -> str:
        return f"{self.line}: {self.where}: {self.text!r}"


def find_literals(source: str) -> list[Literal]:
    """Every untranslated human string in a template's source: in its text and attributes,
    then in the arguments of its tags and filters."""
    flat, arguments = _flatten(source)
    parser = _LiteralFinder()
    parser.feed(flat)
    parser.close()
    return parser.found + arguments


def project_templates(directories: Iterable[Path]) -> Iterator[Path]:
    """The HTML and text templates under these template directories, sorted."""
    for directory in directories:
        yield from sorted(
            path for path in directory.rglob("*") if path.suffix in (".html", ".txt")
        )


def _flatten(source: str) -> tuple[str, list[Literal]]:
    """The template's literal text, each other part replaced by a placeholder that keeps
    its line breaks (so the HTML parser's line numbers are the template's lines), and the
    words passed as quoted arguments to tags and filters (``|default:"No title"``)."""
    pieces: list[str] = []
    arguments: list[Literal] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        if closing is not None:
            if token.token_type == TokenType.BLOCK and words[:1] == [closing]:
                closing = None
            pieces.append(PLACEHOLDER + "\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK and words:
            closing = _OPENERS.get(words[0])
            if words[0] == "block" and words[-1].endswith(_ATTRIBUTE_BLOCK_SUFFIX):
                closing = "endblock"
        if token.token_type in (TokenType.VAR, TokenType.BLOCK) and words[:1] != ["translate"]:
            arguments.extend(Literal(line=token.lineno, text=text, where="tag argument")
                             for text in _quoted_words(token.contents))
        pieces.append(PLACEHOLDER + "\n" * token.contents.count("\n"))
    return "".join(pieces), arguments


def _quoted_words(contents: str) -> list[str]:
    """Quoted phrases (two words in a row, so not a template name, a format or a media
    query) outside _("..."), in a tag or variable."""
    if contents.split()[:1] in (["trans"], ["blocktranslate"], ["blocktrans"]):
        return []
    return [match.group(2) for match in _QUOTED.finditer(contents)
            if _PHRASE.search(_ALLOWED.sub("", match.group(2)))]


def _is_human(text: str) -> bool:
    """Whether the text says something in words (a letter outside the allowed names)."""
    text = _FORMULA_VARIABLE.sub("", _ALLOWED.sub("", text.replace(PLACEHOLDER, " ")))
    return any(unicodedata.category(char).startswith("L") for char in text)


def _clean(text: str) -> str:
    return " ".join(text.strip().strip(PLACEHOLDER).replace(PLACEHOLDER, "…").split())


class _LiteralFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Literal] = []

    def handle_data(self, data: str) -> None:
        if self.cdata_elem is not None:  # inside <script> or <style>
            return
        if _is_human(data):
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self.found.append(Literal(line=line, text=_clean(data), where="text"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if self._is_human_attribute(tag, name, values) and _is_human(value):
                self.found.append(Literal(line=self.getpos()[0], text=_clean(value), where=name))

    handle_startendtag = handle_starttag

    @staticmethod
    def _is_human_attribute(tag: str, name: str, values: dict[str, str]) -> bool:
        if name in HUMAN_ATTRIBUTES:
            return True
        if tag == "input" and name == "value":
            return values.get("type", "").lower() in BUTTON_INPUT_TYPES
        if tag == "meta" and name == "content":
            return values.get("name", "").lower() == "description"
        return False
