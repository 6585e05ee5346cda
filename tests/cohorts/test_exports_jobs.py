"""Cohort exports as background jobs: one job per request however often it is sent, a
status page whose progress moves, failures shown with a message, private files that only
someone who may see the cohort can download, and the purge of expired files."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cohorts import api, conf, export_jobs, exports
from cohorts.models import Cohort, CohortExport
from cohorts.reports import ReportFilters
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.cohorts import report_fixture

pytestmark = pytest.mark.django_db

Status = CohortExport.Status


@pytest.fixture
def fx():
    built = report_fixture.build()
    core_api.assign_role(user=built.manager, role=Role.COHORT_MANAGER)
    return built


def person(email, role=None):
    user = factories.make_user(email=email)
    if role is not None:
        core_api.assign_role(user=user, role=role)
    return user


def export_url(fx, fmt="csv", **params):
    url = reverse(f"cohorts:export_{fmt}", args=[fx.cohort.pk])
    return url + ("?" + urlencode(params) if params else "")


def finished_export(fx, fmt="xlsx", **kwargs) -> CohortExport:
    export = api.request_export(user=fx.manager, cohort=fx.cohort, fmt=fmt, **kwargs)
    return api.run_export(export_id=export.pk)


def test_a_double_submitted_export_makes_one_job(client, fx, django_capture_on_commit_callbacks):
    client.force_login(fx.manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(export_url(fx, country="KE"))
        second = client.post(export_url(fx, country="KE"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CohortExport.objects.count() == 1 and len(queued) == 1
    for callback in queued:
        callback()  # the worker runs it
    # Pressed again just after it finished: the same finished export, not another job.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        third = client.post(export_url(fx, country="KE"))
    assert third["Location"] == first["Location"] and queued == []
    # Other filters or another format are another export.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(export_url(fx, country="UG"))
        client.post(export_url(fx, "xlsx", country="KE"))
    assert CohortExport.objects.count() == 3 and len(queued) == 2


def test_the_status_page_shows_progress_then_the_download(client, fx):
    client.force_login(fx.manager)
    export = api.request_export(user=fx.manager, cohort=fx.cohort, fmt="csv")
    page = client.get(reverse("cohorts:export", args=[fx.cohort.pk, export.pk])).content.decode()
    assert 'http-equiv="refresh" content="2"' in page and "<progress" in page
    assert f"cohorts/{fx.cohort.pk}/exports/{export.pk}/download/" not in page
    api.run_export(export_id=export.pk)
    page = client.get(reverse("cohorts:export", args=[fx.cohort.pk, export.pk])).content.decode()
    assert "http-equiv" not in page and "8 rows" in page
    download = reverse("cohorts:export_download", args=[fx.cohort.pk, export.pk])
    assert download in page
    response = client.get(download)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).decode("utf-8-sig").count("\n") == 9
    dashboard = client.get(reverse("cohorts:dashboard", args=[fx.cohort.pk])).content.decode()
    assert reverse("cohorts:export", args=[fx.cohort.pk, export.pk]) in dashboard


def test_a_running_export_shows_how_far_it_has_got(client, fx):
    export = api.request_export(user=fx.manager, cohort=fx.cohort, fmt="xlsx")
    CohortExport.objects.filter(pk=export.pk).update(status=Status.RUNNING, rows_total=8,
                                                     rows_done=4)
    client.force_login(fx.manager)
    page = client.get(reverse("cohorts:export", args=[fx.cohort.pk, export.pk])).content.decode()
    assert '<progress max="8" value="4">50%</progress>' in page
    assert "4 of 8 rows written" in page and "Being built" in page
    assert 'http-equiv="refresh" content="2"' in page
    dashboard = client.get(reverse("cohorts:dashboard", args=[fx.cohort.pk])).content.decode()
    assert "Being built" in dashboard and "4/8" in dashboard


def test_the_file_is_private_and_the_xlsx_has_its_type_and_name(client, fx):
    export = finished_export(fx, "xlsx", course=fx.course_b)
    path = export.file.path
    assert path.startswith(str(conf.export_dir()))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    client.force_login(fx.manager)
    response = client.get(reverse("cohorts:export_download", args=[fx.cohort.pk, export.pk]))
    assert response["Content-Type"] == exports_content_type()
    disposition = response["Content-Disposition"]
    assert f'filename="cohort-{fx.cohort.pk}-course-{fx.course_b.pk}-' in disposition
    assert disposition.endswith('.xlsx"')


def exports_content_type():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_running_a_finished_export_again_changes_nothing(fx):
    export = finished_export(fx, "csv")
    name, content = export.file.name, export.file.read()
    again = api.run_export(export_id=export.pk)
    assert again.status == Status.DONE and again.file.name == name
    assert again.file.read() == content
    assert sorted(p.name for p in conf.export_dir().rglob("*")) == [name]


def test_another_managers_guessed_ids_are_404_and_a_learner_gets_nothing(client, fx):
    export = finished_export(fx, "csv")
    other = person("other@example.org", Role.COHORT_MANAGER)
    mine = Cohort.objects.create(name="Kampala", organisation="MoH")
    mine.managers.add(other)
    mine.courses.add(fx.course_a)
    guesses = [
        reverse("cohorts:export", args=[fx.cohort.pk, export.pk]),
        reverse("cohorts:export_download", args=[fx.cohort.pk, export.pk]),
        reverse("cohorts:export", args=[mine.pk, export.pk]),  # her cohort, his export
        reverse("cohorts:export_download", args=[mine.pk, export.pk]),
    ]
    client.force_login(other)
    for url in guesses:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"ana@example.org" not in b"".join(getattr(response, "streaming_content", [])
                                                 or [response.content])
    assert client.post(export_url(fx)).status_code == 404
    with pytest.raises(Cohort.DoesNotExist):
        api.request_export(user=other, cohort=fx.cohort, fmt="csv")
    dashboard = client.get(reverse("cohorts:dashboard", args=[mine.pk])).content.decode()
    assert f"/exports/{export.pk}/" not in dashboard
    for nosy in (person("learner@example.org", Role.LEARNER), None):
        client.logout()
        if nosy:
            client.force_login(nosy)
        for url in [*guesses[:2], export_url(fx)]:
            assert client.get(url).status_code in (302, 403), url
        assert client.post(export_url(fx)).status_code in (302, 403)
    assert CohortExport.objects.count() == 1


def test_a_colleague_managing_the_same_cohort_may_download(client, fx):
    export = finished_export(fx, "csv")
    colleague = person("colleague@example.org", Role.COHORT_MANAGER)
    fx.cohort.managers.add(colleague)
    client.force_login(colleague)
    url = reverse("cohorts:export_download", args=[fx.cohort.pk, export.pk])
    assert client.get(url).status_code == 200


def test_bad_requests_are_refused_and_make_nothing(client, fx):
    client.force_login(fx.manager)
    unassigned = factories.make_course_tree(modules=1, title="Unassigned").course
    assert client.post(export_url(fx, course=unassigned.pk)).status_code == 404
    assert client.post(export_url(fx, course="abc")).status_code == 404
    response = client.post(export_url(fx, start="2026-03-10", end="2026-03-01"))
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert client.get(export_url(fx)).status_code == 200  # an old link: the page to export
    with pytest.raises(api.CohortError):
        api.request_export(user=fx.manager, cohort=fx.cohort, fmt="pdf")
    assert CohortExport.objects.count() == 0


def test_a_failing_export_shows_failed_with_a_message(client, fx, monkeypatch):
    def broken(**kwargs):
        yield from ()
        raise ConnectionError("the database went away")

    monkeypatch.setattr(exports, "rows", broken)
    export = finished_export(fx, "xlsx")
    assert export.status == Status.FAILED and not export.file
    assert "could not be finished (ConnectionError)" in export.error
    assert list(conf.export_dir().rglob("*")) == []  # no half-written file is left
    client.force_login(fx.manager)
    page = client.get(reverse("cohorts:export", args=[fx.cohort.pk, export.pk])).content.decode()
    assert "Failed" in page and "could not be finished" in page
    assert client.get(reverse("cohorts:export_download",
                              args=[fx.cohort.pk, export.pk])).status_code == 404
    monkeypatch.undo()
    assert api.run_export(export_id=export.pk).status == Status.FAILED  # final, not re-run
    retried = finished_export(fx, "xlsx")  # pressing Export again makes a new one that works
    assert retried.pk != export.pk and retried.status == Status.DONE


def test_a_course_unassigned_meanwhile_fails_with_a_clear_message(fx):
    export = api.request_export(user=fx.manager, cohort=fx.cohort, fmt="csv", course=fx.course_b)
    fx.cohort.courses.remove(fx.course_b)
    export = api.run_export(export_id=export.pk)
    assert export.status == Status.FAILED
    assert export.error == "That course is no longer assigned to this cohort."


def test_progress_moves_in_a_multi_chunk_export(fx, monkeypatch):
    monkeypatch.setattr(conf, "EXPORT_PROGRESS_EVERY", 2)
    real_rows, seen = exports.rows, []

    def watched(**kwargs):
        for row in real_rows(**kwargs):
            export = CohortExport.objects.get()  # what the status page would read now
            seen.append((export.status, export.rows_done, export.rows_total))
            yield row

    monkeypatch.setattr(exports, "rows", watched)
    export = finished_export(fx, "csv")
    assert {status for status, _, _ in seen} == {Status.RUNNING}
    assert {total for _, _, total in seen} == {8}
    done = [rows_done for _, rows_done, _ in seen]
    assert done == sorted(done) and {0, 2, 4, 6} <= set(done)
    assert export.rows_done == export.rows_total == 8 and export.percent() == 100


def test_the_filters_are_kept_with_the_export(fx):
    filters = ReportFilters(country="UG", dates_of="completed", start=dt.date(2026, 3, 1))
    export = api.request_export(user=fx.manager, cohort=fx.cohort, fmt="csv", filters=filters)
    assert export_jobs.filters_from_json(export.filters) == filters
    export = api.run_export(export_id=export.pk)
    assert export.rows_total == 0  # no Ugandan learner has completed


def test_a_stale_running_export_no_longer_blocks_a_new_one(fx):
    stuck = api.request_export(user=fx.manager, cohort=fx.cohort, fmt="csv")
    CohortExport.objects.filter(pk=stuck.pk).update(
        status=Status.RUNNING, created_at=timezone.now() - dt.timedelta(hours=3))
    fresh = api.request_export(user=fx.manager, cohort=fx.cohort, fmt="csv")
    assert fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED and "without finishing" in stuck.error


def test_the_purge_removes_expired_files_only(client, fx):
    old, new = finished_export(fx, "csv"), finished_export(fx, "xlsx")
    CohortExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    old_path, new_path = old.file.path, new.file.path
    leftover = conf.export_dir() / ".crashed.part"
    leftover.write_bytes(b"half")
    call_command("purge_cohort_exports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not _exists(old_path) and _exists(new_path)
    assert _exists(leftover)  # a worker may still be writing it: kept for a day
    old.refresh_from_db()
    assert old.file.name == "" and old.status == Status.DONE
    client.force_login(fx.manager)
    assert client.get(reverse("cohorts:export_download",
                              args=[fx.cohort.pk, old.pk])).status_code == 404
    page = client.get(reverse("cohorts:export", args=[fx.cohort.pk, old.pk])).content.decode()
    assert "has been deleted" in page
    assert client.get(reverse("cohorts:export_download",
                              args=[fx.cohort.pk, new.pk])).status_code == 200
    # Past its date but not yet purged: no longer offered either.
    CohortExport.objects.filter(pk=new.pk).update(expires_at=timezone.now())
    assert client.get(reverse("cohorts:export_download",
                              args=[fx.cohort.pk, new.pk])).status_code == 404


def _exists(path) -> bool:
    import os

    return os.path.exists(path)


def test_the_recent_exports_list_is_one_query(fx, django_assert_num_queries):
    for fmt in ("csv", "xlsx"):
        finished_export(fx, fmt)
    finished_export(fx, "csv", course=fx.course_a)
    with django_assert_num_queries(3):  # her roles (site administrator? manager?), the list
        listed = api.recent_exports(user=fx.manager, cohort=fx.cohort)
        labels = [(e.requested_by.email, e.course.title if e.course else "") for e in listed]
    assert len(labels) == 3 and labels[0] == (fx.manager.email, "Course A")
