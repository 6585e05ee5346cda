"""Packages' front door: export a course as a package, import one, and the jobs that do
both in the background.

``export_course_package`` writes the archive; ``import_course_package`` reads and checks
all of it first (``archive.read_package``, ``media.check_media``) and then writes
everything in one transaction through ``courses.api`` and ``assessments.api``, keeping
the map from the package's keys to local objects in ``ImportedObject``. If anything
fails, nothing is changed: the rows roll back and the media files it stored are deleted.
Admin views, tasks and management commands call only these functions.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import api as assessments_api
from courses import api as courses_api
from editorial import api as editorial_api
from lms.core.api import AuditAction, AuditTarget, record_audit
from lms.core.models import User
from lms.core.roles import Role
from packages import archive, media
from packages.archive import Package, PackageError
from packages.library import LibraryCollector
from packages.models import ImportedObject, PackageJob, SiteIdentity

__all__ = [
    "ImportSummary",
    "PackageError",
    "PackageJob",
    "export_course_package",
    "find_course",
    "get_job",
    "import_course_package",
    "list_jobs",
    "may_export",
    "may_import",
    "may_publish_on_import",
    "may_use_packages",
    "package_filename",
    "request_export",
    "request_import",
    "run_job",
    "site_identity",
]

logger = logging.getLogger(__name__)
PACKAGE_ROLES = (Role.EDUCATOR, Role.SITE_ADMINISTRATOR)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    course_id: int
    course_title: str
    created: bool
    modules: int
    quizzes: int
    questions: int
    media_created: int
    media_reused: int
    library_items: int
    modules_unpublished: list[str]
    published: bool

    def describe(self) -> str:
        """What the import did, for the job page (in the active language)."""
        counts = {"title": self.course_title, "modules": self.modules, "quizzes": self.quizzes,
                  "questions": self.questions, "items": self.library_items,
                  "new": self.media_created, "reused": self.media_reused}
        # One whole sentence per case, so each language can word it.
        if self.created and self.published:
            text = _("Created %(title)r published: %(modules)s modules, %(quizzes)s quizzes, "
                     "%(questions)s questions, %(items)s Library items, %(new)s new and "
                     "%(reused)s reused media files.")
        elif self.created:
            text = _("Created %(title)r as drafts awaiting review: %(modules)s modules, "
                     "%(quizzes)s quizzes, %(questions)s questions, %(items)s Library items, "
                     "%(new)s new and %(reused)s reused media files.")
        elif self.published:
            text = _("Updated %(title)r published: %(modules)s modules, %(quizzes)s quizzes, "
                     "%(questions)s questions, %(items)s Library items, %(new)s new and "
                     "%(reused)s reused media files.")
        else:
            text = _("Updated %(title)r as drafts awaiting review: %(modules)s modules, "
                     "%(quizzes)s quizzes, %(questions)s questions, %(items)s Library items, "
                     "%(new)s new and %(reused)s reused media files.")
        text %= counts
        if self.modules_unpublished:
            text += " " + _("Unpublished modules no longer in the package: %(titles)s.") % {
                "titles": ", ".join(self.modules_unpublished)}
        return text


def site_identity() -> str:
    """This site's id in the packages it exports (made on first use)."""
    identity = SiteIdentity.objects.order_by("pk").first()
    if identity is None:
        identity, _created = SiteIdentity.objects.get_or_create(pk=1)
    return str(identity.site_id)


def _allele_version() -> str:
    try:
        return version("allele")
    except PackageNotFoundError:
        return "unknown"


# --- Who may ---------------------------------------------------------------------------------


def may_use_packages(*, user: User) -> bool:
    """Superusers, site administrators and educators (each limited by page permissions)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name__in=PACKAGE_ROLES).exists()


def find_course(*, course_id: int):
    """The course (live or draft) with this id, or None: what an export starts from."""
    return courses_api.CoursePage.objects.filter(pk=course_id).first()


def may_export(*, user: User, course) -> bool:
    """A package holds drafts too, so exporting needs the right to edit the course."""
    return may_use_packages(user=user) and course.permissions_for_user(user).can_edit()


def may_import(*, user: User, domain) -> bool:
    return may_use_packages(user=user) and domain.permissions_for_user(user).can_add_subpage()


def may_publish_on_import(*, user: User, domain) -> bool:
    """Publishing skips clinical review, so only site administrators may ask for it."""
    if not may_import(user=user, domain=domain):
        return False
    is_admin = user.is_superuser or user.groups.filter(name=Role.SITE_ADMINISTRATOR).exists()
    return is_admin and domain.permissions_for_user(user).can_publish_subpage()


# --- Export ----------------------------------------------------------------------------------


def package_filename(course) -> str:
    return f"{course.slug}.allele.zip"


def export_course_package(*, course, out: BinaryIO) -> dict:
    """Write ``course`` (modules, quizzes, questions, media) to ``out`` as a package;
    returns its manifest."""
    site = site_identity()
    collector = media.MediaCollector()
    library = LibraryCollector(site_id=site,
                               image_key=lambda pk: collector.key_of("image", pk))

    def key_of(kind: str, pk: int) -> str | None:
        if kind.startswith("snippet:"):
            return library.key_of(kind.removeprefix("snippet:"), pk)
        return collector.key_of(kind, pk)

    course_data = courses_api.export_course_tree(course=course, key_of=key_of)
    page_keys = {course.pk: course_data["key"]}
    page_keys.update(_module_keys(course, course_data))
    content = {
        "course": course_data,
        "assessments": assessments_api.export_assessments(course=course, page_keys=page_keys,
                                                          site_id=site),
        "editorial": {"items": list(library.items.values())},
        "media": sorted(collector.entries.values(), key=lambda entry: entry["path"]),
    }
    return archive.write_package(out, content=content, media=collector.files,
                                 source_site=site, allele_version=_allele_version())


def _module_keys(course, course_data: dict) -> dict[int, str]:
    modules = courses_api.ModulePage.objects.child_of(course).order_by("path")
    keys = {f"page:{module.translation_key}": module.pk for module in modules}
    return {keys[m["key"]]: m["key"] for m in course_data["modules"] if m["key"] in keys}


# --- Import ----------------------------------------------------------------------------------


def _known(kind: str) -> dict[str, int]:
    return {row.source_key: int(row.local_id) for row in
            ImportedObject.objects.filter(kind=kind).only("source_key", "local_id")}


def _remember(kind: str, objects: dict[str, int]) -> None:
    for key, pk in objects.items():
        ImportedObject.objects.update_or_create(kind=kind, source_key=key,
                                                defaults={"local_id": str(pk)})


def read_and_check(source: BinaryIO) -> Package:
    """The package in ``source``, checked through; raises PackageError."""
    package = archive.read_package(source)
    media.check_media(package.content["media"], package.files)
    return package


def import_course_package(*, source: BinaryIO, domain_slug: str, publish: bool = False,
                          user: User | None = None, audit_source: str = "") -> ImportSummary:
    """Check the whole package, then create or update its course under the domain in one
    transaction. Raises PackageError (nothing changed) when it cannot be imported.

    With ``audit_source`` (what ran it: a command line), the audit trail records the import
    in that transaction; a job asked for on the web was recorded when it was asked for."""
    package = read_and_check(source)
    try:
        domain = courses_api.get_domain(slug=domain_slug)
    except courses_api.InterchangeError as error:
        raise PackageError(str(error)) from error
    site_identity()
    stored = media.MediaImport(known={})
    try:
        with transaction.atomic():
            # One import at a time: a second upload of the same package (a double click,
            # a retried job) waits here, then finds the first one's key map and updates.
            SiteIdentity.objects.select_for_update().order_by("pk").first()
            stored.known = {**_known("image"), **_known("document")}
            summary = _import(package, domain=domain, stored=stored, publish=publish,
                              user=user)
            if audit_source:
                record_audit(actor=user, action=AuditAction.IMPORT_RUN,
                             target=AuditTarget(type="packages.course_package",
                                                label=audit_source[:255]),
                             summary=f"Course package into {domain_slug}: {audit_source}",
                             details={"kind": "course_package", "domain": domain_slug,
                                      "publish": publish, "source": audit_source})
            return summary
    except (courses_api.InterchangeError, editorial_api.LibraryImportError) as error:
        stored.remove_written()
        raise PackageError(_("The package cannot be imported: %(error)s") % {"error": error}) from (
            error)
    except BaseException:
        stored.remove_written()
        raise


def _import(package: Package, *, domain, stored: media.MediaImport, publish: bool,
            user) -> ImportSummary:
    content = package.content
    own_site = package.source_site == site_identity()
    stored.store(content["media"], package.files, user=user)
    library = editorial_api.import_library_items(
        items=content.get("editorial", {}).get("items", []), known=_known("editorial"),
        own_site=own_site, local_image=lambda key: stored.local_of("image", key))

    def local_of(kind: str, key: str) -> int | None:
        if kind.startswith("snippet:"):
            return library.get(key) if key.startswith(kind.removeprefix("snippet:") + ":") else None
        return stored.local_of(kind, key)

    course = courses_api.import_course_tree(
        data=content["course"], domain=domain, known_pages=_known("page"),
        local_of=local_of, publish=publish, user=user)
    assessments = assessments_api.import_assessments(
        data=content["assessments"], pages=course.pages, known={
            **_known("question"), **_known("quiz")},
        own_site=own_site, publish=publish, user=user)
    _remember("page", course.pages)
    _remember("editorial", library)
    _remember("image", {k: v for k, v in stored.local.items() if k.startswith("image:")})
    _remember("document", {k: v for k, v in stored.local.items() if k.startswith("document:")})
    _remember("question", {k: v for k, v in assessments.objects.items()
                           if k.startswith("question:")})
    _remember("quiz", {k: v for k, v in assessments.objects.items() if k.startswith("quiz:")})
    return ImportSummary(
        course_id=course.course.pk, course_title=course.course.title, created=course.created,
        modules=len(content["course"]["modules"]), quizzes=assessments.quizzes,
        questions=assessments.questions, media_created=stored.created,
        media_reused=stored.reused, library_items=len(library),
        modules_unpublished=course.modules_unpublished, published=publish)


# --- Jobs ------------------------------------------------------------------------------------


def request_export(*, user: User, course) -> PackageJob:
    """Record an export job and queue it (the worker runs it)."""
    from packages import tasks

    with transaction.atomic():
        job = PackageJob.objects.create(kind=PackageJob.Kind.EXPORT, course_id=course.pk,
                                        created_by=user, original_name=package_filename(course))
        record_audit(actor=user, action=AuditAction.EXPORT_MADE, target=course,
                     summary=f"Course package of {course.title}",
                     details={"kind": "course_package", "job_id": job.pk,
                              "course_id": course.pk})
        language = translation.get_language()  # the job's message is worded in hers
        transaction.on_commit(lambda: tasks.run_package_job.enqueue(job.pk, language))
    return job


def request_import(*, user: User, upload, domain_slug: str, publish: bool) -> PackageJob:
    """Keep the uploaded file with a new import job and queue it."""
    from packages import tasks

    job = PackageJob(kind=PackageJob.Kind.IMPORT, created_by=user, domain_slug=domain_slug,
                     publish=publish, original_name=(upload.name or "package.zip")[:255])
    job.file.save("import.allele.zip", upload, save=False)
    with transaction.atomic():
        job.save()
        record_audit(actor=user, action=AuditAction.IMPORT_RUN, target=job,
                     summary=f"Course package {job.original_name} into {domain_slug}",
                     details={"kind": "course_package", "job_id": job.pk,
                              "domain": domain_slug, "publish": publish,
                              "file": job.original_name})
        language = translation.get_language()  # the job's message is worded in hers
        transaction.on_commit(lambda: tasks.run_package_job.enqueue(job.pk, language))
    return job


def _claim(job_id: int) -> PackageJob | None:
    """Mark a queued job running; None if another worker already took it (a retry)."""
    with transaction.atomic():
        job = PackageJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != PackageJob.Status.QUEUED:
            return None
        job.status, job.progress = PackageJob.Status.RUNNING, 10
        job.save(update_fields=["status", "progress"])
    return job


def _finish(job: PackageJob, *, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.progress = 100
    job.save()


def run_job(*, job_id: int, language: str | None = None) -> PackageJob | None:
    """Run a queued job once; its row says how it ended, in ``language`` (the one its
    requester was using; the site's default without one)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run_claimed(job_id)


def _run_claimed(job_id: int) -> PackageJob | None:
    job = _claim(job_id)
    if job is None:
        return None
    try:
        message = _run_export(job) if job.kind == PackageJob.Kind.EXPORT else _run_import(job)
    except PackageError as error:
        _finish(job, status=PackageJob.Status.FAILED, message=str(error))
    except Exception:
        logger.exception("Package job %s failed", job.pk)
        _finish(job, status=PackageJob.Status.FAILED,
                message=_("The job failed because of an error on this site; nothing was "
                          "changed. The administrators have the details in the server log."))
    else:
        _finish(job, status=PackageJob.Status.SUCCEEDED, message=message)
    return job


def _run_export(job: PackageJob) -> str:
    course = find_course(course_id=job.course_id)
    if course is None:
        raise PackageError(_("The course no longer exists."))
    buffer = io.BytesIO()
    manifest = export_course_package(course=course, out=buffer)
    job.original_name = package_filename(course)
    job.file.save(job.original_name, ContentFile(buffer.getvalue()), save=False)
    return _("Exported %(title)r: %(files)s media files, %(size)s.") % {
        "title": course.title, "files": len(manifest["files"]) - 1,
        "size": _("%s KB") % (buffer.tell() // 1024 + 1)}  # Django's own "%s KB"


def _run_import(job: PackageJob) -> str:
    """Import the uploaded package, then delete the upload (it may hold drafts, and the
    job's message keeps what happened)."""
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    finally:
        job.file.delete(save=False)
    summary = import_course_package(source=io.BytesIO(data), domain_slug=job.domain_slug,
                                    publish=job.publish, user=job.created_by)
    job.course_id = summary.course_id
    return summary.describe()


def get_job(*, user: User, job_id: int) -> PackageJob:
    """A job the user may see (her own; any for superusers and site administrators);
    raises PackageJob.DoesNotExist."""
    return list_jobs(user=user).get(pk=job_id)


def list_jobs(*, user: User):
    jobs = PackageJob.objects.select_related("created_by")
    if user.is_superuser or user.groups.filter(name=Role.SITE_ADMINISTRATOR).exists():
        return jobs
    return jobs.filter(created_by=user)
