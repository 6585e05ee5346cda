"""Run inside `manage.py shell`: time the cohort dashboard (report functions, then the
rendered admin view), the course dashboard and the CSV export of the generated cohort.

Prints one JSON line of figures: seconds for the first run, the median and maximum of
several cold runs (Django's cache emptied before each), then of the cached repeats.
"""

import json
import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts import api, reports
from cohorts.models import Cohort, CohortExport, CohortMembership
from courses.models import Enrollment, ModuleProgress

REPEATS = int(os.environ.get("COHORT_BENCH_REPEATS", "5"))
COLD_RUNS = int(os.environ.get("COHORT_BENCH_COLD_RUNS", "5"))
NAME = os.environ.get("COHORT_BENCH_NAME", "Benchmark cohort")


def _seconds(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def timed(action) -> dict:
    """``first``: the first run in this process, Django's cache empty; ``cold``/``cold_max``: the
    median and maximum of COLD_RUNS runs, each after emptying Django's cache (the figures
    are computed from scratch every time); ``median``/``max``: REPEATS runs with the cache
    kept (the dashboard's figures then come from its version-keyed cache)."""
    cache.clear()
    first = _seconds(action)
    colds = []
    for _ in range(COLD_RUNS):
        cache.clear()
        colds.append(_seconds(action))
    runs = [_seconds(action) for _ in range(REPEATS)]
    return {"first": first, "cold": statistics.median(colds), "cold_max": max(colds),
            "median": statistics.median(runs), "max": max(runs)}


def main() -> None:
    cohort = Cohort.objects.get(name=NAME)
    courses = reports.cohort_courses(cohort=cohort)
    admin, _ = get_user_model().objects.get_or_create(
        username="cohort-bench-admin",
        defaults={"email": "cohort-bench-admin@example.org", "is_superuser": True,
                  "is_staff": True})
    client = Client()
    client.force_login(admin)
    dashboard = reverse("cohorts:dashboard", args=[cohort.pk])
    course = reverse("cohorts:course_dashboard", args=[cohort.pk, courses[0].pk])
    export = reverse("cohorts:export_csv", args=[cohort.pk])

    def functions():
        reports.cohort_figures(cohort=cohort, courses=courses)
        reports.completions_series(cohort=cohort, courses=courses)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def csv_export():
        """Press Export CSV (the request only queues it), then build it as the
        background task does (cohorts.api.run_export), all rows into its private file."""
        began = time.perf_counter()
        response = client.post(export)
        assert response.status_code == 302, response.status_code
        figures["csv_export_request"] = time.perf_counter() - began
        job = CohortExport.objects.filter(cohort=cohort).latest("pk")
        job = api.run_export(export_id=job.pk)
        assert job.status == CohortExport.Status.DONE, job.error
        figures["csv_bytes"] = job.file.size
        CohortExport.objects.filter(pk=job.pk).delete()
        job.file.delete(save=False)

    figures = {
        "learners": CohortMembership.objects.filter(cohort=cohort).count(),
        "courses": len(courses),
        "enrollments": Enrollment.objects.filter(course__in=courses).count(),
        "progress_rows": ModuleProgress.objects.filter(course__in=courses).count(),
    }
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        get(dashboard)
    figures["dashboard_queries"] = len(queries)
    reset_queries()
    figures["report_functions"] = timed(functions)
    figures["dashboard_view"] = timed(lambda: get(dashboard))
    figures["course_view"] = timed(lambda: get(course))
    began = time.perf_counter()
    csv_export()
    figures["csv_export"] = time.perf_counter() - began
    print(json.dumps(figures))


main()
