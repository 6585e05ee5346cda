"""Run inside `manage.py shell` (LOAD_LEARNERS=N in the environment): the load scenario's
course and its learners, on a scratch database with the demo catalog.

The course has two modules completed by hand and a third completed by passing its quiz
(one question of every type, the short text one typed freely; pass mark 0, so every
submitted attempt passes and the course completes, which issues a certificate). Learners
are created in bulk with one password hashed once by the site's own hasher, a verified
e-mail address (sign-in needs one) and a profile.

Prints one JSON line describing the course and the learners.
"""

import json
import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from grading_throughput import build

from assessments import bank, grading
from assessments.models import Quiz, QuizQuestion
from certificates.models import CertificatePolicy
from courses.pages import CompletionRule, CoursePage, DomainPage, ModulePage
from lms.core.models import LearnerProfile

PASSWORD = "load-scenario-2026"  # noqa: S105 - scratch accounts, dropped with the database
PREFIX = "load-learner-"


def _module(course: CoursePage, number: int, rule: str) -> ModulePage:
    module = ModulePage(
        title=f"Load module {number}", slug=f"load-module-{number}", completion_rule=rule,
        body=[("rich_text", f"<p>Reading for load module {number}.</p>" * 20)],
    )
    course.add_child(instance=module)
    module.save_revision().publish()
    return module


def _course() -> tuple[CoursePage, list[ModulePage]]:
    domain = DomainPage.objects.get(slug="education")
    course = CoursePage(title="Load scenario course", slug="load-scenario-course",
                        summary="The course the load scenario's learners take.")
    domain.add_child(instance=course)
    course.save_revision().publish()
    modules = [_module(course, 1, CompletionRule.MANUAL), _module(course, 2, CompletionRule.MANUAL),
               _module(course, 3, CompletionRule.QUIZ)]
    CertificatePolicy.objects.update_or_create(course=course,
                                               defaults={"offers_participation": True})
    return course, modules


def _quiz(module: ModulePage) -> tuple[Quiz, list[str], list[str]]:
    one_of_each = {}
    for definition in build()[0].values():
        one_of_each.setdefault(type(definition).__name__, definition)
    imported = bank.import_questions(definitions=list(one_of_each.values()), publish=True).created
    quiz = Quiz.objects.create(title="Load quiz", module=module, pass_mark=0)
    for order, question in enumerate(imported):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    graded = grading.grade_attempt({d.id: d for d in one_of_each.values()}, {})
    return quiz, [definition.id for definition in one_of_each.values()], [
        grade.question_id for grade in graded.grades]


def _learners(count: int) -> list[str]:
    users = get_user_model().objects.bulk_create([
        get_user_model()(username=f"{PREFIX}{number:04d}",
                         email=f"{PREFIX}{number:04d}@example.org",
                         password=make_password(PASSWORD) if number == 1 else "")
        for number in range(1, count + 1)
    ])
    hashed = users[0].password  # one hash (the site's hasher, its own salt) for everyone
    get_user_model().objects.filter(username__startswith=PREFIX).update(password=hashed)
    EmailAddress.objects.bulk_create([
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    ])
    LearnerProfile.objects.bulk_create([
        LearnerProfile(user=user, full_name=f"Load Learner {user.username[-4:]}",
                       profession="nurse", country="KE") for user in users
    ])
    return [user.email for user in users]


def main() -> None:
    course, modules = _course()
    quiz, question_ids, graded_ids = _quiz(modules[-1])
    emails = _learners(int(os.environ["LOAD_LEARNERS"]))
    print(json.dumps({
        "course": {"id": course.pk, "url": course.url},
        "modules": [{"id": module.pk, "url": module.url, "rule": module.completion_rule}
                    for module in modules],
        "quiz": {"id": quiz.pk, "questions": question_ids, "graded": graded_ids},
        "learners": emails,
        "password": PASSWORD,
    }))


main()
