"""Rate limits on cohort CSV imports and exports (lms/core/ratelimit.py): per user; a
refused request queues nothing."""

import uuid

import pytest
from django.urls import reverse
from freezegun import freeze_time

from cohorts import api
from cohorts.models import CohortExport
from lms.core import api as core_api
from lms.core.roles import Role
from tests.cohorts import report_fixture
from tests.cohorts.helpers import csv_bytes, make_cohort, make_manager, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS,
                                   "cohort_import": "2/h", "cohort_export": "2/h"}


def _upload(client, cohort, number):
    return client.post(f"/admin/cohorts/{cohort.pk}/imports/new/", {
        "file": upload(csv_bytes([f"learner{number}@example.org,L {number},nurse,KE,"])),
        "idempotency_key": uuid.uuid4().hex})


def test_uploads_past_the_limit_are_refused_and_queue_nothing(
        client, course_tree, tight, django_capture_on_commit_callbacks):
    manager, colleague = make_manager(), make_manager("colleague@example.org")
    cohort = make_cohort(managers=[manager, colleague], courses=[course_tree.course])
    client.force_login(manager)
    with freeze_time() as clock, django_capture_on_commit_callbacks(execute=False) as queued:
        assert [_upload(client, cohort, n).status_code for n in range(2)] == [302, 302]
        refused = _upload(client, cohort, 2)
        assert refused.status_code == 429 and int(refused["Retry-After"]) <= 3600
        assert "Too many requests" in refused.content.decode()
        assert api.CohortImport.objects.count() == 2
        # Retrying an import counts too.
        first = api.CohortImport.objects.earliest("pk")
        retry = client.post(f"/admin/cohorts/{cohort.pk}/imports/{first.pk}/retry/")
        assert retry.status_code == 429
        # Another manager has her own count; the upload page itself is not counted.
        assert client.get(f"/admin/cohorts/{cohort.pk}/imports/new/").status_code == 200
        client.force_login(colleague)
        assert _upload(client, cohort, 3).status_code == 302
        client.force_login(manager)
        clock.tick(3600)
        assert _upload(client, cohort, 4).status_code == 302
    assert api.CohortImport.objects.count() == 4 and len(queued) == 4  # one task each


def test_exports_past_the_limit_are_refused_and_queue_nothing(
        client, tight, django_capture_on_commit_callbacks):
    fx = report_fixture.build()
    core_api.assign_role(user=fx.manager, role=Role.COHORT_MANAGER)
    client.force_login(fx.manager)
    url = reverse("cohorts:export_csv", args=[fx.cohort.pk])
    with freeze_time() as clock, django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(url + "?country=KE").status_code == 302
        assert client.post(url + "?country=UG").status_code == 302
        refused = client.post(url + "?country=TZ")
        assert refused.status_code == 429 and refused["Retry-After"]
        assert CohortExport.objects.count() == 2
        assert client.get(url).status_code == 200  # what would be exported: not counted
        clock.tick(3600)
        assert client.post(url + "?country=TZ").status_code == 302
    assert CohortExport.objects.count() == 3 and len(queued) == 3  # one task each
