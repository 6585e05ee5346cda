"""`manage.py backup [--output PATH]`: one archive with the database, media and a manifest
(lms.core.backup; `make backup`)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.core import backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one .tar archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive to write (default: "
                            "var/backups/allele-<UTC time>.tar)")
        parser.add_argument("--database-url", help="back up this database instead of DATABASE_URL")

    def handle(self, *args, output=None, database_url=None, **options):
        try:
            result = backup.create_backup(path=output, database_url=database_url)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(_("Backup written to %(path)s: %(engine)s, %(tables)d tables, "
                            "%(rows)d rows, parts %(parts)s.") % {
            "path": result.path, "engine": manifest["engine"],
            "tables": len(manifest["row_counts"]), "rows": rows,
            "parts": ", ".join(sorted(manifest["parts"]))})
