from django.urls import path

from packages import views

app_name = "packages"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_package, name="import"),
    path("export/<int:course_id>/", views.export, name="export"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/download/", views.download, name="download"),
]
