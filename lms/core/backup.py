"""Backups: one .tar archive holding the database, the media files and a manifest.

``create_backup`` writes the archive atomically (a temporary file beside it, renamed when
complete). Its members:

- ``manifest.json``: when it was made, the Allele version, the latest applied migration of
  each app, the row count of every table, and the size and SHA-256 of each other member;
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, copied with the online backup API);
- ``media.tar.gz``: MEDIA_ROOT (uploads, and the certificate PDFs kept there);
- ``packages.tar.gz``: the private course-package folder, when there is one.

``restore_backup`` checks every member against the manifest before touching anything,
refuses a database that already holds tables unless forced, restores the database and the
files, and compares the restored row counts with the manifest.

On PostgreSQL the row counts and the dump read the same exported snapshot, so the counts
describe exactly what was dumped even while the site is being used.
"""

import hashlib
import importlib.metadata
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import environ
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

__all__ = [
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "create_backup",
    "default_backup_path",
    "restore_backup",
]

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be made, or an archive cannot (or may not) be restored."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    row_counts: dict[str, int]
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches


# --- Where things are -------------------------------------------------------------------

def default_backup_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"allele-{stamp}.tar"


def _package_dir() -> Path:
    # The same rule as packages.conf.package_dir (lms.core may not import the packages app).
    configured = getattr(settings, "ALLELE_PACKAGE_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "packages"


def _database(url: str | None) -> dict:
    """Connection settings: those of ``url``, or of Django's default database."""
    if url:
        return environ.Env.db_url_config(url)
    return dict(connections["default"].settings_dict)


def _engine(db: dict) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(_("Backups support PostgreSQL and SQLite, not %(engine)s.")
                      % {"engine": engine})


def _pg_env(db: dict) -> dict[str, str]:
    """libpq's environment for ``db`` (so no password appears on a command line)."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _pg_connect(db: dict):
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None,
    )


# --- Row counts ------------------------------------------------------------------------

PG_TABLES = ("SELECT table_name FROM information_schema.tables WHERE table_schema = "
             "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
SQLITE_TABLES = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                 "AND name NOT LIKE 'sqlite_%' ORDER BY name")


def _count_rows(cursor, tables_sql: str, quote) -> dict[str, int]:
    cursor.execute(tables_sql)
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_counts(db: dict) -> dict[str, int]:
    with _pg_connect(db) as con, con.cursor() as cursor:
        return _count_rows(cursor, PG_TABLES, _quote)


@contextmanager
def _closing_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(path)
    try:
        yield con
    finally:
        con.close()


def _migration_heads(cursor, tables) -> dict[str, str]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    heads: dict[str, str] = {}
    for app, name in cursor.fetchall():
        heads[app] = max(heads.get(app, name), name)
    return heads


# --- Backup ----------------------------------------------------------------------------

def create_backup(*, path: Path | None = None, database_url: str | None = None) -> BackupResult:
    """Write a backup archive to ``path`` (default: var/backups/allele-<UTC time>.tar)."""
    path = Path(path) if path else default_backup_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = _database(database_url)
    engine = _engine(db)
    with tempfile.TemporaryDirectory(prefix="allele-backup-") as work:
        work_dir = Path(work)
        if engine == "postgresql":
            db_part, counts, heads = _dump_postgres(db, work_dir)
        else:
            db_part, counts, heads = _copy_sqlite(db, work_dir)
        parts = [db_part]
        parts.append(_tar_dir(Path(settings.MEDIA_ROOT), work_dir / "media.tar.gz"))
        if _package_dir().is_dir():
            parts.append(_tar_dir(_package_dir(), work_dir / "packages.tar.gz"))
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "allele_version": _allele_version(),
            "engine": engine,
            "database": db_part.name,
            "migrations": heads,
            "row_counts": counts,
            "parts": {part.name: {"bytes": part.stat().st_size, "sha256": _sha256(part)}
                      for part in parts},
        }
        _write_archive(path, manifest, parts)
    return BackupResult(path=path, manifest=manifest)


def _allele_version() -> str:
    try:
        return importlib.metadata.version("allele")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _dump_postgres(db: dict, work_dir: Path) -> tuple[Path, dict[str, int], dict[str, str]]:
    """pg_dump of ``db``; the counts and migration heads read the snapshot it dumps."""
    target = work_dir / PG_DUMP
    from psycopg import IsolationLevel

    with _pg_connect(db) as con:
        con.isolation_level = IsolationLevel.REPEATABLE_READ
        con.read_only = True
        with con.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, PG_TABLES, _quote)
            heads = _migration_heads(cursor, counts)
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                 env=_pg_env(db))
        con.rollback()
    return target, counts, heads


def _copy_sqlite(db: dict, work_dir: Path) -> tuple[Path, dict[str, int], dict[str, str]]:
    """A consistent copy of the SQLite database through the online backup API."""
    target = work_dir / SQLITE_COPY
    with _sqlite_for(db) as source, _closing_sqlite(target) as copy:
        source.backup(copy)
    with _closing_sqlite(target) as con:
        cursor = con.cursor()
        counts = _count_rows(cursor, SQLITE_TABLES, _quote)
        return target, counts, _migration_heads(cursor, counts)


@contextmanager
def _sqlite_for(db: dict) -> Iterator[sqlite3.Connection]:
    """A connection to ``db``: Django's own for its database (which may live in memory,
    as under the tests), else one opened on the file."""
    default = connections["default"]
    if db is default.settings_dict or db == default.settings_dict:
        default.ensure_connection()
        yield default.connection
    else:
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        with _closing_sqlite(Path(db["NAME"])) as con:
            yield con


def _tar_dir(directory: Path, target: Path) -> Path:
    with tarfile.open(target, "w:gz") as archive:
        if directory.is_dir():
            for child in sorted(directory.iterdir()):
                archive.add(child, arcname=child.name)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(path: Path, manifest: dict, parts: list[Path]) -> None:
    """The archive, written beside ``path`` and renamed into place once complete."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    try:
        with tarfile.open(temporary, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            for part in parts:
                archive.add(part, arcname=part.name)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        # A fixed program (pg_dump, pg_restore) and arguments built here, no shell.
        completed = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(_("%(program)s is not installed (it comes with the PostgreSQL "
                            "client).") % {"program": command[0]}) from error
    if completed.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s")
                          % {"program": command[0], "error": completed.stderr.strip()})


# --- Restore ---------------------------------------------------------------------------

def restore_backup(*, path: Path, database_url: str | None = None, force: bool = False,
                   media_root: Path | None = None,
                   package_dir: Path | None = None) -> RestoreResult:
    """Restore the archive at ``path`` into ``database_url`` (default: Django's database)
    and the media folders, after checking it; then compare row counts with its manifest."""
    with tempfile.TemporaryDirectory(prefix="allele-restore-") as work:
        work_dir = Path(work)
        manifest = _verified_extract(Path(path), work_dir)
        db = _database(database_url)
        engine = _engine(db)
        if engine != manifest["engine"]:
            raise BackupError(_("This backup holds a %(backup)s database; the target is "
                                "%(target)s.") % {"backup": manifest["engine"], "target": engine})
        if not force and _has_tables(db, engine):
            raise BackupError(_("The target database already holds tables; nothing was "
                                "changed. Restore with --force to replace them."))
        if engine == "postgresql":
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  "--exit-on-error", f"--dbname={db['NAME']}", str(work_dir / PG_DUMP)],
                 env=_pg_env(db))
            counts = _pg_counts(db)
        else:
            counts = _restore_sqlite(work_dir / SQLITE_COPY, db)
        _extract_dir(work_dir / "media.tar.gz", Path(media_root or settings.MEDIA_ROOT))
        if "packages.tar.gz" in manifest["parts"]:
            _extract_dir(work_dir / "packages.tar.gz", Path(package_dir or _package_dir()))
    expected = manifest["row_counts"]
    mismatches = {table: (rows, counts.get(table)) for table, rows in expected.items()
                  if counts.get(table) != rows}
    return RestoreResult(manifest=manifest, row_counts=counts, mismatches=mismatches)


def _corrupt(reason: str) -> BackupError:
    return BackupError(_("The backup archive is corrupt or truncated (%(reason)s); nothing "
                         "was restored.") % {"reason": reason})


def _verified_extract(path: Path, work_dir: Path) -> dict:
    """The archive's manifest, once every member listed in it has been copied to
    ``work_dir`` and matches its size and checksum."""
    if not path.is_file():
        raise BackupError(_("No backup archive at %(path)s.") % {"path": path})
    try:
        with tarfile.open(path, "r:") as archive:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
            parts = manifest["parts"]
            for name, expected in parts.items():
                if "/" in name or name.startswith("."):
                    raise _corrupt(_("unexpected member %(name)s") % {"name": name})
                source = archive.extractfile(name)
                if source is None:
                    raise _corrupt(_("%(name)s is missing") % {"name": name})
                digest, size = hashlib.sha256(), 0
                with (work_dir / name).open("wb") as target:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        target.write(chunk)
                if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
                    raise _corrupt(_("%(name)s does not match its checksum") % {"name": name})
    except BackupError:
        raise
    except (tarfile.TarError, KeyError, TypeError, ValueError, EOFError, OSError) as error:
        raise _corrupt(str(error) or type(error).__name__) from error
    if manifest.get("format") != FORMAT or manifest.get("database") not in parts:
        raise _corrupt(_("the manifest does not describe a database"))
    return manifest


def _has_tables(db: dict, engine: str) -> bool:
    if engine == "postgresql":
        with _pg_connect(db) as con, con.cursor() as cursor:
            cursor.execute(PG_TABLES)
            return cursor.fetchone() is not None
    if db != connections["default"].settings_dict and not Path(db["NAME"]).exists():
        return False
    with _sqlite_for(db) as con:
        return con.execute(SQLITE_TABLES).fetchone() is not None


def _restore_sqlite(copy: Path, db: dict) -> dict[str, int]:
    """Copy the backed-up database into ``db`` through the online backup API (which
    replaces its whole content at once); its row counts afterwards."""
    with _closing_sqlite(copy) as source, _sqlite_for(db) as destination:
        source.backup(destination)
        return _count_rows(destination.cursor(), SQLITE_TABLES, _quote)


def _extract_dir(archive_path: Path, directory: Path) -> None:
    """Unpack into ``directory`` (files in the backup replace those of the same name)."""
    directory.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(directory, filter="data")

