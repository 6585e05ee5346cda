"""The demo catalog uses the Library: shared references and terms are one snippet each,
objectives link the seeded competencies, and a second load writes nothing."""

import re

import pytest

from courses import caching
from courses.demo import load_demo
from courses.pages import CoursePage
from editorial.models import Educator, GlossaryTerm, Reference

pytestmark = pytest.mark.django_db


def test_demo_content_lives_in_the_library(client, settings):
    settings.DEBUG = False
    load_demo()
    richards = Reference.objects.get(doi__iexact="10.1038/gim.2015.30")
    assert Reference.objects.filter(citation=richards.citation).count() == 1
    assert GlossaryTerm.objects.filter(term="Cascade testing").count() == 1
    assert Educator.objects.filter(name="Dr Malee Srisuk").count() == 1
    for course in CoursePage.objects.live():
        codes = [item for objective in course.learning_objectives
                 for item in objective.value["competencies"]]
        assert codes, course.title
    variants = CoursePage.objects.get(slug="reading-a-variant-report")
    course_html = client.get(variants.url).content.decode()
    assert "Competencies this course builds" in course_html
    assert "IR.2" in course_html and "Dr Ngozi Eze" in course_html
    glossary = client.get(f"{variants.url}glossary/").content.decode()
    assert re.search(r"<dfn>Variant of uncertain significance</dfn>\s*<span class=\"muted\">"
                     r"\(VUS\)</span>", glossary)
    module_html = client.get(variants.get_children().live().first().url).content.decode()
    assert 'class="reference-list"' in module_html

    version, counts = caching.catalog_version(), (Reference.objects.count(),
                                                  GlossaryTerm.objects.count())
    summary = load_demo()
    assert not summary.changed
    assert caching.catalog_version() == version
    assert (Reference.objects.count(), GlossaryTerm.objects.count()) == counts
