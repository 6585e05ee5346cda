"""Real Allele processes (gunicorn, the task worker) on the test database, and killing them.

The test's data is committed (``django_db(transaction=True)``) and the processes use the
same database: on PostgreSQL the test database itself; on SQLite, whose test database
lives in this process's memory, a file copy that ``DatabaseFile.pull`` copies back after
the processes are gone, so the test reads what they left behind with the ORM.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


class SharedDatabase:
    """The database URL the processes are given, and the copy back on SQLite."""

    def __init__(self, scratch: Path):
        self.file = scratch / "shared.sqlite3"

    @property
    def url(self) -> str:
        if on_postgres():
            db = settings.DATABASES["default"]
            password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
            return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
                    f"{db['PORT'] or 5432}/{db['NAME']}")
        return f"sqlite:///{self.file}"

    def push(self) -> None:
        """Hand the committed test data to the processes (SQLite: copy memory -> file)."""
        if on_postgres():
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def pull(self) -> None:
        """Read what the processes committed (SQLite: copy file -> memory)."""
        if on_postgres():
            return
        connection.ensure_connection()
        source = sqlite3.connect(self.file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def process_env(database: SharedDatabase, scratch: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "CACHE_URL")}
    env.update({
        "DEBUG": "1",  # no collected static files needed; nothing here depends on it
        "SECRET_KEY": settings.SECRET_KEY,  # the test client's session cookie stays valid
        "DATABASE_URL": database.url,
        "CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(scratch / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(scratch / "mail"),
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    })
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the project's gunicorn.conf.py (one worker), killable as a whole."""

    def __init__(self, env: dict[str, str], log: Path, app: str = "lms.wsgi"):
        self.env, self.log, self.app = env, log, app
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", self.app, "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "1", "--threads", "1", "--timeout", "120",
                 "--max-requests", "0", "--access-logfile", "-", "--error-logfile", "-"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)  # its own process group: master and worker die together
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        self.kill()
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the master and its worker: no graceful shutdown, no atexit, nothing."""
        if self.process is not None and self.process.poll() is None:
            kill_group(self.process)
        self.process = None


def kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for_file(path: Path, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never appeared:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def manage(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)


def start_task_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.2", "--queue-name", "*"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
