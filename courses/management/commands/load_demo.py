"""``python manage.py load_demo``: publish the demo catalog and print a local administrator."""

from django.core.management.base import BaseCommand

from courses.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo catalog (domain introductions, courses, modules, covers). "
        "Safe to run again. With DEBUG on, also prints a local administrator's credentials."
    )

    def handle(self, *args, **options):
        summary = load_demo(stdout=self.stdout)
        self.stdout.write(
            f"Domains: {summary.domains_updated} updated. "
            f"Courses: {summary.courses_created} created, {summary.courses_updated} updated, "
            f"{summary.courses_unchanged} unchanged. "
            f"Modules: {summary.modules_created} created, {summary.modules_updated} updated, "
            f"{summary.modules_unchanged} unchanged. "
            f"Cover images: {summary.images_created} created, {summary.images_reused} reused."
        )
        if summary.administrator is None:
            self.stdout.write(
                "Skipped the demo administrator because DEBUG is off. "
                "Create one with: python manage.py createsuperuser"
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo administrator (a new password on every run):"))
        self.stdout.write(f"  e-mail:   {summary.administrator.email}")
        self.stdout.write(f"  password: {summary.administrator.password}")
        for account in summary.review_accounts:
            self.stdout.write(self.style.SUCCESS(
                f"Demo {account.label} (a new password on every run):"))
            self.stdout.write(f"  e-mail:   {account.email}")
            self.stdout.write(f"  password: {account.password}")
