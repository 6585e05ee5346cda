"""Readers for the hostile-input corpora in tests/data/ (copied from the project's shared
badinput collection, headers and sources kept) and a browser-faithful safety check."""

import re
import unicodedata
from functools import cache
from pathlib import Path

import html5lib

DATA = Path(__file__).parent / "data"
_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_SIMPLE = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def _unescape(line: str) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        return _SIMPLE.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(replace, line)


@cache
def corpus(name: str) -> tuple[str, ...]:
    """The entries of tests/data/<name>, comments and blank lines left out, escapes decoded."""
    with open(DATA / name, encoding="utf-8", newline="\n") as handle:
        lines = handle.read().split("\n")
    return tuple(_unescape(line) for line in lines if line.strip() and not line.startswith("#"))


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href",
                  "background", "cite", "srcset", "url"}


def unsafe_constructs(html: str, *, allowed_script_prefix: str | None = None) -> list[str]:
    """What a browser parsing ``html`` would find dangerous (empty list when safe).

    Follows the corpus README: no script element, no on* attribute, no javascript:,
    vbscript: or non-image data: URL (also once control and zero-width characters are
    removed), no CSS expression().
    """
    document = html5lib.parse(html, namespaceHTMLElements=False)
    problems = []
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.rsplit("}", 1)[-1] == "script":
            src = element.get("src", "")
            if not (allowed_script_prefix and src.startswith(allowed_script_prefix)):
                problems.append(f"<script> {src or (element.text or '')[:40]!r}")
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                problems.append(f"event handler {name}={value[:40]!r}")
            if name in URL_ATTRIBUTES and _is_script_url(value):
                problems.append(f"{name}={value[:60]!r}")
            if name == "style" and "expression(" in value.lower():
                problems.append("CSS expression()")
    return problems


def _is_script_url(value: str) -> bool:
    visible = "".join(
        char for char in value if unicodedata.category(char) not in {"Cc", "Cf", "Zs"}
    ).lower()
    if visible.startswith(("javascript:", "vbscript:")):
        return True
    return visible.startswith("data:") and not visible.startswith("data:image/")
