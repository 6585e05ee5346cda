"""Caches derived from published content, keyed by the catalog version.

The version lives in the database, so a change made by any process (an editor
publishing in the admin, a management command) is seen by every other at once;
the caches themselves can stay per-process. Nothing here is correctness-critical
for learners' records: completing a module always reads the tree afresh.
"""

import threading
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import CatalogVersion
from editorial.api import LIBRARY_MODELS  # snippets that course and module pages show

CACHE_SECONDS = 3600


_request_scope = threading.local()


@contextmanager
def one_version_per_request(request):
    """Read the catalog version once for everything that serving ``request`` caches."""
    _request_scope.version = request.allele_catalog_version = _read_catalog_version()
    try:
        yield request.allele_catalog_version
    finally:
        del _request_scope.version


def catalog_version() -> int:
    """The current catalog version: the one read for the request being served, if any,
    else read now (one small query, no ORM)."""
    version = getattr(_request_scope, "version", None)
    return _read_catalog_version() if version is None else version


def _read_catalog_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM courses_catalogversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def catalog_version_for(request) -> int:
    """The catalog version, read once per request (routing notes it on the request)."""
    version = getattr(request, "allele_catalog_version", None)
    if version is None:
        version = request.allele_catalog_version = catalog_version()
    return version


def bump_catalog_version(**_signal_kwargs) -> None:
    """Move to a version never used before: the clock in nanoseconds, or one more than
    now if the clock is behind. (A plain +1 could repeat a version after a rolled-back
    transaction had used it, and something cached under it then would be served.)"""
    fresh = Greatest(F("version") + 1, Value(time.time_ns()))
    if not CatalogVersion.objects.filter(pk=1).update(version=fresh):
        CatalogVersion.objects.get_or_create(pk=1, defaults={"version": time.time_ns()})


def forget_process_copies() -> None:
    """Empty this process's copies (tests roll the database back between tests)."""
    _memo.put(-1, "", None)


class _ProcessMemo:
    """This process's copy of what the shared cache holds for one catalog version, so the
    hottest lookups (site, route, restrictions) cost a dict lookup instead of unpickling.
    Emptied whenever another version is asked for; never holds more than MAX_ENTRIES."""

    MAX_ENTRIES = 5000

    def __init__(self):
        self.version: int | None = None
        self.values: dict[str, object] = {}
        self.lock = threading.Lock()

    def get(self, version: int, key: str):
        with self.lock:
            return self.values.get(key) if version == self.version else None

    def put(self, version: int, key: str, value) -> None:
        with self.lock:
            if version != self.version or len(self.values) >= self.MAX_ENTRIES:
                self.version, self.values = version, {}
            self.values[key] = value


_memo = _ProcessMemo()


def cached(key: str, build, *, version: int | None = None):
    """``build()``, cached under ``key`` for the current catalog version. Values are
    shared between requests: treat them as read-only."""
    version = catalog_version() if version is None else version
    value = _memo.get(version, key)
    if value is not None:
        return value
    full_key = f"allele:catalog:{version}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, CACHE_SECONDS)
    _memo.put(version, key, value)
    return value


def connect_signals() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_catalog_version, dispatch_uid=f"allele-catalog-{signal!r}")
    post_delete.connect(bump_catalog_version, sender=Page, dispatch_uid="allele-catalog-delete")
    for model in (PageViewRestriction, Site, *LIBRARY_MODELS):
        post_save.connect(bump_catalog_version, sender=model,
                          dispatch_uid=f"allele-catalog-save-{model.__name__}")
        post_delete.connect(bump_catalog_version, sender=model,
                            dispatch_uid=f"allele-catalog-delete-{model.__name__}")
