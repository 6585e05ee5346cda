"""Courses in the Wagtail admin: the learner progress and reviews-due reports, under
Reports, and a dashboard panel counting the reviews that need attention."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from courses import api, extensions, library, reports
from courses.admin_views import LearnerProgressReportView, ReviewsDueReportView


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


# --- Reviews due -----------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_reviews_due_urls():
    return [
        path("reports/reviews-due/", ReviewsDueReportView.as_view(), name="courses_reviews_due"),
        path("reports/reviews-due/results/", ReviewsDueReportView.as_view(results_only=True),
             name="courses_reviews_due_results"),
    ]


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return api.may_see_review_report(user=request.user)


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item():
    return ReviewsDueMenuItem(
        _("Reviews due"), reverse("courses_reviews_due"),
        name="reviews-due", icon_name="date", order=110,
    )


class ReviewsDuePanel(Component):
    """On the admin dashboard: "N overdue, M due within 30 days", linking to the report
    (an educator's own pages; every page for reviewers and administrators)."""

    name = "reviews_due"
    order = 90
    template_name = "courses/admin/reviews_due_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        mine_only = not api.may_see_all_reviews(user=self.user)
        counts = reports.review_counts(viewer=self.user, today=timezone.localdate(),
                                       mine_only=mine_only)
        url = reverse("courses_reviews_due") + ("?scope=mine" if mine_only else "")
        return {
            "overdue": counts[reports.ReviewStatus.OVERDUE],
            "due_soon": counts[reports.ReviewStatus.DUE_SOON],
            "undated": counts[reports.ReviewStatus.NEVER_REVIEWED]
            + counts[reports.ReviewStatus.NO_DUE_DATE],
            "mine_only": mine_only, "report_url": url,
        }


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request, panels):
    if api.may_see_review_report(user=request.user):
        panels.append(ReviewsDuePanel(request.user))


@hooks.register(extensions.DASHBOARD_SECTIONS)
def dashboard_competencies(*, request, dashboard):
    return library.dashboard_competencies(request=request, dashboard=dashboard)
