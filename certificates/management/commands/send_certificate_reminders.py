"""Run daily from cron: e-mail learners whose certificates expire soon (once each)."""

from django.core.management.base import BaseCommand

from certificates import api


class Command(BaseCommand):
    help = "E-mail learners whose certificate expires within its course's reminder period."

    def handle(self, *args, **options):
        sent = api.send_expiry_reminders()
        self.stdout.write(f"Sent {sent} expiry reminder(s).")
