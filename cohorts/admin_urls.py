"""The Cohorts admin's URLs, mounted at /admin/cohorts/ by cohorts.wagtail_hooks (which
also puts them behind Wagtail's admin-access check)."""

from importlib.util import find_spec

from django.urls import include, path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.edit, name="add"),
    path("<int:cohort_id>/", views.detail, name="detail"),
    path("<int:cohort_id>/edit/", views.edit, name="edit"),
    path("<int:cohort_id>/members/add/", views.add_member, name="add_member"),
    path("<int:cohort_id>/members/<int:user_id>/remove/", views.remove_member,
         name="remove_member"),
    path("<int:cohort_id>/imports/new/", views.upload, name="upload"),
    path("<int:cohort_id>/imports/example.csv", views.example_file, name="example_file"),
    path("<int:cohort_id>/imports/<int:import_id>/problems.csv", views.import_errors,
         name="import_errors"),
    path("<int:cohort_id>/imports/<int:import_id>/", views.import_status, name="import"),
    path("<int:cohort_id>/imports/<int:import_id>/retry/", views.retry_import,
         name="retry_import"),
    path("<int:cohort_id>/imports/<int:import_id>/status.json", views.import_json,
         name="import_json"),
    path("<int:cohort_id>/reminders/", views.reminders, name="reminders"),
]

# Dashboards, drill-down and exports (cohorts.report_urls), once that module is present.
if find_spec("cohorts.report_urls"):
    urlpatterns.append(path("<int:cohort_id>/", include("cohorts.report_urls")))
