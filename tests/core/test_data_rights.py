"""A learner's data rights: she downloads everything Allele holds about her (JSON and CSV in
one zip, built in the background, hers alone, kept a week), and deletes her account (personal
data and free-text answers erased, her certificate still verifiable). Both, and changing her
e-mail address, ask for her password again when she has not just given it."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from assessments import api as assessments_api
from assessments.models import Attempt, Response
from certificates.models import Certificate
from cohorts.models import Cohort, CohortMembership
from courses import api as courses_api
from courses.models import Enrollment, ModuleProgress
from lms.core import api
from lms.core.models import AuditAction, AuditEntry, DataExport, LearnerProfile, LearningEvent, User
from lms.core.roles import Role
from offline.models import SyncedAction
from tests import factories
from tests.assessments.test_models import VALUES
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

FREE_TEXT = "VKORC1, as for my patient Jane Doe"


def reauthenticate(client) -> None:
    response = client.post("/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302, "the password was accepted"


@pytest.fixture
def her_data(learner):
    """A learner with something in every app: enrollment and progress, a submitted quiz with
    a free-text answer, a certificate, a cohort, an offline sync."""
    tree = factories.make_course_tree(modules=2)
    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[1])
    question = factories.make_question(kind="short_text", value=VALUES["short_text"])
    quiz = factories.make_quiz(module=tree.modules[0], questions=[question])
    attempt = assessments_api.start_attempt(user=learner, quiz=quiz)
    assessments_api.save_responses(user=learner, attempt=attempt,
                                   answers={attempt.questions[0]["id"]: FREE_TEXT})
    assessments_api.submit_attempt(user=learner, attempt=attempt)
    now = timezone.now()
    certificate = Certificate.objects.create(
        user=learner, learner_name="Amina Yusuf", course=tree.course, course_title="SJS/TEN",
        tier="participation", completed_at=now, issued_at=now, issuer_name="Allele")
    cohort = Cohort.objects.create(name="Nairobi nurses 2026", organisation="KNH")
    CohortMembership.objects.create(cohort=cohort, user=learner)
    api.assign_role(user=learner, role=Role.LEARNER)  # an audit entry about her
    SyncedAction.objects.create(user=learner, key="7d3c6a2e-1111-4f6b-9a0e-3c2b1a0f9e8d",
                                action_type="complete_module", payload_digest="0" * 64,
                                made_at=now, received_at=now)
    return certificate


def build_export(client, django_capture_on_commit_callbacks):
    """Ask for an export as the page's button does; the task runs when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("data_export_request"))
    assert response.status_code == 302 and response.url == reverse("your_data")
    return DataExport.objects.latest("pk")


# --- Export ------------------------------------------------------------------------------


def test_asking_for_an_export_needs_the_password_again_and_makes_nothing(auth_client):
    response = auth_client.post(reverse("data_export_request"))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert not DataExport.objects.exists()


def test_she_downloads_everything_about_her_as_json_and_csv(
        auth_client, learner, her_data, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)
    data_export = build_export(auth_client, django_capture_on_commit_callbacks)
    assert data_export.status == DataExport.Status.DONE

    page = auth_client.get(reverse("your_data"))
    assert "no-store" in page["Cache-Control"]
    download_url = reverse("data_export_download", args=[data_export.pk])
    assert download_url in page.content.decode()

    response = auth_client.get(download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    tables = json.loads(archive.read("data.json"))["tables"]
    assert tables["profile"][0]["full_name"] == "Amina Yusuf"
    assert tables["email_addresses"][0]["email"] == "amina@example.org"
    assert len(tables["enrollments"]) == 1 and len(tables["module_progress"]) == 1
    assert tables["quiz_answers"][0]["answer"] == FREE_TEXT
    assert tables["quiz_attempts"][0]["state"] == "submitted"
    assert tables["certificates"][0]["public_id"] == her_data.public_id
    assert {event["verb"] for event in tables["learning_events"]} >= {"enrolled"}
    assert tables["cohort_memberships"][0]["cohort_id"] == Cohort.objects.get().pk
    assert len(tables["offline_synced_actions"]) == 1
    assert [entry["action"] for entry in tables["audit_entries"]] == ["role_granted"]
    assert "ip_address" not in tables["audit_entries"][0]  # whoever granted it: not hers
    for table, rows in tables.items():
        assert f"{table}.csv" in archive.namelist()
        read = list(csv.DictReader(io.StringIO(archive.read(f"{table}.csv").decode())))
        assert len(read) == len(rows), table
    answers = list(csv.DictReader(io.StringIO(archive.read("quiz_answers.csv").decode())))
    assert answers[0]["answer"] == FREE_TEXT
    entry = AuditEntry.objects.get(action=AuditAction.DATA_EXPORTED)
    assert entry.actor == learner and entry.subject == learner
    assert entry.ip_address == "127.0.0.1"


def test_no_secret_leaves_in_an_export(auth_client, learner, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)
    data_export = build_export(auth_client, django_capture_on_commit_callbacks)
    text = data_export.file.open("rb").read()
    archive = zipfile.ZipFile(io.BytesIO(text))
    account = json.loads(archive.read("data.json"))["tables"]["account"][0]
    assert "password" not in account and account["email"] == learner.email


def test_a_double_click_or_a_retry_makes_one_export(auth_client, learner):
    reauthenticate(auth_client)
    for _ in range(3):
        auth_client.post(reverse("data_export_request"))  # the task has not run yet
    assert DataExport.objects.filter(user=learner).count() == 1
    page = auth_client.get(reverse("your_data")).content.decode()
    assert "Your export is being prepared" in page


def test_only_she_can_download_her_export(
        client, auth_client, learner, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)
    data_export = build_export(auth_client, django_capture_on_commit_callbacks)
    url = reverse("data_export_download", args=[data_export.pk])
    other = factories.make_user(email="zawadi@example.org")
    client.logout()
    assert client.get(url).status_code == 302  # visitors are sent to sign in
    client.force_login(other)
    reauthenticate(client)
    assert client.get(url).status_code == 404
    assert client.get(reverse("data_export_download", args=[data_export.pk + 999])
                      ).status_code == 404


def test_the_file_expires_after_a_week(auth_client, learner, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)
    data_export = build_export(auth_client, django_capture_on_commit_callbacks)
    assert dt.timedelta(days=6) < data_export.expires_at - timezone.now() <= dt.timedelta(days=7)
    storage, name = data_export.file.storage, data_export.file.name
    assert api.purge_expired_data_exports(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not storage.exists(name)
    url = reverse("data_export_download", args=[data_export.pk])
    assert auth_client.get(url).status_code == 404
    assert "Expired" in auth_client.get(reverse("your_data")).content.decode()


def test_an_export_that_fails_says_so_and_a_new_one_can_be_asked_for(
        auth_client, learner, monkeypatch, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)

    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr("lms.core.data_rights.export_personal_data", broken)
    failed = build_export(auth_client, django_capture_on_commit_callbacks)
    assert failed.status == DataExport.Status.FAILED and "RuntimeError" in failed.error
    assert not AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).exists()
    monkeypatch.undo()
    again = build_export(auth_client, django_capture_on_commit_callbacks)
    assert again.pk != failed.pk and again.status == DataExport.Status.DONE


# --- Deletion ----------------------------------------------------------------------------


def test_deleting_needs_the_password_again_and_changes_nothing(auth_client, learner):
    assert auth_client.get(reverse("delete_account")).status_code == 200  # reading is fine
    response = auth_client.post(reverse("delete_account"), {"confirmation": "DELETE"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert User.objects.filter(pk=learner.pk).exists()


def test_deleting_without_typing_the_word_changes_nothing(auth_client, learner):
    reauthenticate(auth_client)
    response = auth_client.post(reverse("delete_account"), {"confirmation": "delete"})
    assert response.status_code == 400
    assert "Type DELETE exactly as shown to confirm." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()


def test_in_french_she_types_the_french_word(auth_client, learner):
    from django.utils import translation

    reauthenticate(auth_client)
    with translation.override("fr"):
        page = auth_client.get(reverse("delete_account"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "SUPPRIMER" in page.content.decode()
    response = auth_client.post(reverse("delete_account"), {"confirmation": "SUPPRIMER"},
                                HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()


def test_deleting_erases_her_data_and_keeps_her_certificate_verifiable(
        auth_client, learner, her_data):
    reauthenticate(auth_client)
    page = auth_client.get(reverse("delete_account")).content.decode()
    assert "so that whoever you gave it to can still verify it" in page  # what is kept

    response = auth_client.post(reverse("delete_account"), {"confirmation": "DELETE"})

    assert response.status_code == 302 and response.url == reverse("privacy")
    assert not User.objects.filter(pk=learner.pk).exists()
    for model in (LearnerProfile, LearningEvent, Enrollment, ModuleProgress, Attempt,
                  CohortMembership, SyncedAction, EmailAddress, DataExport):
        assert not model.objects.filter(user_id=learner.pk).exists(), model.__name__
    assert not Response.objects.filter(answer=FREE_TEXT).exists()
    her_data.refresh_from_db()
    assert her_data.user is None and her_data.learner_name == "Amina Yusuf"
    verified = auth_client.get(reverse("certificates:verify", args=[her_data.public_id]))
    assert verified.status_code == 200 and "Amina Yusuf" in verified.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_DELETED)
    assert entry.actor is None and entry.actor_label == "amina@example.org"
    assert entry.target_id == str(learner.pk)
    # She is signed out.
    assert auth_client.get(reverse("profile")).status_code == 302


def test_deleting_twice_deletes_once(learner, her_data):
    assert api.delete_account(user=learner) is True
    assert api.delete_account(user=learner) is False
    assert AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DELETED).count() == 1


def test_her_export_files_go_with_her_account(
        auth_client, learner, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)
    data_export = build_export(auth_client, django_capture_on_commit_callbacks)
    storage, name = data_export.file.storage, data_export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        api.delete_account(user=learner)
    assert not storage.exists(name)


def test_an_account_deleted_in_the_admin_takes_its_export_files_too(
        auth_client, learner, django_capture_on_commit_callbacks):
    reauthenticate(auth_client)
    data_export = build_export(auth_client, django_capture_on_commit_callbacks)
    storage, name = data_export.file.storage, data_export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        learner.delete()  # what Wagtail's and Django's user admin do
    assert not storage.exists(name)


# --- E-mail change -----------------------------------------------------------------------


def test_adding_an_email_address_needs_the_password_again(auth_client, learner):
    form = {"action_add": "", "email": "amina.new@example.org"}
    response = auth_client.post("/accounts/email/", form)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="amina.new@example.org").exists()

    reauthenticate(auth_client)
    auth_client.post("/accounts/email/", form)
    assert EmailAddress.objects.filter(email="amina.new@example.org").exists()


# --- Privacy page --------------------------------------------------------------------------


def test_the_privacy_page_says_what_is_kept_from_every_declaration(client, settings):
    settings.ALLELE_PRIVACY_CONTACT = "privacy@allele.example"
    page = client.get(reverse("privacy"))
    html = page.content.decode()
    assert page.status_code == 200
    for declaration in api.personal_data_declarations():
        if declaration.kept_after_erasure:
            assert str(declaration.kept_after_erasure).replace("'", "&#x27;") in html
    assert "mailto:privacy@allele.example" in html
    assert reverse("privacy") in client.get(reverse("account_signup")).content.decode()


def test_the_footer_links_to_the_privacy_page(client):
    assert f'href="{reverse("privacy")}"' in client.get(reverse("account_login")).content.decode()


# --- Races on PostgreSQL --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_export_requests_make_one_export(learner):
    from tests.concurrency import run_concurrently

    exports = run_concurrently(6, lambda: api.request_data_export(user=learner).pk)
    assert len(set(exports)) == 1
    assert DataExport.objects.filter(user=learner).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deletions_delete_once(learner):
    from tests.concurrency import run_concurrently

    results = run_concurrently(4, lambda: api.delete_account(user=learner))
    assert sorted(results) == [False, False, False, True]
    assert not User.objects.filter(pk=learner.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DELETED).count() == 1


def test_asking_for_exports_too_often_is_refused_and_queues_nothing(
        auth_client, learner, settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "data_export": "2/h"}
    reauthenticate(auth_client)
    for _ in range(2):
        assert auth_client.post(reverse("data_export_request")).status_code == 302
    DataExport.objects.update(status=DataExport.Status.FAILED)  # not reused
    refused = auth_client.post(reverse("data_export_request"))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert DataExport.objects.filter(user=learner).count() == 1
