from django.urls import path

from assessments import views

urlpatterns = [
    path("quizzes/<int:quiz_id>/start/", views.start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/save/", views.save, name="attempt_save"),
    path("attempts/<int:attempt_id>/submit/", views.submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", views.result, name="attempt_result"),
]
