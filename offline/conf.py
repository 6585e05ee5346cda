"""The offline app's settings, read in this one place."""

from django.conf import settings

# The page shell (head, header, navigation, footer) before the page's own text, in bytes.
DEFAULT_PAGE_BYTES = 9_000
# The site's CSS and JavaScript a cached page needs (static names; files not found are
# left out of the course manifest).
DEFAULT_STATIC_FILES = ("css/allele.css", "js/allele.js", "js/quiz.js", "offline/queue.js",
                        "offline/course.js", "offline/attempt.js")


def page_bytes() -> int:
    """The estimated size of a page's HTML before its own text (ALLELE_OFFLINE_PAGE_BYTES)."""
    return int(getattr(settings, "ALLELE_OFFLINE_PAGE_BYTES", DEFAULT_PAGE_BYTES))


def static_files() -> tuple[str, ...]:
    return tuple(getattr(settings, "ALLELE_OFFLINE_STATIC_FILES", DEFAULT_STATIC_FILES))
