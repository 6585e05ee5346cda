"""The personal data the assessments app keeps: quiz attempts with every answer (free text
included) and its grading, interactive activity scores, and which editor has a question or
quiz locked. Registered by ``AssessmentsConfig.ready()``; see lms/core/personal_data.py."""

from django.utils.translation import gettext_lazy as _

from assessments.models import (
    ActivityGradeEvent,
    ActivityScore,
    Attempt,
    GradeChange,
    Question,
    Quiz,
    QuizLearner,
    Response,
)
from lms.core.api import (
    PersonalDataDeclaration,
    detach,
    model_rows,
    register_personal_data,
)


def export(user) -> dict:
    attempts = Attempt.objects.filter(user=user).order_by("started_at", "pk")
    return {
        # The question definitions as shown are the quiz's, not hers: left out.
        "quiz_attempts": model_rows(attempts, exclude=("questions",)),
        "quiz_answers": model_rows(
            Response.objects.filter(attempt__user=user).order_by("attempt_id", "question_id")),
        "quiz_grades": model_rows(
            GradeChange.objects.filter(attempt__user=user).order_by("created_at", "pk")),
        "quiz_grades_given": model_rows(
            GradeChange.objects.filter(created_by=user).order_by("created_at", "pk"),
            fields=("id", "attempt", "question_id", "points", "reason", "created_at")),
        "activity_scores": model_rows(ActivityScore.objects.filter(user=user)),
        "activity_grade_events": model_rows(ActivityGradeEvent.objects.filter(user=user)),
    }


def erase(user) -> None:
    """Her attempts go with their answers (free text included) and grades; grades she gave
    as an educator stay, without her name."""
    Response.objects.filter(attempt__user=user).delete()
    GradeChange.objects.filter(attempt__user=user).delete()
    Attempt.objects.filter(user=user).delete()
    QuizLearner.objects.filter(user=user).delete()
    ActivityGradeEvent.objects.filter(user=user).delete()
    ActivityScore.objects.filter(user=user).delete()
    detach(GradeChange, "created_by", user)
    detach(Question, "locked_by", user)
    detach(Quiz, "locked_by", user)


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="assessments",
        models=("assessments.QuizLearner", "assessments.Attempt", "assessments.Response",
                "assessments.GradeChange", "assessments.ActivityScore",
                "assessments.ActivityGradeEvent", "assessments.Question", "assessments.Quiz"),
        export=export,
        erase=erase,
        kept_after_erasure=_(
            "Nothing of your quiz attempts is kept: your answers, free text included, and "
            "their grades are deleted, so question statistics no longer count them. Grades "
            "you gave as an educator stay, without your name."
        ),
    ))
