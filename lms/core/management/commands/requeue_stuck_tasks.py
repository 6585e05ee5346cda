"""`manage.py requeue_stuck_tasks [--running-for MINUTES] [--max-attempts N]`: queue again
the background tasks whose worker died while running them (lms.core.stuck_tasks). Run it
from cron on one machine, every few minutes."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lms.core import stuck_tasks


class Command(BaseCommand):
    help = "Queue again background tasks left running by a worker that died."

    def add_arguments(self, parser):
        parser.add_argument(
            "--running-for", type=float, default=stuck_tasks.DEFAULT_RUNNING_FOR.seconds / 60,
            help="minutes after which a task still running counts as abandoned (default "
                 "%(default)s; longer than any task takes)")
        parser.add_argument(
            "--max-attempts", type=int, default=stuck_tasks.DEFAULT_MAX_ATTEMPTS,
            help="give up on a task started this many times already (default %(default)s)")

    def handle(self, *args, running_for, max_attempts, **options):
        found = stuck_tasks.requeue_stuck_tasks(running_for=timedelta(minutes=running_for),
                                                max_attempts=max_attempts)
        for task_id in found.requeued:
            self.stdout.write(_("Queued again: %(id)s") % {"id": task_id})
        for task_id in found.given_up:
            self.stderr.write(_("Given up (started too often): %(id)s") % {"id": task_id})
        self.stdout.write(_("%(requeued)d task(s) queued again, %(given_up)d given up.") % {
            "requeued": len(found.requeued), "given_up": len(found.given_up)})
