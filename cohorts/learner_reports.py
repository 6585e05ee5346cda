"""Read-only, learner-level views of a cohort: one row per enrollment (the course table,
the exports), the member list, and one learner's drill-down.

Every row set is an annotated queryset whose annotations are correlated subqueries on
indexed columns, so a page of 50 rows or an export of 100,000 costs the same number of
queries; the figures mean what ``cohorts.reports`` says they mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, NullIf

from assessments import api as assessments_api
from certificates import api as certificates_api
from cohorts.models import Cohort, CohortMembership
from cohorts.reports import (
    NO_FILTERS,
    ReportFilters,
    best_score,
    cohort_enrollments,
    first_scores,
    profile_filter,
)
from courses import api as courses_api

__all__ = [
    "LearnerDetail",
    "enrollment_rows",
    "learner_detail",
    "learner_fields",
    "member_rows",
    "module_totals",
]

ModuleProgress = courses_api.ModuleProgress


def module_totals(*, courses: list) -> dict[int, int]:
    """Live modules per course (cached per catalog version by courses.api)."""
    return {course.pk: len(courses_api.list_modules(course=course)) for course in courses}


def learner_fields(prefix: str = "user__") -> dict:
    return {
        "learner_name": Coalesce(NullIf(f"{prefix}learner_profile__full_name", Value("")),
                                 f"{prefix}email", output_field=CharField()),
        "learner_email": F(f"{prefix}email"),
        "learner_profession": F(f"{prefix}learner_profile__profession"),
        "learner_country": F(f"{prefix}learner_profile__country"),
        "learner_institution": F(f"{prefix}learner_profile__institution"),
    }


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _last_activity() -> Subquery:
    latest = (ModuleProgress.objects.filter(user_id=OuterRef("user_id"),
                                            course_id=OuterRef("course_id"))
              .order_by().values("user_id")
              .annotate(latest=Max(Greatest(Coalesce("last_viewed_at", "completed_at"),
                                            Coalesce("completed_at", "last_viewed_at"))))
              .values("latest"))
    return Subquery(latest, output_field=DateTimeField())


def _certificate(field: str) -> Subquery:
    return Subquery(certificates_api.Certificate.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"),
        superseded_at__isnull=True, revoked_at__isnull=True).values(field)[:1])


def enrollment_rows(*, cohort: Cohort, courses: list,
                    filters: ReportFilters = NO_FILTERS) -> QuerySet:
    """One Enrollment per learner and course of the cohort after ``filters``, by learner
    name, annotated with the learner's ``learner_*`` fields, ``course_title``,
    ``modules_done`` (live modules completed), ``last_activity``, ``best_score``,
    ``pre_score``, ``post_score``, ``certificate_tier`` and ``certificate_issued_at``.
    One query however many rows."""
    done = ModuleProgress.objects.filter(user_id=OuterRef("user_id"),
                                         course_id=OuterRef("course_id"),
                                         completed_at__isnull=False, module__live=True)
    rows = cohort_enrollments(cohort=cohort, filters=filters,
                              course_ids=[course.pk for course in courses])
    return rows.annotate(
        **learner_fields(),
        course_title=F("course__title"),
        modules_done=_count(done, "user_id"),
        last_activity=_last_activity(),
        best_score=best_score(),
        pre_score=first_scores(pretest=True),
        post_score=first_scores(pretest=False),
        certificate_tier=_certificate("tier"),
        certificate_issued_at=_certificate("issued_at"),
    ).order_by("learner_name", "course_title", "pk")


def member_rows(*, cohort: Cohort, filters: ReportFilters = NO_FILTERS) -> QuerySet:
    """The cohort's members after the country and profession filters, by name, each with
    ``enrolled`` and ``completed`` counts in the cohort's courses. One query."""
    courses = cohort.courses.values("pk")
    mine = courses_api.Enrollment.objects.filter(user_id=OuterRef("user_id"),
                                                 course_id__in=courses)
    return (CohortMembership.objects.filter(cohort=cohort)
            .filter(profile_filter(filters, "user__"))
            .annotate(**learner_fields(),
                      enrolled=_count(mine, "user_id"),
                      completed=_count(mine.filter(completed_at__isnull=False), "user_id"))
            .order_by("learner_name", "pk"))


@dataclass(frozen=True, slots=True)
class LearnerDetail:
    membership: CohortMembership
    rows: list  # enrollment_rows for her
    attempts: list[dict]  # her submitted attempts on the cohort's courses' quizzes
    module_totals: dict[int, int]


def learner_detail(*, cohort: Cohort, courses: list, user_id: int) -> LearnerDetail:
    """One member's enrollments in the cohort's courses and her submitted quiz attempts
    there; raises CohortMembership.DoesNotExist when she is not a member (a 404)."""
    membership = (CohortMembership.objects.filter(cohort=cohort, user_id=user_id)
                  .annotate(**learner_fields()).select_related("user").get())
    rows = list(enrollment_rows(cohort=cohort, courses=courses).filter(user_id=user_id))
    course_ids = [course.pk for course in courses]
    placed = Q(quiz__course_id__in=course_ids)
    for course in courses:
        placed |= Q(quiz__module__path__startswith=course.path,
                    quiz__module__depth=course.depth + 1)
    attempts = list(
        assessments_api.Attempt.objects.filter(placed, user_id=user_id,
                                               state=assessments_api.Attempt.State.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values("quiz__title", "number", "is_pretest", "score_percent", "passed",
                "submitted_at")
    ) if courses else []
    return LearnerDetail(membership=membership, rows=rows, attempts=attempts,
                         module_totals=module_totals(courses=courses))
