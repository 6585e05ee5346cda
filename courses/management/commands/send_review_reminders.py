"""Run daily from cron: remind page owners of overdue clinical reviews (once per due date)."""

from django.core.management.base import BaseCommand

from courses.tasks import send_review_reminders_task


class Command(BaseCommand):
    help = ("Queue the e-mail to owners of courses and modules whose clinical review is "
            "overdue (each page once per due date); --now sends them in this process.")

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true",
                            help="Send now instead of queueing the task for the worker.")

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_review_reminders_task.call()
            self.stdout.write(f"Sent {sent} review reminder(s).")
            return
        result = send_review_reminders_task.enqueue()
        self.stdout.write(f"Queued the review reminders (task {result.id}).")
