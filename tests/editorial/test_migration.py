"""courses 0007 on real data: inline educators, module references and glossary terms
become Library snippets (pages and their revisions), objectives become objective blocks."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courses.pages import CourseEducator, CoursePage, ModulePage
from editorial.models import Educator, GlossaryTerm, Reference
from tests import factories

BEFORE = [("courses", "0006_review_reminders")]

OLD_BODY = [
    {"type": "rich_text", "id": "t1", "value": "<p>Text.</p>"},
    {"type": "glossary_term", "id": "g1",
     "value": {"term": "Proband", "definition": "The first <person>."}},
    {"type": "references", "id": "r1", "value": {"heading": "References", "references": [
        {"type": "item", "id": "i1", "value": {
            "citation": "Richards S et al. Genet Med 2015;17:405-24.", "url": "",
            "doi": "https://doi.org/10.1038/gim.2015.30", "pmid": "25741868"}},
        {"type": "item", "id": "i2", "value": {
            "citation": "WHO. Genomics report. 2022.", "url": "https://www.who.int/x",
            "doi": "", "pmid": ""}},
    ]}},
]
OLD_OBJECTIVES = [{"type": "objective", "id": "o1", "value": "Explain a VUS."}]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _write_old_shapes(course, module):
    """Write the pre-0007 shapes through the models as they were at 0006."""
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    old.get_model("courses", "ModulePage").objects.filter(pk=module.pk).update(body=OLD_BODY)
    old.get_model("courses", "CoursePage").objects.filter(pk=course.pk).update(
        learning_objectives=OLD_OBJECTIVES)
    old.get_model("courses", "CourseEducator").objects.filter(course_id=course.pk).update(
        name="Dr Ngozi Eze", title="Clinical scientist", affiliation="Allele")
    revision = module.latest_revision
    revision.content["body"] = json.dumps(OLD_BODY)
    revision.save(update_fields=["content"])


@pytest.mark.django_db(transaction=True)
def test_inline_content_becomes_library_snippets():
    tree = factories.make_course_tree(modules=1)
    course, module = tree.course, tree.modules[0]
    CourseEducator.objects.create(course=course, educator=Educator.objects.create(name="x"))
    _migrate(BEFORE)
    _write_old_shapes(course, module)
    _migrate(_latest())

    richards = Reference.objects.get(doi="10.1038/gim.2015.30")
    assert richards.pmid == "25741868"
    who = Reference.objects.get(citation="WHO. Genomics report. 2022.")
    assert who.url == "https://www.who.int/x"
    proband = GlossaryTerm.objects.get(term="Proband")
    assert proband.definition == "<p>The first &lt;person&gt;.</p>"

    module = ModulePage.objects.get(pk=module.pk)
    blocks = {child.block_type: child.value for child in module.body}
    assert blocks["glossary_term"] == proband
    assert list(blocks["references"]["references"]) == [richards, who]
    revision_body = module.latest_revision.as_object().body
    assert [child.block_type for child in revision_body] == ["rich_text", "glossary_term",
                                                             "references"]
    assert revision_body[1].value == proband

    course = CoursePage.objects.get(pk=course.pk)
    assert course.learning_objectives[0].value["text"] == "Explain a VUS."
    placement = course.educators.get()
    assert (placement.educator.name, placement.educator.title) == ("Dr Ngozi Eze",
                                                                   "Clinical scientist")
