"""import_course_package <file> --domain <slug> [--publish]: import a course package."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from packages import api, conf


class Command(BaseCommand):
    help = ("Import a .allele.zip course package into a domain; importing it again updates "
            "the same course. Pages, quizzes and questions arrive as drafts for review "
            "unless --publish is given.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--domain", required=True, help="The domain's slug, e.g. policy")
        parser.add_argument("--publish", action="store_true",
                            help="Publish what is imported instead of leaving drafts.")

    def handle(self, *args, file, domain, publish, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file!r}.")
        if path.stat().st_size > conf.max_bytes():
            raise CommandError(f"{file} is larger than ALLELE_PACKAGE_MAX_BYTES.")
        try:
            summary = api.import_course_package(
                source=io.BytesIO(path.read_bytes()), domain_slug=domain, publish=publish,
                audit_source=f"manage.py import_course_package {path.name}")
        except api.PackageError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(summary.describe()))
