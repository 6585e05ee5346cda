"""The blocks an educator composes a module from. Each names its own template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

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
    """A video that never plays or downloads until the learner asks for it."""

    title = blocks.CharBlock(max_length=200)
    video = DocumentChooserBlock(help_text=_("An MP4 or WebM file."))
    poster = ImageChooserBlock(required=False)
    captions = DocumentChooserBlock(
        required=False, help_text=_("A WebVTT (.vtt) file of captions.")
    )
    captions_language = blocks.ChoiceBlock(
        choices=[("en", "English"), ("fr", "Français"), ("es", "Español"),
                 ("pt", "Português"), ("ar", "العربية")],
        default="en",
    )
    transcript = blocks.TextBlock(
        help_text=_("The full transcript, shown under the video for learners who read instead.")
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"


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


class GlossaryTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(max_length=120)
    definition = blocks.TextBlock()

    class Meta:
        icon = "help"
        template = "courses/blocks/glossary_term_block.html"


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.TextBlock(help_text=_("Authors. Title. Journal. Year;Volume:Pages."))
    url = blocks.URLBlock(required=False)
    doi = blocks.CharBlock(required=False, max_length=200, label="DOI")
    pmid = blocks.CharBlock(required=False, max_length=20, label="PMID")


class ReferencesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default=_("References"), max_length=120)
    references = blocks.ListBlock(ReferenceBlock())

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/references_block.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/download_block.html"


class ModuleBodyBlock(blocks.StreamBlock):
    rich_text = SanitizedRichTextBlock(
        features=RICH_TEXT_FEATURES, template="courses/blocks/rich_text_block.html"
    )
    heading = HeadingBlock()
    image = FigureBlock()
    video = VideoBlock()
    key_point = KeyPointBlock()
    case_vignette = CaseVignetteBlock()
    glossary_term = GlossaryTermBlock()
    references = ReferencesBlock()
    download = DownloadBlock()
