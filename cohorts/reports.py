"""Read-only figures for cohort managers: a cohort's dashboard, a course within it, one
learner's drill-down and the completions-over-time series.

Who counts. A cohort's *enrollments* are its members' enrollments (any source) in the
courses assigned to it; a learner who joined the course before the cohort counts too.
Filters narrow them: the learner's country and profession (from her profile) and a date
range, inclusive, on the enrollment date ("enrolled") or on the completion date
("completed", which keeps completed enrollments only).

The figures, per course and for the cohort (all its enrollments together):

- *enrolled*: enrollments; *started*: those with a module viewed or completed, or the
  course completed; *completed*: those with ``Enrollment.completed_at``;
  *completion rate*: completed / enrolled.
- *median time to complete*: the median of ``Enrollment.completed_at - enrolled_at``
  over completed enrollments, in days.
- *average quiz score*: the mean, over learners who submitted one, of each learner's
  best final-assessment percentage in the course (what ``courses.api.course_score``
  reports and certificates use: quizzes on the course marked final, pre-tests excluded).
- *knowledge gain*: as in ``assessments.reports.knowledge_gain``: learners with a
  submitted pre-test and a submitted final assessment; each one's *first* pre-test
  attempt against her *first* final attempt; mean pre, mean post, mean gain in
  percentage points, and Hake's normalised gain averaged per learner (a pre-test of
  100 % is left out of it).
- *certificates issued*: current (not replaced, not revoked) certificates of those
  enrollments.

Everything is aggregated in SQL with a fixed number of queries, whatever the number of
learners (see tests/cohorts/test_reports.py). Nothing is cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from assessments import api as assessments_api
from certificates import api as certificates_api
from cohorts.charts import ChartPoint
from cohorts.models import Cohort, CohortMembership
from courses import api as courses_api

__all__ = [
    "NO_FILTERS",
    "CourseFigures",
    "Figures",
    "Gain",
    "ReportFilters",
    "Series",
    "cohort_courses",
    "cohort_enrollments",
    "cohort_figures",
    "completions_series",
    "first_scores",
    "member_count",
    "profile_filter",
]

DAY_SERIES_MAX_DAYS = 92  # longer spans are drawn per week
Enrollment = courses_api.Enrollment
Attempt = assessments_api.Attempt


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """What the manager narrowed the report to; empty values mean "all"."""

    country: str = ""
    profession: str = ""
    dates_of: str = "enrolled"  # or "completed"
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.country or self.profession or self.start or self.end)


NO_FILTERS = ReportFilters()


@dataclass(frozen=True, slots=True)
class Gain:
    learners: int = 0
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_gain: float | None = None  # percentage points
    normalised_gain: float | None = None  # Hake's <g>, averaged per learner
    normalised_learners: int = 0


@dataclass(frozen=True, slots=True)
class Figures:
    enrolled: int = 0
    started: int = 0
    completed: int = 0
    median_days: float | None = None
    mean_score: float | None = None
    scored_learners: int = 0
    certificates: int = 0
    gain: Gain = field(default_factory=Gain)

    @property
    def completion_rate(self) -> float | None:
        """Completed / enrolled, 0..1, or None when nobody is enrolled."""
        return self.completed / self.enrolled if self.enrolled else None

    @property
    def not_started(self) -> int:
        return self.enrolled - self.started


@dataclass(frozen=True, slots=True)
class CourseFigures:
    course_id: int
    title: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Series:
    period: str  # "day" or "week"
    points: list[ChartPoint]


# --- Who is counted ----------------------------------------------------------------------


def cohort_courses(*, cohort: Cohort) -> list:
    """The cohort's assigned courses (live or not), by title: one query."""
    return list(cohort.courses.order_by("title", "pk").only("pk", "title", "path", "depth"))


def _bounds(day: dt.date, *, end: bool) -> dt.datetime:
    """Local midnight starting ``day`` (or the day after it, for an inclusive end)."""
    moment = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time())
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def profile_filter(filters: ReportFilters, prefix: str) -> Q:
    condition = Q()
    if filters.country:
        condition &= Q(**{f"{prefix}learner_profile__country": filters.country})
    if filters.profession:
        condition &= Q(**{f"{prefix}learner_profile__profession": filters.profession})
    return condition


def cohort_enrollments(*, cohort: Cohort, filters: ReportFilters = NO_FILTERS,
                       course_ids: list[int] | None = None) -> QuerySet:
    """The cohort's enrollments after ``filters`` (unevaluated), optionally in some of its
    courses only."""
    members = CohortMembership.objects.filter(cohort=cohort).values("user_id")
    courses = course_ids if course_ids is not None else cohort.courses.values("pk")
    rows = Enrollment.objects.filter(user_id__in=members, course_id__in=courses)
    rows = rows.filter(profile_filter(filters, "user__"))
    stamp = "completed_at" if filters.dates_of == "completed" else "enrolled_at"
    if filters.dates_of == "completed":
        rows = rows.filter(completed_at__isnull=False)
    if filters.start:
        rows = rows.filter(**{f"{stamp}__gte": _bounds(filters.start, end=False)})
    if filters.end:
        rows = rows.filter(**{f"{stamp}__lt": _bounds(filters.end, end=True)})
    return rows


def member_count(*, cohort: Cohort, filters: ReportFilters = NO_FILTERS) -> int:
    """Members matching the country and profession filters (dates do not apply)."""
    return (CohortMembership.objects.filter(cohort=cohort)
            .filter(profile_filter(filters, "user__")).count())


# --- Per-enrollment expressions ----------------------------------------------------------


def _started() -> Exists:
    return Exists(courses_api.ModuleProgress.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id")))


def best_score() -> Subquery:
    """Her best submitted final-assessment percentage in the enrollment's course."""
    return Subquery(
        Attempt.objects.filter(
            user_id=OuterRef("user_id"), quiz__course_id=OuterRef("course_id"),
            quiz__is_final_assessment=True, is_pretest=False, submitted_at__isnull=False,
        ).order_by("-score_percent").values("score_percent")[:1]
    )


def first_scores(*, pretest: bool) -> Subquery:
    """Her first submitted pre-test (or final assessment) percentage in the course."""
    kind = Q(quiz__is_pretest=True) if pretest else Q(quiz__is_final_assessment=True,
                                                      quiz__is_pretest=False)
    return Subquery(
        Attempt.objects.filter(kind, user_id=OuterRef("user_id"),
                               quiz__course_id=OuterRef("course_id"),
                               state=Attempt.State.SUBMITTED)
        .order_by("submitted_at", "pk").values("score_percent")[:1]
    )


def _certified() -> Exists:
    return Exists(certificates_api.Certificate.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"),
        superseded_at__isnull=True, revoked_at__isnull=True))


class _Median(Aggregate):
    """PostgreSQL's ordered-set median of an interval."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


# --- The figures ---------------------------------------------------------------------------


def _counts(rows: QuerySet) -> dict[int, dict]:
    completed = Q(completed_at__isnull=False)
    grouped = rows.order_by().values("course_id").annotate(
        enrolled=Count("pk"),
        started=Count("pk", filter=completed | Q(Exists(_started()))),
        completed=Count("pk", filter=completed),
        certificates=Count("pk", filter=Q(Exists(_certified()))),
        score_sum=Sum(best_score()),
        scored=Count(best_score()),
    )
    return {row["course_id"]: row for row in grouped}


def _durations(rows: QuerySet) -> dict[int | None, float | None]:
    """Median days to complete, per course and overall (key None)."""
    done = rows.filter(completed_at__isnull=False).order_by()
    elapsed = F("completed_at") - F("enrolled_at")
    if connection.vendor == "postgresql":
        medians = {row["course_id"]: row["median"] for row in
                   done.values("course_id").annotate(median=_Median(elapsed))}
        medians[None] = done.aggregate(median=_Median(elapsed))["median"]
        return {key: _days(value) for key, value in medians.items()}
    spans: dict[int | None, list[float]] = {None: []}
    for course_id, enrolled_at, completed_at in done.values_list(
            "course_id", "enrolled_at", "completed_at"):
        days = (completed_at - enrolled_at).total_seconds() / 86400
        spans.setdefault(course_id, []).append(days)
        spans[None].append(days)
    return {key: _median(values) for key, values in spans.items()}


def _days(value: dt.timedelta | None) -> float | None:
    return value.total_seconds() / 86400 if value is not None else None


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _gains(rows: QuerySet) -> dict[int | None, Gain]:
    """Pre/post pairs of the enrollments with both, folded per course and overall."""
    pairs: dict[int | None, list[tuple[float, float]]] = {None: []}
    paired = (rows.order_by().annotate(pre=first_scores(pretest=True),
                                       post=first_scores(pretest=False))
              .filter(pre__isnull=False, post__isnull=False))
    for course_id, pre, post in paired.values_list("course_id", "pre", "post"):
        pair = (float(pre), float(post))
        pairs.setdefault(course_id, []).append(pair)
        pairs[None].append(pair)
    return {key: fold_gain(values) for key, values in pairs.items()}


def fold_gain(pairs: list[tuple[float, float]]) -> Gain:
    """Mean pre, post, gain and Hake's <g> of (pre, post) percentages."""
    if not pairs:
        return Gain()
    hake = [(post - pre) / (100 - pre) for pre, post in pairs if pre < 100]
    return Gain(
        learners=len(pairs),
        mean_pre=sum(pre for pre, _ in pairs) / len(pairs),
        mean_post=sum(post for _, post in pairs) / len(pairs),
        mean_gain=sum(post - pre for pre, post in pairs) / len(pairs),
        normalised_gain=sum(hake) / len(hake) if hake else None,
        normalised_learners=len(hake),
    )


def _figures(counts: dict | None, median: float | None, gain: Gain | None) -> Figures:
    counts = counts or {}
    scored = counts.get("scored", 0)
    return Figures(
        enrolled=counts.get("enrolled", 0), started=counts.get("started", 0),
        completed=counts.get("completed", 0), median_days=median,
        mean_score=float(counts["score_sum"]) / scored if scored else None,
        scored_learners=scored, certificates=counts.get("certificates", 0),
        gain=gain or Gain(),
    )


def _total(counts: dict[int, dict]) -> dict:
    keys = ("enrolled", "started", "completed", "certificates", "scored")
    total = {key: sum(row[key] for row in counts.values()) for key in keys}
    total["score_sum"] = sum(row["score_sum"] or 0 for row in counts.values())
    return total


def cohort_figures(*, cohort: Cohort, courses: list, filters: ReportFilters = NO_FILTERS
                   ) -> tuple[Figures, list[CourseFigures]]:
    """The cohort's figures over ``courses`` (its assigned courses, from
    ``cohort_courses``, or one of them), then per course. Three queries on PostgreSQL
    (counts, medians, gain pairs); the same on SQLite."""
    rows = cohort_enrollments(cohort=cohort, filters=filters,
                              course_ids=[course.pk for course in courses])
    counts = _counts(rows)
    medians = _durations(rows)
    gains = _gains(rows)
    overall = _figures(_total(counts), medians.get(None), gains.get(None))
    per_course = [
        CourseFigures(course_id=course.pk, title=course.title,
                      figures=_figures(counts.get(course.pk), medians.get(course.pk),
                                       gains.get(course.pk)))
        for course in courses
    ]
    return overall, per_course


def completions_series(*, cohort: Cohort, courses: list,
                       filters: ReportFilters = NO_FILTERS) -> Series:
    """Completions per day (spans up to 92 days) or per week (Monday), with empty
    periods filled in: one query (weeks are folded from days)."""
    rows = cohort_enrollments(cohort=cohort, filters=filters,
                              course_ids=[course.pk for course in courses]
                              ).filter(completed_at__isnull=False).order_by()
    daily = dict(rows.annotate(day=TruncDate("completed_at")).values("day")
                 .annotate(n=Count("pk")).values_list("day", "n"))
    if not daily:
        return Series(period="day", points=[])
    first, last = min(daily), max(daily)
    if (last - first).days <= DAY_SERIES_MAX_DAYS:
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        return Series(period="day", points=[ChartPoint(day, daily.get(day, 0)) for day in days])
    weekly: dict[dt.date, int] = {}
    for day, count in daily.items():
        monday = day - dt.timedelta(days=day.weekday())
        weekly[monday] = weekly.get(monday, 0) + count
    start = min(weekly)
    weeks = [start + dt.timedelta(weeks=i) for i in range((max(weekly) - start).days // 7 + 1)]
    return Series(period="week", points=[ChartPoint(week, weekly.get(week, 0)) for week in weeks])

