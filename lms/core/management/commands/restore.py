"""`manage.py restore PATH [--force] [--database-url URL]`: check an archive made by
`backup`, restore it, and compare row counts with its manifest (`make restore`)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.core import backup


class Command(BaseCommand):
    help = "Restore a backup archive (database and media) made by the backup command."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar archive written by `manage.py backup`")
        parser.add_argument("--database-url",
                            help="restore into this database instead of DATABASE_URL")
        parser.add_argument("--media-root", help="restore media here instead of MEDIA_ROOT")
        parser.add_argument("--package-dir",
                            help="restore course packages here instead of ALLELE_PACKAGE_DIR")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that already holds tables")

    def handle(self, *args, archive, database_url=None, media_root=None, package_dir=None,
               force=False, **options):
        try:
            result = backup.restore_backup(path=archive, database_url=database_url, force=force,
                                           media_root=media_root, package_dir=package_dir)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        if not result.ok:
            lines = [_("%(table)s: %(expected)s rows in the backup, %(found)s restored")
                     % {"table": table, "expected": expected, "found": found}
                     for table, (expected, found) in sorted(result.mismatches.items())]
            raise CommandError(_("Restored, but row counts differ from the manifest:\n")
                               + "\n".join(lines))
        self.stdout.write(_("Restored the backup of %(created)s (Allele %(version)s): "
                            "%(tables)d tables, row counts match the manifest.") % {
            "created": manifest["created_at"], "version": manifest["allele_version"],
            "tables": len(manifest["row_counts"])})
