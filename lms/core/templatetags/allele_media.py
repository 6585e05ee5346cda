"""Media on learner pages, light by default: sizes shown before anything is fetched, and
text links in place of images for lite mode (see lms.core.lite).

``{% lite_image_link image alt %}`` renders "Image: <alt> (<size> KB)" linking to the
image's web rendition; ``{{ document|size_label }}`` renders " (12.4 MB)" or nothing;
``{% inline_image image alt %}`` embeds a small rendition as a ``data:`` URI, for pages
saved and shared as one file (the course handbook).
"""

import base64

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

LITE_RENDITION = "width-800|format-webp"
INLINE_RENDITION = "width-400|format-webp"


def _size(file) -> int | None:
    try:
        return file.size
    except (OSError, ValueError):
        return None


@register.filter
def size_label(document) -> str:
    """" (12.4 MB)" for a document whose size is known, else ""."""
    size = getattr(document, "file_size", None)
    return f" ({filesizeformat(size)})" if size else ""


@register.simple_tag
def lite_image_link(image, alt: str = "") -> str:
    """A text link to the image (its 800-pixel WebP rendition) with its size, no <img>."""
    if image is None:
        return ""
    rendition = image.get_rendition(LITE_RENDITION)
    size = _size(rendition.file)
    label = alt or image.title
    if size is None:
        text = _("Image: %(alt)s") % {"alt": label}
    else:
        text = _("Image: %(alt)s (%(kb)s KB)") % {"alt": label, "kb": max(1, round(size / 1024))}
    return format_html('<a class="lite-image" href="{}">{}</a>', rendition.url, text)


@register.simple_tag
def inline_image(image, alt: str = "") -> str:
    """A small rendition embedded in the page, so a saved page shows it offline."""
    if image is None:
        return ""
    rendition = image.get_rendition(INLINE_RENDITION)
    with rendition.file.open("rb") as handle:
        data = base64.b64encode(handle.read()).decode("ascii")
    return format_html(
        '<img src="data:image/webp;base64,{}" width="{}" height="{}" alt="{}">',
        data, rendition.width, rendition.height, alt,
    )
