"""export_course_package <course id or URL path> <file>: write a course package."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses import api as courses_api
from lms.core import api as core_api
from packages import api


class Command(BaseCommand):
    help = "Export a course, its quizzes, questions and media as a .allele.zip package."

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course's id or URL path, e.g. /policy/my-course/")
        parser.add_argument("file", help="Where to write the package (e.g. course.allele.zip)")

    def handle(self, *args, course, file, **options):
        try:
            page = courses_api.find_course(reference=course)
        except courses_api.InterchangeError as error:
            raise CommandError(str(error)) from error
        target = Path(file)
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as out:
            manifest = api.export_course_package(course=page, out=out)
        partial.replace(target)
        core_api.record_audit(actor=None, action=core_api.AuditAction.EXPORT_MADE, target=page,
                              summary=f"Course package of {page.title} to {target.name}",
                              details={"kind": "course_package", "course_id": page.pk,
                                       "source": "manage.py export_course_package"})
        self.stdout.write(self.style.SUCCESS(
            f"Exported {page.title!r} to {target} ({len(manifest['files'])} files)."))
