"""Cohorts: institutions' groups of learners, bulk enrollment, reminders and reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

