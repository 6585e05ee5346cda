"""A cohort's per-enrollment rows as CSV or XLSX, with the dashboard's filters.

One row per learner and course (``learner_reports.enrollment_rows``): who she is, where
she stands, her scores and her certificate. Text cells pass through
``lms.core.spreadsheets.neutralise_formula`` (a name such as ``=HYPERLINK(...)`` gets a
leading quote) and XLSX cells that openpyxl would read as a formula are stored as text,
as the learner progress export does. Rows are read with a database iterator in chunks,
so a 100,000-row export streams in constant memory.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from cohorts.learner_reports import enrollment_rows, module_totals
from cohorts.models import Cohort
from cohorts.reports import NO_FILTERS, ReportFilters
from lms.core.models import Profession
from lms.core.spreadsheets import neutralise_formula

__all__ = ["FORMATS", "csv_lines", "export_filename", "headings", "rows", "write_xlsx"]

FORMATS = ("csv", "xlsx")
CHUNK = 2000
_PROFESSIONS = dict(Profession.choices)


def headings() -> list[str]:
    return [
        _("Learner"), _("E-mail"), _("Profession"), _("Country"), _("Institution"),
        _("Course"), _("Enrolled at"), _("Status"), _("Modules completed"), _("Modules"),
        _("Completed at"), _("Days to complete"), _("Last activity"),
        _("Best final assessment (%)"), _("Pre-test, first attempt (%)"),
        _("Final assessment, first attempt (%)"), _("Certificate"), _("Certificate issued"),
    ]


def _status(row) -> str:
    if row.completed_at:
        return _("Completed")
    if not row.is_active:
        return _("Left")
    return _("In progress") if row.last_activity else _("Not started")


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _days(row) -> float | None:
    if not row.completed_at:
        return None
    return round((row.completed_at - row.enrolled_at).total_seconds() / 86400, 1)


def _cells(row, totals: dict[int, int]) -> list:
    return [
        row.learner_name, row.learner_email,
        str(_PROFESSIONS.get(row.learner_profession, row.learner_profession or "")),
        str(countries.name(row.learner_country)) if row.learner_country else "",
        row.learner_institution or "", row.course_title, row.enrolled_at, _status(row),
        row.modules_done, totals.get(row.course_id, 0), row.completed_at, _days(row),
        row.last_activity, _number(row.best_score), _number(row.pre_score),
        _number(row.post_score), row.certificate_tier or "", row.certificate_issued_at,
    ]


def rows(*, cohort: Cohort, courses: list, filters: ReportFilters = NO_FILTERS
         ) -> Iterator[list]:
    """The export's data rows (no heading), text neutralised, times as aware datetimes."""
    totals = module_totals(courses=courses)
    queryset = enrollment_rows(cohort=cohort, courses=courses, filters=filters)
    for row in queryset.iterator(chunk_size=CHUNK):
        yield [neutralise_formula(cell) if isinstance(cell, str) else cell
               for cell in _cells(row, totals)]


def _csv_value(value) -> object:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return "" if value is None else value


class _Line:
    """A file-like object whose write returns what was written (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(data: Iterator[list]) -> Iterator[str]:
    """The CSV text, line by line (UTF-8 with a BOM so spreadsheets read the scripts)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(headings())
    for row in data:
        yield writer.writerow([_csv_value(value) for value in row])


def write_xlsx(data: Iterator[list], output: IO[bytes]) -> None:
    """An XLSX workbook of the rows, written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Learners"))
    sheet.append(headings())
    for row in data:
        cells = []
        for value in row:
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            if cell.data_type == "f":  # never a formula: what a learner typed stays text
                cell.data_type = "s"
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    book.save(output)


def export_filename(*, cohort: Cohort, fmt: str) -> str:
    return f"cohort-{cohort.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
