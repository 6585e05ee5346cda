"""Every payload of the XSS corpus, as Library content (citations, addresses, glossary
terms, synonyms and definitions, educators, competencies), renders inert on the course,
module, glossary and dashboard pages. (tests/courses/test_xss.py puts one payload per
course through the same blocks.)"""

import html

import pytest

from courses import api
from courses.pages import CourseEducator
from editorial.models import (
    Competency,
    CompetencyFramework,
    Educator,
    GlossaryTerm,
    Reference,
)
from tests import factories
from tests.badinput import corpus, unsafe_constructs

pytestmark = pytest.mark.django_db

XSS = corpus("xss.txt")
OUR_SCRIPTS = "/static/"


@pytest.fixture
def hostile_course(learner):
    framework = CompetencyFramework.objects.create(name=XSS[0][:200], version="x",
                                                   description=XSS[1], source=XSS[2][:300])
    competencies, references, terms = [], [], []
    for number, payload in enumerate(XSS):
        competencies.append(Competency.objects.create(
            framework=framework, code=f"X{number}", title=payload[:300], description=payload))
        references.append(Reference.objects.create(citation=payload[:1000] or "x",
                                                   url=payload[:500]))
        terms.append(GlossaryTerm.objects.create(
            term=f"{payload[:100]} t{number}", synonyms=payload[:500], definition=payload))
    tree = factories.make_course_tree(modules=0, learning_objectives=[
        ("objective", {"text": XSS[3][:300], "competencies": competencies})])
    for number, payload in enumerate(XSS[:20]):
        educator = Educator.objects.create(name=payload[:200], title=payload[:200],
                                           affiliation=payload[:200], bio=payload[:600])
        CourseEducator.objects.create(course=tree.course, educator=educator, sort_order=number)
    factories.publish(tree.course)
    # Text that contains every payload and every term, escaped as a rich-text editor would.
    text = "".join(f"<p>{html.escape(p)} {html.escape(t.term)}</p>" for p, t in zip(XSS, terms,
                                                                                    strict=True))
    module = factories.make_module(course=tree.course, body=[
        ("rich_text", text),
        ("cite", {"references": references[:50]}),
        ("references", {"heading": XSS[4][:120], "references": references[50:]}),
        *[("glossary_term", term) for term in terms[:30]],
    ])
    api.enroll(user=learner, course=tree.course)
    api.complete_module(user=learner, module=module)
    return tree.course, module


def test_library_content_renders_inert_everywhere(auth_client, hostile_course):
    course, module = hostile_course
    for url in (course.url, module.url, f"{course.url}glossary/", "/dashboard/"):
        response = auth_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert unsafe_constructs(page, allowed_script_prefix=OUR_SCRIPTS) == [], url
    module_page = auth_client.get(module.url).content.decode()
    assert module_page.count('class="gloss"') >= len(XSS) // 2  # terms were marked
    assert 'class="cite"' in module_page
    assert "Competencies covered" in auth_client.get("/dashboard/").content.decode()
