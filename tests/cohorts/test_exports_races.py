"""Five concurrent requests for the same export on PostgreSQL make one job (the lock on
the cohort row and the one-active-export-per-request constraint)."""

import threading

import pytest

from cohorts import api
from cohorts.models import CohortExport
from lms.core import api as core_api
from lms.core.roles import Role
from tests.cohorts import report_fixture
from tests.concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_five_concurrent_requests_for_the_same_export_make_one_job(monkeypatch):
    fx = report_fixture.build()
    core_api.assign_role(user=fx.manager, role=Role.COHORT_MANAGER)
    queued = []
    monkeypatch.setattr("cohorts.export_jobs._enqueue", queued.append)

    def press_export():
        return api.request_export(user=fx.manager, cohort=fx.cohort, fmt="xlsx").pk

    ids = run_concurrently(5, press_export)
    assert len(set(ids)) == 1
    assert CohortExport.objects.count() == 1 and queued == ids[:1]
    export = api.run_export(export_id=ids[0])
    assert export.status == CohortExport.Status.DONE and export.rows_total == 8
    # Once it is built, five more presses get the finished one, not five new jobs.
    assert set(run_concurrently(5, press_export)) == {ids[0]}
    assert CohortExport.objects.count() == 1


def test_concurrent_requests_with_different_filters_each_get_their_own(monkeypatch):
    fx = report_fixture.build()
    core_api.assign_role(user=fx.manager, role=Role.COHORT_MANAGER)
    monkeypatch.setattr("cohorts.export_jobs._enqueue", lambda export_id: None)
    formats, lock = iter(["csv", "xlsx", "csv", "xlsx"]), threading.Lock()

    def press():
        with lock:
            fmt = next(formats)
        return api.request_export(user=fx.manager, cohort=fx.cohort, fmt=fmt).pk

    assert len(set(run_concurrently(4, press))) == 2
    assert CohortExport.objects.count() == 2
