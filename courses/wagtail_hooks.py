"""Courses in the Wagtail admin: the learner progress report, under Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses import api
from courses.admin_views import LearnerProgressReportView


@hooks.register("register_admin_urls")
def register_learner_progress_urls():
    return [
        path("reports/learner-progress/", LearnerProgressReportView.as_view(),
             name="courses_learner_progress"),
        path("reports/learner-progress/results/",
             LearnerProgressReportView.as_view(results_only=True),
             name="courses_learner_progress_results"),
    ]


class LearnerProgressMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return api.may_report_progress(user=request.user)


@hooks.register("register_reports_menu_item")
def register_learner_progress_menu_item():
    return LearnerProgressMenuItem(
        _("Learner progress"), reverse("courses_learner_progress"),
        name="learner-progress", icon_name="user", order=100,
    )
