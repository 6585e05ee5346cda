"""Cohort exports built in the background. Re-exported by cohorts.api.

A request only records what the manager asked for (``request_export``: the cohort, or
one course in it, the format and the dashboard's filters) and queues ``run_export``
through django-tasks. The task reads the rows of ``cohorts.exports`` in chunks, counts
``rows_done`` as it goes (the status page shows a progress bar), writes the file under
a temporary name in the private export directory and renames it into place, so a
half-written file is never offered. Files are deleted ``ALLELE_COHORT_EXPORT_DAYS`` after
they were built (``purge_expired_exports``, run by ``manage.py purge_cohort_exports``).

Idempotency lives in the data: one queued or running export per fingerprint (who asked,
the cohort, the course, the format and the filters) is a unique constraint, and the
request takes a lock on the cohort row, so a double click, a retried request or
concurrent requests get the same export; a finished one is reused for a few minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
import time

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts import conf, exports
from cohorts.membership import CohortError
from cohorts.models import Cohort, CohortExport, export_file_name
from cohorts.reports import NO_FILTERS, ReportFilters, cohort_courses, cohort_enrollments
from lms.core.api import AuditAction, record_audit
from lms.core.models import User

logger = logging.getLogger(__name__)

Status = CohortExport.Status

__all__ = ["ExportError", "filters_from_json", "filters_to_json", "purge_expired_exports",
           "request_export", "run_export"]


class ExportError(Exception):
    """A reason the export cannot be built that the manager can act on."""


def filters_to_json(filters: ReportFilters) -> dict:
    return {"country": filters.country, "profession": filters.profession,
            "dates_of": filters.dates_of,
            "start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None}


def filters_from_json(data: dict) -> ReportFilters:
    def day(value):
        return dt.date.fromisoformat(value) if value else None

    return ReportFilters(country=data.get("country") or "",
                         profession=data.get("profession") or "",
                         dates_of=data.get("dates_of") or "enrolled",
                         start=day(data.get("start")), end=day(data.get("end")))


def _fingerprint(*, user: User, cohort: Cohort, fmt: str, course_id: int | None,
                 filters: dict) -> str:
    key = json.dumps({"user": user.pk, "cohort": cohort.pk, "format": fmt,
                      "course": course_id, "filters": filters}, sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()


def _reusable(fingerprint: str, now: dt.datetime) -> CohortExport | None:
    """The export a repeated request gets: one queued or running, or one finished in
    the last few minutes whose file is still there."""
    recent = Q(status=Status.DONE, finished_at__gte=now - conf.EXPORT_REUSE_WINDOW,
               expires_at__gt=now) & ~Q(file="")
    active = Q(status__in=(Status.QUEUED, Status.RUNNING))
    return (CohortExport.objects.filter(active | recent, fingerprint=fingerprint)
            .order_by("-created_at", "-pk").first())


def _give_up_stale(fingerprint: str, now: dt.datetime) -> None:
    """A running export whose worker died long ago no longer blocks a new one."""
    CohortExport.objects.filter(
        fingerprint=fingerprint, status__in=(Status.QUEUED, Status.RUNNING),
        created_at__lt=now - conf.EXPORT_STALE_AFTER,
    ).update(status=Status.FAILED, finished_at=now,
             error=_("The export stopped without finishing. Export again."))


def request_export(*, requested_by: User, cohort: Cohort, fmt: str, course=None,
                   filters: ReportFilters = NO_FILTERS) -> CohortExport:
    """Record an export and queue it; a repeat of the same request returns the same one.

    The caller (cohorts.api.request_export) has checked that ``requested_by`` may see
    ``cohort``. Raises CohortError for an unknown format or a course not assigned to it.
    """
    if fmt not in exports.FORMATS:
        raise CohortError(_("Exports are made as CSV or XLSX."), code="bad_format")
    if course is not None and not cohort.courses.filter(pk=course.pk).exists():
        raise CohortError(_("That course is not assigned to this cohort."), code="bad_course")
    stored = filters_to_json(filters)
    course_id = course.pk if course is not None else None
    fingerprint = _fingerprint(user=requested_by, cohort=cohort, fmt=fmt,
                               course_id=course_id, filters=stored)
    try:
        with transaction.atomic():
            Cohort.objects.select_for_update().filter(pk=cohort.pk).first()  # one at a time
            now = timezone.now()
            _give_up_stale(fingerprint, now)
            if (existing := _reusable(fingerprint, now)) is not None:
                return existing
            export = CohortExport.objects.create(
                cohort=cohort, requested_by=requested_by, format=fmt, course_id=course_id,
                filters=stored, fingerprint=fingerprint,
                expires_at=now + conf.export_keep_for())
            record_audit(actor=requested_by, action=AuditAction.EXPORT_MADE, target=export,
                         summary=f"Cohort {cohort.name} as {fmt.upper()}",
                         details={"kind": "cohort_report", "cohort_id": cohort.pk,
                                  "format": fmt, "course_id": course_id, "filters": stored})
            transaction.on_commit(lambda: _enqueue(export.pk))
    except IntegrityError:  # a concurrent request made it first (the unique constraint)
        return (_reusable(fingerprint, timezone.now())
                or CohortExport.objects.filter(fingerprint=fingerprint).latest("pk"))
    return export


def _enqueue(export_id: int) -> None:
    from cohorts.tasks import run_export_task

    run_export_task.enqueue(export_id)


def _claim(export_id: int) -> CohortExport | None:
    """Mark the export running; None if it is gone, done or failed (nothing to do: a
    failed export is final, the manager presses Export again for a new one). A running
    one is taken over: its worker died (a task is only run again after a crash)."""
    with transaction.atomic():
        export = (CohortExport.objects.select_for_update()
                  .filter(pk=export_id).select_related("cohort").first())
        if export is None or export.status not in (Status.QUEUED, Status.RUNNING):
            return None
        export.status, export.started_at = Status.RUNNING, timezone.now()
        export.rows_done, export.error = 0, ""
        export.save(update_fields=["status", "started_at", "rows_done", "error"])
    return export


def run_export(*, export_id: int) -> CohortExport | None:
    """Build the export's file (the django-tasks task calls this). Running it again once
    it is done or failed does nothing; a failure is recorded with a message."""
    export = _claim(export_id)
    if export is None:
        return CohortExport.objects.filter(pk=export_id).first()
    try:
        name, written = _build(export)
    except Exception as error:  # recorded for the manager; the traceback goes to the log
        logger.exception("Cohort export %s failed", export_id)
        message = str(error) if isinstance(error, ExportError) else _(
            "The export could not be finished (%(error)s). Export again; if it fails again, "
            "tell the site administrator.") % {"error": type(error).__name__}
        CohortExport.objects.filter(pk=export_id).update(
            status=Status.FAILED, error=message[:500], finished_at=timezone.now())
    else:
        now = timezone.now()
        CohortExport.objects.filter(pk=export_id).update(
            status=Status.DONE, file=name, rows_done=written, rows_total=written,
            finished_at=now, expires_at=now + conf.export_keep_for())
    export.refresh_from_db()
    return export


def _scope(export: CohortExport) -> list:
    courses = cohort_courses(cohort=export.cohort)
    if export.course_id is None:
        return courses
    chosen = [course for course in courses if course.pk == export.course_id]
    if not chosen:
        raise ExportError(_("That course is no longer assigned to this cohort."))
    return chosen


def _counted(export_id: int, data, every: int):
    """Pass the rows through, recording how many have been written every ``every`` rows."""
    for done, row in enumerate(data, start=1):
        yield row
        if done % every == 0:
            CohortExport.objects.filter(pk=export_id).update(rows_done=done)


class _Counter:
    def __init__(self, data):
        self.data, self.count = data, 0

    def __iter__(self):
        for row in self.data:
            self.count += 1
            yield row


def _build(export: CohortExport) -> tuple[str, int]:
    """Write the file to a private temporary file, then save it through the export storage
    (any Django storage: nothing here needs the final file on this worker's disk); returns
    its storage name and the number of rows written. The record names the file only once it
    is saved, so a download never sees a partial file."""
    courses = _scope(export)
    filters = filters_from_json(export.filters)
    total = cohort_enrollments(cohort=export.cohort, filters=filters,
                               course_ids=[course.pk for course in courses]).count()
    CohortExport.objects.filter(pk=export.pk).update(rows_total=total)
    data = _Counter(_counted(export.pk, exports.rows(
        cohort=export.cohort, courses=courses, filters=filters), conf.EXPORT_PROGRESS_EVERY))
    storage = export.file.storage
    with tempfile.TemporaryFile() as output:
        if export.format == CohortExport.Format.CSV:
            for line in exports.csv_lines(iter(data)):
                output.write(line.encode("utf-8"))
        else:
            exports.write_xlsx(iter(data), output)
        output.seek(0)
        name = storage.save(export_file_name(export, ""), File(output))
    return name, data.count


def purge_expired_exports(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their ``expires_at`` (the records stay, so the
    dashboard can say the file has expired) and temporary files a crashed worker left
    behind a day ago. Returns the number of export files deleted."""
    now = now or timezone.now()
    deleted = 0
    for export in CohortExport.objects.filter(expires_at__lte=now).exclude(file=""):
        export.file.delete(save=False)
        CohortExport.objects.filter(pk=export.pk).update(file="")
        deleted += 1
    directory = conf.export_dir()
    if directory.is_dir():
        for leftover in directory.rglob(".*.part"):
            if leftover.stat().st_mtime < time.time() - 86400:
                leftover.unlink(missing_ok=True)
    return deleted
