"""What courses owns: the authored catalog (pages, in pages.py) and each learner's
place in it: enrollments and module progress, kept as plain models.

``ModuleProgress`` is the summary row per learner and module (Kolibri's model); the
detail log is core's LearningEvent. Django discovers page models through this
module, so it re-exports them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.pages import (
    CompletionRule,
    CourseEducator,
    CourseLevel,
    CoursePage,
    DomainPage,
    HomePage,
    ModulePage,
    WorkingGroup,
)

__all__ = [
    "CatalogVersion",
    "CompletionRule",
    "CourseEducator",
    "CourseLevel",
    "CoursePage",
    "DomainPage",
    "Enrollment",
    "HomePage",
    "ModulePage",
    "ModuleProgress",
    "ReviewReminder",
    "WorkingGroup",
]


class Enrollment(models.Model):
    """A learner's membership of a course. Leaving keeps the row (and her progress)."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        COHORT = "cohort", _("Through a cohort")
        ADMIN = "admin", _("By an administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrollments")
    is_active = models.BooleanField(default=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    context = models.JSONField(default=dict, blank=True, help_text=_("e.g. the cohort"))
    enrolled_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A summary of her progress and assessments in the course, kept by the write paths in
    # the same transaction as the rows it sums up (courses.learning, assessments.api), so
    # the cohort dashboard reads one row per enrollment (cohorts/reports.py).
    started_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When she first opened or completed a module"))
    first_pretest_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Her first submitted pre-test attempt, in percent"))
    first_final_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Her first submitted final-assessment attempt, in percent"))
    best_final_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Her best submitted final-assessment attempt, in percent"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course"),
        ]
        indexes = [models.Index(fields=["course", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id}"


class ModuleProgress(models.Model):
    """Where one learner stands in one module: viewed, and when completed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_progress_per_module"),
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.module_id}"


class CatalogVersion(models.Model):
    """A single counter, bumped whenever anything published changes (a page published,
    unpublished, moved or deleted, a view restriction or a site edited). Everything
    cached from published content is keyed by it; see courses/caching.py."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class ReviewReminder(models.Model):
    """One reminder e-mailed to a page's owner that its clinical review is overdue.

    Unique per page, due date and recipient, so a rerun (or two runs at once) of the
    daily reminder task sends nothing twice; a new due date earns a new reminder.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "due_on", "recipient"], name="one_review_reminder_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} due {self.due_on} to {self.recipient_id}"
