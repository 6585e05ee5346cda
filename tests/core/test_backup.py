"""make backup / make restore (lms/core/backup.py): a backup restored into a scratch
database holds the same rows and media files; a corrupt or truncated archive, or a target
that already holds tables, is refused and nothing changes."""

import hashlib
import io
import json
import tarfile
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from assessments import api as assessments_api
from certificates.models import Certificate
from courses.models import Enrollment
from tests import factories
from tests.certificates.conftest import complete_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="the SQLite backup path (SQLite runs)")

MEDIA_BYTES = b"%PDF-1.7 a handout for the pharmacogenomics course\n" * 20


@pytest.fixture
def learning_data():
    """Two learners, one who completed a course (so she holds a certificate) and started a
    quiz attempt, and a media file."""
    tree = factories.make_course_tree(modules=2)
    learner = factories.make_user(email="amina@example.org")
    factories.make_user(email="kofi@example.org")
    complete_course(learner, tree)
    quiz = factories.make_quiz(module=tree.modules[0])
    assessments_api.start_attempt(user=learner, quiz=quiz)
    name = default_storage.save("documents/handout.pdf", ContentFile(MEDIA_BYTES))
    assert Certificate.objects.filter(user=learner).exists()
    assert Enrollment.objects.filter(user=learner).exists()
    return name


def counts_here() -> dict[str, int]:
    """Row counts of every table of the test database, through Django."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def backup_to(path):
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def restore(archive, url, tmp_path, *, force=False):
    call_command("restore", str(archive), database_url=url, force=force,
                 media_root=str(tmp_path / "restored-media"),
                 package_dir=str(tmp_path / "restored-packages"),
                 stdout=io.StringIO())


def corrupted_copy(archive, tmp_path):
    """The archive with one byte changed in the middle of its database member."""
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        member = tar.getmember(manifest["database"])
    data = bytearray(archive.read_bytes())
    middle = member.offset_data + member.size // 2
    data[middle] ^= 0xFF
    target = tmp_path / "corrupt.tar"
    target.write_bytes(bytes(data))
    return target


def truncated_copy(archive, tmp_path):
    target = tmp_path / "truncated.tar"
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return target


# --- PostgreSQL -------------------------------------------------------------------------

@pytest.fixture
def scratch_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards; its URL."""
    import psycopg

    db = settings.DATABASES["default"]
    name = f"allele_restore_{uuid.uuid4().hex[:12]}"
    admin = dict(dbname="postgres", user=db.get("USER") or None,
                 password=db.get("PASSWORD") or None, host=db.get("HOST") or None,
                 port=db.get("PORT") or None)
    with psycopg.connect(**admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    yield f"postgres://{user}{password}@{host}:{port}/{name}", name, admin
    with psycopg.connect(**admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_counts(name, admin) -> dict[str, int]:
    import psycopg

    with psycopg.connect(**{**admin, "dbname": name}) as con, con.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables "
                       "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


@pytest.mark.postgres
def test_postgres_backup_restores_into_a_scratch_database_with_the_same_rows_and_media(
        learning_data, scratch_database, tmp_path):
    url, name, admin = scratch_database
    expected = counts_here()
    archive = backup_to(tmp_path / "allele.tar")

    restore(archive, url, tmp_path)

    restored = scratch_counts(name, admin)
    assert restored == expected
    for table in ("core_user", "courses_enrollment", "assessments_attempt",
                  "certificates_certificate"):
        assert restored[table] >= 1, table
    assert (tmp_path / "restored-media" / learning_data).read_bytes() == MEDIA_BYTES


@pytest.mark.postgres
def test_postgres_restore_refuses_a_database_holding_tables_unless_forced(
        learning_data, scratch_database, tmp_path):
    url, name, admin = scratch_database
    archive = backup_to(tmp_path / "allele.tar")
    restore(archive, url, tmp_path)
    import psycopg

    with psycopg.connect(**{**admin, "dbname": name}) as con:
        con.execute('DELETE FROM "courses_enrollment"')

    with pytest.raises(CommandError, match="already holds tables"):
        restore(archive, url, tmp_path)
    assert scratch_counts(name, admin)["courses_enrollment"] == 0

    restore(archive, url, tmp_path, force=True)
    assert scratch_counts(name, admin) == counts_here()


@pytest.mark.postgres
@pytest.mark.parametrize("damage", [corrupted_copy, truncated_copy])
def test_postgres_restore_refuses_a_corrupt_archive_and_changes_nothing(
        learning_data, scratch_database, tmp_path, damage):
    url, name, admin = scratch_database
    archive = damage(backup_to(tmp_path / "allele.tar"), tmp_path)

    with pytest.raises(CommandError, match="corrupt or truncated"):
        restore(archive, url, tmp_path)

    assert scratch_counts(name, admin) == {}
    assert not (tmp_path / "restored-media").exists()


# --- SQLite ---------------------------------------------------------------------------

def sqlite_counts(path) -> dict[str, int]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        tables = [row[0] for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        count = 'SELECT COUNT(*) FROM "{}"'
        return {table: con.execute(count.format(table)).fetchone()[0]
                for table in tables}
    finally:
        con.close()


@sqlite_only
def test_sqlite_backup_restores_into_a_new_file_with_the_same_rows_and_media(
        learning_data, tmp_path):
    expected = counts_here()
    archive = backup_to(tmp_path / "allele.tar")
    target = tmp_path / "restored.sqlite3"

    restore(archive, f"sqlite:///{target}", tmp_path)

    restored = sqlite_counts(target)
    assert restored == expected
    assert restored["certificates_certificate"] >= 1
    assert restored["assessments_attempt"] >= 1
    assert (tmp_path / "restored-media" / learning_data).read_bytes() == MEDIA_BYTES

    with pytest.raises(CommandError, match="already holds tables"):
        restore(archive, f"sqlite:///{target}", tmp_path)


@sqlite_only
@pytest.mark.parametrize("damage", [corrupted_copy, truncated_copy])
def test_sqlite_restore_refuses_a_corrupt_archive_and_changes_nothing(
        learning_data, tmp_path, damage):
    archive = damage(backup_to(tmp_path / "allele.tar"), tmp_path)
    target = tmp_path / "restored.sqlite3"

    with pytest.raises(CommandError, match="corrupt or truncated"):
        restore(archive, f"sqlite:///{target}", tmp_path)

    assert not target.exists()
    assert not (tmp_path / "restored-media").exists()


# --- Both engines ---------------------------------------------------------------------

def test_backup_manifest_describes_the_archive_and_a_failed_backup_leaves_no_partial_file(
        learning_data, tmp_path, monkeypatch):
    archive = backup_to(tmp_path / "allele.tar")
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        for name, part in manifest["parts"].items():
            data = tar.extractfile(name).read()
            assert len(data) == part["bytes"]
            assert hashlib.sha256(data).hexdigest() == part["sha256"]
    assert set(manifest["parts"]) >= {manifest["database"], "media.tar.gz"}
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    leaves = MigrationLoader(connection).graph.leaf_nodes("courses")
    assert [("courses", manifest["migrations"]["courses"])] == leaves
    assert manifest["row_counts"] == counts_here()

    # A backup that fails while writing the archive keeps the earlier one and leaves no
    # half-written file behind.
    before = archive.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tarfile.TarFile, "add", fail)
    with pytest.raises(OSError, match="disk full"):
        backup_to(archive)
    assert archive.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.suffix == ".part") == []
