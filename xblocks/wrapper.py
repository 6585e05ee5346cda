"""Allele's fragment wrapper: the markup around each rendered XBlock, and the page's
share of the blocks' CSS and JavaScript.

XBlock's stock ``Runtime.wrap_xblock`` writes ``data-*`` attributes and its JSON init data
without escaping them; here every attribute value goes through ``format_html`` and the
init arguments through ``json_script`` (which escapes ``<``, ``>`` and ``&``), so neither a
usage id nor a block's init data can close the element or the script. The block's own
HTML (``fragment.content``) is not sanitised, since blocks need their markup: the page's
Content-Security-Policy (``lms.core.csp``) confines it instead.
"""

import re
from collections.abc import Iterable

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from web_fragments.fragment import Fragment

__all__ = ["RUNTIME_CLASS", "RUNTIME_VERSION", "fragment_resources", "wrap_fragment",
           "wrapped_fragment"]

RUNTIME_CLASS = "AlleleRuntime"
RUNTIME_VERSION = "1"
INIT_NAME = re.compile(r"[A-Za-z_$][\w$.]*", re.ASCII)
_CSS_UNSAFE = re.compile(r"[^\w-]", re.ASCII)
_SCRIPT_END = re.compile(r"<(/script|!--)", re.IGNORECASE)
_STYLE_END = re.compile(r"</style", re.IGNORECASE)
_HANDLER_SENTINEL = "_"


def wrap_fragment(*, fragment: Fragment, block, usage_id: str, view: str,
                  authoring: bool) -> SafeString:
    """The block's HTML inside Allele's ``<div class="xblock">``, ready for the page."""
    init = fragment.js_init_fn if INIT_NAME.fullmatch(fragment.js_init_fn or "") else None
    attributes = {
        "data-usage-id": usage_id,
        "data-block-type": _block_type(block),
        "data-name": getattr(block, "name", None) or None,
        "data-init": init,
        "data-runtime-class": RUNTIME_CLASS,
        "data-runtime-version": RUNTIME_VERSION,
        "data-handler-prefix": handler_prefix(usage_id=usage_id, authoring=authoring),
    }
    args = ""
    if init and fragment.json_init_args is not None:
        args = json_script(fragment.json_init_args)
    return format_html(
        '<div class="xblock xblock-{view}"{attributes}>{args}{content}{notes}</div>',
        view=_CSS_UNSAFE.sub("", view),
        attributes=format_html_join(
            "", ' {}="{}"', ((name, str(value)) for name, value in attributes.items()
                             if value is not None)
        ),
        args=args,
        content=mark_safe(fragment.content),  # noqa: S308 - the block's own HTML, under the CSP
        notes=_notes() if init else "",
    )


def wrapped_fragment(*, fragment: Fragment, block, usage_id: str, view: str,
                     authoring: bool) -> Fragment:
    """A new fragment holding the wrapped HTML and the same resources (for
    ``Runtime.wrap_xblock``, which must return a fragment)."""
    wrapped = Fragment(wrap_fragment(fragment=fragment, block=block, usage_id=usage_id,
                                     view=view, authoring=authoring))
    wrapped.add_fragment_resources(fragment)
    return wrapped


def handler_prefix(*, usage_id: str, authoring: bool) -> str | None:
    """The start of the block's handler URLs (the handler name and suffix follow), or None
    for a usage id that cannot be part of a URL."""
    name = "xblocks:authoring_handler" if authoring else "xblocks:handler"
    try:
        url = reverse(name, kwargs={"usage_id": usage_id, "handler_name": _HANDLER_SENTINEL})
    except NoReverseMatch:
        return None
    return url[: -len(_HANDLER_SENTINEL) - 1]


def fragment_resources(fragments: Iterable[Fragment], *, nonce: str,
                       placement: str | None = None) -> SafeString:
    """The CSS and JavaScript the fragments need, each once, in order: stylesheets and
    scripts by URL, inline JavaScript in ``<script nonce>``, inline CSS in ``<style>``.

    ``placement`` "head" gives what belongs in the page's head (with jQuery and Allele's
    client runtime first), "foot" what belongs at the end of the body; None gives both,
    head first. Nothing at all when no fragment is given.
    """
    fragments = list(fragments)
    if not fragments:
        return mark_safe("")
    seen, parts = set(), []
    if placement in (None, "head"):
        parts.append(format_html(
            '<script src="{}"></script>\n<script src="{}" defer></script>',
            static("vendor/jquery/jquery.min.js"), static("xblocks/runtime.js"),
        ))
    for wanted in ("head", "foot"):
        if placement not in (None, wanted):
            continue
        for fragment in fragments:
            for resource in fragment.resources:
                key = (resource.kind, resource.data, resource.mimetype)
                if resource.placement == wanted and key not in seen:
                    seen.add(key)
                    parts.append(_resource_html(resource, nonce=nonce))
    return mark_safe("\n".join(part for part in parts if part))  # noqa: S308 - built above


def _resource_html(resource, *, nonce: str) -> str:
    kind, data, mimetype = resource.kind, resource.data, resource.mimetype
    if mimetype == "text/css" and kind == "url":
        return format_html('<link rel="stylesheet" href="{}">', data)
    if mimetype == "text/css" and kind == "text":
        return format_html('<style nonce="{}">{}</style>', nonce,
                           mark_safe(_STYLE_END.sub(r"<\\/style", data)))  # noqa: S308
    if mimetype == "application/javascript" and kind == "url":
        return format_html('<script src="{}"></script>', data)
    if mimetype == "application/javascript" and kind == "text":
        return format_html('<script nonce="{}">{}</script>', nonce,
                           mark_safe(_SCRIPT_END.sub(_escape_script_end, data)))  # noqa: S308
    if mimetype == "text/html" and kind == "text":
        return data  # The block's developer wrote it; the CSP confines it.
    return ""


def _escape_script_end(match: re.Match) -> str:
    return "<\\" + match.group(1)


def _notes() -> SafeString:
    return format_html(
        '<noscript><p class="xblock-note">{}</p></noscript>'
        '<p class="xblock-note xblock-failure" data-xblock-failure role="alert" hidden>{}</p>',
        _("This activity needs JavaScript. Please turn it on in your browser to take part."),
        _("Sorry, something went wrong and your answer may not have been saved. "
          "Please try again in a moment."),
    )


def _block_type(block) -> str:
    scope_ids = getattr(block, "scope_ids", None)
    return getattr(scope_ids, "block_type", None) or getattr(block, "category", "") or ""
