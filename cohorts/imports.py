"""Bulk enrollment from a CSV file, in the background. Re-exported by cohorts.api.

The request only stores the upload (``start_import``) and queues ``run_import``. That
task checks the WHOLE file first (``cohorts.csv_import``) and writes nothing unless
every row is valid; then it imports the rows in batches, each batch in one
transaction, updating ``processed_rows`` so the manager can watch the progress bar.
Everything it writes is idempotent in the data (usernames, one membership, one
enrollment and one invitation per learner), so re-uploading a file or running two
overlapping imports at once creates nobody twice and sends no invitation twice.
A failed import (e.g. the database went away half way) can simply be run again.
"""

import hashlib
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts import conf
from cohorts.csv_import import (
    CheckedRow,
    FileError,
    Header,
    ImportOptions,
    Person,
    check_file,
)
from cohorts.membership import CohortError, enroll_members
from cohorts.models import Cohort, CohortImport, CohortMembership, Invitation
from lms.core.api import (
    AuditAction,
    NewLearner,
    create_invited_learners,
    create_missing_profiles,
    find_users_by_email,
    record_audit,
)
from lms.core.models import User

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_ERRORS = 5000
Status = CohortImport.Status


def start_import(
    *, cohort: Cohort, uploaded_by: User, upload: UploadedFile, idempotency_key: str,
    default_profession: str = "", default_country: str = "",
) -> CohortImport:
    """Store the upload and queue its import; returns the CohortImport to watch.

    ``idempotency_key`` comes from the upload form: submitting the same form twice
    (a double click, a retried request) returns the first import instead of a second.
    """
    if upload.size > conf.import_max_bytes():
        raise CohortError(_("The file is larger than %(mb)d MB; split it into smaller files.")
                          % {"mb": conf.import_max_bytes() // (1024 * 1024)}, code="too_big")
    existing = CohortImport.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_cohort(existing, cohort)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    try:
        with transaction.atomic():
            cohort_import = CohortImport.objects.create(
                cohort=cohort, uploaded_by=uploaded_by, original_name=upload.name[:255],
                file=upload, sha256=digest.hexdigest(), idempotency_key=idempotency_key,
                options={"default_profession": default_profession,
                         "default_country": default_country},
            )
            record_audit(actor=uploaded_by, action=AuditAction.IMPORT_RUN, target=cohort_import,
                         summary=f"Cohort CSV {cohort_import.original_name} into {cohort.name}",
                         details={"kind": "cohort_csv", "cohort_id": cohort.pk,
                                  "file": cohort_import.original_name,
                                  "sha256": cohort_import.sha256})
            transaction.on_commit(lambda: _enqueue(cohort_import.pk))
    except IntegrityError:  # the same form submitted twice at once
        return _same_cohort(CohortImport.objects.get(idempotency_key=idempotency_key), cohort)
    return cohort_import


def _same_cohort(cohort_import: CohortImport, cohort: Cohort) -> CohortImport:
    if cohort_import.cohort_id != cohort.pk:
        raise CohortError(_("This upload form was already used; reload the page."),
                          code="reused_form")
    return cohort_import


def _enqueue(import_id: int) -> None:
    from cohorts.tasks import run_import_task

    run_import_task.enqueue(import_id)


def retry_import(*, cohort_import: CohortImport) -> bool:
    """Queue a failed import again (it completes what is missing); False if not failed."""
    if cohort_import.status != Status.FAILED:
        return False
    _enqueue(cohort_import.pk)
    return True


def run_import(*, import_id: int) -> CohortImport | None:
    """Validate, then (if valid) import one upload. Once it is done (or invalid) a second
    call does nothing; a failed one runs again, and so does one left validating or
    importing: its task only runs again when its worker died (``requeue_stuck_tasks``),
    and a rerun adds and invites nobody twice."""
    claimed = CohortImport.objects.filter(
        pk=import_id, status__in=(Status.PENDING, Status.FAILED, Status.VALIDATING,
                                  Status.IMPORTING),
    ).update(status=Status.VALIDATING, processed_rows=0, errors=[], notes=[])
    if not claimed:
        return None
    cohort_import = CohortImport.objects.select_related("cohort").get(pk=import_id)
    try:
        if _validate(cohort_import):
            _import(cohort_import)
    except Exception:
        logger.exception("Cohort import %s failed", import_id)
        _finish(cohort_import, Status.FAILED, errors=[{
            "row": 0, "column": "",
            "message": _("The import stopped because of an error on the server. The rows "
                         "imported so far stay; run it again to finish it (nobody is "
                         "added or invited twice), or ask a site administrator."),
        }])
        raise
    return cohort_import


def options_of(cohort_import: CohortImport) -> ImportOptions:
    return ImportOptions(default_profession=cohort_import.options.get("default_profession", ""),
                         default_country=cohort_import.options.get("default_country", ""),
                         max_rows=conf.import_max_rows())


def _validate(cohort_import: CohortImport) -> bool:
    """Check every row; record the errors and notes. True when the file may be imported."""
    errors, notes, rows = [], [], 0
    try:
        with cohort_import.file.open("rb") as stream:
            for item in check_file(stream, options_of(cohort_import)):
                rows += _collect(item, errors, notes)
                if rows and rows % conf.PROGRESS_EVERY == 0 and isinstance(item, CheckedRow):
                    _progress(cohort_import, rows)
    except FileError as problem:
        errors = [{"row": 0, "column": "", "message": str(problem)}]
    if not rows and not errors:
        errors = [{"row": 0, "column": "", "message": _("The file has no rows after the "
                                                        "header.")}]
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        errors = [*errors[:MAX_ERRORS], {"row": 0, "column": "", "message": _(
            "… and %(more)d more errors.") % {"more": more}}]
    if len(notes) > 50:
        notes = [*notes[:50], _("… and %(more)d more notes.") % {"more": len(notes) - 50}]
    cohort_import.total_rows, cohort_import.notes = rows, notes
    if errors:
        _finish(cohort_import, Status.INVALID, errors=errors)
        return False
    return True


def _collect(item: Header | CheckedRow, errors: list, notes: list) -> int:
    errors.extend(item.errors)
    notes.extend(item.notes)
    return 1 if isinstance(item, CheckedRow) else 0


def _progress(cohort_import: CohortImport, rows: int) -> None:
    CohortImport.objects.filter(pk=cohort_import.pk).update(processed_rows=rows)


def _import(cohort_import: CohortImport) -> None:
    CohortImport.objects.filter(pk=cohort_import.pk).update(
        status=Status.IMPORTING, processed_rows=0, total_rows=cohort_import.total_rows,
        notes=cohort_import.notes,
    )
    batch: list[Person] = []
    with cohort_import.file.open("rb") as stream:
        for item in check_file(stream, options_of(cohort_import)):
            if isinstance(item, CheckedRow) and item.person is not None:
                batch.append(item.person)
            if len(batch) >= BATCH_SIZE:
                _import_batch(cohort_import, batch)
                batch = []
    if batch:
        _import_batch(cohort_import, batch)
    from cohorts.tasks import send_invitations_task

    transaction.on_commit(lambda: send_invitations_task.enqueue(cohort_import.pk))
    created = Invitation.objects.filter(cohort_import=cohort_import).count()
    CohortImport.objects.filter(pk=cohort_import.pk).update(
        created_users=created, matched_users=cohort_import.total_rows - created,
    )
    _finish(cohort_import, Status.DONE, errors=[])


def _import_batch(cohort_import: CohortImport, people: list[Person]) -> None:
    """One transaction: accounts for new people (with an invitation each), profiles for
    existing accounts without one, memberships and enrollments."""
    cohort = cohort_import.cohort
    learners = {p.email: NewLearner(email=p.email, full_name=p.full_name,
                                    profession=p.profession, country=p.country,
                                    institution=p.institution) for p in people}
    with transaction.atomic():
        existing = find_users_by_email(emails=list(learners))
        created = create_invited_learners(
            people=[learner for email, learner in learners.items() if email not in existing])
        create_missing_profiles(people=[learners[email] for email in existing], users=existing)
        users = {**created, **existing}
        # New accounts, and any made by an earlier run that never set a password.
        Invitation.objects.bulk_create(
            [Invitation(user=user, cohort=cohort, cohort_import=cohort_import)
             for user in users.values()
             if not user.has_usable_password() and user.last_login is None],
            ignore_conflicts=True)
        CohortMembership.objects.bulk_create(
            [CohortMembership(cohort=cohort, user=user, source=CohortMembership.Source.CSV)
             for user in users.values()], ignore_conflicts=True, batch_size=BATCH_SIZE)
        enrolled = enroll_members(cohort=cohort, user_ids=[user.pk for user in users.values()])
        CohortImport.objects.filter(pk=cohort_import.pk).update(
            processed_rows=F("processed_rows") + len(people), enrolled=F("enrolled") + enrolled,
        )


def _finish(cohort_import: CohortImport, status: str, *, errors: list) -> None:
    CohortImport.objects.filter(pk=cohort_import.pk).update(
        status=status, errors=errors, total_rows=cohort_import.total_rows,
        notes=cohort_import.notes, finished_at=timezone.now(),
    )
    cohort_import.refresh_from_db()
