from django.urls import path

from courses import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search, name="course_search"),
    path("learn/courses/<int:course_id>/enroll/", views.enroll, name="enroll"),
    path("learn/courses/<int:course_id>/leave/", views.leave, name="leave"),
    path("learn/courses/<int:course_id>/resume/", views.resume, name="resume"),
    path("learn/courses/<int:course_id>/handbook/", views.handbook, name="course_handbook"),
    path("learn/courses/<int:course_id>/handbook.pdf", views.handbook_pdf,
         name="course_handbook_pdf"),
    path("learn/modules/<int:module_id>/complete/", views.complete, name="complete_module"),
]
