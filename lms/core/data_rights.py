"""A learner's rights over her data: download everything Allele holds about her, and delete
her account. Re-exported by ``lms.core.api``; the views are in lms/core/data_views.py and the
decision is ADR 0012.

Export: ``request_data_export`` records a ``DataExport`` and queues ``run_data_export``
(django-tasks, like cohort exports). The task gathers every app's declared export
(``lms.core.personal_data``), writes one zip (``data.json`` with every table, and one CSV per
table) and saves it through the private storage; the file is deleted ``ALLELE_DATA_EXPORT_DAYS``
(default 7) after it was built (``purge_expired_data_exports``, run by ``manage.py
purge_data_exports``). One queued or running export per learner is a unique constraint, and
the request locks her account row, so a double click, a retry or concurrent requests get the
same export; one finished in the last few minutes is reused.

Deletion: ``delete_account`` runs every app's erase and deletes the account row in one
transaction, recorded in the audit trail; running it again for an account already gone does
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import tempfile
import uuid
import zipfile
from typing import Any

import environ
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.audit import (
    AuditAction,
    AuditOrigin,
    AuditTarget,
    current_request,
    origin_of,
    record_audit,
)
from lms.core.models import DataExport, User
from lms.core.personal_data import erase_personal_data, export_personal_data
from lms.core.spreadsheets import neutralise_formula

logger = logging.getLogger(__name__)

Status = DataExport.Status

__all__ = ["delete_account", "downloadable_data_export", "keep_for", "list_data_exports",
           "privacy_contact", "purge_expired_data_exports", "request_data_export",
           "run_data_export"]

REUSE_WINDOW = dt.timedelta(minutes=10)
STALE_AFTER = dt.timedelta(hours=2)


def _setting(name: str, default: str) -> str:
    """A Django setting wins over the environment (lms/settings.py has loaded ``.env``)."""
    value = getattr(settings, name, None)
    return str(value) if value is not None else environ.Env()(name, default=default)


def keep_for() -> dt.timedelta:
    """``ALLELE_DATA_EXPORT_DAYS`` (default 7): how long an export's file is kept."""
    return dt.timedelta(days=max(1, int(_setting("ALLELE_DATA_EXPORT_DAYS", "7"))))


def privacy_contact() -> str:
    """``ALLELE_PRIVACY_CONTACT``: the e-mail address the privacy page gives for questions
    about personal data (empty: the page says to write to the organisation running the site)."""
    return _setting("ALLELE_PRIVACY_CONTACT", "")


def list_data_exports(*, user: User) -> list[DataExport]:
    """Her exports, newest first (the "Your data" page)."""
    return list(DataExport.objects.filter(user=user).order_by("-created_at", "-pk")[:20])


def downloadable_data_export(*, user: User, export_id: int) -> DataExport | None:
    """Her finished export whose file is still kept; None for anyone else's, or none."""
    return (DataExport.objects
            .filter(pk=export_id, user=user, status=Status.DONE, expires_at__gt=timezone.now())
            .exclude(file="").first())


def request_data_export(*, user: User, request: HttpRequest | None = None) -> DataExport:
    """Record an export of everything about ``user`` and queue it; a repeat while one is
    queued or running, or within a few minutes of one finishing, returns that one."""
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()  # one at a time
            now = timezone.now()
            _give_up_stale(user, now)
            if (existing := _reusable(user, now)) is not None:
                return existing
            data_export = DataExport.objects.create(
                user=user, expires_at=now + keep_for(), origin=origin_of(request).as_dict())
            transaction.on_commit(lambda: _enqueue(data_export.pk))
    except IntegrityError:  # a concurrent request made it first (the unique constraint)
        return _reusable(user, timezone.now()) or DataExport.objects.filter(user=user).latest("pk")
    return data_export


def _reusable(user: User, now: dt.datetime) -> DataExport | None:
    for candidate in DataExport.objects.filter(user=user).order_by("-created_at", "-pk")[:3]:
        if candidate.status in (Status.QUEUED, Status.RUNNING):
            return candidate
        if (candidate.status == Status.DONE and candidate.file and candidate.finished_at
                and candidate.finished_at >= now - REUSE_WINDOW and candidate.expires_at > now):
            return candidate
    return None


def _give_up_stale(user: User, now: dt.datetime) -> None:
    """An export whose worker died long ago no longer blocks a new one."""
    DataExport.objects.filter(
        user=user, status__in=(Status.QUEUED, Status.RUNNING), created_at__lt=now - STALE_AFTER,
    ).update(status=Status.FAILED, finished_at=now,
             error=_("The export stopped without finishing. Ask for a new one."))


def _enqueue(export_id: int) -> None:
    from lms.core.tasks import run_data_export_task

    run_data_export_task.enqueue(export_id)


def _claim(export_id: int) -> DataExport | None:
    with transaction.atomic():
        data_export = (DataExport.objects.select_for_update()
                       .filter(pk=export_id).select_related("user").first())
        if data_export is None or data_export.status not in (Status.QUEUED, Status.RUNNING):
            return None
        data_export.status, data_export.started_at, data_export.error = (
            Status.RUNNING, timezone.now(), "")
        data_export.save(update_fields=["status", "started_at", "error"])
    return data_export


def run_data_export(*, export_id: int) -> DataExport | None:
    """Build the export's zip (the django-tasks task calls this). Running it again once it is
    done or failed does nothing; a failure is recorded with a message."""
    data_export = _claim(export_id)
    if data_export is None:
        return DataExport.objects.filter(pk=export_id).first()
    try:
        name, size = _build(data_export)
    except Exception as error:  # recorded for the learner; the traceback goes to the log
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            status=Status.FAILED, finished_at=timezone.now(), error=_(
                "The export could not be finished (%(error)s). Ask for a new one; if it fails "
                "again, write to us.") % {"error": type(error).__name__})
    else:
        _finish(data_export, name, size)
    data_export.refresh_from_db()
    return data_export


def _finish(data_export: DataExport, name: str, size: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        DataExport.objects.filter(pk=data_export.pk).update(
            status=Status.DONE, file=name, size=size, finished_at=now,
            expires_at=now + keep_for())
        record_audit(actor=data_export.user, action=AuditAction.DATA_EXPORTED,
                     target=data_export, subject=data_export.user,
                     summary=_("Personal data export built"), details={"bytes": size},
                     origin=AuditOrigin.from_dict(data_export.origin))


def _build(data_export: DataExport) -> tuple[str, int]:
    """Write the zip to a private temporary file, then save it through the storage."""
    tables = export_personal_data(user=data_export.user)
    document = {"generated_at": timezone.now().isoformat(), "account_id": data_export.user_id,
                "tables": tables}
    storage = data_export.file.storage
    with tempfile.TemporaryFile() as output:
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
            for table, rows in tables.items():
                archive.writestr(f"{table}.csv", csv_text(rows))
        size = output.tell()
        output.seek(0)
        name = storage.save(f"{uuid.uuid4().hex}.zip", File(output))
    return name, size


def csv_text(rows: list[dict[str, Any]]) -> str:
    """One table as CSV: a column per key (in first-seen order), nested values as JSON, text
    that a spreadsheet would run as a formula made inert (lms.core.spreadsheets)."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise_formula(str(value))


def purge_expired_data_exports(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their ``expires_at`` (the records stay, so the page
    can say the file has expired). Returns the number of files deleted."""
    now = now or timezone.now()
    deleted = 0
    for data_export in DataExport.objects.filter(expires_at__lte=now).exclude(file=""):
        data_export.file.delete(save=False)
        DataExport.objects.filter(pk=data_export.pk).update(file="")
        deleted += 1
    return deleted


@receiver(post_delete, sender=DataExport, dispatch_uid="data_export_file_goes_with_it")
def _delete_file_with_record(sender, instance: DataExport, **kwargs) -> None:
    """However an export's record goes (her account deleted here or in the Wagtail or
    Django admin), its zip goes too, once that transaction commits."""
    instance.delete_file_on_commit()


def delete_account(*, user: User, request: HttpRequest | None = None) -> bool:
    """Erase everything Allele holds about ``user`` (every app's declared erase) and delete
    the account, in one transaction, recorded in the audit trail. What is kept is what the
    declarations say (a certificate as issued, so that it can still be verified). False when
    the account is already gone (a double submit): nothing more happens."""
    with transaction.atomic():
        account = User.objects.select_for_update().filter(pk=user.pk).first()
        if account is None:
            return False
        record_audit(actor=account, action=AuditAction.ACCOUNT_DELETED,
                     target=_account_target(account),
                     summary=_("Account deleted by its holder"), request=request)
        erase_personal_data(user=account)
        account._allele_deletion_recorded = True
        account.delete()
    return True


def _account_target(account: User) -> AuditTarget:
    return AuditTarget(type="core.user", id=str(account.pk),
                       label=_("account %(number)s") % {"number": account.pk})


@receiver(pre_delete, sender=User, dispatch_uid="account_deletion_recorded")
def _record_deletion_elsewhere(sender, instance: User, **kwargs) -> None:
    """An account deleted in the Wagtail or Django user admin (or from a shell) is recorded
    too, in the deleting transaction, naming whoever is signed in to the request (``None``,
    the system, outside one). ``delete_account`` records its own, with the holder as actor."""
    if getattr(instance, "_allele_deletion_recorded", False):
        return
    request = current_request()
    actor = getattr(request, "user", None)
    actor = actor if actor is not None and actor.is_authenticated else None
    record_audit(actor=actor, action=AuditAction.ACCOUNT_DELETED,
                 target=_account_target(instance),
                 summary=_("Account deleted by an administrator") if actor is not None
                 else _("Account deleted by the system"), request=request)
