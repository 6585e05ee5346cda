"""Builders for modules with images and video (media, lite mode and handbook tests)."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file


def make_image(*, title: str = "Karyotype", width: int = 1200, height: int = 800):
    image = get_image_model()(title=title, file=get_test_image_file(
        filename=f"{title.lower()}.png", size=(width, height)))
    image._set_image_file_metadata()
    image.save()
    return image


def make_document(*, title: str, name: str, size: int):
    document = get_document_model()(title=title, file=ContentFile(b"\0" * size, name=name))
    document._set_document_file_metadata()
    document.save()
    return document


def media_body(*, poster=None, alt: str = "A karyotype with trisomy 21") -> list:
    """A module body (raw StreamField data) with a figure and a video offering every file."""
    video = make_document(title="Counselling video", name="counselling.mp4", size=13_000_000)
    low = make_document(title="Counselling video, small", name="counselling-360.mp4",
                        size=3_250_000)
    audio = make_document(title="Counselling audio", name="counselling.m4a", size=1_260_000)
    captions = make_document(title="Captions", name="counselling.vtt", size=2_000)
    return [
        {"type": "rich_text", "value": "<p>Before the figure.</p>"},
        {"type": "image", "value": {"image": make_image().pk, "alt_text": alt,
                                    "caption": "Trisomy 21", "credit": ""}},
        {"type": "video", "value": {
            "title": "Pre-test counselling", "video": video.pk,
            "poster": poster.pk if poster else None, "captions": captions.pk,
            "captions_language": "en", "transcript": "Doctor: Good morning.",
            "low_resolution": low.pk, "audio_only": audio.pk}},
    ]
