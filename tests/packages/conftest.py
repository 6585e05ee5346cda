"""A realistic course to package: the demo SJS/TEN course, with a figure, a download,
cross-links in rich text, quizzes over every question type and a final assessment."""

import io
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.demo import content, loader
from courses.pages import CoursePage, ModulePage
from tests import factories
from tests.assessments.test_models import VALUES

SJS_SLUG = "preventing-sjs-ten-with-hla-testing"


def png_bytes(colour=(10, 110, 80), size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title="HLA-B*15:02 prevalence map", colour=(10, 110, 80)):
    image = get_image_model()(title=title)
    image.file.save("prevalence.png", ContentFile(png_bytes(colour)), save=False)
    image.width, image.height = 40, 30
    image._set_file_hash()  # as an upload through the admin does
    image.save()
    return image


def make_document(title="CPIC carbamazepine guideline summary", data=b"%PDF-1.4 demo\n%%EOF",
                  filename="cpic-summary.pdf"):
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document._set_file_hash()
    document.save()
    return document


def load_demo_course(slug: str = SJS_SLUG) -> CoursePage:
    course = next(c for c in content.COURSES if c.slug == slug)
    loader._load_course(course, tally=loader._Tally(), touched=[], stdout=None)
    return CoursePage.objects.get(slug=slug)


@dataclass
class PackagedCourse:
    course: CoursePage
    modules: list[ModulePage]
    image: object
    document: object
    quizzes: list
    questions: list


def _enrich(course: CoursePage) -> PackagedCourse:
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    image, document = make_image(), make_document()
    first = modules[0].get_latest_revision_as_object()
    body = list(first.body.raw_data)
    body.append({"type": "image", "id": "fig-1", "value": {
        "image": image.pk, "alt_text": "Map of HLA-B*15:02 carriers", "caption": "Prevalence",
        "credit": "CPIC"}})
    body.append({"type": "download", "id": "dl-1", "value": {
        "document": document.pk, "title": "Guideline", "description": "Two pages."}})
    video = make_document(title="Counselling role-play", data=b"\x00\x00\x00\x18ftypmp42",
                          filename="role-play.mp4")
    captions = make_document(title="Captions", data=b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n",
                             filename="role-play.vtt")
    body.append({"type": "video", "id": "video-1", "value": {
        "title": "Counselling role-play", "video": video.pk, "poster": image.pk,
        "captions": captions.pk, "captions_language": "en",
        "transcript": "Doctor: Before we start carbamazepine, we test for HLA-B*15:02."}})
    body.append({"type": "rich_text", "id": "links-1", "value": (
        f'<p>Read <a linktype="document" id="{document.pk}">the summary</a> and then '
        f'<a linktype="page" id="{modules[1].pk}">the next module</a>.</p>')})
    first.body = body
    course.cover_image = image
    factories.publish(first)
    revision = course.get_latest_revision_as_object()
    revision.cover_image = image
    factories.publish(revision)
    questions = [factories.make_question(kind=kind, value=VALUES[kind], title=f"{kind} on HLA",
                                         block_id=f"pkg-{kind}", domain="pharmacogenomics",
                                         topic="HLA", difficulty="hard")
                 for kind in sorted(VALUES)]
    questions.append(factories.make_question(block_id="pkg-single", title="Single choice"))
    case = {"vignette": "<p>A 34-year-old Han Chinese woman with epilepsy.</p>",
            "explanation": "<p>Screen first.</p>", "references": ["CPIC 2017"],
            "parts": [{"type": "single_choice", "id": "pkg-case-a",
                       "value": factories.single_choice_value(prefix="k")},
                      {"type": "true_false", "id": "pkg-case-b", "value": VALUES["true_false"]}]}
    questions.append(factories.make_question(kind="case_set", value=case, block_id="pkg-case",
                                             title="Case: new seizures"))
    quizzes = [
        factories.make_quiz(module=modules[0], questions=questions[:4], title="Check HLA",
                            pass_mark=80, max_attempts=3, shuffle_choices=True,
                            feedback_timing="immediately"),
        factories.make_quiz(course=course, questions=questions[4:], title="Final assessment",
                            is_final_assessment=True, time_limit_minutes=30),
    ]
    course.refresh_from_db()
    return PackagedCourse(course=course, modules=list(
        ModulePage.objects.child_of(course).order_by("path")), image=image, document=document,
        quizzes=quizzes, questions=questions)


@pytest.fixture
def packaged_course(db) -> PackagedCourse:
    return _enrich(load_demo_course())
