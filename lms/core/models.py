"""What the core owns: the user account, the learner profile, learning events, the audit
trail and learners' data exports.

The account (e-mail, password, verification) is django-allauth's business; the
profile holds what a clinician tells us about herself. Both are learner data,
kept in plain models.
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lms.core.storage import PrivateStorage


class User(AbstractUser):
    """A person who signs in. E-mail is the sign-in name (allauth keeps it verified)."""

    learning_state_version = models.PositiveBigIntegerField(
        default=0, editable=False,
        help_text="Bumped in the same transaction as any change to this learner's enrollments "
                  "or progress, so pages rendered from her state can be cached against it.",
    )

    class Meta:
        db_table = "core_user"


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    MIDWIFE = "midwife", _("Midwife")
    PHARMACIST = "pharmacist", _("Pharmacist")
    GENETIC_COUNSELLOR = "genetic_counsellor", _("Genetic counsellor")
    LABORATORY_SCIENTIST = "laboratory_scientist", _("Laboratory scientist")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


class LearnerProfile(models.Model):
    """Who the learner is, as she describes herself. Filled in at first sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("As you want it on your certificates, in your own script."),
    )
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    country = CountryField(_("country"))
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    lite_mode = models.BooleanField(
        _("lite mode: text links instead of images and video"),
        default=False,
        help_text=_("Pages show each image and video as a link with its size, and load "
                    "none of them until you choose. Your browser's data saver (Save-Data) "
                    "also turns this on."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner profile")

    def __str__(self) -> str:
        return self.full_name


class LearningEvent(models.Model):
    """One thing a learner did, recorded once, in one place.

    Progress, dashboards, certificates and exports (xAPI later) read these. Events
    that must happen at most once (a completion) carry an idempotency key, so a
    repeated or concurrent request finds the first event instead of adding another.
    """

    class Verb(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        UNENROLLED = "unenrolled", _("unenrolled")
        MODULE_VIEWED = "module_viewed", _("viewed a module")
        MODULE_COMPLETED = "module_completed", _("completed a module")
        COURSE_COMPLETED = "course_completed", _("completed a course")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_events"
    )
    verb = models.CharField(max_length=32, choices=Verb.choices)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The course or module the event is about."),
    )
    course = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+",
    )
    occurred_at = models.DateTimeField(db_index=True)
    context = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "occurred_at"]),
            models.Index(fields=["course", "verb"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.verb} {self.page_id}"


class AuditAction(models.TextChoices):
    """What an audit entry records. Labels are what a site administrator reads."""

    GRADE_OVERRIDDEN = "grade_overridden", _("Grade overridden")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    CERTIFICATE_REISSUED = "certificate_reissued", _("Certificate reissued")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    IMPORT_RUN = "import_run", _("Import run")
    EXPORT_MADE = "export_made", _("Export made")
    DATA_EXPORTED = "data_exported", _("Personal data exported")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")


class AuditEntryQuerySet(models.QuerySet):
    """The trail is append-only: bulk updates and deletes are refused in code (and, on
    PostgreSQL, by a trigger). Deleting a user still nulls ``actor``/``subject``: Django does
    that through the base manager, and the trigger allows exactly that change."""

    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One recorded action: who (actor), what (action, target, summary, details), when
    (occurred_at), from where (ip_address, user_agent), and whose data it concerns (subject).

    Written only by ``lms.core.audit.record_audit``, in the transaction of the change it
    records; never changed or deleted afterwards. ``actor_label`` and ``target_label`` are
    snapshots, so the entry still reads right after the account or object is gone.
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices,
                              db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=255, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_entries_about", verbose_name=_("whose data"),
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "occurred_at"]),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


@deconstructible
class DataExportStorage(PrivateStorage):
    """Learners' data exports: kept outside MEDIA_ROOT (ALLELE_DATA_EXPORT_DIR, default a
    ``data_exports`` folder beside it; the private object storage in the scale-out profile)
    and streamed only to their owner by lms.core.data_views: they hold everything about a
    learner."""

    kind = "data_exports"

    def local_dir(self) -> str:
        configured = getattr(settings, "ALLELE_DATA_EXPORT_DIR", None) or os.environ.get(
            "ALLELE_DATA_EXPORT_DIR", "")
        return str(configured or Path(settings.MEDIA_ROOT).parent / "data_exports")


class DataExport(models.Model):
    """One export of everything Allele holds about a learner, built in the background
    (lms.core.data_rights), and its zip while it is kept."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="data_exports")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="exports/", storage=DataExportStorage(), max_length=255,
                            blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    origin = models.JSONField(default=dict, blank=True,
                              help_text="Address and user agent of the request (audit trail).")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status__in=["queued", "running"]),
                name="data_export_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"data export {self.pk} of {self.user_id}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def delete_file_on_commit(self) -> None:
        """Delete the zip once the transaction deleting its record has committed."""
        name, storage = self.file.name, self.file.storage
        if name:
            transaction.on_commit(lambda: storage.delete(name))
