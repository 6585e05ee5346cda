"""Editors cannot save media that shuts learners out (WCAG 2.2 AA): a figure needs
alternative text, a video needs a transcript and captions unless it has no speech.
Videos saved before the captions rule still render."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses import api as courses_api
from courses.blocks import FigureBlock, VideoBlock
from tests import factories

pytestmark = pytest.mark.django_db


def _document(filename: str, data: bytes = b"\x00\x00\x00\x18ftypmp42"):
    document = get_document_model()(title=filename)
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def _video_value(**overrides) -> dict:
    block = VideoBlock()
    value = {"title": "Counselling role-play", "video": _document("role-play.mp4").pk,
             "poster": None, "captions": None, "no_speech": False, "captions_language": "en",
             "transcript": "Doctor: we test for HLA-B*15:02 first.", "low_resolution": None,
             "audio_only": None, **overrides}
    return block, block.to_python(value)


def _errors(block, value) -> set[str]:
    try:
        block.clean(value)
    except (StructBlockValidationError, ValidationError) as error:
        return set(error.block_errors)
    return set()


def test_a_video_without_captions_is_refused_unless_it_has_no_speech():
    block, value = _video_value()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert set(refused.value.block_errors) == {"captions"}
    assert "No speech" in str(refused.value.block_errors["captions"])

    block, silent = _video_value(no_speech=True)
    assert _errors(block, silent) == set()


def test_a_video_with_captions_and_transcript_saves():
    block, value = _video_value(captions=_document("role-play.vtt", b"WEBVTT\n").pk)
    assert _errors(block, value) == set()


def test_a_video_needs_its_transcript_even_with_captions():
    block, value = _video_value(captions=_document("role-play.vtt", b"WEBVTT\n").pk,
                                transcript="")
    assert "transcript" in _errors(block, value)


def test_a_figure_needs_alternative_text():
    block = FigureBlock()
    value = block.to_python({"image": None, "alt_text": "", "caption": "", "credit": ""})
    assert {"image", "alt_text"} <= _errors(block, value)


def test_a_video_saved_before_the_captions_rule_still_renders(client):
    video = _document("old.mp4")
    tree = factories.make_course_tree(modules=1)
    module = tree.modules[0]
    module.body = [{"type": "video", "id": "v-old", "value": {
        "title": "An old video", "video": video.pk, "captions_language": "en",
        "transcript": "Words said in the old video."}}]  # no captions, no "no_speech"
    factories.publish(module)
    learner = factories.make_user(email="old.video@example.org")
    client.force_login(learner)
    courses_api.enroll(user=learner, course=tree.course)
    response = client.get(module.url)
    assert response.status_code == 200
    assert "Words said in the old video." in response.content.decode()


# --- The course cover image ----------------------------------------------------------------


def _cover_form(course, image, **fields) -> dict:
    return nested_form_data({
        "title": course.title, "slug": course.slug, "summary": course.summary,
        "cover_image": image.pk, "cover_image_alt": "", "description": rich_text(""),
        "learning_objectives": streamfield([]), "intended_audience": "",
        "level": "introductory", "language": "en", "estimated_hours": "1",
        "cpd_credit_hours": "0", "prerequisites": rich_text(""),
        "educators": inline_formset([]), "self_enrollment": "on", "starts_on": "",
        "ends_on": "", "last_reviewed_on": "", "review_due_on": "", **fields,
    })


@pytest.fixture
def editing(client):
    admin = factories.make_user(email="editor@example.org", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


def _image():
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (10, 110, 80)).save(buffer, format="PNG")
    image = get_image_model()(title="Cover")
    image.file.save("cover.png", ContentFile(buffer.getvalue()), save=False)
    image.width, image.height = 40, 30
    image.save()
    return image


def test_a_cover_image_needs_alternative_text_or_an_explicit_decorative(editing):
    course = factories.make_course_tree(modules=1).course
    edit = reverse("wagtailadmin_pages:edit", args=[course.pk])
    image = _image()

    refused = editing.post(edit, _cover_form(course, image))
    assert refused.status_code == 200
    assert "Describe the cover image" in refused.content.decode()
    course.refresh_from_db()
    assert course.cover_image_id is None

    described = editing.post(edit, _cover_form(
        course, image, cover_image_alt="A pharmacist reading a genotype report",
        **{"action-publish": "publish"}))
    assert described.status_code == 302, described.content.decode()[-2000:]
    course.refresh_from_db()
    assert course.cover_alt == "A pharmacist reading a genotype report"

    decorative = editing.post(edit, _cover_form(
        course, image, cover_image_decorative="on", **{"action-publish": "publish"}))
    assert decorative.status_code == 302
    course.refresh_from_db()
    assert course.cover_image_decorative and course.cover_alt == ""


def test_the_course_page_shows_the_cover_with_its_alternative_text(client):
    course = factories.make_course_tree(
        modules=1, cover_image=_image(), cover_image_alt="A pharmacist reading a report",
    ).course
    html = client.get(course.url).content.decode()
    assert 'alt="A pharmacist reading a report"' in html


# --- Images in rich text -------------------------------------------------------------------


def test_an_image_in_rich_text_needs_alternative_text_or_decorative():
    """No rich-text field enables Wagtail's "image" feature today; if one does, Wagtail's
    insertion form is what asks for the alt text, and it refuses none unless decorative."""
    from wagtail.images.forms import ImageInsertionForm

    def errors(**fields) -> set[str]:
        prefix = "image-chooser-insertion"
        form = ImageInsertionForm(prefix=prefix, data={
            f"{prefix}-{name}": value for name, value in {"format": "fullwidth",
                                                           **fields}.items()})
        form.is_valid()
        return set(form.errors)

    assert "alt_text" in errors(alt_text="")
    assert "alt_text" not in errors(alt_text="Pedigree of the family")
    assert "alt_text" not in errors(alt_text="", image_is_decorative="on")
