"""Refill every enrollment's summary (started, pre-test and final-assessment scores) from
module progress and submitted attempts: run it after writing either directly (a data
import, a SQL repair). It lives here because the scores come from assessments' tables."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from assessments.models import Attempt, Quiz
from courses import api as courses_api


class Command(BaseCommand):
    help = "Recompute every enrollment's started date and quiz scores from progress and attempts."

    def handle(self, *args, **options):
        with transaction.atomic():
            courses_api.refill_enrollment_summaries(
                connection=connection,
                enrollment=courses_api.Enrollment._meta.db_table,
                progress=courses_api.ModuleProgress._meta.db_table,
                attempt=Attempt._meta.db_table,
                quiz=Quiz._meta.db_table,
            )
        self.stdout.write("Enrollment summaries refilled.")
