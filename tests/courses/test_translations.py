"""A course translated with wagtail-localize: served at the same URLs in the learner's
language, one learner record whichever translation she uses (completing the French
version completes the course), and a catalog in her language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from courses import api, reports
from courses.models import Enrollment
from tests import factories
from tests.courses.translation_helpers import translate

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Prévenir le SJS/NET"
FRENCH_SUMMARY = "Dépistage HLA-B*15:02 avant la carbamazépine."


@pytest.fixture
def french_course(course_tree):
    """The three-module course with a French translation of the course and its modules."""
    course = translate(course_tree.course, "fr", {
        course_tree.course.title: FRENCH_TITLE, course_tree.course.summary: FRENCH_SUMMARY,
    })
    modules = [translate(module, "fr", {module.title: f"Module FR {index}"})
               for index, module in enumerate(course_tree.modules, start=1)]
    return course_tree, course, modules


def in_french(client):
    client.cookies["django_language"] = "fr"
    return client


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_translation_is_served_at_its_sources_path_in_the_learners_language(
        client, french_course):
    tree, course, modules = french_course
    assert course.url == tree.course.url
    assert modules[0].url == tree.modules[0].url
    english = in_english(client).get(tree.course.url).content.decode()
    assert tree.course.title in english and FRENCH_TITLE not in english
    french = in_french(client).get(tree.course.url)
    html = french.content.decode()
    assert french.status_code == 200
    assert FRENCH_TITLE in html and "Module FR 1" in html and "Module 1<" not in html
    assert "Accept-Language" in french["Vary"] and "Cookie" in french["Vary"]
    assert 'lang="fr">Français' in html  # the translation is in French
    module_page = in_french(client).get(tree.modules[1].url).content.decode()
    assert "Module FR 2" in module_page


def test_an_untranslated_course_is_reachable_in_french(client, french_course):
    other = factories.make_course_tree(modules=1, title="Warfarin dosing")
    response = in_french(client).get(other.course.url)
    assert response.status_code == 200
    assert "Warfarin dosing" in response.content.decode()
    module = in_french(client).get(other.modules[0].url)
    assert module.status_code == 200


def test_completing_the_french_version_completes_the_course_once(
        auth_client, learner, french_course, django_capture_on_commit_callbacks):
    tree, course, modules = french_course
    client = in_french(auth_client)
    response = client.post(reverse("enroll", args=[course.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=learner).count() == 1
    assert Enrollment.objects.get(user=learner).course_id == tree.course.pk
    with django_capture_on_commit_callbacks(execute=True):
        for module in modules:
            assert client.get(module.url).status_code == 200
            client.post(reverse("complete_module", args=[module.pk]))
    english = api.course_progress(user=learner, course=tree.course)
    assert english.is_complete and english.percent == 100
    assert Certificate.objects.filter(user=learner).count() == 1
    assert Certificate.objects.get(user=learner).course_id == tree.course.pk

    # She carries on in English: nothing is completed or issued twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert not api.complete_module(user=learner, module=tree.modules[0])
        english_page = in_english(auth_client).get(tree.course.url).content.decode()
    assert "You have completed this course." in english_page
    assert Certificate.objects.filter(user=learner).count() == 1
    dashboard = reports.learner_dashboard(user=learner)
    assert len([row for row in dashboard.in_progress + dashboard.completed]) == 1


def test_progress_made_in_english_shows_on_the_french_page(auth_client, learner, french_course):
    tree, course, modules = french_course
    api.enroll(user=learner, course=tree.course)
    api.complete_module(user=learner, module=tree.modules[0])
    html = in_french(auth_client).get(tree.course.url).content.decode()
    assert FRENCH_TITLE in html
    first = html[html.index("Module FR 1"):html.index("Module FR 2")]
    assert "state-complete" in first
    progress = api.course_progress(user=learner, course=course, modules=modules)
    assert progress.required_complete == 1 and progress.is_enrolled
    assert progress.status_of(modules[0]).state is api.ModuleState.COMPLETE


def test_the_catalog_shows_each_course_in_the_visitors_language(client, french_course):
    tree, _course, _modules = french_course
    french = in_french(client).get("/").content.decode()
    assert FRENCH_TITLE in french and FRENCH_SUMMARY in french
    assert tree.course.title not in french
    assert "English" in french and "Français" in french
    english = in_english(client).get("/").content.decode()
    assert tree.course.title in english and FRENCH_TITLE not in english
    assert english.count('class="card"') == french.count('class="card"')
    domain = in_french(client).get(tree.course.get_parent().url).content.decode()
    assert FRENCH_TITLE in domain


def test_courses_in_language_is_batched(french_course):
    factories.make_course_tree(modules=1, title="Warfarin dosing")
    courses = list(api.canonical_only(api.CoursePage.objects.live()).order_by("path"))
    assert len(courses) == 2
    with CaptureQueriesContext(connection) as two:
        shown = api.courses_in_language(courses=courses, language="fr")
    assert [page.title for page in shown] == [FRENCH_TITLE, "Warfarin dosing"]
    assert [language.name for language in shown[0].available_languages] == [
        "English", "Français"]
    assert [language.code for language in shown[1].available_languages] == ["en"]
    for number in range(4):
        course = factories.make_course(title=f"Course {number}")
        translate(course, "fr", {course.title: f"Cours {number}"})
    courses = list(api.canonical_only(api.CoursePage.objects.live()).order_by("path"))
    with CaptureQueriesContext(connection) as six:
        shown = api.courses_in_language(courses=courses, language="fr")
    assert len(shown) == 6 and "Cours 3" in [page.title for page in shown]
    assert len(six) <= len(two)
