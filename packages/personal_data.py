"""The personal data the packages app keeps: who asked for a course package import or
export. Registered by ``PackagesConfig.ready()``; see lms/core/personal_data.py."""

from lms.core.api import (
    PersonalDataDeclaration,
    detach,
    model_rows,
    register_personal_data,
)
from packages.models import PackageJob


def export(user) -> dict:
    return {"course_package_jobs": model_rows(
        PackageJob.objects.filter(created_by=user),
        fields=("id", "kind", "status", "original_name", "course_id", "created_at"))}


def erase(user) -> None:
    detach(PackageJob, "created_by", user)


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="packages", models=("packages.PackageJob",), export=export, erase=erase,
    ))
