"""Run inside `manage.py shell`: a learner who completed the first demo course, with her
certificate issued through certificates.api.

Prints one JSON line: the certificate's public id and its verification paths.
"""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from certificates import api as certificates_api
from courses import api
from courses.pages import CoursePage
from lms.core import api as core_api


def main() -> None:
    course = CoursePage.objects.live().order_by("path").first()
    learner = get_user_model().objects.create_user(
        username="bench-graduate", email="graduate@example.org", password="bench-password-2026"
    )
    core_api.save_profile(user=learner, full_name="أمينة يوسف", profession="nurse",
                          country="KE")
    api.enroll(user=learner, course=course)
    for module in api.list_modules(course=course):
        api.complete_module(user=learner, module=module)
    certificate = certificates_api.issue_certificate(user=learner, course=course)
    if certificate is None:
        raise SystemExit(f"no certificate issued for {course.title!r}")
    print(json.dumps({
        "public_id": certificate.public_id,
        "page": reverse("certificates:verify", args=[certificate.public_id]),
        "json": reverse("certificates:verify_json", args=[certificate.public_id]),
        "course": certificate.course_title,
    }, ensure_ascii=False))


main()
