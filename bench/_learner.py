"""Run inside `manage.py shell`: a learner enrolled in twenty courses, signed in.

Prints one JSON line: her session cookie and the URLs the throughput bench requests.
"""

import json

from django.contrib.auth import get_user_model
from django.test import Client

from courses import api
from courses.pages import CoursePage, DomainPage, ModulePage
from lms.core import api as core_api

COURSES = 20
EXTRA_MODULES = 5


def extra_course(number: int) -> CoursePage:
    domain = DomainPage.objects.get(slug="education")
    course = CoursePage(title=f"Bench course {number}", slug=f"bench-course-{number}",
                        summary="A course made for the throughput bench.")
    domain.add_child(instance=course)
    course.save_revision().publish()
    for index in range(1, EXTRA_MODULES + 1):
        module = ModulePage(title=f"Bench module {index}", slug=f"module-{index}",
                            body=[("rich_text", f"<p>Bench module {index}.</p>" * 40)])
        course.add_child(instance=module)
        module.save_revision().publish()
    return course


def main() -> None:
    live = list(CoursePage.objects.live().order_by("path"))
    live += [extra_course(number) for number in range(len(live) + 1, COURSES + 1)]
    learner = get_user_model().objects.create_user(
        username="bench-learner", email="bench@example.org", password="bench-password-2026"
    )
    core_api.save_profile(user=learner, full_name="Bench Learner", profession="nurse",
                          country="KE")
    for course in live[:COURSES]:
        api.enroll(user=learner, course=course)
        api.complete_module(user=learner, module=api.list_modules(course=course)[0])
    client = Client()
    client.force_login(learner)
    module = api.list_modules(course=live[0])[1]
    print(json.dumps({
        "session": client.cookies["sessionid"].value,
        "module": module.url,
        "course": live[0].url,
        "courses": min(len(live), COURSES),
    }))


main()
