"""A cohort's dashboards and exports, mounted at /admin/cohorts/<cohort_id>/ inside the
"cohorts" namespace by cohorts.admin_urls."""

from django.urls import path

from cohorts import report_views

urlpatterns = [
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("courses/<int:course_id>/", report_views.course_dashboard, name="course_dashboard"),
    path("learners/<int:user_id>/", report_views.learner, name="learner"),
    path("export.csv", report_views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", report_views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("exports/<int:export_id>/", report_views.export_status, name="export"),
    path("exports/<int:export_id>/download/", report_views.export_download,
         name="export_download"),
]
