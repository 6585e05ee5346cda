"""The one place where author- and learner-supplied HTML is made safe.

Every piece of HTML that a person types (Wagtail rich text, imported questions,
free-text answers) passes through :func:`sanitize_html` before it is stored and
again when it is read back. It is an allow-list built on nh3 (Ammonia); see
docs/decisions/0001-sanitise-html-with-nh3.md.

The allow-list keeps Wagtail's rich-text storage format intact (``<a linktype="page"
id="3">``, ``<embed embedtype="image" ...>``) so that sanitising stored rich text
changes nothing an editor wrote on purpose.
"""

import unicodedata
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn",
    "div", "dl", "dt", "em", "embed", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})

ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "linktype", "id"},
    "abbr": {"title"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "q": {"cite"},
    "blockquote": {"cite"},
}

URL_ATTRIBUTES = frozenset({"href", "url", "cite", "src"})
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Invisible characters that browsers ignore inside a URL but that let "java\u200bscript:"
# slip past a naive scheme check: C0/C1 controls and Unicode "format" characters
# (zero-width space and joiners, bidi overrides, the byte-order mark).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})


def sanitize_html(html: str | None) -> str:
    """Return ``html`` with everything outside the allow-list removed.

    Scripts, styles, event-handler attributes, unknown tags and ``javascript:``
    (or any scheme other than http, https, mailto and tel) are dropped; the text
    inside harmless unknown tags is kept. Idempotent: sanitising twice gives the
    same string as sanitising once.
    """
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not is_safe_url(value):
        return None
    return value


def is_safe_url(url: str) -> bool:
    """True for a relative URL or one with an allowed scheme and no invisible characters."""
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in url):
        return False
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme == "" or scheme in ALLOWED_URL_SCHEMES
