"""The CSV files the Cohorts admin offers for download: an example file to fill in, and an
import's list of problems (cells neutralised, as in every export)."""

import csv
import io

from django.utils.translation import gettext as _

from lms.core.spreadsheets import neutralise_formula

EXAMPLE_ROWS = [
    ["email", "full_name", "profession", "country", "institution"],
    ["amina.yusuf@example.org", "Amina Yusuf", "nurse", "KE", "Kisumu County Hospital"],
    ["ravi.sharma@example.org", "रवि शर्मा", "Pharmacist", "India", ""],
    ["fatima.abdulrahman@example.org", "فاطمة عبد الرحمن", "physician", "NG", "AKTH Kano"],
]


def _write(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise_formula(str(cell)) for cell in row])
    return out.getvalue()


def example_csv() -> str:
    return _write(EXAMPLE_ROWS)


def errors_csv(errors: list[dict]) -> str:
    header = [_("row"), _("column"), _("problem")]
    return _write([header, *([error.get("row") or _("file"), error.get("column", ""),
                              error.get("message", "")] for error in errors)])
