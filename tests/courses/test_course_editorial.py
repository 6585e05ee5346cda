"""Courses and the editorial library: educators, competencies, numbered references,
glossary marking and the course glossary page, the dashboard's competencies."""

import re

import pytest
from django.apps import apps as django_apps

from courses import api
from courses.migrations._editorial_library import (
    InlineReferencesToSnippets,
    InlineTermToSnippet,
    ObjectiveToStruct,
)
from courses.pages import CourseEducator
from editorial.models import Competency, Educator, GlossaryTerm, Reference
from tests import factories

pytestmark = pytest.mark.django_db


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _objectives(*items):
    return [("objective", {"text": text, "competencies": list(competencies)})
            for text, competencies in items]


@pytest.fixture
def library():
    chung = Reference.objects.create(citation="Chung WH et al. Nature 2004;428:486.",
                                     pmid="15057820")
    cpic = Reference.objects.create(citation="Phillips EJ et al. CPIC 2018.",
                                    doi="10.1002/cpt.1004")
    who = Reference.objects.create(citation="WHO. Genomics report. 2022.",
                                   url="https://www.who.int/publications")
    vus = GlossaryTerm.objects.create(term="Variant of uncertain significance", synonyms="VUS",
                                      definition="<p>A change whose effect is <i>unknown</i>.</p>")
    sjs = GlossaryTerm.objects.create(term="SJS", definition="<p>Stevens-Johnson syndrome.</p>")
    allele = GlossaryTerm.objects.create(term="Allele", definition="<p>A gene's version.</p>")
    return {"chung": chung, "cpic": cpic, "who": who, "vus": vus, "sjs": sjs, "allele": allele}


@pytest.fixture
def course(library):
    pgx2, cc1 = Competency.objects.get(code="PGx.2"), Competency.objects.get(code="CC.1")
    tree = factories.make_course_tree(modules=0, learning_objectives=_objectives(
        ("Screen before carbamazepine.", [pgx2]), ("Explain results.", [cc1, pgx2])))
    educator = Educator.objects.create(name="Dr Malee Srisuk", title="Clinical pharmacist",
                                       affiliation="Allele demo faculty", bio="Runs a PGx clinic.")
    CourseEducator.objects.create(course=tree.course, educator=educator)
    factories.publish(tree.course)
    body = [
        ("heading", {"text": "What a VUS means", "level": "h2"}),
        ("rich_text", "<p>A VUS needs care; SJS is rare. Another VUS and SJS.</p>"),
        ("cite", {"references": [library["cpic"]]}),
        ("rich_text", '<p>See <a href="/x">Allele</a> in a link.</p>'),
        ("glossary_term", library["allele"]),
        ("references", {"heading": "References",
                        "references": [library["chung"], library["cpic"]]}),
        ("cite", {"references": [library["who"]]}),
    ]
    module = factories.make_module(course=tree.course, title="Screening", body=body)
    return tree.course, module


def test_course_page_shows_educators_and_competencies_by_framework(client, course):
    course_page, _module = course
    html = _html(client, course_page.url)
    assert "Dr Malee Srisuk" in html and "Clinical pharmacist" in html
    assert "Runs a PGx clinic." in html
    section = html.split("Competencies this course builds")[1].split("</section>")[0]
    assert "Allele genomic medicine competencies (v1)" in section
    assert section.index("CC.1") < section.index("PGx.2")
    assert section.count("PGx.2") == 1  # linked from two objectives, listed once
    assert "Screen for HLA-B*15:02 before carbamazepine" in section
    assert "Screen before carbamazepine." in html


def test_module_numbers_references_in_the_order_it_cites_them(client, course):
    _course, module = course
    html = _html(client, module.url)
    cites = re.findall(r'<a class="cite" href="#(ref-\d)"[^>]*>\[(\d)\]</a>', html)
    assert cites == [("ref-1", "1"), ("ref-3", "3")]
    items = re.findall(r'<li id="(ref-\d)" value="(\d)">([^<]*)', html)
    assert items == [("ref-1", "1", "Phillips EJ et al. CPIC 2018. doi:"),
                     ("ref-2", "2", "Chung WH et al. Nature 2004;428:486. PMID: "),
                     ("ref-3", "3", "WHO. Genomics report. 2022. ")]
    assert 'href="https://doi.org/10.1002/cpt.1004"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/15057820/"' in html
    assert 'href="https://www.who.int/publications"' in html
    # the one cited but in no references block is listed after the body
    assert html.index('id="ref-3"') > html.index('id="ref-2"')


def test_module_marks_the_first_use_of_each_term_outside_headings_and_links(client, course):
    course_page, module = course
    html = _html(client, module.url)
    body = html.split('<div class="prose">')[1]
    marked = re.findall(r'<span class="gloss"><a href="([^"]+)"[^>]*><dfn>([^<]+)</dfn>', body)
    glossary = f"{course_page.url}glossary/"
    vus, sjs = GlossaryTerm.objects.get(term__startswith="Variant"), GlossaryTerm.objects.get(
        term="SJS")
    assert marked == [(f"{glossary}#{vus.anchor}", "VUS"), (f"{glossary}#{sjs.anchor}", "SJS")]
    assert "<h2>What a VUS means</h2>" in html or ">What a VUS means</h2>" in html
    assert 'role="tooltip">A change whose effect is unknown.</span>' in body


def test_course_glossary_lists_used_and_defined_terms_alphabetically(client, course, library):
    course_page, _module = course
    GlossaryTerm.objects.create(term="Unused", definition="<p>x</p>")
    html = _html(client, f"{course_page.url}glossary/")
    terms = re.findall(r'<dt id="([^"]+)"><dfn>([^<]+)</dfn>', html)
    assert [term for _anchor, term in terms] == [
        "Allele", "SJS", "Variant of uncertain significance"]
    assert terms[2][0] == library["vus"].anchor
    assert "A change whose effect is <i>unknown</i>." in html
    assert "(VUS)" in html
    assert f'href="{course_page.url}glossary/"' in _html(client, course_page.url)


def test_glossary_of_an_unknown_path_is_not_found(client, course):
    course_page, _module = course
    assert client.get(f"{course_page.url}glossary/more/").status_code == 404


def test_editing_a_snippet_shows_at_once_on_cached_pages(client, course, library):
    course_page, module = course
    assert "Phillips EJ et al." in _html(client, module.url)
    library["cpic"].citation = "Phillips EJ et al. CPIC guideline update 2018."
    library["cpic"].save()
    library["sjs"].definition = "<p>A severe skin reaction.</p>"
    library["sjs"].save()
    html = _html(client, module.url)
    assert "CPIC guideline update 2018." in html
    assert 'role="tooltip">A severe skin reaction.</span>' in html
    Educator.objects.filter(name="Dr Malee Srisuk").get().delete()
    assert "Dr Malee Srisuk" not in _html(client, course_page.url)


def _complete(learner, course_page, modules):
    api.enroll(user=learner, course=course_page)
    for module in modules:
        api.complete_module(user=learner, module=module)


def test_dashboard_shows_competencies_of_completed_courses_only(auth_client, learner, course):
    course_page, module = course
    other = factories.make_course_tree(modules=1, learning_objectives=_objectives(
        ("Take a family history.", [Competency.objects.get(code="FH.1")])))
    api.enroll(user=learner, course=other.course)
    html = _html(auth_client, "/dashboard/")
    assert "Competencies covered" not in html
    _complete(learner, course_page, [module])
    html = _html(auth_client, "/dashboard/")
    section = html.split("Competencies covered by your completed courses")[1]
    assert "PGx.2" in section and "CC.1" in section and "FH.1" not in section


def test_competencies_of_completed_courses_take_one_query(
    learner, library, django_assert_num_queries
):
    from courses import library as course_library
    from courses.reports import learner_dashboard

    codes = ["FH.1", "TS.3", "IR.2", "PGx.4", "DE.1"]
    for code in codes:
        tree = factories.make_course_tree(modules=1, learning_objectives=_objectives(
            (f"Objective {code}", [Competency.objects.get(code=code)])))
        _complete(learner, tree.course, tree.modules)
    dashboard = learner_dashboard(user=learner)
    with django_assert_num_queries(1):
        groups = course_library.competencies_built(
            courses=[progress.course for progress in dashboard.completed])
        listed = [c.code for group in groups for c in group.competencies]
    assert sorted(listed) == sorted(codes)


def test_migration_steps_turn_inline_content_into_snippets():
    to_refs, to_term = InlineReferencesToSnippets(), InlineTermToSnippet()
    to_refs.apps = to_term.apps = django_apps
    value = {"heading": "References", "references": [
        {"type": "item", "id": "a", "value": {"citation": "Richards 2015", "url": "",
                                              "doi": "https://doi.org/10.1038/gim.2015.30",
                                              "pmid": ""}},
        {"type": "item", "id": "b", "value": {"citation": "Richards 2015 again", "url": "",
                                              "doi": "10.1038/GIM.2015.30", "pmid": ""}},
        {"type": "item", "id": "c", "value": {"citation": "Bad", "url": "javascript:alert(1)",
                                              "doi": "not a doi", "pmid": "x"}},
    ]}
    migrated = to_refs.apply(value)
    richards = Reference.objects.get(doi="10.1038/gim.2015.30")
    bad = Reference.objects.get(citation="Bad")
    assert [item["value"] for item in migrated["references"]] == [richards.pk, richards.pk, bad.pk]
    assert (bad.url, bad.doi, bad.pmid) == ("", "", "")
    term_pk = to_term.apply({"term": "Proband", "definition": "The <first> person."})
    assert GlossaryTerm.objects.get(pk=term_pk).definition == "<p>The &lt;first&gt; person.</p>"
    assert to_term.apply({"term": "proband", "definition": "other"}) == term_pk
    assert ObjectiveToStruct().apply("Explain a VUS.") == {"text": "Explain a VUS.",
                                                           "competencies": []}


def test_editors_open_courses_and_modules_with_library_choosers(client, course):
    course_page, module = course
    client.force_login(factories.make_user(email="root@example.org", is_superuser=True,
                                           is_staff=True))
    for page in (course_page, module):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
    course_form = client.get(f"/admin/pages/{course_page.pk}/edit/").content.decode()
    assert "Dr Malee Srisuk" in course_form  # the educator placement's chooser
    assert "editorial/competency" in course_form or "editorial_competency" in course_form
    module_form = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    assert "Cite references" in module_form
