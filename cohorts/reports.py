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
  submitted pre-test and a submitted final assessment (quizzes on the course); each
  one's *first* pre-test attempt against her *first* final attempt (the lowest-numbered
  submitted attempt: attempts are numbered as they start); mean pre, mean post, mean gain in
  percentage points, and Hake's normalised gain averaged per learner (a pre-test of
  100 % is left out of it).
- *certificates issued*: current (not replaced, not revoked) certificates of those
  enrollments.

Everything is aggregated in SQL with a fixed number of queries, whatever the number of
learners (see tests/cohorts/test_reports.py). ``dashboard`` caches the figures under a
key that moves with the catalog version and every member's learning state version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Max,
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
    "Dashboard",
    "Figures",
    "Gain",
    "ReportFilters",
    "Series",
    "cohort_courses",
    "cohort_enrollments",
    "cohort_figures",
    "completions_series",
    "dashboard",
    "first_scores",
    "learning_fingerprint",
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
        .order_by("number", "submitted_at", "pk").values("score_percent")[:1]
    )


# --- The figures ---------------------------------------------------------------------------


# One statement for all the figures, over one row per filtered enrollment (the ORM's own
# SQL): whether it is started and her first pre-test, first final and best final scores
# are the enrollment's own summary columns (kept by the write paths, courses/summary.py),
# and whether it has a current certificate comes from one hash join with the courses'
# current certificates (at most one per learner and course: a partial unique index). On
# PostgreSQL the last step also takes the medians and the cohort's totals (GROUPING
# SETS). Folding the members' attempts and probing module progress here instead cost
# 0.65-0.8 s at 100,000 enrollments, a certificate probe per enrollment 0.15 s more than
# the join (bench/README.md).
_FIGURES_SQL = """
WITH e AS ({enrollments}),
paired AS (
    SELECT e.course_id, enrolled_at, completed_at,
           CASE WHEN completed_at IS NOT NULL OR started_at IS NOT NULL
                THEN 1 ELSE 0 END AS started,
           CAST(best_final_score AS DOUBLE PRECISION) AS best,
           CASE WHEN c.user_id IS NOT NULL THEN 1 ELSE 0 END AS certified,
           CASE WHEN first_final_score IS NOT NULL
                THEN CAST(first_pretest_score AS DOUBLE PRECISION) END AS pre,
           CASE WHEN first_pretest_score IS NOT NULL
                THEN CAST(first_final_score AS DOUBLE PRECISION) END AS post
    FROM e LEFT JOIN (
        SELECT user_id, course_id FROM {certificate}
        WHERE course_id IN ({courses}) AND superseded_at IS NULL AND revoked_at IS NULL
    ) c ON c.user_id = e.user_id AND c.course_id = e.course_id
)
SELECT course_id, COUNT(*), SUM(started),
       SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(certified), COUNT(best), SUM(best), COUNT(pre), SUM(pre), SUM(post),
       SUM(CASE WHEN pre < 100 THEN (post - pre) / (100 - pre) END),
       SUM(CASE WHEN pre < 100 THEN 1 ELSE 0 END){median}
FROM paired {group_by}
"""
_POSTGRES_TAIL = {
    "median": ",\n       percentile_cont(0.5) WITHIN GROUP (ORDER BY completed_at - enrolled_at)",
    "group_by": "GROUP BY GROUPING SETS ((course_id), ())",
}
_PORTABLE_TAIL = {"median": "", "group_by": "GROUP BY course_id"}
_SUMS = ("enrolled", "started", "completed", "certificates", "scored", "score_sum",
         "paired", "pre_sum", "post_sum", "hake_sum", "hake_n")


def _counts(rows: QuerySet, course_ids: list[int]) -> dict[int | None, dict]:
    """Per course: the counts and the sums the averages are made of, in one statement.
    On PostgreSQL also ``median`` (days to complete), and the cohort's totals under the
    key None; elsewhere the caller adds those up (``_totals``, ``_durations``)."""
    if not course_ids:
        return {}
    postgres = connection.vendor == "postgresql"
    inner, params = (rows.order_by()
                     .values("user_id", "course_id", "enrolled_at", "completed_at",
                             "started_at", "first_pretest_score", "first_final_score",
                             "best_final_score")
                     .query.sql_with_params())
    sql = _FIGURES_SQL.format(
        enrollments=inner, certificate=certificates_api.Certificate._meta.db_table,
        courses=", ".join(["%s"] * len(course_ids)),
        **(_POSTGRES_TAIL if postgres else _PORTABLE_TAIL))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *course_ids])
        return {row[0]: _sums(row) for row in cursor.fetchall()}


def _sums(row: tuple) -> dict:
    found = {key: float(value or 0) if key.endswith("sum") else int(value or 0)
             for key, value in zip(_SUMS, row[1:], strict=False)}
    if len(row) > len(_SUMS) + 1:
        found["median"] = _days(row[-1])
    return found


def _totals(sums: dict[int | None, dict]) -> dict:
    """The cohort's totals: PostgreSQL's grouping-set row, or the courses added up."""
    if None in sums:
        return sums.pop(None)
    return {key: sum(row[key] for row in sums.values()) for key in _SUMS}


def _durations(rows: QuerySet) -> dict[int | None, float | None]:
    """Median days to complete, per course and overall (key None), where the database
    has no ordered-set aggregate (SQLite): one query, folded here."""
    done = rows.filter(completed_at__isnull=False).order_by()
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


def _gain(sums: dict) -> Gain:
    if not sums.get("paired"):
        return Gain()
    paired, hake_n = sums["paired"], sums["hake_n"]
    return Gain(learners=paired, mean_pre=sums["pre_sum"] / paired,
                mean_post=sums["post_sum"] / paired,
                mean_gain=(sums["post_sum"] - sums["pre_sum"]) / paired,
                normalised_gain=sums["hake_sum"] / hake_n if hake_n else None,
                normalised_learners=hake_n)


def _figures(sums: dict | None, median: float | None) -> Figures:
    sums = sums or {}
    scored = sums.get("scored", 0)
    return Figures(
        enrolled=sums.get("enrolled", 0), started=sums.get("started", 0),
        completed=sums.get("completed", 0), median_days=median,
        mean_score=sums["score_sum"] / scored if scored else None,
        scored_learners=scored, certificates=sums.get("certificates", 0), gain=_gain(sums),
    )


def cohort_figures(*, cohort: Cohort, courses: list, filters: ReportFilters = NO_FILTERS
                   ) -> tuple[Figures, list[CourseFigures]]:
    """The cohort's figures over ``courses`` (its assigned courses, from
    ``cohort_courses``, or one of them), then per course. One query on PostgreSQL; two
    elsewhere (the medians are folded in Python)."""
    course_ids = [course.pk for course in courses]
    rows = cohort_enrollments(cohort=cohort, filters=filters, course_ids=course_ids)
    sums = _counts(rows, course_ids)
    total = _totals(sums)
    if connection.vendor == "postgresql":
        medians = {key: row["median"] for key, row in sums.items()}
        medians[None] = total.get("median")
    else:
        medians = _durations(rows)
    overall = _figures(total, medians.get(None))
    per_course = [
        CourseFigures(course_id=course.pk, title=course.title,
                      figures=_figures(sums.get(course.pk), medians.get(course.pk)))
        for course in courses
    ]
    return overall, per_course


@dataclass(frozen=True, slots=True)
class Dashboard:
    overall: Figures
    per_course: list[CourseFigures]
    series: Series


DASHBOARD_CACHE_SECONDS = 3600  # a safety net: the key already changes with the data


def learning_fingerprint(*, cohort: Cohort) -> tuple:
    """What changes whenever anything the cohort's figures read changes: its members (how
    many, the newest membership), the sum of their learning state versions (moved in the
    same transaction as every enrollment, progress, attempt and certificate change; they
    only grow, so the sum moves with any of them) and their newest profile edit (country
    and profession filters). One query."""
    found = CohortMembership.objects.filter(cohort=cohort).aggregate(
        members=Count("pk"), newest=Max("pk"), state=Sum("user__learning_state_version"),
        profiles=Max("user__learner_profile__updated_at"))
    return (found["members"], found["newest"], found["state"],
            found["profiles"].isoformat() if found["profiles"] else "")


def dashboard(*, cohort: Cohort, courses: list, filters: ReportFilters = NO_FILTERS
              ) -> Dashboard:
    """``cohort_figures`` and ``completions_series`` together, cached under a key made of
    the cohort, its courses, the filters, the catalog version and the cohort's
    ``learning_fingerprint`` (ADR 0003): a repeat view costs two small queries, and any
    learner's change is seen at once."""
    key = "cohort-dashboard:" + hashlib.sha256(repr((
        cohort.pk, [course.pk for course in courses], filters,
        courses_api.catalog_version(), learning_fingerprint(cohort=cohort),
    )).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        overall, per_course = cohort_figures(cohort=cohort, courses=courses, filters=filters)
        found = Dashboard(overall=overall, per_course=per_course, series=completions_series(
            cohort=cohort, courses=courses, filters=filters))
        cache.set(key, found, DASHBOARD_CACHE_SECONDS)
    return found


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

