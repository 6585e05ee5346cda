"""A system check: package files may hold unpublished drafts, so they must not live where
the web server serves media."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from packages import conf


@checks.register(checks.Tags.security)
def package_dir_is_private(app_configs=None, **kwargs):
    package_dir = conf.package_dir().resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if package_dir == media_root or media_root in package_dir.parents:
        return [checks.Warning(
            "ALLELE_PACKAGE_DIR is inside MEDIA_ROOT, so exported course packages (which "
            "may hold unpublished drafts) could be downloaded by anyone.",
            hint="Set ALLELE_PACKAGE_DIR to a directory outside MEDIA_ROOT.",
            id="packages.W001",
        )]
    return []
