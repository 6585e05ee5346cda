"""The background CSV import: nothing is written from an invalid file; a valid one makes
accounts (invited once), memberships and enrollments; re-uploads change nothing."""

import pytest
from django.core import mail
from django.test import TestCase

from cohorts import api
from courses import api as courses_api
from lms.core import api as core_api
from lms.core.models import User
from tests import factories
from tests.cohorts.helpers import csv_bytes, import_file, make_cohort, make_manager

pytestmark = pytest.mark.django_db

VALID = [
    "amina.yusuf@example.org,Amina Yusuf,Nurse,KE,Kisumu County Hospital",
    "Ravi.Sharma@Example.ORG,रवि शर्मा,pharmacist,India,",
    "wang@example.org,王𠮷英,Genetic counsellor,CHN,Peking Union",
]


@pytest.fixture
def setup(course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    return cohort, manager, course_tree.course


def test_valid_file_creates_invited_members_enrolled_in_the_courses(setup):
    cohort, manager, course = setup
    done = import_file(cohort=cohort, by=manager, content=csv_bytes(VALID))
    assert done.status == "done", done.errors
    assert (done.total_rows, done.created_users, done.matched_users, done.enrolled) == (3, 3, 0, 3)
    ravi = User.objects.get(email="ravi.sharma@example.org")
    assert not ravi.has_usable_password()
    profile = core_api.get_profile(user=ravi)
    assert (profile.full_name, profile.profession, profile.country.code) == (
        "रवि शर्मा", "pharmacist", "IN")
    assert cohort.memberships.count() == 3
    assert courses_api.Enrollment.objects.filter(
        course=course, source="cohort", context={"cohort": cohort.pk}).count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amina.yusuf@example.org", "ravi.sharma@example.org", "wang@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_existing_learner_is_matched_not_duplicated_nor_changed(setup):
    cohort, manager, _course = setup
    existing = factories.make_user(email="Amina.Yusuf@example.org")
    core_api.save_profile(user=existing, full_name="Dr Amina Yusuf", profession="physician",
                          country="NG")
    done = import_file(cohort=cohort, by=manager, content=csv_bytes(VALID[:1]))
    assert (done.created_users, done.matched_users) == (0, 1)
    assert User.objects.filter(email__iexact="amina.yusuf@example.org").count() == 1
    profile = core_api.get_profile(user=existing)
    assert (profile.full_name, profile.profession) == ("Dr Amina Yusuf", "physician")
    assert existing.check_password(factories.DEFAULT_PASSWORD)
    assert list(existing.groups.all()) == []
    assert mail.outbox == []
    assert cohort.memberships.filter(user=existing).exists()


def test_reupload_of_the_same_file_changes_nothing(setup):
    cohort, manager, _course = setup
    import_file(cohort=cohort, by=manager, content=csv_bytes(VALID))
    users, emails = User.objects.count(), len(mail.outbox)
    again = import_file(cohort=cohort, by=manager, content=csv_bytes(VALID))
    assert (again.status, again.created_users, again.matched_users, again.enrolled) == (
        "done", 0, 3, 0)
    assert User.objects.count() == users
    assert len(mail.outbox) == emails


def test_double_submitted_form_makes_one_import(setup):
    cohort, manager, _course = setup
    first = import_file(cohort=cohort, by=manager, content=csv_bytes(VALID), key="same-key")
    second = import_file(cohort=cohort, by=manager, content=csv_bytes(VALID), key="same-key")
    assert first.pk == second.pk
    assert api.CohortImport.objects.count() == 1
    assert len(mail.outbox) == 3


def test_invalid_file_imports_nothing(setup):
    cohort, manager, _course = setup
    users = User.objects.count()
    done = import_file(cohort=cohort, by=manager,
                       content=csv_bytes([*VALID, "not-an-address,Kofi,nurse,KE,"]))
    assert done.status == "invalid"
    assert [(e["row"], e["column"]) for e in done.errors] == [(4, "email")]
    assert User.objects.count() == users
    assert cohort.memberships.count() == 0
    assert mail.outbox == []


def test_role_column_never_grants_a_role(setup):
    cohort, manager, _course = setup
    content = csv_bytes(["admin@example.org,Existing Admin,other,KE,,Site administrator"],
                        header="email,full_name,profession,country,institution,role")
    done = import_file(cohort=cohort, by=manager, content=content)
    assert done.status == "done"
    assert any("role" in note for note in done.notes)
    user = User.objects.get(email="admin@example.org")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()


def test_invitation_link_sets_a_password_and_she_sees_her_courses(setup, client):
    cohort, manager, course = setup
    import_file(cohort=cohort, by=manager, content=csv_bytes(VALID[:1]))
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/key/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain
                           else "/" + path,
                           {"password1": "a new long passphrase 42",
                            "password2": "a new long passphrase 42"})
    assert response.status_code == 302, response.content[:2000]
    signed_in = client.post("/accounts/login/", {"login": "amina.yusuf@example.org",
                                                 "password": "a new long passphrase 42"})
    assert signed_in.status_code == 302
    assert "confirm-email" not in signed_in["Location"]  # following the link verified it
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert dashboard.context["user"].email == "amina.yusuf@example.org"
    assert [enrolled.course for enrolled in dashboard.context["dashboard"].in_progress] == [
        course]
    assert course.title in dashboard.content.decode()
    assert api.Invitation.objects.get().accepted_at is not None


def test_a_failed_import_runs_again_and_finishes_without_doubles(setup, client, monkeypatch):
    from cohorts import imports

    cohort, manager, _course = setup
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    original, calls = imports._import_batch, []

    def failing_once(cohort_import, people):
        calls.append(len(people))
        if len(calls) == 2:
            raise ConnectionError("database went away")
        original(cohort_import, people)

    monkeypatch.setattr(imports, "_import_batch", failing_once)
    rows = [*VALID, "fourth@example.org,Fourth Person,nurse,KE,"]
    failed = import_file(cohort=cohort, by=manager, content=csv_bytes(rows))
    assert failed.status == "failed" and cohort.memberships.count() == 2
    client.force_login(manager)
    status_url = f"/admin/cohorts/{cohort.pk}/imports/{failed.pk}/"
    assert "Run the import again" in client.get(status_url).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(status_url + "retry/")
    failed.refresh_from_db()
    assert (failed.status, failed.created_users, failed.enrolled) == ("done", 4, 4)
    assert cohort.memberships.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["amina.yusuf@example.org", "ravi.sharma@example.org", "wang@example.org",
         "fourth@example.org"])


def test_uploaded_files_are_kept_outside_media_under_a_random_name(setup, settings):
    from pathlib import Path

    cohort, manager, _course = setup
    done = import_file(cohort=cohort, by=manager, content=csv_bytes(VALID[:1]))
    stored = Path(done.file.path)
    assert stored.is_file() and stored.name != "learners.csv"
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    assert done.original_name == "learners.csv"
