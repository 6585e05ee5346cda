"""Private files (cohort uploads and exports, course packages) go through one private
storage: local folders outside MEDIA_ROOT on one machine, object storage in the scale-out
profile, so the upload taken by one app server is read by a worker on another machine."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from cohorts.models import CohortImport, ExportStorage, ImportStorage
from lms.core.storage import PrivateStorage
from packages.models import PackageStorage
from tests.cohorts.helpers import csv_bytes, import_file, make_cohort, make_manager

OBJECT_STORAGE = {"BACKEND": "django.core.files.storage.InMemoryStorage",
                  "OPTIONS": {"location": "private"}}


@pytest.fixture
def object_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "private": OBJECT_STORAGE}


def _local_files(storage: PrivateStorage) -> list[Path]:
    folder = Path(storage.local_dir())
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_without_object_storage_private_files_are_local_and_outside_media(settings):
    for storage in (ImportStorage(), ExportStorage(), PackageStorage()):
        name = storage.save("example.csv", ContentFile(b"a,b\n"))
        assert storage.open(name).read() == b"a,b\n"
        folder = Path(storage.local_dir()).resolve()
        assert (folder / name).is_file()
        assert Path(settings.MEDIA_ROOT).resolve() not in folder.parents


def test_with_object_storage_each_kind_has_its_own_prefix_and_no_local_file(object_storage):
    names = {}
    for storage in (ImportStorage(), ExportStorage(), PackageStorage()):
        names[storage.kind] = storage.save("example.csv", ContentFile(storage.kind.encode()))
        assert _local_files(storage) == []
    for storage in (ImportStorage(), ExportStorage(), PackageStorage()):
        backend = storage.backend()
        assert isinstance(backend, InMemoryStorage)
        assert backend.location.endswith(f"private/{storage.kind}")
        assert storage.open(names[storage.kind]).read() == storage.kind.encode()


def test_private_files_have_no_url(object_storage):
    with pytest.raises(ValueError, match="no URL"):
        ImportStorage().url("anything.csv")


@pytest.mark.django_db
def test_a_cohort_import_is_read_back_from_object_storage(object_storage, course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    done = import_file(cohort=cohort, by=manager,
                       content=csv_bytes(["amina@example.org,Amina Yusuf,Nurse,KE,"]))
    assert done.status == "done", done.errors
    assert cohort.memberships.count() == 1
    stored = CohortImport.objects.get(pk=done.pk).file
    assert stored.storage.backend().exists(stored.name)
    assert _local_files(ImportStorage()) == []
