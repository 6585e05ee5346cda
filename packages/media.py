"""Images and documents in packages: collected on export, matched or stored on import.

A file's key is its kind and SHA-256 (``image:<hex>``), so the same file is stored once
however many packages or blocks use it: an import reuses the image an earlier import
made (by the key map) or any local image with the same bytes (by Wagtail's file hash)
before it stores a new one. Image bytes are opened with Pillow before anything is
stored; only raster formats Wagtail renders are accepted (never SVG, which can carry
script), and documents only with the extensions this site allows.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from packages.archive import PackageError

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
_EXTENSION = re.compile(r"[a-z0-9]{1,8}")


def _models(kind: str):
    return get_image_model() if kind == "image" else get_document_model()


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    return suffix if _EXTENSION.fullmatch(suffix) else "bin"


@dataclass
class MediaCollector:
    """Export: gives each image or document a key and keeps its file for the archive."""

    entries: dict[str, dict] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    _keys: dict[tuple[str, int], str | None] = field(default_factory=dict)

    def key_of(self, kind: str, pk: int) -> str | None:
        if kind not in ("image", "document"):
            return None
        if (kind, pk) not in self._keys:
            self._keys[(kind, pk)] = self._collect(kind, pk)
        return self._keys[(kind, pk)]

    def _collect(self, kind: str, pk: int) -> str | None:
        obj = _models(kind).objects.filter(pk=pk).first()
        if obj is None:
            return None
        with obj.file.open("rb") as handle:
            data = handle.read()
        digest = hashlib.sha256(data).hexdigest()
        key = f"{kind}:{digest}"
        filename = PurePosixPath(obj.file.name).name
        path = f"media/{kind}s/{digest}.{_extension(filename)}"
        entry = {"key": key, "kind": kind, "path": path, "title": obj.title[:255],
                 "filename": filename[:255]}
        if kind == "image":
            entry["description"] = (getattr(obj, "description", "") or "")[:1000]
            entry["focal_point"] = None if obj.focal_point_x is None else {
                "x": obj.focal_point_x, "y": obj.focal_point_y,
                "width": obj.focal_point_width, "height": obj.focal_point_height}
        self.entries[key] = entry
        self.files[path] = data
        return key


def _check_image(data: bytes, path: str) -> None:
    try:
        with PillowImage.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.verify()
    except (OSError, SyntaxError, ValueError, PillowImage.DecompressionBombError) as error:
        raise PackageError(_("The package holds an image that cannot be read: %(path)r.")
                           % {"path": path}) from error
    if image_format not in IMAGE_FORMATS:
        raise PackageError(_("The package holds an image in a format this site does not "
                             "accept (%(format)s): %(path)r.")
                           % {"format": image_format, "path": path})


def _check_document(filename: str, path: str) -> None:
    allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    if allowed and _extension(filename) not in allowed:
        raise PackageError(_("The package holds a document of a type this site does not "
                             "accept: %(name)r (%(path)r).") % {"name": filename, "path": path})


def check_media(entries: list[dict], files: dict[str, bytes]) -> None:
    """Refuse a package whose images or documents this site would not accept."""
    for entry in entries:
        if entry["kind"] == "image":
            _check_image(files[entry["path"]], entry["path"])
        else:
            _check_document(entry["filename"], entry["path"])


@dataclass
class MediaImport:
    """Import: stores or matches each file and remembers what it wrote, so a failed
    import can remove the files (the database rows roll back with the transaction)."""

    known: dict[str, int]  # key -> local pk, from earlier imports
    local: dict[str, int] = field(default_factory=dict)
    written: list[tuple[str, object]] = field(default_factory=list)  # (name, storage)
    created: int = 0
    reused: int = 0

    def store(self, entries: list[dict], files: dict[str, bytes], *, user=None) -> None:
        for entry in entries:
            self.local[entry["key"]] = self._store_one(entry, files[entry["path"]], user)

    def _store_one(self, entry: dict, data: bytes, user) -> int:
        model = _models(entry["kind"])
        existing = model.objects.filter(pk=self.known.get(entry["key"], 0)).first() or (
            model.objects.filter(file_hash=hash_filelike(io.BytesIO(data))).first())
        if existing is not None:
            self.reused += 1
            return existing.pk
        extension = PurePosixPath(entry["path"]).suffix
        stem = PurePosixPath(entry["filename"]).stem[:80] or "file"
        obj = model(title=entry["title"] or stem, uploaded_by_user=user)
        obj.file.save(f"{_safe_name(stem)}{extension}", ContentFile(data), save=False)
        self.written.append((obj.file.name, obj.file.storage))
        if entry["kind"] == "image":
            obj.description = entry.get("description", "")
            for name, value in (entry.get("focal_point") or {}).items():
                setattr(obj, f"focal_point_{name}", value)
            with PillowImage.open(io.BytesIO(data)) as image:
                obj.width, obj.height = image.size
        obj.file_size = len(data)
        obj.file_hash = hash_filelike(io.BytesIO(data))
        obj.save()
        self.created += 1
        return obj.pk

    def local_of(self, kind: str, key: str) -> int | None:
        return self.local.get(key) if key.startswith(f"{kind}:") else None

    def remove_written(self) -> None:
        for name, storage in self.written:
            storage.delete(name)
        self.written.clear()


def _safe_name(stem: str) -> str:
    return re.sub(r"[^\w.-]+", "-", stem).strip(".-")[:80] or "file"
