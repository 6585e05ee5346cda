"""Acceptance: export then import into an empty database reproduces the course (same
structure, texts, questions, answers, media), and importing again updates in place."""

import hashlib
import re

import pytest
from django.db import models
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from assessments.models import Question, Quiz
from courses.interchange import COURSE_FIELDS, MODULE_FIELDS
from courses.pages import CoursePage, ModulePage
from editorial.models import Competency, CompetencyFramework, Educator, GlossaryTerm, Reference
from packages.models import SiteIdentity
from tests.packages import helpers

pytestmark = pytest.mark.django_db

_ID = re.compile(r'(linktype|embedtype)="(\w+)" id="(\d+)"|id="(\d+)" (linktype|embedtype)="(\w+)"')


def _file_digest(obj) -> str:
    with obj.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _describe_reference(kind: str, pk: str) -> str:
    if kind == "page":
        return f"page:{Page.objects.get(pk=pk).slug}"
    model = get_document_model() if kind == "document" else get_image_model()
    return f"{kind}:{_file_digest(model.objects.get(pk=pk))}"


def _rich(html: str) -> str:
    def replace(match):
        kind, pk = (match.group(2), match.group(3)) if match.group(1) else (
            match.group(6), match.group(4))
        return f'ref="{_describe_reference(kind, pk)}"'
    return _ID.sub(replace, html)


def describe(value):
    """A value as plain data with every object it points at replaced by what identifies it
    on any site: a file's SHA-256, a page's slug, a Library item's text."""
    if isinstance(value, StreamValue):
        return [(child.block_type, child.id, describe(child.value)) for child in value]
    if isinstance(value, StructValue | dict):
        return {name: describe(item) for name, item in value.items()}
    if isinstance(value, ListValue | list | tuple):
        return [describe(item) for item in value]
    if isinstance(value, RichText):
        return _rich(value.source)
    if isinstance(value, get_image_model() | get_document_model()):
        return (type(value).__name__, value.title, _file_digest(value))
    if isinstance(value, Page):
        return ("page", value.slug)
    if isinstance(value, Competency):
        return ("competency", value.framework.name, value.code, value.title)
    if isinstance(value, models.Model):
        return (type(value).__name__, str(value), {
            f.name: str(getattr(value, f.name)) for f in value._meta.concrete_fields
            if f.name not in ("id", "framework", "photo")})
    return value


def snapshot(course: CoursePage) -> dict:
    course = CoursePage.objects.get(pk=course.pk)
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    quizzes = Quiz.objects.filter(
        models.Q(course=course) | models.Q(module__in=modules)).order_by("title")
    return {
        "course": {"title": course.title, "slug": course.slug, **{
            name: describe(getattr(course, name)) if name != "description" else _rich(
                course.description) for name in COURSE_FIELDS}},
        "educators": [describe(placement.educator) for placement in course.educators.all()],
        "modules": [{"title": m.title, "slug": m.slug, **{
            name: describe(getattr(m, name)) for name in MODULE_FIELDS}} for m in modules],
        "quizzes": [{
            "title": quiz.title,
            "placement": quiz.module.slug if quiz.module_id else "course",
            "settings": {name: getattr(quiz, name) for name in (
                "pass_mark", "max_attempts", "time_limit_minutes", "shuffle_choices",
                "feedback_timing", "is_final_assessment")},
            "questions": [link.question.definition().to_dict() for link in
                          quiz.quiz_questions.order_by("sort_order")],
        } for quiz in quizzes],
    }


def _empty_the_site(packaged) -> None:
    """Delete the course and everything it uses, and become another site."""
    Quiz.objects.all().delete()
    Question.objects.all().delete()
    packaged.course.delete()
    for model in (Reference, GlossaryTerm, Educator, Competency, CompetencyFramework,
                  get_image_model(), get_document_model()):
        model.objects.all().delete()
    SiteIdentity.objects.all().delete()


def test_export_then_import_into_an_empty_site_reproduces_the_course(packaged_course):
    before = snapshot(packaged_course.course)
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    assert not CoursePage.objects.filter(slug=before["course"]["slug"]).exists()

    summary = helpers.import_bytes(package, publish=True)

    course = CoursePage.objects.get(pk=summary.course_id)
    after = snapshot(course)
    assert after == before
    assert len(after["modules"]) == 4 and len(after["quizzes"]) == 2
    assert course.live and all(m.live for m in ModulePage.objects.child_of(course))
    assert summary.created and summary.quizzes == 2
    assert summary.questions == len(packaged_course.questions) == 8


def _files(model, objects=None) -> set[tuple[str, str, bytes]]:
    return {(obj.title, obj.file.name.rsplit(".", 1)[-1], obj.file.open("rb").read())
            for obj in (model.objects.all() if objects is None else objects)}


def test_the_media_files_arrive_byte_for_byte(packaged_course):
    images = _files(get_image_model(), [packaged_course.image])  # the demo cover is unused
    documents = _files(get_document_model())
    assert len(documents) == 3  # a download, a video and its captions
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    helpers.import_bytes(package)
    assert _files(get_image_model()) == images and _files(get_document_model()) == documents
    (image,) = get_image_model().objects.all()
    assert (image.width, image.height) == (40, 30)


def test_an_import_makes_drafts_for_review_unless_asked_to_publish(packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    summary = helpers.import_bytes(package)
    course = CoursePage.objects.get(pk=summary.course_id)
    assert not course.live and not summary.published
    assert not ModulePage.objects.child_of(course).live().exists()
    assert not Quiz.objects.filter(live=True).exists()
    assert not Question.objects.filter(live=True).exists()
    assert Question.objects.count() == 8


def test_importing_the_same_package_again_changes_no_counts(packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    helpers.import_bytes(package, publish=True)
    first = helpers.counts()
    revisions = first.pop("Revision")
    helpers.import_bytes(package, publish=True)
    second = helpers.counts()
    assert second.pop("Revision") > revisions  # each import is a new, reviewable revision
    assert second == first


def test_a_changed_package_updates_the_same_objects(packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    summary = helpers.import_bytes(package, publish=True)
    counts = helpers.counts()
    counts.pop("Revision")

    def edit(content):
        module = content["course"]["modules"][1]
        module["title"] = "HLA-B*15:02 and carbamazepine (revised)"
        module["fields"]["summary"] = "Revised summary."
        question = content["assessments"]["questions"][0]
        question["body"][0]["value"]["stem"] = "<p>A revised stem.</p>"

    helpers.import_bytes(helpers.with_content(package, edit), publish=True)
    after = helpers.counts()
    after.pop("Revision")
    assert after == counts
    modules = list(ModulePage.objects.child_of(CoursePage.objects.get(pk=summary.course_id))
                   .order_by("path"))
    assert modules[1].title == "HLA-B*15:02 and carbamazepine (revised)"
    assert modules[1].summary == "Revised summary."
    content = helpers.content_of(package)
    key = content["assessments"]["questions"][0]["key"].removeprefix("question:")
    assert Question.objects.get(body__0__id=key).definition().stem == "<p>A revised stem.</p>"


def test_a_module_dropped_from_the_package_is_unpublished_not_deleted(packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    summary = helpers.import_bytes(package, publish=True)
    dropped_title = helpers.content_of(package)["course"]["modules"][-1]["title"]

    def drop_last_module(content):
        content["course"]["modules"].pop()

    again = helpers.import_bytes(helpers.with_content(package, drop_last_module), publish=True)
    course = CoursePage.objects.get(pk=summary.course_id)
    dropped = ModulePage.objects.child_of(course).get(title=dropped_title)
    assert not dropped.live
    assert again.modules_unpublished == [dropped_title]
    assert ModulePage.objects.child_of(course).live().count() == 3


def test_an_unpublished_import_over_a_live_course_leaves_learners_the_live_version(
        packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    _empty_the_site(packaged_course)
    summary = helpers.import_bytes(package, publish=True)

    def retitle(content):
        content["course"]["modules"][0]["title"] = "A draft title"

    helpers.import_bytes(helpers.with_content(package, retitle))
    module = ModulePage.objects.child_of(CoursePage.objects.get(pk=summary.course_id)).first()
    assert module.live and module.title != "A draft title"
    assert module.has_unpublished_changes
    assert module.get_latest_revision_as_object().title == "A draft title"


def test_reexporting_on_the_same_site_updates_the_original_course(packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    counts = helpers.counts()
    counts.pop("Revision")
    summary = helpers.import_bytes(package, publish=True)
    after = helpers.counts()
    after.pop("Revision")
    assert summary.course_id == packaged_course.course.pk and not summary.created
    assert {k: v for k, v in after.items() if k != "ImportedObject"} == {
        k: v for k, v in counts.items() if k != "ImportedObject"}
