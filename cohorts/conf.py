"""The cohorts app's settings, read in this one place (a Django setting wins over the
environment, which lms/settings.py has already loaded from `.env`).

- ``ALLELE_REMINDER_RATE_PER_MINUTE`` (default 60): reminder e-mails sent per minute,
  site-wide; a batch is spread over as many minutes as it needs.
- ``ALLELE_REMINDER_BEHIND_PACE`` (default 1.0): a learner is "behind" when the share of
  modules she has completed is below this times the share of the cohort's time elapsed.
- ``ALLELE_COHORT_DEFAULT_WEEKS`` (default 8): the time a learner is expected to take
  when the cohort has no end date (counted from its start, or from her enrollment).
- ``ALLELE_COHORT_IMPORT_MAX_ROWS`` (default 50,000) and ``ALLELE_COHORT_IMPORT_MAX_MB``
  (default 20): the largest CSV file accepted.
- ``ALLELE_COHORT_IMPORT_DIR`` (default: a ``cohort_imports`` folder beside MEDIA_ROOT):
  where uploaded CSV files are kept. They hold learners' personal data: never serve it.
- ``ALLELE_COHORT_EXPORT_DIR`` (default: a ``cohort_exports`` folder beside MEDIA_ROOT):
  where built exports are kept, served only by the permission-checked download view.
- ``ALLELE_COHORT_EXPORT_DAYS`` (default 7): how long an export's file is kept before
  ``manage.py purge_cohort_exports`` deletes it.
- ``ALLELE_COHORT_SYNC_ENROLL_LIMIT`` (default 200): a cohort with more members than this
  is enrolled in a newly assigned course in the background rather than in the request.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.conf import settings

_env = environ.Env()

# A learner is sent at most one reminder per course within this interval.
REMINDER_INTERVAL = timedelta(hours=24)
# Rows validated or imported between two progress updates.
PROGRESS_EVERY = 250


def _setting(name: str, cast, default):
    value = getattr(settings, name, None)
    if value is None:
        value = _env(name, cast=cast, default=default)
    return cast(value)


def reminder_rate_per_minute() -> int:
    return max(1, _setting("ALLELE_REMINDER_RATE_PER_MINUTE", int, 60))


def behind_pace() -> float:
    return _setting("ALLELE_REMINDER_BEHIND_PACE", float, 1.0)


def default_duration() -> timedelta:
    return timedelta(weeks=_setting("ALLELE_COHORT_DEFAULT_WEEKS", int, 8))


def import_max_rows() -> int:
    return _setting("ALLELE_COHORT_IMPORT_MAX_ROWS", int, 50_000)


def import_max_bytes() -> int:
    return _setting("ALLELE_COHORT_IMPORT_MAX_MB", int, 20) * 1024 * 1024


def sync_enroll_limit() -> int:
    return _setting("ALLELE_COHORT_SYNC_ENROLL_LIMIT", int, 200)


def import_dir() -> Path:
    configured = getattr(settings, "ALLELE_COHORT_IMPORT_DIR", None) or _env.str(
        "ALLELE_COHORT_IMPORT_DIR", default="")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "cohort_imports"


# Exports: rows written between two progress updates; how long a finished export is
# handed back for the same request (a double click); when a queued or running export
# whose worker died stops blocking a new one.
EXPORT_PROGRESS_EVERY = 2000
EXPORT_REUSE_WINDOW = timedelta(minutes=5)
EXPORT_STALE_AFTER = timedelta(hours=2)


def export_dir() -> Path:
    configured = getattr(settings, "ALLELE_COHORT_EXPORT_DIR", None) or _env.str(
        "ALLELE_COHORT_EXPORT_DIR", default="")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "cohort_exports"


def export_keep_for() -> timedelta:
    return timedelta(days=max(1, _setting("ALLELE_COHORT_EXPORT_DAYS", int, 7)))
