"""The scale-out profile (docs/deploy.md): with REDIS_URL the cache, sessions and background
tasks move to Redis and RQ; with an S3 bucket, media goes to object storage; and no code
reaches for a local media path, so any app server or worker can serve any request."""

import json
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _settings_with(**env) -> dict:
    """lms.settings evaluated afresh in a subprocess with these environment variables."""
    script = (
        "import json, lms.settings as s; print(json.dumps({"
        "'cache': s.CACHES['default']['BACKEND'], "
        "'session': getattr(s, 'SESSION_ENGINE', 'default'), "
        "'tasks': s.TASKS['default'], 'apps': s.INSTALLED_APPS, "
        "'rq': getattr(s, 'RQ_QUEUES', None), 'storage': s.STORAGES['default'], "
        "'private': s.STORAGES.get('private')}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items()
             if k not in ("REDIS_URL", "CACHE_URL", "TASKS_BACKEND", "AWS_STORAGE_BUCKET_NAME")}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, env={**clean, "DEBUG": "1", **env}, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_the_single_machine_defaults_stay():
    values = _settings_with()
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["session"] == "default"  # Django's: database sessions
    assert values["tasks"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_rq" not in values["apps"]
    assert values["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["private"] is None  # private files in local folders outside MEDIA_ROOT


def test_redis_url_moves_cache_sessions_and_tasks_to_redis():
    values = _settings_with(REDIS_URL="redis://redis.internal:6379/0")
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["session"] == "django.contrib.sessions.backends.cached_db"
    assert values["tasks"] == {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    assert "django_rq" in values["apps"]
    assert values["rq"]["default"]["URL"] == "redis://redis.internal:6379/0"


def test_s3_bucket_moves_media_to_private_object_storage():
    values = _settings_with(AWS_STORAGE_BUCKET_NAME="allele-media",
                            AWS_S3_ENDPOINT_URL="https://s3.example.org")
    storage = values["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "allele-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["querystring_auth"] is True
    private = values["private"]  # cohort uploads and exports, packages: same bucket, own prefix
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["OPTIONS"]["bucket_name"] == "allele-media"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["default_acl"] == "private"


def test_s3_storage_signs_urls_of_private_files(settings):
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "allele-media", "endpoint_url": "https://s3.example.org",
                    "access_key": "AKIAEXAMPLE", "secret_key": "secret", "location": "media",
                    "default_acl": "private", "querystring_auth": True,
                    "region_name": "us-east-1"},
    }}
    url = storages["default"].url("certificates/pdf/ABC.pdf")
    assert url.startswith("https://s3.example.org/allele-media/media/certificates/pdf/ABC.pdf?")
    assert ("Signature=" in url and "Expires=" in url) or "X-Amz-Signature=" in url


# --- A real round trip through Redis --------------------------------------------------------


def _redis_reachable() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_profile(settings):
    """The test settings switched to the Redis profile, on a queue of this test's own."""
    if not _redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI must provide it)")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": queue}}
    # "default" stays valid for the tasks' own defaults; this test only uses its own queue.
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL} for name in ("default", queue)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default", queue]}}
    yield queue
    import django_rq

    django_rq.get_queue(queue).empty()


def test_cache_round_trip_through_redis(redis_profile):
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    cache.set("allele:probe", {"learner": 7}, 30)
    assert cache.add("allele:count", 1)
    assert cache.incr("allele:count") == 2
    # A second client (another app server) reads what this one wrote.
    import redis

    raw = redis.Redis.from_url(REDIS_URL)
    assert any(key.startswith(redis_profile.encode()) for key in raw.keys(f"{redis_profile}*"))
    assert cache.get("allele:probe") == {"learner": 7}
    cache.delete_many(["allele:probe", "allele:count"])


@pytest.mark.django_db
def test_a_project_task_is_queued_in_redis_and_run_by_an_rq_worker(redis_profile):
    import django_rq
    from django_tasks import task_backends
    from django_tasks.base import TaskResultStatus
    from django_tasks_rq import Job
    from rq.worker import SimpleWorker

    from courses.models import ModulePage
    from courses.tasks import send_review_reminders_task
    from tests import factories

    owner = factories.make_user(email="grace@example.org", first_name="Grace")
    tree = factories.make_course_tree(modules=1, title="Warfarin dosing", owner=owner)
    module = tree.modules[0]
    ModulePage.objects.filter(pk=module.pk).update(owner=owner)
    module.owner = owner
    module.last_reviewed_on, module.review_due_on = (
        __import__("datetime").date(2024, 1, 1), __import__("datetime").date(2025, 1, 1))
    factories.publish(module)

    task = send_review_reminders_task.using(queue_name=redis_profile)
    result = task.enqueue()
    assert type(task_backends["default"]).__name__ == "RQBackend"
    queue = django_rq.get_queue(redis_profile)
    assert queue.count == 1  # waiting in Redis, not run in this process
    assert mail.outbox == []

    # What `manage.py rqworker --job-class django_tasks_rq.Job` runs, in this process.
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    assert worker.work(burst=True)

    assert queue.count == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["grace@example.org"]
    done = task_backends["default"].get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 1


def test_the_rq_worker_command_is_available_with_redis():
    clean = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "CACHE_URL")}
    result = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "--help"], cwd=ROOT, capture_output=True,
        text=True, env={**clean, "DEBUG": "1", "REDIS_URL": REDIS_URL}, check=False)
    assert result.returncode == 0, result.stderr
    assert "--burst" in result.stdout and "--job-class" in result.stdout  # docs/deploy.md


@pytest.mark.django_db
def test_certificate_images_are_read_through_storage_not_from_a_local_path(monkeypatch):
    """A signature or logo kept in object storage (no local path) still reaches the PDF."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from django.core.files.storage import InMemoryStorage
    from PIL import Image
    from wagtail.images import get_image_model

    from certificates import api

    buffer = BytesIO()
    Image.new("RGB", (4, 2), "navy").save(buffer, "PNG")
    png = buffer.getvalue()

    # Images kept where there are no local paths, as with S3Storage.
    monkeypatch.setattr(get_image_model()._meta.get_field("file"), "storage", InMemoryStorage())
    image = get_image_model().objects.create(
        title="Signature", file=ImageFile(BytesIO(png), name="signature.png"))
    uri = api._image_path(image)
    assert uri is not None and uri.startswith("data:image/png;base64,")
    import base64

    assert base64.b64decode(uri.split(",", 1)[1]) == png


# --- No local media paths -----------------------------------------------------------------

APPS = ["lms", "courses", "editorial", "assessments", "certificates", "cohorts", "packages",
        "offline", "xblocks"]
#: A stored file's local path (FieldFile.path, Storage.path) or a path built from MEDIA_ROOT:
#: neither exists on S3 or on another app server.
LOCAL_MEDIA = re.compile(
    r"\.(?:file|pdf|image|document|signature)\.path\b"  # FieldFile.path
    r"|\bstorage\.path\("  # Storage.path(name)
    r"|\bopen\([^)]*MEDIA_ROOT"  # open(settings.MEDIA_ROOT / ...)
    r"|MEDIA_ROOT\s*/"  # settings.MEDIA_ROOT / "x"
    r"|os\.path\.join\([^)]*MEDIA_ROOT"
)
#: Storages that are local on purpose (private working files of one worker), by file.
ALLOWED: dict[str, str] = {}


def _offenders(source: str) -> list[int]:
    return [number for number, line in enumerate(source.splitlines(), 1)
            if LOCAL_MEDIA.search(line.split("#", 1)[0])]


def test_the_local_path_detector_catches_each_form():
    for line in ("path = certificate.pdf.path", "p = image.file.path",
                 "final = Path(storage.path(name))", "open(settings.MEDIA_ROOT / name)",
                 "target = settings.MEDIA_ROOT / 'exports'",
                 "os.path.join(settings.MEDIA_ROOT, name)"):
        assert _offenders(line) == [1], line
    for line in ("request.path", "course.path[:-4]", "default_storage.open(name)",
                 "# a comment about image.file.path"):
        assert _offenders(line) == [], line


def test_no_code_uses_local_media_paths():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative or relative in ALLOWED:
                continue
            found += [f"{relative}:{n}" for n in _offenders(path.read_text(encoding="utf-8"))]
    assert found == []
