"""Safe spreadsheet exports: cells a spreadsheet would run as a formula are made text.

A learner controls her name, an educator a course title; exported as ``=HYPERLINK(...)``
or ``+cmd|...`` they would run when the file is opened (OWASP "CSV Injection").
Every export (progress reports, cohort reports) passes its text cells through
``neutralise_formula``. Imports store what they read verbatim.
"""

import unicodedata

__all__ = ["FORMULA_TRIGGERS", "neutralise_formula"]

# OWASP's trigger characters, with NUL (ASVS 5.0 V1.2.10) and line feed.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\x00")


def neutralise_formula(value: str) -> str:
    """``value`` with a leading single quote when a spreadsheet could read it as a formula.

    A cell is a formula risk when its first character, or its first after leading
    spaces, is a trigger, also in its full-width or small form (U+FF1D, U+FE66...).
    The quote is the only change, so a reader recovers the text by removing it.
    """
    stripped = value.lstrip(" ")
    if stripped and unicodedata.normalize("NFKC", stripped[0])[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value
