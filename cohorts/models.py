"""What cohorts owns: an institution's group of learners and the work done on it.

A cohort (name, organisation, country, managers, assigned courses, dates) and its
members are plain models: learner state, not authored content. ``CohortImport`` is
one CSV upload and the progress of its background validation and import;
``ReminderBatch`` and ``ReminderMessage`` record every reminder a manager sent;
``CohortExport`` is one CSV/XLSX export built in the background and its private file.
Other apps never write these; they go through ``cohorts.api``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cohorts import conf
from lms.core.storage import PrivateStorage

__all__ = ["Cohort", "CohortExport", "CohortImport", "CohortMembership", "Invitation",
           "ReminderBatch", "ReminderMessage"]


@deconstructible
class ImportStorage(PrivateStorage):
    """Uploaded CSV files, kept outside MEDIA_ROOT (ALLELE_COHORT_IMPORT_DIR, or the private
    object storage) and never served: they hold learners' personal data. Read only by the
    import task, which may run on another machine than the upload."""

    kind = "cohort_imports"

    def local_dir(self) -> str:
        return str(conf.import_dir())


def _import_file_name(instance, filename: str) -> str:
    return f"{uuid.uuid4().hex}.csv"  # the manager's file name is kept in original_name


class Cohort(models.Model):
    """A group of learners an institution trains together in some courses."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    country = CountryField(_("country"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_cohorts", blank=True,
        verbose_name=_("cohort managers"),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage", related_name="+", blank=True, verbose_name=_("assigned courses"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True) | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CohortMembership(models.Model):
    """A learner in a cohort. Removing her deletes this row only: her progress stays."""

    class Source(models.TextChoices):
        CSV = "csv", _("CSV import")
        MANUAL = "manual", _("Added by a manager")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.cohort_id}"


class CohortImport(models.Model):
    """One uploaded CSV file, validated whole and then imported in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        VALIDATING = "validating", _("Checking the file")
        INVALID = "invalid", _("Not imported: the file has errors")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=_import_file_name, storage=ImportStorage(),
                            max_length=255)
    sha256 = models.CharField(max_length=64, help_text=_("Of the uploaded bytes."))
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text='[{"row": n, "column": c, "message": m}]'
    )
    options = models.JSONField(
        default=dict, blank=True,
        help_text=_("The manager's choices for the whole file: default profession and country."),
    )
    notes = models.JSONField(
        default=list, blank=True, help_text=_("Warnings, e.g. ignored columns.")
    )
    created_users = models.PositiveIntegerField(default=0)
    matched_users = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class Invitation(models.Model):
    """The one invitation to set a password that an account made from a CSV file gets.

    One per account (the unique user): whichever import created the account owns the
    invitation, so a re-upload or a concurrent import of the same people sends nothing
    twice. ``accepted_at`` is set when she has set her password from the link.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_invitation"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    cohort_import = models.ForeignKey(
        CohortImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation of {self.user_id}"


class ReminderBatch(models.Model):
    """One "send a reminder" a manager asked for: who, to which group, with what text."""

    class Kind(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        BEHIND = "behind", _("Behind")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reminder_batches")
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Empty: every course assigned to the cohort."),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.cohort_id}"


class ReminderMessage(models.Model):
    """One reminder e-mail to one learner about one course, scheduled, then sent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(ReminderBatch, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_reminders"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderBatch.Kind.choices)
    scheduled_for = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "course", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user_id} about {self.course_id}"


@deconstructible
class ExportStorage(PrivateStorage):
    """Built cohort exports, kept outside MEDIA_ROOT (ALLELE_COHORT_EXPORT_DIR, or the private
    object storage) and served only by the permission-checked download view: they hold
    learners' personal data."""

    kind = "cohort_exports"

    def local_dir(self) -> str:
        return str(conf.export_dir())


def export_file_name(instance, filename: str) -> str:
    return f"{uuid.uuid4().hex}.{instance.format}"  # the download names it for the manager


class CohortExport(models.Model):
    """One export a manager asked for (the cohort or one course in it, a format, the
    dashboard's filters), built in the background, and its file while it is kept."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=4, choices=Format.choices)
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text=_("Empty: every course assigned to the cohort."),
    )
    filters = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(
        max_length=64, help_text=_("Of who asked, the cohort, course, format and filters."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_file_name, storage=ExportStorage(),
                            max_length=255, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["fingerprint", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"], condition=models.Q(status__in=["queued", "running"]),
                name="cohort_export_one_active_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.format} export {self.pk} of {self.cohort_id}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def is_available(self, *, now) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and self.expires_at > now

    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.rows_done * 100 // self.rows_total)

    def download_name(self) -> str:
        scope = f"-course-{self.course_id}" if self.course_id else ""
        return f"cohort-{self.cohort_id}{scope}-{self.created_at:%Y-%m-%d}.{self.format}"

    @property
    def content_type(self) -> str:
        if self.format == self.Format.XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "text/csv; charset=utf-8"
