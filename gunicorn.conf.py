"""gunicorn settings for an Allele app server (docs/deploy.md); gunicorn reads this file from
the working directory: `gunicorn lms.wsgi`. Each value comes from an environment variable
(GUNICORN_*); command-line options win over both.

App servers are stateless: sessions and the cache live in the database or Redis, media in
object storage (S3) or a shared volume, background work in the task queue. Run as many as
the load needs behind a load balancer that health-checks /healthz.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers: one request each. (2 x CPU) + 1 by default, the usual starting point.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
# A request slower than this is killed (PDFs are built by the task workers, not here).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the load balancer's idle timeout, so it never reuses a connection we closed.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then (jittered, so they do not all restart at once).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The load balancer's addresses: only from these are X-Forwarded-Proto/For trusted
# (SECURE_PROXY_SSL_HEADER in lms/settings.py relies on X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access log on standard output with the request time in microseconds (%(D)s) and the
# client address the load balancer forwarded.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'
)
# GUNICORN_PRELOAD=1 loads the application once in the master, then forks: less memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"
