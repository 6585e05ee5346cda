"""The blocks an educator composes a module from. Each names its own template."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from courses import extensions
from lms.core.blocks import SanitizedRichTextBlock

RICH_TEXT_FEATURES = [
    "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link",
    "superscript", "subscript", "blockquote", "code",
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=300,
        help_text=_("What the image shows, for learners who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "courses/blocks/figure_block.html"


class VideoBlock(blocks.StructBlock):
    """A video that never plays or downloads until the learner asks for it.

    The page offers its files with their sizes (the video, a low-resolution copy, the
    audio alone) and the transcript; the player itself sits in an inert ``<template>``
    until the learner presses "Watch" (static/js/allele.js)."""

    title = blocks.CharBlock(max_length=200)
    video = DocumentChooserBlock(help_text=_("An MP4 or WebM file."))
    poster = ImageChooserBlock(required=False)
    captions = DocumentChooserBlock(
        required=False,
        help_text=_("A WebVTT (.vtt) file of captions. Required unless the video has no "
                    "speech."),
    )
    no_speech = blocks.BooleanBlock(
        required=False, label=_("No speech"),
        help_text=_("Tick only if nothing is said in the video (music or silence), so it "
                    "needs no captions."),
    )
    captions_language = blocks.ChoiceBlock(
        choices=[("en", "English"), ("fr", "Français"), ("es", "Español"),
                 ("pt", "Português"), ("ar", "العربية")],
        default="en",
    )
    transcript = blocks.TextBlock(
        help_text=_("The full transcript, shown under the video for learners who read instead.")
    )
    low_resolution = DocumentChooserBlock(
        required=False, help_text=_("A smaller file for slow connections")
    )
    audio_only = DocumentChooserBlock(
        required=False, help_text=_("An audio-only file (MP3/M4A)")
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"

    def clean(self, value):
        """Captions (WCAG 1.2.2) unless the editor says the video has no speech; the
        transcript is required by its field. Only saving validates, so videos saved before
        this rule still render."""
        value = super().clean(value)
        if not value.get("captions") and not value.get("no_speech"):
            raise _error("captions", _('Add a captions file, or tick "No speech" if nothing '
                                       "is said in the video."))
        return value


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(default=_("Key point"), max_length=120)
    text = SanitizedRichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        template = "courses/blocks/key_point_block.html"


class CaseVignetteBlock(blocks.StructBlock):
    """A clinical case: what the learner is shown, a question, then a discussion to reveal."""

    title = blocks.CharBlock(max_length=200)
    presentation = SanitizedRichTextBlock(features=RICH_TEXT_FEATURES)
    question = blocks.TextBlock(required=False, help_text=_("What should the learner decide?"))
    discussion = SanitizedRichTextBlock(
        features=RICH_TEXT_FEATURES, required=False,
        help_text=_("Shown when the learner opens it, after thinking about the question."),
    )

    class Meta:
        icon = "user"
        template = "courses/blocks/case_vignette_block.html"


def _reference_list(**kwargs):
    return blocks.ListBlock(SnippetChooserBlock("editorial.Reference"), **kwargs)


class ReferencesBlock(blocks.StructBlock):
    """A numbered list of references, numbered as the module cites them (see CiteBlock)."""

    heading = blocks.CharBlock(default=_("References"), max_length=120)
    references = _reference_list(min_num=1)

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/references_block.html"


class CiteBlock(blocks.StructBlock):
    """Citation marks ("[1], [3]") linking to the module's references, where placed."""

    references = _reference_list(min_num=1)

    class Meta:
        icon = "link"
        label = _("Cite references")
        template = "courses/blocks/cite_block.html"


class ObjectiveBlock(blocks.StructBlock):
    """A learning objective and the competencies it builds."""

    text = blocks.CharBlock(max_length=300, label=_("Objective"))
    competencies = blocks.ListBlock(
        SnippetChooserBlock("editorial.Competency"), default=[], required=False,
        help_text=_("Competencies from a framework in the Library that this objective builds."),
    )

    class Meta:
        icon = "tick"
        label = _("Objective")


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/download_block.html"


class InteractiveComponentBlock(blocks.StructBlock):
    """An interactive component (an XBlock) rendered per learner by an app above courses.

    The module's cached body holds only a placeholder for it (its template); the page
    fills in the learner's own fragment on every request (see courses/components.py).
    The educator gives either the component's OLX or a type and its field values."""

    block_type = blocks.ChoiceBlock(
        choices=extensions.component_type_choices, required=False, label=_("Type"),
    )
    olx = blocks.TextBlock(
        required=False, label=_("OLX"),
        help_text=_("The component's OLX, e.g. <poll .../>; children such as <vertical> "
                    "allowed"),
    )
    fields = blocks.TextBlock(
        required=False, label=_("Field values"),
        help_text=_("Or choose a type above and give its field values as a JSON object"),
    )
    title = blocks.CharBlock(
        required=False, max_length=200,
        help_text=_("Read out by screen readers as the name of the activity's region."),
    )

    class Meta:
        icon = "code"
        label = _("Interactive component (XBlock)")
        template = "courses/blocks/component_block.html"

    def clean(self, value):
        value = super().clean(value)
        olx, block_type = value["olx"].strip(), value["block_type"] or ""
        fields = value["fields"].strip()
        if olx and block_type:
            raise _error("block_type", _("Give either the OLX or a type, not both."))
        if not olx and not block_type:
            raise _error("olx", _("Give the component's OLX, or choose its type."))
        if olx and fields:
            raise _error("fields", _("Field values go with a type; put them in the OLX "
                                     "instead."))
        if fields:
            try:
                parsed = json.loads(fields)
            except ValueError as error:
                raise _error("fields", _("The field values are not valid JSON: %(error)s")
                             % {"error": error}) from None
            if not isinstance(parsed, dict):
                raise _error("fields", _("The field values must be a JSON object, "
                                         "like {\"question\": \"…\"}."))
        errors = extensions.component_errors(component=extensions.ComponentRef(
            block_id="", block_type=block_type, olx=olx, fields=fields))
        if errors:
            raise _error("olx" if olx else ("fields" if fields else "block_type"),
                         " ".join(errors))
        return value


def _error(child: str, message) -> StructBlockValidationError:
    return StructBlockValidationError(block_errors={child: ValidationError(message)})


class ModuleBodyBlock(blocks.StreamBlock):
    rich_text = SanitizedRichTextBlock(
        features=RICH_TEXT_FEATURES, template="courses/blocks/rich_text_block.html"
    )
    heading = HeadingBlock()
    image = FigureBlock()
    video = VideoBlock()
    key_point = KeyPointBlock()
    case_vignette = CaseVignetteBlock()
    glossary_term = SnippetChooserBlock(
        "editorial.GlossaryTerm", icon="help", label=_("Glossary term"),
        template="courses/blocks/glossary_term_block.html",
        help_text=_("Defines the term here; it is also listed in the course glossary."),
    )
    references = ReferencesBlock()
    cite = CiteBlock()
    download = DownloadBlock()
    component = InteractiveComponentBlock()
