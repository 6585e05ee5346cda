"""The package file: writing a ``.allele.zip`` and reading one back without trusting it.

``read_package`` checks everything before anything is imported: that the file is a
whole ZIP archive within the size and file-count limits, that no entry is a link or
points outside the archive, that ``manifest.json`` is of a format version this site
reads, that the archive holds exactly the files the manifest lists with their sizes
and SHA-256 digests, and that ``course.json`` is well-formed and matches its schema.
Any failure raises :class:`PackageError` with a message for the person importing.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from packages import conf
from packages.validation import SchemaViolation, validate

FORMAT_NAME = "allele-course-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
COURSE = "course.json"
MAX_JSON_BYTES = 64 * 1024 * 1024
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed, so the same content gives the same archive


class PackageError(ValueError):
    """A package that cannot be imported; ``str(error)`` says why, for the importer."""


@dataclass(frozen=True)
class Package:
    manifest: dict
    content: dict  # course.json
    files: dict[str, bytes]  # every media file, by its path in the archive

    @property
    def source_site(self) -> str:
        return self.manifest["source_site"]


# --- Writing ---------------------------------------------------------------------------------


def _dumps(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def write_package(out: BinaryIO, *, content: dict, media: dict[str, bytes], source_site: str,
                  allele_version: str, exported_at: datetime | None = None) -> dict:
    """Write the archive to ``out``; returns its manifest."""
    files = {COURSE: _dumps(content), **media}
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "allele_version": allele_version,
        "source_site": source_site,
        "exported_at": (exported_at or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
        "course": {"key": content["course"]["key"], "title": content["course"]["title"]},
        "files": [{"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for path, data in files.items()],
    }
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in [(MANIFEST, _dumps(manifest)), *files.items()]:
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if path.endswith(".json") else (
                zipfile.ZIP_STORED)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
    return manifest


# --- Reading ---------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return _("%s MB") % number_format(round(size / (1024 * 1024)))  # Django's own msgid


def _open(source: BinaryIO) -> zipfile.ZipFile:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size > conf.max_bytes():
        raise PackageError(_("The package is %(size)s, more than this site accepts "
                             "(%(limit)s).") % {"size": _megabytes(size),
                                                "limit": _megabytes(conf.max_bytes())})
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise PackageError(_("This file is not a course package: it is not a ZIP archive, "
                             "or it is incomplete (a download or upload cut short).")) from error


def _check_entry(info: zipfile.ZipInfo) -> None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageError(_("The package is refused: %(name)r is a symbolic link.")
                           % {"name": name})
    parts = name.split("/")
    if (name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts
            or "\x00" in name or any(part in ("", ".") for part in parts[:-1])):
        raise PackageError(_("The package is refused: the path %(name)r points outside it.")
                           % {"name": name})


def _entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > conf.max_files():
        raise PackageError(_("The package holds %(count)s files, more than this site "
                             "accepts (%(limit)s).") % {"count": len(infos),
                                                        "limit": conf.max_files()})
    total = sum(info.file_size for info in infos)
    if total > conf.max_bytes():
        raise PackageError(_("The package would unpack to %(size)s, more than this site "
                             "accepts (%(limit)s).") % {"size": _megabytes(total),
                                                        "limit": _megabytes(conf.max_bytes())})
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_entry(info)
        if info.is_dir():
            continue
        if info.filename in entries:
            raise PackageError(_("The package holds %(name)r twice.") % {"name": info.filename})
        entries[info.filename] = info
    return entries


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise PackageError(_("The package is damaged: %(name)r cannot be read (%(error)s).")
                           % {"name": info.filename, "error": error}) from error
    if len(data) > limit:
        raise PackageError(_("The package is refused: %(name)r is larger than its manifest "
                             "says.") % {"name": info.filename})
    return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _unique_keys(pairs: list) -> dict:
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key appears twice in one object")
    return dict(pairs)


def parse_json(data: bytes, name: str) -> dict:
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_reject_constant,
                              object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise PackageError(_("The package is damaged: %(name)s is not valid JSON (%(error)s).")
                           % {"name": name, "error": str(error)[:200]}) from error
    if not isinstance(document, dict):
        raise PackageError(_("The package is damaged: %(name)s must hold a JSON object.")
                           % {"name": name})
    return document


def check_version(manifest: dict) -> None:
    """Refuse another format, or a format version this site does not read."""
    if manifest.get("format") != FORMAT_NAME:
        raise PackageError(_("This is not an Allele course package (manifest.json names the "
                             "format %(format)r).") % {"format": str(manifest.get("format"))[:60]})
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PackageError(_("The package's manifest.json has no valid format_version."))
    if version > FORMAT_VERSION:
        raise PackageError(_(
            "This package uses format version %(version)s, newer than this site reads "
            "(version %(reads)s). Update Allele on this site to import it.")
            % {"version": version, "reads": FORMAT_VERSION})
    if version < FORMAT_VERSION:
        raise PackageError(_(
            "This package uses format version %(version)s, which this site no longer reads "
            "(it reads version %(reads)s). Export it again from an updated site.")
            % {"version": version, "reads": FORMAT_VERSION})


def _schema(document: dict, schema_name: str, name: str) -> None:
    try:
        validate(document, schema_name=schema_name, where=name)
    except SchemaViolation as error:
        raise PackageError(_("The package does not follow the format: %(error)s.")
                           % {"error": error}) from error


def _read_manifest(archive, entries) -> dict:
    if MANIFEST not in entries:
        raise PackageError(_("This is not a course package: it has no manifest.json."))
    manifest = parse_json(_read(archive, entries[MANIFEST], MAX_JSON_BYTES), MANIFEST)
    check_version(manifest)
    _schema(manifest, "manifest", MANIFEST)
    return manifest


def _read_listed(archive, entries, manifest) -> dict[str, bytes]:
    listed = {entry["path"]: entry for entry in manifest["files"]}
    if len(listed) != len(manifest["files"]):
        raise PackageError(_("The package's manifest lists a file twice."))
    extra = sorted(set(entries) - set(listed) - {MANIFEST})
    if extra:
        raise PackageError(_("The package holds a file its manifest does not list: %(name)r.")
                           % {"name": extra[0]})
    missing = sorted(set(listed) - set(entries))
    if missing:
        raise PackageError(_("The package is incomplete: %(name)r is missing.")
                           % {"name": missing[0]})
    files = {}
    for path, entry in listed.items():
        data = _read(archive, entries[path], entry["size"])
        if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise PackageError(_("The package was altered or damaged: %(name)r does not "
                                 "match the checksum in its manifest.") % {"name": path})
        files[path] = data
    return files


def _check_media(content: dict, files: dict[str, bytes]) -> None:
    for entry in content["media"]:
        data = files.get(entry["path"])
        if data is None:
            raise PackageError(_("The package is incomplete: %(name)r is missing.")
                               % {"name": entry["path"]})
        if entry["key"] != f"{entry['kind']}:{hashlib.sha256(data).hexdigest()}":
            raise PackageError(_("The package was altered: %(name)r is not the file its key "
                                 "%(key)r names.") % {"name": entry["path"], "key": entry["key"]})


def read_package(source: BinaryIO) -> Package:
    """The package in ``source``, checked through (see the module docstring)."""
    with _open(source) as archive:
        entries = _entries(archive)
        manifest = _read_manifest(archive, entries)
        files = _read_listed(archive, entries, manifest)
    if COURSE not in files:
        raise PackageError(_("The package is incomplete: course.json is missing."))
    content = parse_json(files.pop(COURSE), COURSE)
    _schema(content, "course", COURSE)
    _check_media(content, files)
    return Package(manifest=manifest, content=content, files=files)
