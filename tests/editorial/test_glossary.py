"""Marking glossary terms in rendered text: pure functions, no database."""

import pytest

from editorial.glossary import GlossaryEntry, mark_terms, terms_used
from tests.badinput import corpus, unsafe_constructs

URL = "/pharmacogenomics/sjs/glossary/"


def entry(pk: int, term: str, *synonyms: str, definition: str = "A definition.") -> GlossaryEntry:
    return GlossaryEntry(pk=pk, term=term, words=(term, *synonyms), anchor=f"term-{pk}",
                         definition_html=f"<p>{definition}</p>", definition_text=definition)


VUS = entry(1, "Variant of uncertain significance", "VUS")
VARIANT = entry(2, "Variant")
HLA = entry(3, "HLA-B*15:02", definition="An HLA allele linked to carbamazepine SJS/TEN.")


def marked_words(html: str) -> list[str]:
    return [part.split("</dfn>")[0] for part in html.split("<dfn>")[1:]]


def test_first_occurrence_only_links_to_the_course_glossary_with_its_definition():
    html, found = mark_terms("<p>A VUS is not a result. Another VUS.</p>", [VUS],
                             glossary_url=URL)
    assert marked_words(html) == ["VUS"]
    assert f'href="{URL}#term-1"' in html
    assert 'role="tooltip">A definition.</span>' in html
    assert html.endswith("is not a result. Another VUS.</p>")
    assert found == [VUS]


def test_the_tooltip_describes_the_link_for_screen_readers():
    html, _ = mark_terms("<p>VUS</p>", [VUS], glossary_url=URL)
    described_by = html.split('aria-describedby="')[1].split('"')[0]
    assert f'id="{described_by}"' in html


def test_case_insensitive_whole_words_and_the_longest_term_wins():
    html, _ = mark_terms(
        "<p>VUSES and aVUS are not words; a variant of Uncertain  significance is.</p>",
        [VUS, VARIANT], glossary_url=URL,
    )
    assert marked_words(html) == ["variant of Uncertain  significance"]


def test_punctuation_in_a_term():
    html, _ = mark_terms("<p>Test for HLA-B*15:02, then prescribe.</p>", [HLA], glossary_url=URL)
    assert marked_words(html) == ["HLA-B*15:02"]


@pytest.mark.parametrize("html", [
    '<h2>VUS</h2><p>x</p>', '<p><a href="/x">VUS</a></p>', "<p><code>VUS</code></p>",
    '<p title="VUS">x</p>', '<img alt="VUS">', "<p><dfn>VUS</dfn></p>",
    "<!-- VUS --><p>x</p>",
])
def test_never_inside_headings_links_code_attributes_or_definitions(html):
    marked, found = mark_terms(html, [VUS], glossary_url=URL)
    assert marked == html
    assert found == []


def test_text_after_a_skipped_element_is_marked():
    html, _ = mark_terms("<h2>VUS</h2><p>A VUS here.</p>", [VUS], glossary_url=URL)
    assert html.startswith("<h2>VUS</h2><p>A ")
    assert marked_words(html) == ["VUS"]


def test_entities_and_markup_survive():
    source = '<p class="x">R&amp;D &lt;VUS&gt; <br>done<img src="/a.png" alt=""></p>'
    html, _ = mark_terms(source, [VUS], glossary_url=URL)
    assert html.startswith('<p class="x">R&amp;D &lt;<span class="gloss">')
    assert html.endswith('&gt; <br>done<img src="/a.png" alt=""></p>')


@pytest.mark.parametrize(("term", "text", "expected"), [
    ("فارماكوجينوميات", "<p>مقدمة في فارماكوجينوميات السريرية</p>", "فارماكوجينوميات"),
    ("श्रीनिवास", "<p>डॉ. श्रीनिवास अय्यंगार</p>", "श्रीनिवास"),
    ("遗传咨询", "<p>患者需要遗传咨询服务。</p>", "遗传咨询"),
    ("田中", "<p>田中さんにあげて下さい</p>", "田中"),
    ("Фёдор", "<p>Пациент ФЁДОР здоров.</p>", "ФЁДОР"),
])
def test_scripts_other_than_latin(term, text, expected):
    html, _ = mark_terms(text, [entry(9, term)], glossary_url=URL)
    assert marked_words(html) == [expected]


def test_a_devanagari_term_does_not_match_inside_a_longer_word():
    # "श्री" is the start of "श्रीनिवास": the vowel sign after it is part of the word.
    _html, found = mark_terms("<p>श्रीनिवास अय्यंगार</p>", [entry(9, "श्री")], glossary_url=URL)
    assert found == []


@pytest.mark.parametrize("name", [name for name in corpus("names.txt") if name.strip()][:40])
def test_names_from_the_corpus_as_terms_are_found_in_text(name):
    words = " ".join(name.split())
    html, found = mark_terms(f"<p>Before: {name} :after</p>", [entry(5, name)], glossary_url=URL)
    assert [e.pk for e in found] == [5], words
    assert unsafe_constructs(html) == []


@pytest.mark.parametrize("payload", corpus("xss.txt"))
def test_hostile_terms_and_definitions_never_make_markup(payload):
    hostile = entry(7, payload, payload, definition=payload)
    text = "<p>" + payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"
    html, _ = mark_terms(text, [hostile], glossary_url='"><script>alert(1)</script>')
    assert unsafe_constructs(html) == []
    assert "<script" not in html.lower()


@pytest.mark.parametrize("term", ["<script>", '"onmouseover=', "'><img src=x onerror=alert(1)>"])
def test_terms_that_look_like_markup_are_marked_as_text(term):
    text = "<p>" + term.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"
    html, found = mark_terms(text, [entry(8, term)], glossary_url=URL)
    assert [e.pk for e in found] == [8]
    assert unsafe_constructs(html) == []
    assert "<script>" not in html and "<img" not in html


def test_terms_used_lists_each_found_entry_once_alphabetically():
    found = terms_used("<p>Variant. VUS. variant.</p>", [VARIANT, VUS, HLA])
    assert found == [VARIANT, VUS]
