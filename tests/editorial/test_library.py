"""The Library's snippets: validation, uniqueness with clear errors, the seeded framework,
the admin menu, and the api's matching writes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from editorial import api
from editorial.models import Competency, CompetencyFramework, Educator, GlossaryTerm, Reference
from lms.core.models import Profession
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_reference_stores_its_identifiers_in_one_spelling():
    reference = Reference(citation="Chen P et al. NEJM 2011;364:1126-33.",
                          doi="https://doi.org/10.1056/NEJMoa1009717", pmid="PMID: 21428769")
    reference.full_clean()
    reference.save()
    reference.refresh_from_db()
    assert (reference.doi, reference.pmid) == ("10.1056/NEJMoa1009717", "21428769")
    assert reference.link == "https://doi.org/10.1056/NEJMoa1009717"
    assert reference.as_text() == (
        "Chen P et al. NEJM 2011;364:1126-33. doi:10.1056/NEJMoa1009717 PMID: 21428769")


def test_a_duplicate_doi_or_pmid_is_refused_with_a_clear_message():
    Reference.objects.create(citation="A", doi="10.1056/NEJMoa1009717", pmid="21428769")
    twin = Reference(citation="B", doi="10.1056/nejmoa1009717")
    with pytest.raises(ValidationError, match="Another reference already has this DOI"):
        twin.full_clean()
    twin = Reference(citation="B", pmid="21428769")
    with pytest.raises(ValidationError, match="Another reference already has this PMID"):
        twin.full_clean()
    assert Reference.objects.count() == 1


def test_references_without_identifiers_may_share_blank_ones():
    for citation in ("WHO 2022", "GDPR 2016"):
        reference = Reference(citation=citation, url="https://example.org/" + citation[:3])
        reference.full_clean()
        reference.save()
    assert Reference.objects.filter(doi="", pmid="").count() == 2


def test_a_javascript_address_is_refused():
    with pytest.raises(ValidationError) as error:
        Reference(citation="x", url="javascript:alert(1)").full_clean()
    assert "url" in error.value.message_dict


def test_glossary_terms_are_unique_per_language_and_keep_tidy_synonyms():
    term = GlossaryTerm(term=" VUS ", definition="<p>x</p>", language="en",
                        synonyms="variant of uncertain significance,  , vus, Unclassified variant")
    term.full_clean()
    term.save()
    assert term.term == "VUS"
    assert term.synonym_list == ["variant of uncertain significance", "Unclassified variant"]
    GlossaryTerm(term="vus", definition="<p>x</p>", language="fr").full_clean()
    with pytest.raises(ValidationError, match="already in the glossary in this language"):
        GlossaryTerm(term="vus", definition="<p>y</p>", language="en").full_clean()


def test_definitions_are_sanitised_when_stored():
    term = GlossaryTerm.objects.create(
        term="Allele",
        definition='<p onclick="x()">One form <script>alert(1)</script>of a gene</p>',
    )
    stored = GlossaryTerm.objects.filter(pk=term.pk).values_list("definition", flat=True)[0]
    assert "script" not in stored and "onclick" not in stored
    assert term.definition_text.startswith("One form")


def test_the_seeded_framework_covers_the_areas_professions_and_levels():
    framework = CompetencyFramework.objects.get(name="Allele genomic medicine competencies")
    competencies = list(framework.competencies.all())
    assert 15 <= len(competencies) <= 25
    assert {c.code.split(".")[0] for c in competencies} == {"FH", "TS", "IR", "PGx", "CC", "DE"}
    assert {c.level for c in competencies} == {"foundation", "intermediate", "advanced"}
    professions = {c.profession for c in competencies}
    assert "all" in professions and professions - {"all"} <= set(Profession.values)
    titles = " ".join(c.title for c in competencies)
    for drug_gene in ("HLA-B*15:02", "HLA-B*58:01", "CYP2C19"):
        assert drug_gene in titles


def test_competency_codes_are_unique_within_a_framework():
    framework = CompetencyFramework.objects.get()
    with pytest.raises(ValidationError, match="already has a competency with this code"):
        Competency(framework=framework, code="PGx.2", title="Again").full_clean()


def test_ensure_reference_matches_before_it_makes_one():
    first = api.ensure_reference(citation="Richards 2015", doi="doi:10.1038/gim.2015.30")
    again = api.ensure_reference(citation="Richards 2015", doi="10.1038/GIM.2015.30")
    assert again.pk == first.pk and Reference.objects.count() == 1
    with pytest.raises(ValidationError):
        api.ensure_reference(citation="x", url="javascript:alert(1)")
    assert Reference.objects.count() == 1


def test_numbered_references_and_citation_texts_follow_the_order_cited():
    a = Reference.objects.create(citation="A", pmid="1")
    b = Reference.objects.create(citation="B", doi="10.1000/b")
    numbered = api.number_references(ids=[b.pk, a.pk, b.pk, 999999])
    assert [(r.number, r.citation, r.anchor) for r in numbered] == [(1, "B", "ref-1"),
                                                                     (2, "A", "ref-2")]
    assert api.citation_texts(ids=[a.pk, b.pk]) == ["A PMID: 1", "B doi:10.1000/b"]


@pytest.fixture
def admin_client(client):
    admin = factories.make_user(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


def test_the_library_menu_lists_and_searches_each_snippet(admin_client):
    Reference.objects.create(citation="Chung WH. Nature 2004;428:486.", pmid="15057820")
    Educator.objects.create(name="Dr Malee Srisuk", affiliation="Allele demo faculty")
    GlossaryTerm.objects.create(term="Pharmacogenomics", definition="<p>x</p>")
    pages = {
        "editorial_reference": ("Chung", "Chung WH. Nature"),
        "editorial_educator": ("Malee", "Dr Malee Srisuk"),
        "editorial_glossaryterm": ("Pharma", "Pharmacogenomics"),
        "editorial_competency": ("carbamazepine", "Screen for HLA-B*15:02 before carbamazepine"),
        "editorial_competencyframework": ("genomic", "Allele genomic medicine competencies"),
    }
    for name, (query, expected) in pages.items():
        response = admin_client.get(reverse(f"wagtailsnippets_{name}:list"), {"q": query})
        assert response.status_code == 200, name
        assert expected in response.content.decode(), name
    menu = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Library" in menu


def test_the_admin_refuses_a_duplicate_doi_and_saves_nothing(admin_client):
    Reference.objects.create(citation="First", doi="10.1056/NEJMoa1009717")
    response = admin_client.post(reverse("wagtailsnippets_editorial_reference:add"), {
        "citation": "Second", "doi": "https://doi.org/10.1056/nejmoa1009717", "pmid": "",
        "url": "", "label": "", "year": "",
    })
    assert response.status_code == 200
    assert "Another reference already has this DOI" in response.content.decode()
    assert Reference.objects.count() == 1


def test_the_admin_refuses_a_script_address(admin_client):
    response = admin_client.post(reverse("wagtailsnippets_editorial_reference:add"), {
        "citation": "Second", "doi": "", "pmid": "", "url": "javascript:alert(1)",
        "label": "", "year": "",
    })
    assert response.status_code == 200
    assert "https://" in response.content.decode()
    assert not Reference.objects.exists()


def test_saving_a_library_snippet_bumps_the_catalog_version():
    from courses import caching

    before = caching.catalog_version()
    reference = Reference.objects.create(citation="New")
    after_save = caching.catalog_version()
    reference.delete()
    assert before < after_save < caching.catalog_version()


def _member_of(group_name: str, email: str):
    from django.contrib.auth.models import Group

    user = factories.make_user(email=email)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_educators_build_the_library_but_only_read_frameworks(client):
    client.force_login(_member_of("Educator", "educator@example.org"))
    assert client.get(reverse("wagtailsnippets_editorial_reference:add")).status_code == 200
    response = client.post(reverse("wagtailsnippets_editorial_glossaryterm:add"), {
        "term": "Pharmacogenomics", "language": "en", "synonyms": "PGx",
        "definition": '{"blocks": [{"key": "a", "type": "unstyled", "depth": 0, "text": '
                      '"How genes change drug response.", "inlineStyleRanges": [], '
                      '"entityRanges": [], "data": {}}], "entityMap": {}}',
    })
    assert response.status_code == 302
    assert GlossaryTerm.objects.get().synonym_list == ["PGx"]
    assert client.get(reverse("wagtailsnippets_editorial_competency:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_editorial_competency:add")).status_code == 302
    term = GlossaryTerm.objects.get()
    assert client.post(
        reverse("wagtailsnippets_editorial_glossaryterm:delete", args=[term.pk])
    ).status_code == 302
    assert GlossaryTerm.objects.filter(pk=term.pk).exists()


def test_learners_cannot_open_the_library(client):
    client.force_login(_member_of("Learner", "learner2@example.org"))
    response = client.get(reverse("wagtailsnippets_editorial_reference:list"))
    assert response.status_code == 302
