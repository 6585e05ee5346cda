"""Course search: finds courses by their words and their modules' words, in the learner's
language, never shows what a visitor may not open, and copes with any input."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from courses import api
from tests import factories
from tests.badinput import corpus, unsafe_constructs

pytestmark = pytest.mark.django_db

URL = reverse("course_search")


def _search(client, query, *, language="en"):
    return client.get(URL, {"q": query}, HTTP_ACCEPT_LANGUAGE=language)


def _titles(query, *, language="en"):
    return [hit.course.title for hit in api.search_courses(query=query, language=language).results]


@pytest.fixture
def catalog(db):
    """Two courses; the first has a module whose text holds a word found nowhere else."""
    sjs = factories.make_course_tree(
        modules=0, title="Preventing SJS/TEN",
        summary="HLA-B*15:02 screening before carbamazepine.",
    )
    factories.make_module(
        course=sjs.course, title="Screening in practice",
        body=[("rich_text", "<p>Order the genotype before starting oxcarbazepine.</p>")],
    )
    other = factories.make_course_tree(
        modules=1, title="Warfarin dosing", summary="CYP2C9 and VKORC1 guide the first dose.",
    )
    return sjs.course, other.course


def _french(course, *, title, summary):
    """A published French translation of ``course``, made as wagtail-localize does."""
    french = Locale.objects.get_or_create(language_code="fr")[0]
    copy = course.copy_for_translation(french, copy_parents=True)
    copy.title, copy.summary = title, summary
    return factories.publish(copy)


def test_finds_a_course_by_its_title_and_by_its_summary(catalog):
    assert _titles("warfarin") == ["Warfarin dosing"]
    assert _titles("VKORC1") == ["Warfarin dosing"]
    assert _titles("carbamazepine screening") == ["Preventing SJS/TEN"]


def test_finds_a_course_by_its_domain_name(catalog):
    assert set(_titles("pharmacogenomics")) == {"Preventing SJS/TEN", "Warfarin dosing"}


def test_a_word_only_in_a_module_finds_its_course_and_names_the_module(catalog, client):
    [hit] = api.search_courses(query="oxcarbazepine", language="en").results
    assert (hit.course.title, hit.module.title) == ("Preventing SJS/TEN", "Screening in practice")

    page = _search(client, "oxcarbazepine").content.decode()
    assert "1 course found for “oxcarbazepine”" in page
    assert "Found in module “Screening in practice”" in page
    assert hit.course.url in page and hit.module.url in page


def test_a_course_found_by_title_and_by_module_is_listed_once(catalog):
    factories.make_module(course=catalog[1], title="Warfarin and diet",
                          body=[("rich_text", "<p>Warfarin and vitamin K.</p>")])
    results = api.search_courses(query="warfarin", language="en").results
    assert [hit.course.title for hit in results] == ["Warfarin dosing"]
    assert results[0].module is None  # the course itself matched


def test_a_french_visitor_gets_the_french_course_and_others_in_english(catalog, client):
    sjs, _warfarin = catalog
    _french(sjs, title="Prévenir le SJS/NET", summary="Dépistage HLA-B*15:02 avant la "
            "carbamazépine.")

    # Searched by an English word of the source, or a French word of the translation:
    # one result, in French, saying English is available too.
    for query in ("carbamazepine", "Dépistage"):
        [hit] = api.search_courses(query=query, language="fr").results
        assert hit.course.title == "Prévenir le SJS/NET"
        assert (hit.language.code, hit.in_requested_language) == ("fr", True)
        assert [language.code for language in hit.other_languages] == ["en"]

    page = _search(client, "pharmacogenomics", language="fr").content.decode()
    assert "Prévenir le SJS/NET" in page and "Preventing SJS/TEN" not in page
    assert "Warfarin dosing" in page  # not translated: shown in English, and said so
    # An English visitor gets the English course.
    assert _titles("Dépistage", language="en") == ["Preventing SJS/TEN"]


def test_an_unpublished_translation_is_not_shown(catalog):
    sjs, _warfarin = catalog
    french = _french(sjs, title="Prévenir le SJS/NET", summary="Dépistage.")
    french.unpublish()
    assert _titles("carbamazepine", language="fr") == ["Preventing SJS/TEN"]
    assert _titles("Dépistage", language="fr") == []


def test_unpublished_courses_and_modules_are_never_found(catalog):
    sjs, warfarin = catalog
    warfarin.unpublish()  # takes its modules with it
    [module] = api.list_modules(course=sjs)
    module.unpublish()
    assert _titles("warfarin") == []
    assert _titles("oxcarbazepine") == []
    assert _titles("carbamazepine") == ["Preventing SJS/TEN"]


def test_a_draft_change_is_not_searchable_until_published(catalog):
    sjs, _warfarin = catalog
    sjs.title = "Preventing clopidogrel failure"
    sjs.save_revision()
    assert _titles("clopidogrel") == []
    factories.publish(sjs)
    assert _titles("clopidogrel") == ["Preventing clopidogrel failure"]


@pytest.mark.parametrize("restricted", ["course", "module"])
def test_restricted_pages_are_never_found(catalog, client, restricted):
    sjs, _warfarin = catalog
    [module] = api.list_modules(course=sjs)
    PageViewRestriction.objects.create(
        page=sjs if restricted == "course" else module, restriction_type="login")
    assert _titles("oxcarbazepine") == []
    if restricted == "course":
        assert _titles("carbamazepine") == []
        assert "Preventing SJS/TEN" not in _search(client, "carbamazepine").content.decode()
    else:
        assert _titles("carbamazepine") == ["Preventing SJS/TEN"]


def test_no_results_says_so_with_a_hint(catalog, client):
    page = _search(client, "zebrafish").content.decode()
    assert "0 courses found for “zebrafish”" in page
    assert "No course matches all of these words." in page


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "***", '"', "-", "--", "\x00\x07"])
def test_nothing_searchable_asks_for_words(catalog, client, query):
    response = _search(client, query)
    assert response.status_code == 200
    assert api.search_courses(query=query, language="en").results == []
    assert ("Type a word or two" in response.content.decode()
            or "Search with words" in response.content.decode())


FINDS_WARFARIN = ['"warfarin', 'warfarin"', "warfarin*", "-warfarin", "warfarin:*", "WARFARIN",
                  "warfarin\x00", "warfarin " * 300, "warfarin \u202edosing", "(warfarin)"]
FINDS_NOTHING = ["warfarin OR carbamazepine", "NEAR(warfarin carbamazepine)",
                 "warfarin AND NOT dosing x", "warfarin'; DROP TABLE wagtailcore_page; --",
                 "x" * 1000, "% _ \\", "title:zebra", "war\u200bfarin"]


@pytest.mark.parametrize("query", FINDS_WARFARIN + FINDS_NOTHING)
def test_operators_and_odd_input_are_plain_words(catalog, client, query):
    """FTS and tsquery syntax is never passed through: no error, at worst no result."""
    response = _search(client, query)
    assert response.status_code == 200
    assert _titles(query) == (["Warfarin dosing"] if query in FINDS_WARFARIN else [])


def test_an_or_between_words_does_not_widen_the_search(catalog):
    assert _titles("warfarin OR carbamazepine") == []


@pytest.mark.parametrize("payload", corpus("xss.txt"))
def test_hostile_queries_render_inert(client, payload):
    response = _search(client, payload)
    assert response.status_code == 200
    assert unsafe_constructs(response.content.decode(), allowed_script_prefix="/static/") == []


def test_the_search_box_is_on_the_catalog_and_works_without_javascript(catalog, client):
    home = client.get("/").content.decode()
    assert f'action="{URL}"' in home and 'name="q"' in home and "Search courses" in home


def test_a_search_runs_a_fixed_number_of_queries(catalog, django_assert_max_num_queries):
    """The view restrictions, two index searches, then one query each for parent courses,
    translations, domains and matched modules, however many courses are found."""
    for number in range(4):
        tree = factories.make_course_tree(modules=0, title=f"Pharmacogenomics {number}")
        factories.make_module(course=tree.course, body=[("rich_text", "<p>oxcarbazepine</p>")])
    api.search_courses(query="oxcarbazepine", language="fr")  # content types cached
    with django_assert_max_num_queries(7):
        results = api.search_courses(query="oxcarbazepine", language="fr").results
    assert len(results) == 5 and all(hit.module and hit.domain for hit in results)
