"""Certificates: issuance, PDFs, public verification and signed credentials."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from certificates import checks, personal_data, tasks  # noqa: F401
        from courses.signals import course_completed

        course_completed.connect(tasks.on_course_completed,
                                 dispatch_uid="certificates.issue_on_course_completed")
        personal_data.register()
