"""Building, opening and tampering with package archives in tests; counting what an
import could change."""

import hashlib
import io
import json
import zipfile

from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from assessments.models import Question, Quiz, QuizQuestion
from editorial.models import Competency, CompetencyFramework, Educator, GlossaryTerm, Reference
from packages import api
from packages.models import ImportedObject

COUNTED = [Page, Revision, Question, Quiz, QuizQuestion, Reference, GlossaryTerm, Educator,
           Competency, CompetencyFramework, ImportedObject]


def export_bytes(course) -> bytes:
    buffer = io.BytesIO()
    api.export_course_package(course=course, out=buffer)
    return buffer.getvalue()


def entries(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def content_of(package: bytes) -> dict:
    return json.loads(entries(package)["course.json"])


def build(files: dict[str, bytes], *, manifest: dict | None = None, reseal: bool = True,
          infos: list[tuple[zipfile.ZipInfo, bytes]] = ()) -> bytes:
    """An archive of ``files`` whose manifest lists them with fresh checksums (unless
    ``reseal`` is False: then the manifest is ``manifest`` or the old one, unchanged)."""
    files = dict(files)
    old = json.loads(files.pop("manifest.json"))
    if reseal:
        old["files"] = [{"path": path, "size": len(data),
                         "sha256": hashlib.sha256(data).hexdigest()}
                        for path, data in files.items()]
    manifest = manifest if manifest is not None else old
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for path, data in files.items():
            archive.writestr(path, data)
        for info, data in infos:
            archive.writestr(info, data)
    return buffer.getvalue()


def with_content(package: bytes, edit) -> bytes:
    """The package with course.json edited by ``edit(content)`` and resealed."""
    files = entries(package)
    content = json.loads(files["course.json"])
    edit(content)
    files["course.json"] = json.dumps(content).encode()
    return build(files)


def counts() -> dict[str, int]:
    numbers = {model.__name__: model.objects.count() for model in COUNTED}
    numbers["Image"] = get_image_model().objects.count()
    numbers["Document"] = get_document_model().objects.count()
    numbers["Group"] = Group.objects.count()
    return numbers


def import_bytes(package: bytes, *, domain: str = "pharmacogenomics", publish: bool = False):
    return api.import_course_package(source=io.BytesIO(package), domain_slug=domain,
                                     publish=publish)
