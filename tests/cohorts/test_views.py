"""The Cohorts admin as a manager uses it: create and edit, members, uploads, progress."""

import csv
import io

import pytest
from django.core import mail

from cohorts import api
from courses import api as courses_api
from tests import factories
from tests.cohorts.helpers import (
    csv_bytes,
    make_cohort,
    make_manager,
    make_site_admin,
    upload,
)

pytestmark = pytest.mark.django_db


def member(cohort, email, name="A Learner"):
    from lms.core import api as core_api

    user = factories.make_user(email=email)
    core_api.save_profile(user=user, full_name=name, profession="nurse", country="KE")
    api.CohortMembership.objects.create(cohort=cohort, user=user)
    return user


def test_manager_creates_a_cohort_and_becomes_its_manager(client, course_tree,
                                                          django_capture_on_commit_callbacks):
    manager = make_manager()
    client.force_login(manager)
    form = client.get("/admin/cohorts/add/").content.decode()
    assert 'name="managers"' not in form  # only site administrators choose managers
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/cohorts/add/", {
            "name": "Oncology nurses", "organisation": "KNH", "country": "KE",
            "starts_on": "2026-01-05", "ends_on": "2026-03-30",
            "courses": [course_tree.course.pk]})
    cohort = api.Cohort.objects.get(name="Oncology nurses")
    assert response.status_code == 302 and response["Location"] == f"/admin/cohorts/{cohort.pk}/"
    assert list(cohort.managers.all()) == [manager]
    assert list(cohort.courses.all()) == [course_tree.course]


def test_dates_in_the_wrong_order_change_nothing(client):
    client.force_login(make_manager())
    response = client.post("/admin/cohorts/add/", {"name": "X", "organisation": "Y",
                                                   "starts_on": "2026-03-01",
                                                   "ends_on": "2026-02-01"})
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not api.Cohort.objects.exists()


def test_site_admin_chooses_managers(client):
    admin, manager = make_site_admin(), make_manager()
    cohort = make_cohort()
    client.force_login(admin)
    client.post(f"/admin/cohorts/{cohort.pk}/edit/", {
        "name": cohort.name, "organisation": "KNH", "managers": [manager.pk]})
    assert list(cohort.managers.all()) == [manager]


def test_manager_cannot_change_managers_of_her_cohort(client):
    manager, intruder = make_manager(), make_manager("intruder@example.org")
    cohort = make_cohort(managers=[manager])
    client.force_login(manager)
    client.post(f"/admin/cohorts/{cohort.pk}/edit/", {
        "name": "Renamed", "organisation": "KNH", "managers": [intruder.pk]})
    cohort.refresh_from_db()
    assert cohort.name == "Renamed" and list(cohort.managers.all()) == [manager]


def test_assigning_a_course_enrolls_every_member_once(client, course_tree,
                                                      django_capture_on_commit_callbacks):
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    learners = [member(cohort, f"l{n}@example.org") for n in range(3)]
    client.force_login(manager)
    data = {"name": cohort.name, "organisation": "KNH", "courses": [course_tree.course.pk]}
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/admin/cohorts/{cohort.pk}/edit/", data)
    enrollments = courses_api.Enrollment.objects.filter(course=course_tree.course)
    assert sorted(e.user_id for e in enrollments) == sorted(u.pk for u in learners)
    assert {e.source for e in enrollments} == {"cohort"}


def test_large_cohorts_are_enrolled_in_the_background(client, course_tree, settings,
                                                      django_capture_on_commit_callbacks):
    settings.ALLELE_COHORT_SYNC_ENROLL_LIMIT = 1
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    for n in range(3):
        member(cohort, f"l{n}@example.org")
    client.force_login(manager)
    data = {"name": cohort.name, "organisation": "KNH", "courses": [course_tree.course.pk]}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/admin/cohorts/{cohort.pk}/edit/", data)
    assert not courses_api.Enrollment.objects.exists()  # not in the request
    for callback in callbacks:
        callback()  # the queued task (run at once by the test backend)
    assert courses_api.Enrollment.objects.count() == 3


def test_add_member_by_email_enrolls_her(client, course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    learner = factories.make_user(email="Grace@Example.org")
    client.force_login(manager)
    client.post(f"/admin/cohorts/{cohort.pk}/members/add/", {"email": "grace@example.org"})
    assert cohort.memberships.filter(user=learner).exists()
    assert courses_api.Enrollment.objects.filter(user=learner, source="cohort").exists()
    again = client.post(f"/admin/cohorts/{cohort.pk}/members/add/",
                        {"email": "grace@example.org"}, follow=True)
    assert "already a member" in again.content.decode()
    unknown = client.post(f"/admin/cohorts/{cohort.pk}/members/add/",
                          {"email": "nobody@example.org"}, follow=True)
    assert "No one has an Allele account" in unknown.content.decode()
    assert cohort.memberships.count() == 1


def test_removing_a_member_keeps_her_progress(client, course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    learner = member(cohort, "leaving@example.org")
    api.enroll_members(cohort=cohort)
    courses_api.complete_module(user=learner, module=course_tree.modules[0])
    client.force_login(manager)
    confirm = client.get(f"/admin/cohorts/{cohort.pk}/members/{learner.pk}/remove/")
    assert "keeps her progress" in confirm.content.decode()
    client.post(f"/admin/cohorts/{cohort.pk}/members/{learner.pk}/remove/")
    assert not cohort.memberships.exists()
    assert courses_api.Enrollment.objects.get(user=learner).is_active
    assert courses_api.ModuleProgress.objects.filter(user=learner,
                                                     completed_at__isnull=False).count() == 1


def test_members_are_searchable_and_paginated(client):
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    for n in range(55):
        member(cohort, f"person{n:02d}@example.org", name=f"Person {n:02d}")
    member(cohort, "zeynep@example.org", name="Zeynep <b>Kaya</b>")
    client.force_login(manager)
    first = client.get(f"/admin/cohorts/{cohort.pk}/").content.decode()
    assert "Page 1 of 2" in first and "56 members" in first
    found = client.get(f"/admin/cohorts/{cohort.pk}/", {"q": "kaya"}).content.decode()
    assert "Zeynep &lt;b&gt;Kaya&lt;/b&gt;" in found and "Person 01" not in found
    by_mail = client.get(f"/admin/cohorts/{cohort.pk}/", {"q": "person54@"}).content.decode()
    assert "Person 54" in by_mail and "Person 53" not in by_mail
    searched = client.get(f"/admin/cohorts/{cohort.pk}/", {"q": "person"}).content.decode()
    assert 'href="?q=person&amp;p=2"' in searched  # the next page keeps the search


def test_upload_page_queues_the_import_and_shows_its_progress(client, course_tree,
                                                             django_capture_on_commit_callbacks):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    client.force_login(manager)
    form = client.get(f"/admin/cohorts/{cohort.pk}/imports/new/")
    key = form.context["form"].initial["idempotency_key"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/admin/cohorts/{cohort.pk}/imports/new/", {
            "file": upload(csv_bytes(["=cmd@example.org,=HYPERLINK(\"x\"),nurse,KE,"])),
            "idempotency_key": key})
    cohort_import = api.CohortImport.objects.get()
    status_url = f"/admin/cohorts/{cohort.pk}/imports/{cohort_import.pk}/"
    assert response["Location"] == status_url
    waiting = client.get(status_url).content.decode()
    assert "<progress" in waiting and 'http-equiv="refresh"' in waiting  # works without JS
    assert client.get(status_url + "status.json").json()["running"] is True
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    done = client.get(status_url).content.decode()
    assert 'http-equiv="refresh"' not in done and "1 row imported" in done
    assert client.get(status_url + "status.json").json() == {
        "status": "done", "label": "Imported", "running": False, "total_rows": 1,
        "processed_rows": 1, "percent": 100, "errors": 0,
        "progress_text": "1 of 1 row imported"}  # what the page's script shows, translated
    detail = client.get(f"/admin/cohorts/{cohort.pk}/").content.decode()
    assert "=HYPERLINK(&quot;x&quot;)" in detail  # stored as written, escaped on display
    assert status_url in detail  # the past imports are listed on the cohort page
    assert len(mail.outbox) == 1


def test_invalid_upload_lists_every_problem_by_row(client, django_capture_on_commit_callbacks):
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    client.force_login(manager)
    bad = csv_bytes(["ok@example.org,Ok,nurse,KE,", "broken,Broken,nurse,KE,",
                     "ok@example.org,Twice,nurse,KE,", "x@example.org,<script>alert(1)</script>,"
                     "astronaut,KE,"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/cohorts/{cohort.pk}/imports/new/", {
            "file": upload(bad), "idempotency_key": "k1"})
    page = client.get(response["Location"]).content.decode()
    assert "3 problems: nothing was imported" in page
    assert "<script>alert(1)</script>" not in page
    assert not cohort.memberships.exists()


def test_cohort_page_links_to_reports_and_course_reminders(client, course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    learner = member(cohort, "linked@example.org")
    client.force_login(manager)
    page = client.get(f"/admin/cohorts/{cohort.pk}/").content.decode()
    base = f"/admin/cohorts/{cohort.pk}"
    for link in (f"{base}/dashboard/", f"{base}/courses/{course_tree.course.pk}/",
                 f"{base}/learners/{learner.pk}/",
                 f"{base}/reminders/?course={course_tree.course.pk}"):
        assert f'href="{link}"' in page, link
    form = client.get(f"{base}/reminders/?course={course_tree.course.pk}")
    assert form.context["form"].initial["course"] == str(course_tree.course.pk)


def test_example_file_imports_cleanly_and_problems_download_is_neutralised(
        client, django_capture_on_commit_callbacks):
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    client.force_login(manager)
    example = client.get(f"/admin/cohorts/{cohort.pk}/imports/example.csv")
    assert example["Content-Disposition"].startswith("attachment")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/cohorts/{cohort.pk}/imports/new/", {
            "file": upload(example.content), "idempotency_key": "example"})
    assert api.CohortImport.objects.get().status == "done"
    bad = csv_bytes(["=1+1,Bad,nurse,KE,,,"],
                    header="email,full_name,profession,country,institution,=cmd,=cmd")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/cohorts/{cohort.pk}/imports/new/", {
            "file": upload(bad), "idempotency_key": "bad"})
    failed = api.CohortImport.objects.get(idempotency_key="bad")
    problems = client.get(f"/admin/cohorts/{cohort.pk}/imports/{failed.pk}/problems.csv")
    text = problems.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "row,column,problem"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ["file", "'=cmd"]  # the duplicated column's name, neutralised
    assert all(not cell.startswith("=") for row in rows for cell in row)
    other = make_cohort(name="Other")
    assert client.get(f"/admin/cohorts/{other.pk}/imports/{failed.pk}/problems.csv"
                      ).status_code == 404
