"""StreamField blocks shared by every app: rich text that is always sanitised."""

from wagtail.blocks import RichTextBlock
from wagtail.rich_text import RichText

from lms.core.html import sanitize_html


class SanitizedRichTextBlock(RichTextBlock):
    """Rich text whose HTML passes through :func:`sanitize_html` on the way in and out.

    Draftail already limits what an editor can type, but StreamField JSON can also
    arrive from imports, the API or old data; this block does not trust any of it.
    """

    def to_python(self, value):
        return RichText(sanitize_html(value))

    def get_prep_value(self, value):
        return sanitize_html(super().get_prep_value(value))

    def normalize(self, value):
        if isinstance(value, RichText):
            return RichText(sanitize_html(value.source))
        return RichText(sanitize_html(value or ""))

    class Meta:
        icon = "pilcrow"
