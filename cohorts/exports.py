"""A cohort's per-enrollment rows as CSV or XLSX, with the dashboard's filters.

One row per learner and course (the columns of ``learner_reports.enrollment_rows``): who
she is, where she stands, her scores and her certificate. Text cells pass through
``lms.core.spreadsheets.neutralise_formula`` (a name such as ``=HYPERLINK(...)`` gets a
leading quote) and XLSX cells that openpyxl would read as a formula are stored as text,
as the learner progress export does. Rows come from one query read in chunks, so a
100,000-row export is written in constant memory. These functions only make the rows and
the file; ``cohorts.export_jobs`` runs them in the background (never in a request).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import IO

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from assessments import api as assessments_api
from certificates import api as certificates_api
from cohorts.learner_reports import learner_fields, module_totals
from cohorts.models import Cohort, CohortMembership
from cohorts.reports import NO_FILTERS, ReportFilters, cohort_enrollments
from courses import api as courses_api
from lms.core.models import Profession
from lms.core.spreadsheets import neutralise_formula

__all__ = ["FORMATS", "csv_lines", "headings", "rows", "write_xlsx"]

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


# The same columns as learner_reports.enrollment_rows, for every row at once: the filtered
# enrollments (the ORM's SQL) joined to per-learner-and-course aggregates of progress,
# attempts and certificates, each computed once in a hash aggregate. Per-row correlated
# subqueries took a hundred seconds for 100,000 rows; this takes a few.
_EXPORT_SQL = """
WITH e AS ({enrollments}),
members AS (SELECT user_id FROM {membership} WHERE cohort_id = %s),
progress AS (
    SELECT user_id, course_id,
           SUM(CASE WHEN completed_at IS NOT NULL AND module_id IN ({modules}) THEN 1 ELSE 0
               END) AS done,
           MAX(CASE WHEN completed_at IS NULL OR last_viewed_at > completed_at
                    THEN last_viewed_at ELSE completed_at END) AS latest
    FROM {progress} WHERE course_id IN ({courses}) AND user_id IN (SELECT user_id FROM members)
    GROUP BY user_id, course_id
),
scores AS (
    SELECT a.user_id, q.course_id,
           MAX(CASE WHEN NOT q.is_pretest THEN a.score_percent END) AS best,
           MIN(CASE WHEN q.is_pretest THEN a.number * 100000
                    + CAST(a.score_percent * 100 AS INTEGER) END) AS first_pre,
           MIN(CASE WHEN NOT q.is_pretest THEN a.number * 100000
                    + CAST(a.score_percent * 100 AS INTEGER) END) AS first_post
    FROM {attempt} a JOIN {quiz} q ON q.id = a.quiz_id
    WHERE a.state = %s AND q.course_id IN ({courses})
      AND (q.is_pretest = %s OR (q.is_final_assessment = %s AND a.is_pretest = %s))
      AND a.user_id IN (SELECT user_id FROM members)
    GROUP BY a.user_id, q.course_id
)
SELECT e.learner_name, e.learner_email, e.learner_profession, e.learner_country,
       e.learner_institution, e.course_id, e.course_title, e.enrolled_at, e.is_active,
       e.completed_at, COALESCE(p.done, 0), p.latest, s.best,
       (s.first_pre %% 100000) / 100.0, (s.first_post %% 100000) / 100.0, c.tier, c.issued_at
FROM e
LEFT JOIN progress p ON p.user_id = e.user_id AND p.course_id = e.course_id
LEFT JOIN scores s ON s.user_id = e.user_id AND s.course_id = e.course_id
LEFT JOIN {certificate} c ON c.user_id = e.user_id AND c.course_id = e.course_id
     AND c.superseded_at IS NULL AND c.revoked_at IS NULL
ORDER BY e.learner_name, e.course_title, e.id
"""
_FIELDS = ("learner_name", "learner_email", "learner_profession", "learner_country",
           "learner_institution", "course_id", "course_title", "enrolled_at", "is_active",
           "completed_at", "modules_done", "last_activity", "best_score", "pre_score",
           "post_score", "certificate_tier", "certificate_issued_at")


class _Row:
    """One exported enrollment, with the attribute names enrollment_rows gives."""

    def __init__(self, values):
        self.__dict__.update(zip(_FIELDS, values, strict=True))


def _query(cohort: Cohort, courses: list, filters: ReportFilters) -> tuple[str, list]:
    course_ids = [course.pk for course in courses]
    module_ids = [module.pk for course in courses
                  for module in courses_api.list_modules(course=course)] or [0]
    base = (cohort_enrollments(cohort=cohort, filters=filters, course_ids=course_ids)
            .annotate(**learner_fields(), course_title=F("course__title")).order_by()
            .values("id", "user_id", "course_id", "enrolled_at", "is_active", "completed_at",
                    "course_title", *learner_fields()))
    inner, params = base.query.sql_with_params()
    marks = ", ".join(["%s"] * len(course_ids))
    sql = _EXPORT_SQL.format(
        enrollments=inner, courses=marks, modules=", ".join(["%s"] * len(module_ids)),
        membership=CohortMembership._meta.db_table,
        progress=courses_api.ModuleProgress._meta.db_table,
        attempt=assessments_api.Attempt._meta.db_table,
        quiz=assessments_api.Quiz._meta.db_table,
        certificate=certificates_api.Certificate._meta.db_table)
    return sql, [*params, cohort.pk, *module_ids, *course_ids,
                 assessments_api.Attempt.State.SUBMITTED, *course_ids, True, True, False]


def _datetime(value):
    """SQLite hands back text for computed datetimes; PostgreSQL, datetimes."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def rows(*, cohort: Cohort, courses: list, filters: ReportFilters = NO_FILTERS
         ) -> Iterator[list]:
    """The export's data rows (no heading), text neutralised, times as aware datetimes,
    read in chunks from one query (a server-side cursor on PostgreSQL)."""
    if not courses:
        return
    totals = module_totals(courses=courses)
    sql, params = _query(cohort, courses, filters)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            for values in chunk:
                row = _Row(values)
                for name in ("enrolled_at", "completed_at", "last_activity",
                             "certificate_issued_at"):
                    setattr(row, name, _datetime(getattr(row, name)))
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
    try:
        sheet.append(headings())
        for row in data:
            sheet.append([_xlsx_cell(sheet, value, WriteOnlyCell) for value in row])
        book.save(output)
    except BaseException:
        if not sheet.closed:  # finish openpyxl's temporary sheet file rather than leak it
            sheet.close()
        raise


def _xlsx_cell(sheet, value, cell_class):
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    cell = cell_class(sheet, value=value)
    if cell.data_type == "f":  # never a formula: what a learner typed stays text
        cell.data_type = "s"
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell

