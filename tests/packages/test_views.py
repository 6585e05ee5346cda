"""The admin interface: who may export and import, the import form, the job page (which
works without JavaScript) and the download; the management commands."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.pages import CoursePage
from lms.core.roles import Role
from packages import archive
from packages.models import PackageJob, package_storage
from tests import factories
from tests.packages import helpers

pytestmark = pytest.mark.django_db


def _member(email: str, role: Role | None = None, **extra):
    user = factories.make_user(email=email, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def educator(db):
    return _member("educator@example.org", Role.EDUCATOR)


@pytest.fixture
def site_administrator(db):
    return _member("siteadmin@example.org", Role.SITE_ADMINISTRATOR)


@pytest.fixture
def package(packaged_course) -> bytes:
    return helpers.export_bytes(packaged_course.course)


def _upload(client, package: bytes, *, publish: bool, capture, domain="policy"):
    data = {"package": SimpleUploadedFile("sjs.allele.zip", package), "domain": domain}
    if publish:
        data["publish"] = "on"
    with capture(execute=True):
        return client.post(reverse("packages:import"), data)


def test_learners_cannot_open_export_or_import(client, learner, packaged_course, package,
                                               django_capture_on_commit_callbacks):
    client.force_login(learner)
    course = packaged_course.course
    for url in (reverse("packages:index"), reverse("packages:import"),
                reverse("packages:export", args=[course.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert not response.has_header("Location") or "/login/" in response["Location"]
    response = _upload(client, package, publish=True, capture=django_capture_on_commit_callbacks)
    assert response.status_code in (302, 403) and not PackageJob.objects.exists()
    assert client.post(reverse("packages:export", args=[course.pk])).status_code in (302, 403)
    assert not PackageJob.objects.exists()


def test_a_cohort_manager_with_admin_access_may_not_use_packages(client, packaged_course):
    manager = _member("manager@example.org", Role.COHORT_MANAGER)
    client.force_login(manager)
    response = client.get(reverse("packages:export", args=[packaged_course.course.pk]))
    assert response.status_code in (302, 403)
    assert not PackageJob.objects.exists()


def test_an_educator_imports_a_package_as_drafts_and_follows_the_job(
        client, educator, packaged_course, package, django_capture_on_commit_callbacks):
    packaged_course.course.delete()
    client.force_login(educator)
    form = client.get(reverse("packages:import"))
    assert form.status_code == 200
    assert b'name="publish"' not in form.content  # only site administrators may publish

    response = _upload(client, package, publish=True, capture=django_capture_on_commit_callbacks)

    job = PackageJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "packages:job", args=[job.pk])
    assert job.status == PackageJob.Status.SUCCEEDED and job.created_by == educator
    assert not job.publish
    assert not job.file and package_storage().listdir("jobs")[1] == []  # upload removed
    page = client.get(response["Location"])
    assert b"Succeeded" in page.content and b"as drafts awaiting review" in page.content
    assert b'http-equiv="refresh"' not in page.content
    course = CoursePage.objects.get(pk=job.course_id)
    assert course.get_parent().slug == "policy" and not course.live


def test_a_site_administrator_may_publish_on_import(client, site_administrator, package,
                                                    packaged_course,
                                                    django_capture_on_commit_callbacks):
    packaged_course.course.delete()
    client.force_login(site_administrator)
    assert b'name="publish"' in client.get(reverse("packages:import")).content
    _upload(client, package, publish=True, capture=django_capture_on_commit_callbacks)
    job = PackageJob.objects.get()
    assert job.status == PackageJob.Status.SUCCEEDED and job.publish
    assert CoursePage.objects.get(pk=job.course_id).live


def test_a_bad_upload_shows_why_on_the_job_page(client, educator,
                                                django_capture_on_commit_callbacks):
    client.force_login(educator)
    response = _upload(client, b"not a zip", publish=False,
                       capture=django_capture_on_commit_callbacks)
    page = client.get(response["Location"])
    assert b"Failed" in page.content and b"not a ZIP archive" in page.content
    assert b"Nothing was changed on this site." in page.content


def test_a_running_job_page_reloads_itself_without_javascript(client, educator):
    job = PackageJob.objects.create(kind=PackageJob.Kind.IMPORT, created_by=educator,
                                    status=PackageJob.Status.RUNNING, original_name="x.zip")
    client.force_login(educator)
    page = client.get(reverse("packages:job", args=[job.pk]))
    assert b'<meta http-equiv="refresh" content="3">' in page.content
    assert reverse("packages:job", args=[job.pk]).encode() in page.content


def test_educators_see_only_their_own_jobs(client, educator, site_administrator):
    job = PackageJob.objects.create(kind=PackageJob.Kind.EXPORT, created_by=site_administrator)
    client.force_login(educator)
    assert client.get(reverse("packages:job", args=[job.pk])).status_code == 404
    client.force_login(site_administrator)
    assert client.get(reverse("packages:job", args=[job.pk])).status_code == 200


def test_a_site_administrator_exports_and_downloads_a_package(
        client, site_administrator, packaged_course, django_capture_on_commit_callbacks):
    client.force_login(site_administrator)
    course = packaged_course.course
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert reverse("packages:export", args=[course.pk]).encode() in edit_page.content
    assert client.get(reverse("packages:export", args=[course.pk])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("packages:export", args=[course.pk]))
    job = PackageJob.objects.get()
    assert job.status == PackageJob.Status.SUCCEEDED, job.message
    page = client.get(response["Location"])
    assert reverse("packages:download", args=[job.pk]).encode() in page.content

    download = client.get(reverse("packages:download", args=[job.pk]))
    assert download["Content-Disposition"] == (
        'attachment; filename="preventing-sjs-ten-with-hla-testing.allele.zip"')
    data = b"".join(download.streaming_content)
    package = archive.read_package(io.BytesIO(data))
    assert package.content["course"]["title"] == course.title
    assert len(package.content["course"]["modules"]) == 4


def test_an_educator_may_export_only_courses_she_may_edit(client, educator, packaged_course):
    client.force_login(educator)
    course = packaged_course.course
    refused = client.get(reverse("packages:export", args=[course.pk]))
    assert refused.status_code in (302, 403) and b"Export course package" not in (
        refused.content)
    CoursePage.objects.filter(pk=course.pk).update(owner=educator)
    assert client.get(reverse("packages:export", args=[course.pk])).status_code == 200


def test_the_management_commands_round_trip(packaged_course, tmp_path):
    target = tmp_path / "sjs.allele.zip"
    out = io.StringIO()
    call_command("export_course_package", packaged_course.course.url_path.split("/", 2)[2],
                 str(target), stdout=out)
    assert "Exported 'Preventing SJS/TEN with HLA testing'" in out.getvalue()
    assert zipfile.is_zipfile(target)
    call_command("import_course_package", str(target), "--domain", "policy", stdout=out)
    assert "Updated 'Preventing SJS/TEN with HLA testing' as drafts" in out.getvalue()
    packaged_course.course.delete()
    call_command("import_course_package", str(target), "--domain", "policy", "--publish",
                 stdout=out)
    assert "Created 'Preventing SJS/TEN with HLA testing' published" in out.getvalue()
    (course,) = CoursePage.objects.filter(slug="preventing-sjs-ten-with-hla-testing")
    assert course.live and course.get_parent().slug == "policy"


def test_the_import_command_reports_a_refusal(tmp_path):
    bad = tmp_path / "bad.allele.zip"
    bad.write_bytes(b"garbage")
    with pytest.raises(CommandError, match="not a ZIP archive"):
        call_command("import_course_package", str(bad), "--domain", "policy")
    with pytest.raises(CommandError, match="There is no course"):
        call_command("export_course_package", "/nowhere/", str(tmp_path / "x.zip"))


def test_the_domain_listing_offers_export_for_its_courses(client, site_administrator,
                                                          packaged_course):
    client.force_login(site_administrator)
    course = packaged_course.course
    listing = client.get(reverse("wagtailadmin_explore", args=[course.get_parent().pk]))
    assert listing.status_code == 200
    assert reverse("packages:export", args=[course.pk]).encode() in listing.content
    modules = client.get(reverse("wagtailadmin_explore", args=[course.pk]))
    assert b"/admin/packages/export/" not in modules.content.replace(
        reverse("packages:export", args=[course.pk]).encode(), b"")


def test_an_import_may_not_update_a_course_the_educator_may_not_edit(
        client, educator, packaged_course, package, django_capture_on_commit_callbacks):
    client.force_login(educator)
    before = helpers.counts()
    _upload(client, package, publish=False, capture=django_capture_on_commit_callbacks)
    job = PackageJob.objects.get()
    assert job.status == PackageJob.Status.FAILED
    assert "updates a page you may not edit" in job.message
    assert helpers.counts() == before


def test_an_educator_may_update_the_course_her_import_made(
        client, educator, packaged_course, package, django_capture_on_commit_callbacks):
    packaged_course.course.delete()
    client.force_login(educator)
    _upload(client, package, publish=False, capture=django_capture_on_commit_callbacks)
    _upload(client, package, publish=False, capture=django_capture_on_commit_callbacks)
    first, second = PackageJob.objects.order_by("pk")
    assert first.status == second.status == PackageJob.Status.SUCCEEDED, second.message
    assert first.course_id == second.course_id
    assert CoursePage.objects.get(pk=first.course_id).owner == educator
