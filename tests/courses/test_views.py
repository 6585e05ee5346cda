"""Learners' actions through HTTP: plain POSTs that redirect, CSRF-protected, own progress only."""

import pytest
from django.test import Client
from django.urls import reverse

from courses import api
from courses.models import Enrollment, ModuleProgress
from lms.core.models import LearningEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_enroll_from_the_course_page(auth_client, learner, course_tree):
    course = course_tree.course
    assert b"Enroll" in auth_client.get(course.url).content
    response = auth_client.post(reverse("enroll", args=[course.pk]), follow=True)
    assert response.redirect_chain[-1][0] == course.url
    html = response.content.decode()
    assert "You are enrolled" in html
    assert "0/3 required modules complete" in html
    assert Enrollment.objects.filter(user=learner, course=course, is_active=True).exists()


def test_enrolling_twice_says_so_and_changes_nothing(auth_client, learner, course_tree):
    url = reverse("enroll", args=[course_tree.course.pk])
    auth_client.post(url)
    response = auth_client.post(url, follow=True)
    assert "already enrolled" in response.content.decode()
    assert Enrollment.objects.count() == 1
    assert LearningEvent.objects.filter(verb="enrolled").count() == 1


def test_mark_as_complete_moves_to_the_next_module(auth_client, learner, course_tree):
    first, second, _third = course_tree.modules
    api.enroll(user=learner, course=course_tree.course)
    response = auth_client.post(reverse("complete_module", args=[first.pk]), follow=True)
    assert response.redirect_chain[-1][0] == second.url
    assert "“Module 1” is complete" in response.content.decode()
    assert "1/3 required modules complete" in response.content.decode()


def test_completing_a_locked_module_shows_why_and_changes_nothing(auth_client, learner):
    tree = factories.make_course_tree(modules=2, sequential=True)
    api.enroll(user=learner, course=tree.course)
    response = auth_client.post(reverse("complete_module", args=[tree.modules[1].pk]), follow=True)
    assert "Complete “Module 1” first" in response.content.decode()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_a_locked_module_page_says_what_to_do_first(auth_client, learner):
    tree = factories.make_course_tree(modules=2, sequential=True)
    api.enroll(user=learner, course=tree.course)
    response = auth_client.get(tree.modules[1].url)
    assert response.status_code == 403
    assert "opens when you have completed “Module 1”" in response.content.decode()
    assert "Module 2 text" not in response.content.decode()


def test_completing_without_enrolling_is_refused_with_a_message(auth_client, course_tree):
    response = auth_client.post(
        reverse("complete_module", args=[course_tree.modules[0].pk]), follow=True
    )
    assert "Enroll in “Preventing SJS/TEN” to record your progress" in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_posting_for_another_users_progress_is_refused(auth_client, learner, course_tree):
    other = factories.make_user(email="other@example.org")
    api.enroll(user=learner, course=course_tree.course)
    api.enroll(user=other, course=course_tree.course)
    response = auth_client.post(
        reverse("complete_module", args=[course_tree.modules[0].pk]), {"user": other.pk}
    )
    assert response.status_code == 403
    assert "only record your own progress" in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_actions_need_a_signed_in_learner(client, course_tree):
    response = client.post(reverse("enroll", args=[course_tree.course.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrollment.objects.exists()


def test_actions_are_csrf_protected(learner, course_tree):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(learner)
    response = csrf_client.post(reverse("enroll", args=[course_tree.course.pk]))
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_actions_refuse_get(auth_client, course_tree):
    assert auth_client.get(reverse("enroll", args=[course_tree.course.pk])).status_code == 405


def test_unknown_or_draft_course_is_404(auth_client, course_tree):
    course_tree.course.unpublish()
    assert auth_client.post(reverse("enroll", args=[course_tree.course.pk])).status_code == 404
    assert auth_client.post(reverse("enroll", args=[987654])).status_code == 404


def test_leave_keeps_progress_and_says_so(auth_client, learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    api.complete_module(user=learner, module=course_tree.modules[0])
    response = auth_client.post(reverse("leave", args=[course_tree.course.pk]), follow=True)
    assert "progress is kept" in response.content.decode()
    response = auth_client.post(reverse("enroll", args=[course_tree.course.pk]), follow=True)
    assert "1/3 required modules complete" in response.content.decode()


def test_resume_opens_the_first_unfinished_module(auth_client, learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    api.complete_module(user=learner, module=course_tree.modules[0])
    response = auth_client.get(reverse("resume", args=[course_tree.course.pk]))
    assert response["Location"] == course_tree.modules[1].url


def test_course_page_shows_each_modules_state(auth_client, learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    api.complete_module(user=learner, module=course_tree.modules[0])
    auth_client.get(course_tree.modules[1].url)
    html = auth_client.get(course_tree.course.url).content.decode()
    assert html.index("state-complete") < html.index("state-in_progress") < html.index(
        "state-not_started")


def test_dashboard_lists_courses_with_progress_and_next_module(auth_client, learner):
    taking = factories.make_course_tree(modules=3, title="Reading a variant report")
    done = factories.make_course_tree(modules=1, title="Family history", cpd_credit_hours=2)
    api.enroll(user=learner, course=taking.course)
    api.complete_module(user=learner, module=taking.modules[0])
    api.complete_module(user=learner, module=taking.modules[1])
    api.enroll(user=learner, course=done.course)
    api.complete_module(user=learner, module=done.modules[0])
    html = auth_client.get(reverse("dashboard")).content.decode()
    in_progress, completed = html.split("<h2>Completed</h2>")
    assert "Reading a variant report" in in_progress
    assert "2/3 required modules complete" in in_progress
    assert f'href="{taking.modules[2].url}"' in in_progress
    assert "Family history" in completed
    assert "CPD hours earned: <strong>2</strong>" in html


def test_dashboard_needs_sign_in(client):
    assert client.get(reverse("dashboard")).status_code == 302


def test_apps_above_can_add_sections_to_the_dashboard(auth_client):
    from wagtail import hooks

    from courses.extensions import DASHBOARD_SECTIONS

    def certificates(*, request, dashboard):
        return ["<section><h2>Certificates</h2></section>"]

    with hooks.register_temporarily(DASHBOARD_SECTIONS, certificates):
        html = auth_client.get(reverse("dashboard")).content.decode()
    assert "<section><h2>Certificates</h2></section>" in html
