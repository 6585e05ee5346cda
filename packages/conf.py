"""The packages app's settings, read in this one place."""

from pathlib import Path

from django.conf import settings

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_FILES = 5000


def max_bytes() -> int:
    """The largest package accepted: its compressed size, and the sum of its files."""
    return int(getattr(settings, "ALLELE_PACKAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "ALLELE_PACKAGE_MAX_FILES", DEFAULT_MAX_FILES))


def package_dir() -> Path:
    configured = getattr(settings, "ALLELE_PACKAGE_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "packages"
