"""Marking glossary terms in rendered HTML: pure functions, no database.

The first occurrence of each term (or one of its synonyms) in the text of a module is
wrapped in a link to the term's entry in the course glossary, with the definition as
the link's accessible description and a CSS-only popover on hover and focus. Only text
is touched: never tags, attributes, links, headings, code or an existing definition.
Matching ignores case and needs whole words, whatever the script: a word boundary is
any character that is not a letter, mark or digit, except around Chinese, Japanese and
Korean characters, which are written without spaces.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

SKIPPED_ELEMENTS = frozenset({
    "a", "abbr", "button", "code", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "kbd",
    "label", "option", "pre", "samp", "script", "select", "style", "summary", "textarea",
    "title", "figcaption", "cite",
})
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER",
                     "MYANMAR", "IDEOGRAPHIC")


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """What marking and the glossary page need of a term (picklable, for the cache)."""

    pk: int
    term: str
    words: tuple[str, ...]  # the term and its synonyms
    anchor: str
    definition_html: str  # sanitised
    definition_text: str


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char == "_"


def _is_unspaced(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(_UNSPACED_SCRIPTS)


class TermMatcher:
    """Finds whole-word, case-insensitive occurrences of any of the entries' words."""

    def __init__(self, entries: Iterable[GlossaryEntry]):
        self.by_word: dict[str, GlossaryEntry] = {}
        spellings: dict[str, None] = {}
        for entry in entries:
            for word in entry.words:
                word = " ".join(word.split())
                if word:
                    self.by_word.setdefault(word.casefold(), entry)
                    spellings[word] = None
        words = sorted(spellings, key=len, reverse=True)  # the longest match wins
        pattern = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)
        self.pattern = re.compile(pattern, re.IGNORECASE) if words else None

    def find(self, text: str, *, skip: set[int]):
        """(start, end, entry) of each first-seen, whole-word match in ``text``."""
        if self.pattern is None:
            return
        position = 0
        while (match := self.pattern.search(text, position)) is not None:
            start, end = match.span()
            entry = self.by_word.get(" ".join(match.group(0).split()).casefold())
            if entry is None or entry.pk in skip or not _whole_word(text, start, end):
                position = start + 1
                continue
            skip.add(entry.pk)
            yield start, end, entry
            position = end


def _whole_word(text: str, start: int, end: int) -> bool:
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    left_ok = not before or not _is_word_char(before) or _is_unspaced(first) or _is_unspaced(before)
    right_ok = not after or not _is_word_char(after) or _is_unspaced(last) or _is_unspaced(after)
    return left_ok and right_ok


def marker(entry: GlossaryEntry, matched_text: str, *, glossary_url: str, seq: int) -> str:
    tip_id = f"gloss-{entry.pk}-{seq}"
    return (
        f'<span class="gloss"><a href="{html.escape(glossary_url)}#{html.escape(entry.anchor)}"'
        f' aria-describedby="{tip_id}"><dfn>{html.escape(matched_text, quote=False)}</dfn></a>'
        f'<span class="gloss-tip" id="{tip_id}" role="tooltip">'
        f"{html.escape(entry.definition_text, quote=False)}</span></span>"
    )


class _Marker(HTMLParser):
    def __init__(self, matcher: TermMatcher, glossary_url: str):
        super().__init__(convert_charrefs=True)
        self.matcher, self.glossary_url = matcher, glossary_url
        self.out: list[str] = []
        self.open_skipped: list[str] = []
        self.seen: set[int] = set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in SKIPPED_ELEMENTS and tag not in VOID_ELEMENTS:
            self.open_skipped.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.open_skipped:
            while self.open_skipped and self.open_skipped.pop() != tag:
                pass

    def handle_data(self, data):
        if self.open_skipped:
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for start, end, entry in self.matcher.find(data, skip=self.seen):
            self.out.append(html.escape(data[position:start], quote=False))
            self.out.append(marker(entry, data[start:end], glossary_url=self.glossary_url,
                                   seq=len(self.seen)))
            position = end
        self.out.append(html.escape(data[position:], quote=False))

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")


def mark_terms(rendered_html: str, entries: Iterable[GlossaryEntry], *,
               glossary_url: str) -> tuple[str, list[GlossaryEntry]]:
    """``rendered_html`` with the first occurrence of each term marked, and the entries
    found (sorted by term)."""
    matcher = TermMatcher(entries)
    if matcher.pattern is None:
        return rendered_html, []
    parser = _Marker(matcher, glossary_url)
    parser.feed(rendered_html)
    parser.close()
    found = {entry.pk: entry for entry in matcher.by_word.values() if entry.pk in parser.seen}
    return "".join(parser.out), sorted(found.values(), key=lambda e: e.term.casefold())


def terms_used(rendered_html: str, entries: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
    """The entries whose term or a synonym occurs in the text of ``rendered_html``."""
    return mark_terms(rendered_html, entries, glossary_url="")[1]
