"""``manage.py purge_cohort_exports``: delete cohort export files past their expiry date
(``ALLELE_COHORT_EXPORT_DAYS`` after they were built, 7 by default). Run it daily from
cron; the export records stay, so the dashboard shows the file as expired."""

from django.core.management.base import BaseCommand

from cohorts import api


class Command(BaseCommand):
    help = "Delete cohort export files past their expiry date (run daily from cron)."

    def handle(self, *args, **options):
        deleted = api.purge_expired_exports()
        self.stdout.write(f"Deleted {deleted} expired cohort export file(s).")
