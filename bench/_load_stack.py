"""The load scenario's production-like stack: a scratch PostgreSQL database, optionally a
Redis database of its own, gunicorn with gunicorn.conf.py and background task workers
(``db_worker``, or RQ workers with the Redis profile). Not a benchmark itself.
"""

import base64
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _server import ROOT, free_port, manage, production_env, stop

WORKERS = 2  # background task worker processes


@dataclass(frozen=True)
class Stack:
    port: int
    env: dict[str, str]
    scratch: Path
    plan: dict  # what _load_course.py built (course, modules, quiz, learners)

    def stored(self) -> dict:
        """What the database holds for the learners, and the task queue (_load_stored.py)."""
        output = manage(self.env, "shell", "--no-imports", "-c", "import _load_stored")
        return json.loads(output.strip().splitlines()[-1])


def postgres_reachable(server_url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(urlunsplit(urlsplit(server_url)._replace(path="/postgres")),
                        connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A fresh database ``allele_load_<random>`` on the server; dropped afterwards."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"allele_load_{random.randrange(16**8):08x}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_redis(server_url: str) -> Iterator[str]:
    """An empty Redis database (of 1-15) on the server, flushed before and after."""
    import redis

    parts = urlsplit(server_url)
    empty = [number for number in range(1, 16)
             if redis.Redis.from_url(urlunsplit(parts._replace(path=f"/{number}"))).dbsize() == 0]
    if not empty:
        raise SystemExit(f"no empty Redis database (1-15) on {server_url}")
    url = urlunsplit(parts._replace(path=f"/{random.choice(empty)}"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()


def _spawn(env: dict[str, str], command: list[str], log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                stderr=subprocess.STDOUT)


@contextmanager
def _running(process: subprocess.Popen) -> Iterator[subprocess.Popen]:
    try:
        yield process
    finally:
        stop(process)


HEALTHY_WITHIN = 180  # seconds: five workers importing Wagtail on two busy cores take a while


def _wait_healthy(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + HEALTHY_WITHIN
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.stderr.write(log.read_text() if log.exists() else "")
    raise SystemExit(f"gunicorn did not answer /healthz within {HEALTHY_WITHIN} s")


def _worker_command(profile: str) -> list[str]:
    if profile == "redis":  # as docs/deploy.md starts an RQ worker
        return [sys.executable, "manage.py", "rqworker", "default",
                "--job-class", "django_tasks_rq.Job"]
    return [sys.executable, "manage.py", "db_worker", "--interval", "0.5"]


def _prepare(env: dict[str, str], learners: int) -> dict:
    """Migrate, load the demo catalog and the load course; static files collected beside.
    Tasks queued meanwhile (search and reference indexes) run at once, so the workers start
    with an empty queue and every task they run is the scenario's."""
    started = time.monotonic()
    static = subprocess.Popen([sys.executable, "manage.py", "collectstatic", "--noinput"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    setup_env = {**env, "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                 "LOAD_LEARNERS": str(learners)}
    manage(setup_env, "migrate", "--noinput")
    manage(setup_env, "load_demo")
    plan = json.loads(manage(setup_env, "shell", "--no-imports", "-c", "import _load_course")
                      .strip().splitlines()[-1])
    if static.wait(timeout=600) != 0:
        raise SystemExit("manage.py collectstatic failed")
    print(f"Scratch database migrated, demo catalog, load course and {learners} learners "
          f"ready in {time.monotonic() - started:.0f} s")
    return plan


@contextmanager
def load_stack(*, profile: str, learners: int, database_server: str, redis_server: str,
               gunicorn_workers: str, keep: bool) -> Iterator[Stack]:
    scratch = Path(tempfile.mkdtemp(prefix="allele-load-"))
    with ExitStack() as stack:
        env = production_env(scratch)
        env["DATABASE_URL"] = stack.enter_context(scratch_database(database_server))
        if profile == "redis":
            env["REDIS_URL"] = stack.enter_context(scratch_redis(redis_server))
        # Production refuses to sign credentials without keys (certificates.E001): a fresh one.
        env["ALLELE_CREDENTIAL_KEYS"] = json.dumps({"load-1": base64.urlsafe_b64encode(
            secrets.token_bytes(32)).decode().rstrip("=")})
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "bench"),
                                                         env.get("PYTHONPATH", "")]))
        port = free_port()
        env.update({"GUNICORN_BIND": f"127.0.0.1:{port}",
                    "GUNICORN_ACCESS_LOG": str(scratch / "access.log"),
                    "GUNICORN_ERROR_LOG": str(scratch / "gunicorn.log")})
        if gunicorn_workers:
            env["GUNICORN_WORKERS"] = gunicorn_workers
        plan = _prepare(env, learners)
        server = stack.enter_context(_running(_spawn(
            env, [sys.executable, "-m", "gunicorn", "lms.wsgi"], scratch / "gunicorn.out")))
        _wait_healthy(server, port, scratch / "gunicorn.log")
        for number in range(WORKERS):
            stack.enter_context(_running(_spawn(env, _worker_command(profile),
                                                scratch / f"worker-{number}.log")))
        try:
            yield Stack(port=port, env=env, scratch=scratch, plan=plan)
        finally:
            if keep:
                print(f"(scratch directory kept: {scratch}; logs: access.log, gunicorn.log, "
                      f"worker-*.log)")
            else:
                stack.callback(shutil.rmtree, scratch, ignore_errors=True)
