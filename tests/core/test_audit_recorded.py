"""Each audited action, done the way people do it, shows in the audit trail report with
who, what, when and from where; a refused or failed action leaves no entry."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from certificates import api as certificates_api
from lms.core import api
from lms.core.models import AuditEntry, User
from lms.core.roles import Role
from tests import factories
from tests.certificates.conftest import complete_course
from tests.cohorts.helpers import csv_bytes, make_cohort, make_manager, make_site_admin, upload

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/audit-trail/"
FROM = {"REMOTE_ADDR": "192.0.2.77", "HTTP_USER_AGENT": "KaiOS Browser"}


@pytest.fixture
def root():
    user = factories.make_user(email="root@example.org")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def in_report(client, root, action, *texts):
    """The report, filtered to ``action``, as a superuser reads it, shows ``texts``."""
    client.force_login(root)
    page = client.get(REPORT, {"action": action}).content.decode()
    missing = [text for text in texts if text not in page]
    assert not missing, f"not in the audit trail: {missing}"
    return page


def test_revoking_and_reissuing_a_certificate_in_the_admin(client, root, learner):
    tree = factories.make_course_tree(modules=1, title="Preventing SJS/TEN")
    complete_course(learner, tree)
    certificate = certificates_api.issue_certificate(user=learner, course=tree.course)
    admin = make_site_admin()
    client.force_login(admin)
    client.post(reverse("certificates_admin_reissue", args=[certificate.pk]),
                {"reason": "Name corrected"}, **FROM)
    new = certificates_api.current_certificate(user=learner, course=tree.course)
    client.post(reverse("certificates_admin_revoke", args=[new.pk]),
                {"reason": "Issued in error"}, **FROM)

    in_report(client, root, "certificate_reissued", "siteadmin@example.org", "Name corrected",
              certificate.public_id, "192.0.2.77", "KaiOS Browser", "amina@example.org")
    in_report(client, root, "certificate_revoked", "Issued in error", new.public_id)


def test_a_refused_revocation_leaves_no_entry(client, learner):
    tree = factories.make_course_tree(modules=1)
    complete_course(learner, tree)
    certificate = certificates_api.issue_certificate(user=learner, course=tree.course)
    client.force_login(make_site_admin())
    client.post(reverse("certificates_admin_revoke", args=[certificate.pk]), {"reason": " "})
    certificates_api.revoke(certificate=certificate, actor=None, reason="first")
    with pytest.raises(certificates_api.CertificateError):
        certificates_api.revoke(certificate=certificate, actor=None, reason="again")
    assert list(AuditEntry.objects.filter(action="certificate_revoked")
                .values_list("summary", flat=True)) == ["first"]


def test_naming_and_removing_a_cohort_manager(client, root):
    admin, manager = make_site_admin(), make_manager()
    cohort = make_cohort()
    client.force_login(admin)
    edit = f"/admin/cohorts/{cohort.pk}/edit/"
    client.post(edit, {"name": cohort.name, "organisation": "KNH", "managers": [manager.pk]},
                **FROM)
    client.post(edit, {"name": cohort.name, "organisation": "KNH", "managers": []}, **FROM)

    granted = in_report(client, root, "role_granted", "Cohort manager of Kisumu nurses 2026",
                        "manager@example.org", "192.0.2.77")
    assert "siteadmin@example.org" in granted
    in_report(client, root, "role_revoked", "Cohort manager of Kisumu nurses 2026")


def test_a_role_given_outside_a_request_is_recorded_as_the_system(client, root, learner):
    api.assign_role(user=learner, role=Role.EDUCATOR)  # as a command or the shell would
    entry = AuditEntry.objects.get(action="role_granted")
    assert (entry.actor, entry.subject, entry.ip_address) == (None, learner, None)
    page = in_report(client, root, "role_granted", "Educator", "amina@example.org")
    assert "System" in page


def test_a_cohort_csv_import(client, root, course_tree, django_capture_on_commit_callbacks):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    client.force_login(manager)
    form = client.get(f"/admin/cohorts/{cohort.pk}/imports/new/")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/admin/cohorts/{cohort.pk}/imports/new/", {
            "file": upload(csv_bytes(["zawadi@example.org,Zawadi,nurse,KE,"]), "ward.csv"),
            "idempotency_key": form.context["form"].initial["idempotency_key"]}, **FROM)

    in_report(client, root, "import_run", "manager@example.org", "ward.csv",
              "Kisumu nurses 2026", "192.0.2.77")


def test_a_cohort_export_once_however_often_it_is_asked_for(
        client, root, django_capture_on_commit_callbacks):
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):  # a double click: one export, one entry
            client.post(reverse("cohorts:export_csv", args=[cohort.pk]), **FROM)
    assert AuditEntry.objects.filter(action="export_made").count() == 1
    in_report(client, root, "export_made", "manager@example.org", "Kisumu nurses 2026",
              "CSV", "192.0.2.77")


GIFT = "::HLA::Which drug needs HLA-B*15\\:02 screening first? {=Carbamazepine ~Paracetamol}\n"


@pytest.fixture
def author(client):
    person = factories.make_user(email="grace@example.org")
    api.assign_role(user=person, role=Role.EDUCATOR)
    person.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="assessments",
        codename__in=["add_question", "change_question", "view_question"]))
    return person


def test_a_gift_import_and_export_of_questions(client, root, author):
    client.force_login(author)
    client.post("/admin/assessments/import/", {
        "file": SimpleUploadedFile("hla.gift", GIFT.encode()), "format": "auto", "domain": "",
        "topic": "", "difficulty": ""}, **FROM)
    client.get("/admin/assessments/export/", {"topic": ""}, **FROM)

    in_report(client, root, "import_run", "grace@example.org", "hla.gift (gift)",
              "1 new, 0 updated", "192.0.2.77")
    in_report(client, root, "export_made", "grace@example.org", "GIFT: 1 questions",
              "192.0.2.77")


def test_a_broken_gift_file_imports_nothing_and_records_nothing(client, author):
    client.force_login(author)
    client.post("/admin/assessments/import/", {
        "file": SimpleUploadedFile("bad.gift", b"::X:: no answers here {"), "format": "auto",
        "domain": "", "topic": "", "difficulty": ""})
    assert not AuditEntry.objects.filter(action="import_run").exists()


def test_a_course_package_export_and_import_on_the_web_and_by_command(
        client, root, tmp_path, django_capture_on_commit_callbacks):
    from tests.packages import helpers

    tree = factories.make_course_tree(modules=1, title="Warfarin dosing")
    admin = make_site_admin()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("packages:export", args=[tree.course.pk]), **FROM)
        client.post(reverse("packages:import"), {
            "package": SimpleUploadedFile("warfarin.allele.zip",
                                          helpers.export_bytes(tree.course)),
            "domain": "pharmacogenomics"}, **FROM)
    package = tmp_path / "warfarin.allele.zip"
    call_command("export_course_package", str(tree.course.pk), str(package))
    call_command("import_course_package", str(package), "--domain", "pharmacogenomics")

    exports = in_report(client, root, "export_made", "Course package of Warfarin dosing",
                        "siteadmin@example.org", "192.0.2.77", "warfarin.allele.zip")
    assert "System" in exports  # the command line
    in_report(client, root, "import_run", "warfarin.allele.zip into pharmacogenomics",
              "manage.py import_course_package warfarin.allele.zip")


def test_an_account_deleted_in_the_user_admin_names_the_administrator(client, root, learner):
    learner_pk = learner.pk
    client.force_login(root)
    response = client.post(reverse("wagtailusers_users:delete", args=[learner_pk]), **FROM)
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner_pk).exists()
    entry = AuditEntry.objects.get(action="account_deleted")
    assert (entry.actor, entry.target_id, entry.ip_address) == (root, str(learner_pk),
                                                                "192.0.2.77")
    in_report(client, root, "account_deleted", "root@example.org",
              "Account deleted by an administrator", "KaiOS Browser")


def test_an_account_deleted_outside_a_request_is_recorded_as_the_system(learner):
    learner.delete()
    entry = AuditEntry.objects.get(action="account_deleted")
    assert entry.actor is None and entry.summary == "Account deleted by the system"


def test_an_account_deleted_by_its_holder_is_recorded_once(learner):
    assert api.delete_account(user=learner)
    entry = AuditEntry.objects.get(action="account_deleted")  # exactly one
    assert entry.summary == "Account deleted by its holder"
