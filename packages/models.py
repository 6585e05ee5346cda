"""What packages owns: this site's identity, the map from a package's keys to the local
objects an import made, and the export and import jobs.

Everything else a package carries (pages, quizzes, questions, editorial snippets, media)
belongs to its own app and is written through that app's ``api``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.core.storage import PrivateStorage


class SiteIdentity(models.Model):
    """One row: the UUID that names this Allele site in the packages it exports."""

    site_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")

    def __str__(self) -> str:
        return str(self.site_id)


class ImportedObject(models.Model):
    """A package key (a page's translation key, a question's id, a file's SHA-256...) and
    the local object an import made or matched for it, so the next import updates it."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        QUESTION = "question", _("Question")
        QUIZ = "quiz", _("Quiz")
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")
        EDITORIAL = "editorial", _("Editorial item")

    source_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    local_id = models.CharField(max_length=64)
    first_imported_at = models.DateTimeField(auto_now_add=True)
    last_imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "source_key"],
                                               name="one_local_object_per_package_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_key} -> {self.local_id}"


class PackageStorage(PrivateStorage):
    """Package files are private (an export may hold unpublished drafts): they live outside
    MEDIA_ROOT, in ALLELE_PACKAGE_DIR (default: a ``packages`` folder beside MEDIA_ROOT) or
    the private object storage, and have no URL."""

    kind = "packages"

    def local_dir(self) -> str:
        from packages import conf

        return str(conf.package_dir())


def package_storage() -> PackageStorage:
    return PackageStorage()


class PackageJob(models.Model):
    """One export or import, run in the background; its page shows the outcome."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done."))
    message = models.TextField(blank=True)
    file = models.FileField(storage=package_storage, upload_to="jobs/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    course_id = models.PositiveIntegerField(null=True, blank=True, help_text=_(
        "The exported course, or the course an import created or updated."))
    domain_slug = models.CharField(max_length=64, blank=True)
    publish = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
