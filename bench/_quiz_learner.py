"""Run inside `manage.py shell`: a learner with an attempt in progress on a 20-question
quiz (the mix of grading_throughput.py, imported into the bank), signed in.

Prints one JSON line: her session cookie and the attempt page's URL.
"""

import json

from django.contrib.auth import get_user_model
from django.test import Client
from grading_throughput import build

from assessments import api, bank
from assessments.models import Quiz, QuizQuestion
from courses import api as courses_api
from courses.pages import CoursePage
from lms.core import api as core_api

QUESTIONS = 20


def main() -> None:
    definitions = list(build()[0].values())
    mix = definitions[::2][:QUESTIONS]  # every type appears
    imported = bank.import_questions(definitions=mix).created
    course = CoursePage.objects.live().order_by("path").first()
    module = courses_api.list_modules(course=course)[0]
    quiz = Quiz.objects.create(title="Bench quiz", module=module, pass_mark=70)
    for order, question in enumerate(imported):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    learner = get_user_model().objects.create_user(
        username="bench-quiz-learner", email="bench-quiz@example.org",
        password="bench-password-2026")
    core_api.save_profile(user=learner, full_name="Bench Learner", profession="nurse",
                          country="KE")
    courses_api.enroll(user=learner, course=course)
    attempt = api.start_attempt(user=learner, quiz=quiz)
    client = Client()
    client.force_login(learner)
    print(json.dumps({"session": client.cookies["sessionid"].value,
                      "attempt": f"/attempts/{attempt.pk}/", "questions": len(imported)}))


main()
