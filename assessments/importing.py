"""What the GIFT and Aiken importers share: error reporting, export reports, derived ids.

An import checks the whole file first and raises :class:`ImportErrors` listing every bad
question (line and reason) or returns every definition; nothing is half-imported.
Formats without ids get ids derived with UUID5 from the question's name or content, so
importing the same file twice yields the same ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

# Fixed namespace for ids derived on import; changing it would change every derived id.
ID_NAMESPACE = uuid.UUID("6f1d3a52-3c1e-4b8e-9a57-2d0f6c7b8e41")


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an imported file: its 1-based line and a reason for a person."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportErrors(Exception):
    """Every problem found in a file, sorted by line; nothing was imported."""

    def __init__(self, issues: Iterable[ImportIssue]) -> None:
        self.issues = tuple(sorted(issues, key=lambda issue: issue.line))
        super().__init__("; ".join(map(str, self.issues)) or "import failed")


@dataclass(frozen=True)
class ExportReport:
    """An exported file and the questions it could not express: (id, reason) pairs."""

    text: str
    skipped: tuple[tuple[str, str], ...] = ()


def derived_id(*parts: str) -> str:
    """A stable UUID string for the given name parts."""
    return str(uuid.uuid5(ID_NAMESPACE, "\x1f".join(parts)))


def derived_ids(owner: str, role: str, texts: Iterable[str]) -> list[str]:
    """Stable ids for sub-items (choices, prompts) from their text; repeats get a suffix."""
    ids, seen = [], set()
    for text in texts:
        item_id, count = derived_id(owner, role, text), 1
        while item_id in seen:
            count += 1
            item_id = derived_id(owner, role, text, str(count))
        seen.add(item_id)
        ids.append(item_id)
    return ids


def decode(data: str | bytes, issue: type[ImportIssue]) -> str:
    """Text from a str or UTF-8 bytes (with or without BOM), newlines made ``\\n``."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ImportErrors([issue(line, "the file is not UTF-8 text")]) from None
    return data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
