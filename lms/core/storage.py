"""Private files: cohort CSV uploads, cohort exports, course packages, learners' data exports.

They hold personal data or unpublished drafts, so they have no public URL: permission-checked
views stream them. Where they live is one decision for every kind of private file:

- on one machine, a folder of the local disk outside ``MEDIA_ROOT``, which each kind's own
  setting names (``ALLELE_COHORT_IMPORT_DIR``, ``ALLELE_PACKAGE_DIR``...);
- in the scale-out profile (``STORAGES["private"]`` is set: lms/settings.py sets it with
  ``AWS_STORAGE_BUCKET_NAME``), under that storage, one prefix per kind. The app server that
  took an upload and the worker that reads it then share no disk (docs/deploy.md).

A subclass names its kind and its local folder; the backend is chosen on every call, so a
changed setting (a test's temporary folder) takes effect at once.
"""

import functools
import json

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

__all__ = ["PrivateStorage"]


@functools.lru_cache(maxsize=32)
def _object_storage(kind: str, params: str) -> Storage:
    config = json.loads(params)
    options = dict(config.get("OPTIONS", {}))
    options["location"] = "/".join(part for part in (options.get("location"), kind) if part)
    return storages.create_storage({**config, "OPTIONS": options})


class PrivateStorage(Storage):
    """A private file storage for one kind of file; see the module docstring."""

    kind: str = ""

    def local_dir(self) -> str:
        raise NotImplementedError

    def backend(self) -> Storage:
        private = settings.STORAGES.get("private")
        if private:
            return _object_storage(self.kind, json.dumps(private, sort_keys=True))
        return FileSystemStorage(location=self.local_dir(), base_url=None)

    # Everything a FileField and this project's code use, handed to the backend.
    def open(self, name, mode="rb"):
        return self.backend().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend().save(name, content, max_length=max_length)

    def delete(self, name):
        return self.backend().delete(name)

    def exists(self, name):
        return self.backend().exists(name)

    def listdir(self, path):
        return self.backend().listdir(path)

    def size(self, name):
        return self.backend().size(name)

    def url(self, name):
        raise ValueError("Private files have no URL; a permission-checked view streams them.")

    def path(self, name):
        return self.backend().path(name)

    def get_valid_name(self, name):
        return self.backend().get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend().generate_filename(filename)

    def get_modified_time(self, name):
        return self.backend().get_modified_time(name)

    def get_created_time(self, name):
        return self.backend().get_created_time(name)

    def get_accessed_time(self, name):
        return self.backend().get_accessed_time(name)
