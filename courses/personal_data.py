"""The personal data the courses app keeps: enrollments, module progress and clinical review
reminders. Registered by ``CoursesConfig.ready()``; see lms/core/personal_data.py."""

from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment, ModuleProgress, ReviewReminder
from lms.core.api import PersonalDataDeclaration, model_rows, register_personal_data


def export(user) -> dict:
    return {
        "enrollments": model_rows(Enrollment.objects.filter(user=user)),
        "module_progress": model_rows(ModuleProgress.objects.filter(user=user)),
        "review_reminders": model_rows(ReviewReminder.objects.filter(recipient=user)),
    }


def erase(user) -> None:
    ModuleProgress.objects.filter(user=user).delete()
    Enrollment.objects.filter(user=user).delete()
    ReviewReminder.objects.filter(recipient=user).delete()


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="courses",
        models=("courses.Enrollment", "courses.ModuleProgress", "courses.ReviewReminder"),
        export=export,
        erase=erase,
        kept_after_erasure=_(
            "Course reports count only the learners who still have an account: your "
            "enrollments and progress leave every report and total."
        ),
    ))
