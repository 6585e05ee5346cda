"""Every payload of the XSS corpus, put into every field an author can fill, renders inert."""

import pytest
from django.db import connection, transaction

from courses.pages import CourseEducator
from editorial.models import Educator, GlossaryTerm, Reference
from tests import factories
from tests.badinput import corpus, unsafe_constructs

pytestmark = pytest.mark.django_db

XSS = corpus("xss.txt")
OUR_SCRIPTS = "/static/"


def _module_body(payload: str, number: int) -> list:
    # Made without validation, as an import or the shell could: rendering must cope.
    reference = Reference.objects.create(citation=payload[:1000] or "x", url=payload[:500])
    term = GlossaryTerm.objects.create(term=f"{payload[:100]} {number}", definition=payload,
                                       synonyms=payload[:500])
    return [
        ("rich_text", payload),
        ("heading", {"text": payload, "level": "h2"}),
        ("key_point", {"title": payload, "text": payload}),
        ("case_vignette", {"title": payload, "presentation": payload, "question": payload,
                           "discussion": payload}),
        ("glossary_term", term),
        ("references", {"heading": payload, "references": [reference]}),
        ("cite", {"references": [reference]}),
    ]


@pytest.fixture(scope="module")
def hostile_site(django_db_setup, django_db_blocker):
    """One course and module per payload, built once and rolled back after the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        home = factories.catalog_home()
        home.introduction = "".join(XSS)
        factories.publish(home)
        domain = factories.domain()
        domain.introduction = "".join(XSS)
        domain.short_description = XSS[0][:250]
        factories.publish(domain)
        pages = []
        for number, payload in enumerate(XSS):
            course = factories.make_course(
                parent=domain, slug=f"hostile-{number}", title=payload[:255] or "x",
                summary=payload[:400], description=payload, prerequisites=payload,
                intended_audience=payload, learning_objectives=[
                    ("objective", {"text": payload[:300], "competencies": []})],
            )
            educator = Educator.objects.create(name=payload[:200], title=payload[:200],
                                               affiliation=payload[:200], bio=payload[:600])
            CourseEducator.objects.create(course=course, educator=educator)
            module = factories.make_module(
                course=course, title=payload[:255] or "x", summary=payload[:400],
                body=_module_body(payload, number),
            )
            pages.append((course, module))
        yield home, domain, pages
        transaction.set_rollback(True)


def test_catalog_and_domain_pages_render_payloads_inert(client, hostile_site):
    home, domain, _pages = hostile_site
    for page in (home, domain):
        response = client.get(page.url)
        assert response.status_code == 200
        assert unsafe_constructs(response.content.decode(), allowed_script_prefix=OUR_SCRIPTS) == []


@pytest.mark.parametrize("number", range(len(XSS)))
def test_course_and_module_pages_render_payload_inert(client, hostile_site, number):
    course, module = hostile_site[2][number]
    for page in (course, module):
        response = client.get(page.url)
        assert response.status_code == 200
        found = unsafe_constructs(response.content.decode(), allowed_script_prefix=OUR_SCRIPTS)
        assert found == [], f"{XSS[number]!r} on {page.url}"


@pytest.mark.parametrize("number", range(len(XSS)))
def test_rich_text_is_sanitised_before_it_is_stored(hostile_site, number):
    course, _module = hostile_site[2][number]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description FROM courses_coursepage WHERE page_ptr_id = %s", [course.pk]
        )
        (stored,) = cursor.fetchone()
    assert unsafe_constructs(stored) == []
