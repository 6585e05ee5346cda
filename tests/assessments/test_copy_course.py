"""Copying a course as a new edition in the admin: its modules come along as drafts with
the same bodies, its quizzes are copied onto the new pages (as drafts, with the same bank
questions), its review dates are cleared, and nothing of its learners is copied or changed."""

import datetime

import pytest
from django.urls import reverse

from assessments import api
from assessments.models import Attempt, Question, Quiz, QuizQuestion
from courses.models import CoursePage, Enrollment, ModulePage, ModuleProgress
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(learner):
    """A course with three modules, a module quiz and a final assessment, and a learner
    who has enrolled, completed a module and attempted the quiz."""
    tree = factories.make_course_tree(modules=3, title="Warfarin dosing 2025",
                                      slug="warfarin-2025")
    tree.course.last_reviewed_on = datetime.date(2025, 1, 10)
    factories.publish(tree.course)
    for index, module in enumerate(tree.modules, start=1):
        module.body = [("rich_text", f"<p>Edition 2025, part {index}: VKORC1 and CYP2C9.</p>")]
        module.last_reviewed_on = datetime.date(2025, 2, index)
        factories.publish(module)
    questions = [factories.make_question(title="VKORC1"), factories.make_question(title="CYP2C9")]
    module_quiz = factories.make_quiz(module=tree.modules[1], questions=questions,
                                      title="Check: genotype-guided dosing", pass_mark=80)
    final = factories.make_quiz(course=tree.course, questions=questions[:1],
                                title="Final assessment", is_final_assessment=True)
    from courses import api as courses_api

    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    api.start_attempt(user=learner, quiz=module_quiz)
    return tree, module_quiz, final


def _copy(client, course, **extra):
    return client.post(reverse("wagtailadmin_pages:copy", args=[course.pk]), {
        "new_title": "Warfarin dosing 2026", "new_slug": "warfarin-2026",
        "new_parent_page": course.get_parent().pk, "copy_subpages": "on", **extra,
    })


def test_copying_a_course_copies_its_modules_and_quizzes_as_drafts(admin_client, edition):
    tree, module_quiz, final = edition
    before = {model: model.objects.count()
              for model in (Enrollment, ModuleProgress, Attempt, Question)}

    response = _copy(admin_client, tree.course)

    assert response.status_code == 302, response.content.decode()[-2000:]
    copy = CoursePage.objects.get(slug="warfarin-2026")
    assert not copy.live and copy.title == "Warfarin dosing 2026"
    assert copy.last_reviewed_on is None and copy.review_due_on is None
    modules = list(ModulePage.objects.child_of(copy).order_by("path"))
    assert [m.title for m in modules] == ["Module 1", "Module 2", "Module 3"]
    assert all(not m.live for m in modules)
    assert [str(m.body[0].value) for m in modules] == [
        f"<p>Edition 2025, part {i}: VKORC1 and CYP2C9.</p>" for i in (1, 2, 3)
    ]
    assert all(m.last_reviewed_on is None and m.review_due_on is None for m in modules)

    copied = Quiz.objects.exclude(pk__in=[module_quiz.pk, final.pk]).order_by("pk")
    assert copied.count() == 2
    new_module_quiz, new_final = copied
    assert new_module_quiz.module_id == modules[1].pk and new_module_quiz.course_id is None
    assert new_module_quiz.title == "Check: genotype-guided dosing"
    assert new_module_quiz.pass_mark == 80
    assert new_final.course_id == copy.pk and new_final.is_final_assessment
    assert list(QuizQuestion.objects.filter(quiz=new_module_quiz)
                .order_by("sort_order").values_list("question__title", flat=True)) == [
        "VKORC1", "CYP2C9"]
    if hasattr(Quiz, "live"):
        assert not new_module_quiz.live and not new_final.live

    # The originals and their learners are untouched; nothing of theirs was copied.
    assert {model: model.objects.count() for model in before} == before
    assert not Enrollment.objects.filter(course=copy).exists()
    assert not ModuleProgress.objects.filter(course=copy).exists()
    assert not Attempt.objects.filter(quiz__in=copied).exists()
    module_quiz.refresh_from_db()
    final.refresh_from_db()
    assert module_quiz.module_id == tree.modules[1].pk and final.course_id == tree.course.pk
    assert Attempt.objects.filter(quiz=module_quiz).count() == 1
    original = CoursePage.objects.get(pk=tree.course.pk)
    assert original.live and original.last_reviewed_on == datetime.date(2025, 1, 10)


def test_learners_do_not_see_the_draft_edition_or_its_quizzes(client, learner, admin_client,
                                                             edition):
    tree, _module_quiz, _final = edition
    _copy(admin_client, tree.course)
    copy = CoursePage.objects.get(slug="warfarin-2026")
    client.force_login(learner)
    assert client.get(f"{tree.course.url}".replace("warfarin-2025", "warfarin-2026")
                      ).status_code == 404
    if hasattr(Quiz, "live"):
        assert not api.quiz_summaries(user=learner, course=copy)


def test_copying_a_single_module_copies_its_quiz(admin_client, edition):
    tree, module_quiz, _final = edition
    response = admin_client.post(reverse("wagtailadmin_pages:copy", args=[tree.modules[1].pk]), {
        "new_title": "Module 2 (revised)", "new_slug": "module-2-revised",
        "new_parent_page": tree.course.pk,
    })
    assert response.status_code == 302
    copy = ModulePage.objects.get(slug="module-2-revised")
    twin = Quiz.objects.get(module=copy)
    assert twin.title == module_quiz.title and twin.pk != module_quiz.pk
    assert Quiz.objects.filter(course=tree.course).count() == 1  # the final is not doubled


def test_copying_again_does_not_double_the_quizzes(admin_client, edition):
    tree, _module_quiz, _final = edition
    _copy(admin_client, tree.course)
    copy = CoursePage.objects.get(slug="warfarin-2026")
    assert api.copy_quizzes(source_page=tree.course, target_page=copy) == []
    assert Quiz.objects.count() == 4


def test_a_course_without_quizzes_copies_cleanly(admin_client):
    tree = factories.make_course_tree(modules=2, slug="plain")
    response = _copy(admin_client, tree.course)
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="warfarin-2026")
    assert ModulePage.objects.child_of(copy).count() == 2
    assert not Quiz.objects.exists()


def test_the_copy_stays_a_draft_even_if_asked_to_publish(admin_client, edition):
    tree, _module_quiz, _final = edition
    form = admin_client.get(reverse("wagtailadmin_pages:copy", args=[tree.course.pk]))
    html = form.content.decode()
    assert 'name="copy_subpages"' in html
    assert 'name="publish_copies"' not in html and 'name="alias"' not in html
    response = _copy(admin_client, tree.course, publish_copies="on", alias="on")
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="warfarin-2026")
    assert copy.alias_of_id is None and not copy.live
    assert not ModulePage.objects.child_of(copy).live().exists()
    assert Quiz.objects.filter(course=copy).count() == 1
