"""A learner reads a module with a glossary term and a citation: the term's definition
appears when she tabs to it (no JavaScript needed) and is its accessible description; the
term leads to the course glossary and the citation mark to the numbered reference."""

import re

import pytest
from playwright.sync_api import expect

from editorial.models import GlossaryTerm, Reference
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEFINITION = "A variant whose effect on health is not yet known."


@pytest.fixture
def module():
    term = GlossaryTerm.objects.create(term="Variant of uncertain significance",
                                       synonyms="VUS", definition=f"<p>{DEFINITION}</p>")
    reference = Reference.objects.create(citation="Richards S et al. Genet Med 2015;17:405-24.",
                                         doi="10.1038/gim.2015.30")
    tree = factories.make_course_tree(modules=0, title="Reading a variant report",
                                      slug="variant-report")
    return term, factories.make_module(course=tree.course, title="Uncertain results", body=[
        ("rich_text", "<p>A VUS should not change care on its own.</p>"),
        ("cite", {"references": [reference]}),
        ("references", {"heading": "References", "references": [reference]}),
    ])


def test_glossary_term_and_citation_work_from_the_keyboard(browser, live_server, module):
    term, module_page = module
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(module_page.url)
    link = page.locator(".gloss a")
    tip = page.get_by_role("tooltip")
    expect(link).to_have_text("VUS")
    expect(tip).to_be_hidden()
    expect(link).to_have_accessible_description(DEFINITION)
    link.focus()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(DEFINITION)

    page.get_by_role("link", name="Reference 1").click()
    expect(page).to_have_url(re.compile(r"#ref-1$"))
    expect(page.locator("#ref-1")).to_contain_text("Richards S et al.")

    link.click()
    expect(page).to_have_url(re.compile(rf"/variant-report/glossary/#{term.anchor}$"))
    expect(page.locator(f"#{term.anchor}")).to_contain_text("Variant of uncertain significance")
    expect(page.get_by_text(DEFINITION)).to_be_visible()
    context.close()


def test_escape_hides_an_open_definition_until_she_moves_on(page, module):
    _term, module_page = module
    page.goto(module_page.url)
    link, tip = page.locator(".gloss a"), page.get_by_role("tooltip")
    link.focus()
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.get_by_role("link", name="Reference 1").first.focus()
    link.focus()
    expect(tip).to_be_visible()
