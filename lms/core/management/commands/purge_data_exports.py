"""``manage.py purge_data_exports``: delete learners' data export files past their expiry
date (``ALLELE_DATA_EXPORT_DAYS`` after they were built, 7 by default). Each export task also
purges on its way out; run this daily from cron so files go even when nobody exports. The
records stay, so "Your data" shows the file as expired."""

from django.core.management.base import BaseCommand

from lms.core import api


class Command(BaseCommand):
    help = "Delete learners' data export files past their expiry date (run daily from cron)."

    def handle(self, *args, **options):
        deleted = api.purge_expired_data_exports()
        self.stdout.write(f"Deleted {deleted} expired data export file(s).")
