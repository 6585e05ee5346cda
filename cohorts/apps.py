"""Cohorts: institutions' groups of learners, bulk enrollment, reminders and reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")


    def ready(self) -> None:
        from allauth.account.signals import password_reset

        from cohorts import invitations, personal_data, tasks  # noqa: F401  (tasks register)

        password_reset.connect(invitations.accept_invitation,
                               dispatch_uid="cohorts.accept_invitation")
        personal_data.register()
