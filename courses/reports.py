"""Read-only aggregates over learners' progress: the learner's dashboard and the
educators' progress report; and the reviews-due report of content currency. Each runs a
fixed number of queries."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Length, NullIf, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.api import may_see_all_reviews, reportable_courses
from courses.currency import DUE_SOON_DAYS
from courses.learning import CourseProgress, build_progress
from courses.models import CoursePage, Enrollment, ModulePage, ModuleProgress
from courses.translations import localized
from lms.core.models import User

__all__ = [
    "Dashboard",
    "ProgressStatus",
    "ReviewStatus",
    "learner_dashboard",
    "learner_progress_rows",
    "modules_by_course",
    "review_counts",
    "review_rows",
]


@dataclass(frozen=True, slots=True)
class Dashboard:
    in_progress: list[CourseProgress] = field(default_factory=list)
    completed: list[CourseProgress] = field(default_factory=list)

    @property
    def cpd_hours_earned(self) -> Decimal:
        return sum((p.course.cpd_credit_hours for p in self.completed), Decimal(0))


def modules_by_course(courses: list[CoursePage]) -> dict[int, list[ModulePage]]:
    """The live modules of several courses, in order, in one query."""
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    depth_filter = Q()
    for course in courses:
        depth_filter |= Q(path__startswith=course.path, depth=course.depth + 1)
    grouped: dict[int, list[ModulePage]] = {course.pk: [] for course in courses}
    for module in ModulePage.objects.live().filter(depth_filter).order_by("path"):
        grouped[by_path[module.path[: -ModulePage.steplen]]].append(module)
    return grouped


def learner_dashboard(*, user: User) -> Dashboard:
    """The learner's courses: in progress (active, not complete) and completed (three queries)."""
    enrollments: QuerySet[Enrollment] = (
        Enrollment.objects.filter(user=user, course__live=True)
        .filter(Q(is_active=True) | Q(completed_at__isnull=False))
        .select_related("course")
        .order_by("-enrolled_at")
    )
    enrollments = list(enrollments)
    modules = modules_by_course([enrollment.course for enrollment in enrollments])
    rows: dict[int, dict[int, ModuleProgress]] = {e.course_id: {} for e in enrollments}
    for row in ModuleProgress.objects.filter(user=user, course_id__in=list(rows)):
        rows[row.course_id][row.module_id] = row
    dashboard = Dashboard()
    # Each course as she reads it: its live translation in her language, if any (one
    # query, none when every course is in her language); the state is the canonical one.
    shown = dict(zip(rows, localized([enrollment.course for enrollment in enrollments]),
                     strict=True))
    for enrollment in enrollments:
        progress = build_progress(
            course=shown[enrollment.course_id], enrollment=enrollment,
            modules=modules[enrollment.course_id], rows=rows[enrollment.course_id],
        )
        (dashboard.completed if progress.is_complete else dashboard.in_progress).append(progress)
    return dashboard



# --- Educators' learner progress report ----------------------------------------------------


class ProgressStatus(TextChoices):
    """Where an enrollment stands. Completing wins over leaving: the certificate stands."""

    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    LEFT = "left", _("Left")


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The number of rows of ``queryset`` (filtered on OuterRef) as a correlated subquery."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def learner_progress_rows(
    *, viewer: User, course_ids: Iterable[int] | None = None
) -> QuerySet[Enrollment]:
    """One row per enrollment in the courses ``viewer`` may report on (see
    ``api.reportable_courses``), optionally only in ``course_ids``, newest first.

    Each Enrollment is annotated with ``learner_name`` (profile name, else e-mail),
    ``learner_email``, ``learner_profession`` and ``learner_country`` (codes),
    ``course_title``, ``status`` (a ProgressStatus value), ``required_complete`` and
    ``required_total`` (live, non-optional modules), ``percent`` (rounded half up,
    where CourseProgress.percent rounds half to even) and ``last_activity`` (latest
    module view or completion). Two queries (the viewer's roles, then the rows),
    whatever the number of learners, courses or modules.
    """
    rows = Enrollment.objects.filter(course__in=reportable_courses(user=viewer))
    if course_ids is not None:
        rows = rows.filter(course_id__in=list(course_ids))
    # The course's children, by a path range (which an index serves) and depth.
    required_modules = ModulePage.objects.live().filter(
        is_optional=False, depth=OuterRef("course__depth") + 1,
        path__gt=OuterRef("course__path"),
        path__lte=Concat(OuterRef("course__path"), Value("Z" * ModulePage.steplen)),
    )
    completed = ModuleProgress.objects.filter(
        user=OuterRef("user_id"), course=OuterRef("course_id"), completed_at__isnull=False,
        module__live=True, module__is_optional=False,
        module__path__startswith=OuterRef("course__path"),
    )
    activity = (
        ModuleProgress.objects.filter(user=OuterRef("user_id"), course=OuterRef("course_id"))
        .order_by().values("user")
        .annotate(latest=Max(Greatest(Coalesce("last_viewed_at", "completed_at"),
                                      Coalesce("completed_at", "last_viewed_at"))))
        .values("latest")
    )
    return rows.annotate(
        learner_name=Coalesce(
            NullIf("user__learner_profile__full_name", Value("")), "user__email",
            output_field=CharField(),
        ),
        learner_email=F("user__email"),
        learner_profession=F("user__learner_profile__profession"),
        learner_country=F("user__learner_profile__country"),
        course_title=F("course__title"),
        status=Case(
            When(completed_at__isnull=False, then=Value(ProgressStatus.COMPLETED)),
            When(is_active=False, then=Value(ProgressStatus.LEFT)),
            default=Value(ProgressStatus.IN_PROGRESS),
            output_field=CharField(),
        ),
        required_total=_count(required_modules, "depth"),
        required_complete=_count(completed, "user"),
        last_activity=Subquery(activity, output_field=DateTimeField()),
    ).annotate(
        percent=Coalesce(
            (200 * F("required_complete") + F("required_total"))
            / NullIf(2 * F("required_total"), 0),
            0, output_field=IntegerField(),
        ),
    ).order_by("-enrolled_at", "pk")


# --- Reviews due: content currency -----------------------------------------------------------


class ReviewStatus(TextChoices):
    """Where a page's clinical review stands, most urgent first."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due within 30 days")
    NEVER_REVIEWED = "never_reviewed", _("Never reviewed")
    NO_DUE_DATE = "no_due_date", _("No due date")
    CURRENT = "current", _("Current")


NEEDS_ATTENTION = [status for status in ReviewStatus if status is not ReviewStatus.CURRENT]


def _person_name(prefix: str = "") -> Coalesce:
    return Coalesce(NullIf(f"{prefix}owner__learner_profile__full_name", Value("")),
                    f"{prefix}owner__email", output_field=CharField())


def _course_of(field: str, path_expression) -> Subquery:
    course = CoursePage.objects.filter(path=path_expression).annotate(owner_name=_person_name())
    return Subquery(course.values(field)[:1])


def review_rows(
    *, viewer: User, today: datetime.date, mine_only: bool = True,
    statuses: Iterable[str] | None = None,
) -> QuerySet[Page]:
    """The courses and modules (live or draft) whose review needs attention, most urgent
    due date first, pages without a due date last.

    ``statuses`` (ReviewStatus values) defaults to all but "current". ``mine_only`` keeps
    the pages ``viewer`` owns or that sit in a course she owns; otherwise clinical
    reviewers, site administrators and superusers see every page, and an educator hers
    and any other page Wagtail lets her change. Each Page is annotated with ``kind``
    ("course" or "module"), ``last_reviewed``, ``review_due``, ``status``,
    ``course_title``, ``course_owner_id`` and ``owner_name`` (the page's owner, else its
    course's). Two queries (the viewer's groups, the rows).
    """
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = Page.objects.filter(Q(coursepage__isnull=False) | Q(modulepage__isnull=False))
    is_course = Q(coursepage__isnull=False)
    course_path = Case(When(is_course, then=F("path")),
                       default=Substr("path", 1, Length("path") - Page.steplen))
    rows = rows.annotate(
        kind=Case(When(is_course, then=Value("course")), default=Value("module")),
        last_reviewed=Coalesce("coursepage__last_reviewed_on", "modulepage__last_reviewed_on",
                               output_field=DateField()),
        review_due=Coalesce("coursepage__review_due_on", "modulepage__review_due_on",
                            output_field=DateField()),
        course_path=course_path,
    ).annotate(
        course_title=_course_of("title", OuterRef("course_path")),
        course_owner_id=_course_of("owner_id", OuterRef("course_path")),
        owner_name=Coalesce(_person_name(), _course_of("owner_name", OuterRef("course_path")),
                            output_field=CharField()),
        status=Case(
            When(review_due__lt=today, then=Value(ReviewStatus.OVERDUE)),
            When(review_due__lte=soon, then=Value(ReviewStatus.DUE_SOON)),
            When(review_due__isnull=False, then=Value(ReviewStatus.CURRENT)),
            When(last_reviewed__isnull=True, then=Value(ReviewStatus.NEVER_REVIEWED)),
            default=Value(ReviewStatus.NO_DUE_DATE), output_field=CharField(),
        ),
    )
    mine = Q(owner=viewer) | Q(course_owner_id=viewer.pk)
    if mine_only:
        rows = rows.filter(mine)
    elif not may_see_all_reviews(user=viewer):
        editable = PagePermissionPolicy().instances_user_has_permission_for(viewer, "change")
        rows = rows.filter(mine | Q(pk__in=editable.values("pk")))
    rows = rows.filter(status__in=list(statuses) if statuses else NEEDS_ATTENTION)
    return rows.order_by(F("review_due").asc(nulls_last=True), "path")


def review_counts(*, viewer: User, today: datetime.date, mine_only: bool) -> dict[str, int]:
    """How many of the pages ``review_rows`` would list are in each status (every
    ReviewStatus but "current" is a key). Two queries (three for an educator's "all")."""
    counts = dict.fromkeys(NEEDS_ATTENTION, 0)
    rows = review_rows(viewer=viewer, today=today, mine_only=mine_only)
    for row in rows.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts
