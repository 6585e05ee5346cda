"""Template helpers shared by every app's templates."""

from django import template

from lms.core.html import is_safe_url

register = template.Library()


@register.filter
def safe_url(url: str | None) -> str:
    """``url`` if it is relative or http(s)/mailto/tel without hidden characters, else ""."""
    return url if url and is_safe_url(url) else ""
