"""Acceptance: a truncated, malformed, tampered, mismatched-version or hostile package is
refused with a clear message, its job is marked failed, and nothing changes: no rows
(counted for every model an import writes) and no media files."""

import hashlib
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from packages import api
from packages.models import PackageJob
from tests import factories
from tests.packages import helpers
from tests.packages.conftest import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(packaged_course) -> bytes:
    return helpers.export_bytes(packaged_course.course)


@pytest.fixture
def administrator(db):
    return factories.make_user(email="admin@example.org", is_superuser=True, is_staff=True)


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def refused(data: bytes, administrator, capture) -> PackageJob:
    """Upload ``data`` as an import job and run it; assert that nothing changed."""
    before, files = helpers.counts(), media_files()
    with capture(execute=True):
        job = api.request_import(user=administrator, domain_slug="pharmacogenomics",
                                 publish=True, upload=SimpleUploadedFile("p.allele.zip", data))
    job.refresh_from_db()
    assert job.status == PackageJob.Status.FAILED
    assert helpers.counts() == before
    assert media_files() == files
    return job


def _manifest_edit(package: bytes, **changes) -> bytes:
    files = helpers.entries(package)
    manifest = {**json.loads(files["manifest.json"]), **changes}
    return helpers.build(files, manifest=manifest, reseal=False)


def _entry(name: str, mode: int = stat.S_IFREG | 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


def test_a_file_that_is_not_a_zip_archive(administrator, django_capture_on_commit_callbacks):
    job = refused(b"%PDF-1.4 not a package", administrator, django_capture_on_commit_callbacks)
    assert "not a ZIP archive" in job.message


def test_a_truncated_package(package, administrator, django_capture_on_commit_callbacks):
    job = refused(package[: len(package) // 2], administrator,
                  django_capture_on_commit_callbacks)
    assert "incomplete" in job.message or "damaged" in job.message


def test_malformed_json(package, administrator, django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    files["course.json"] = files["course.json"][:-20]
    job = refused(helpers.build(files), administrator, django_capture_on_commit_callbacks)
    assert "course.json is not valid JSON" in job.message


def test_a_tampered_file_fails_its_checksum(package, administrator,
                                            django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    files["course.json"] = files["course.json"].replace(b"Carbamazepine", b"Paracetamol!")
    job = refused(helpers.build(files, reseal=False), administrator,
                  django_capture_on_commit_callbacks)
    assert "altered or damaged" in job.message and "course.json" in job.message


def test_a_tampered_image_fails_its_checksum(package, administrator,
                                             django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    image_path = next(path for path in files if path.startswith("media/images/"))
    files[image_path] = png_bytes(colour=(200, 0, 0))
    job = refused(helpers.build(files, reseal=False), administrator,
                  django_capture_on_commit_callbacks)
    assert "does not match the checksum" in job.message


def test_a_newer_format_version_is_refused(package, administrator,
                                           django_capture_on_commit_callbacks):
    job = refused(_manifest_edit(package, format_version=2), administrator,
                  django_capture_on_commit_callbacks)
    assert "format version 2, newer than this site reads (version 1)" in job.message


def test_an_older_format_version_is_refused(package, administrator,
                                            django_capture_on_commit_callbacks):
    job = refused(_manifest_edit(package, format_version=0), administrator,
                  django_capture_on_commit_callbacks)
    assert "format version 0" in job.message and "no longer reads" in job.message


def test_another_format_is_refused(package, administrator, django_capture_on_commit_callbacks):
    job = refused(_manifest_edit(package, format="imscc"), administrator,
                  django_capture_on_commit_callbacks)
    assert "not an Allele course package" in job.message


@pytest.mark.parametrize("name", ["../evil.txt", "media/../../evil.txt", "/etc/evil.txt",
                                  "C:/evil.txt", "media\\..\\evil.txt"])
def test_a_path_outside_the_package_is_refused(name, package, administrator,
                                               django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    data = helpers.build(files, infos=[(_entry(name), b"x")])
    job = refused(data, administrator, django_capture_on_commit_callbacks)
    assert "points outside it" in job.message


def test_a_symbolic_link_is_refused(package, administrator, django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    link = _entry("media/images/link.png", stat.S_IFLNK | 0o777)
    job = refused(helpers.build(files, infos=[(link, b"/etc/passwd")]), administrator,
                  django_capture_on_commit_callbacks)
    assert "symbolic link" in job.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(package, administrator, settings,
                                                     django_capture_on_commit_callbacks):
    settings.ALLELE_PACKAGE_MAX_BYTES = 2 * 1024 * 1024
    files = helpers.entries(package)
    bomb = _entry("media/documents/bomb.pdf")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    data = helpers.build(files, infos=[(bomb, b"\0" * (3 * 1024 * 1024))])
    assert len(data) < 100_000
    job = refused(data, administrator, django_capture_on_commit_callbacks)
    assert "would unpack to 3 MB, more than this site accepts (2 MB)" in job.message


def test_too_many_files_are_refused(package, administrator, settings,
                                    django_capture_on_commit_callbacks):
    count = len(helpers.entries(package))
    assert count == 6  # manifest, course.json, an image, three documents
    settings.ALLELE_PACKAGE_MAX_FILES = count - 1
    job = refused(package, administrator, django_capture_on_commit_callbacks)
    assert f"holds {count} files, more than this site accepts ({count - 1})" in job.message


def test_a_file_the_manifest_does_not_list(package, administrator,
                                           django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    data = helpers.build(files, reseal=False, infos=[(_entry("media/images/extra.png"), b"x")])
    job = refused(data, administrator, django_capture_on_commit_callbacks)
    assert "does not list: 'media/images/extra.png'" in job.message


def test_a_listed_file_that_is_missing(package, administrator,
                                       django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    manifest = json.loads(files["manifest.json"])
    image_path = next(path for path in files if path.startswith("media/images/"))
    del files[image_path]
    job = refused(helpers.build(files, manifest=manifest, reseal=False), administrator,
                  django_capture_on_commit_callbacks)
    assert f"{image_path!r} is missing" in job.message


def test_a_schema_violation_names_the_field(package, administrator,
                                            django_capture_on_commit_callbacks):
    def edit(content):
        content["course"]["modules"][2]["fields"]["estimated_minutes"] = "a while"

    job = refused(helpers.with_content(package, edit), administrator,
                  django_capture_on_commit_callbacks)
    assert "course.json.course.modules[2].fields.estimated_minutes: must be integer" in (
        job.message)


def test_an_unknown_block_type_is_refused_and_stored_media_removed(
        package, administrator, django_capture_on_commit_callbacks):
    # Without the images and documents here, the import stores them before it meets the
    # bad block; they must go again.
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()

    def edit(content):
        content["course"]["modules"][3]["fields"]["body"].append(
            {"type": "raw_html", "value": "<script>alert(1)</script>", "id": "x"})

    job = refused(helpers.with_content(package, edit), administrator,
                  django_capture_on_commit_callbacks)
    assert "unknown block type 'raw_html'" in job.message


def test_an_unknown_field_is_refused(package, administrator, django_capture_on_commit_callbacks):
    def edit(content):
        content["course"]["modules"][0]["fields"]["body"][0]["value"]["onclick"] = "x"

    job = refused(helpers.with_content(package, edit), administrator,
                  django_capture_on_commit_callbacks)
    assert "unknown field 'onclick'" in job.message


def test_an_svg_image_is_refused(package, administrator, django_capture_on_commit_callbacks):
    files = helpers.entries(package)
    content = json.loads(files["course.json"])
    entry = next(e for e in content["media"] if e["kind"] == "image")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    digest = hashlib.sha256(svg).hexdigest()
    del files[entry["path"]]
    entry.update(key=f"image:{digest}", path=f"media/images/{digest}.png")
    files[entry["path"]] = svg
    files["course.json"] = json.dumps(content).encode()
    job = refused(helpers.build(files), administrator, django_capture_on_commit_callbacks)
    assert "image that cannot be read" in job.message


def test_a_document_of_a_refused_type(package, administrator,
                                      django_capture_on_commit_callbacks):
    def edit(content):
        next(e for e in content["media"] if e["kind"] == "document")["filename"] = "x.html"

    job = refused(helpers.with_content(package, edit), administrator,
                  django_capture_on_commit_callbacks)
    assert "document of a type this site does not accept: 'x.html'" in job.message


def test_a_domain_that_does_not_exist(package, administrator,
                                      django_capture_on_commit_callbacks):
    before = helpers.counts()
    with django_capture_on_commit_callbacks(execute=True):
        job = api.request_import(user=administrator, domain_slug="astrology", publish=False,
                                 upload=SimpleUploadedFile("p.zip", package))
    job.refresh_from_db()
    assert job.status == PackageJob.Status.FAILED
    assert "There is no domain 'astrology'" in job.message
    assert helpers.counts() == before


def test_the_refusal_is_worded_in_the_language_of_whoever_asked(
        package, administrator, settings, django_capture_on_commit_callbacks):
    settings.ALLELE_PACKAGE_MAX_BYTES = 2 * 1024 * 1024
    files = helpers.entries(package)
    bomb = _entry("media/documents/bomb.pdf")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    data = helpers.build(files, infos=[(bomb, b"\0" * (3 * 1024 * 1024))])
    # She asks in French; the worker runs the job later, with no request (English).
    with django_capture_on_commit_callbacks(execute=False) as callbacks, \
            translation.override("fr"):
        job = api.request_import(user=administrator, domain_slug="pharmacogenomics",
                                 publish=True, upload=SimpleUploadedFile("p.zip", data))
    assert translation.get_language() == "en"
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == PackageJob.Status.FAILED
    # French megabytes: Django's own "Mio", or "Mo" once Allele's catalogue is compiled.
    assert re.search(r"\b3\s?Mi?o\b", job.message) and re.search(r"\b2\s?Mi?o\b", job.message)
    assert "MB" not in job.message
