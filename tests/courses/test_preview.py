"""Previewing a course or module in the admin as a learner at a sample stage: the real
learner templates with made-up progress, and nothing written to the database."""

import re

import pytest
from django.urls import reverse

from courses import api
from courses.models import Enrollment, ModuleProgress
from lms.core.models import LearningEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return factories.make_course_tree(modules=4, title="Warfarin dosing")


def _preview(client, page, mode: str) -> str:
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
                          {"mode": mode})
    assert response.status_code in (200, 403), response.status_code
    return response.content.decode()


def _states(html: str) -> list[str]:
    return re.findall(r'<span class="state state-(\w+)">', html)


def _nothing_written():
    assert not Enrollment.objects.exists()
    assert not ModuleProgress.objects.exists()
    assert not LearningEvent.objects.exists()


def test_the_preview_modes_are_offered(tree):
    modes = dict(tree.course.preview_modes)
    assert list(modes) == ["new", "halfway", "completed", "visitor"]
    assert tree.course.default_preview_mode == "new"
    assert dict(tree.modules[0].preview_modes) == modes


def test_halfway_shows_the_first_half_complete_and_the_next_begun(admin_client, tree):
    html = _preview(admin_client, tree.course, "halfway")
    assert _states(html) == ["complete", "complete", "in_progress", "not_started"]
    assert "2/4 required modules complete" in html
    assert "Resume" in html
    _nothing_written()


def test_a_new_learner_is_enrolled_with_nothing_done(admin_client, tree):
    html = _preview(admin_client, tree.course, "new")
    assert _states(html) == ["not_started"] * 4
    assert "0/4 required modules complete" in html and "Start the course" in html
    assert "Leave this course" in html
    _nothing_written()


def test_completed_shows_every_module_and_the_course_complete(admin_client, tree):
    html = _preview(admin_client, tree.course, "completed")
    assert _states(html) == ["complete"] * 4
    assert "You have completed this course." in html
    _nothing_written()


def test_a_visitor_sees_the_sign_in_button(admin_client, tree):
    html = _preview(admin_client, tree.course, "visitor")
    assert "Sign in to enroll" in html and "Leave this course" not in html
    assert not _states(html) or set(_states(html)) == {"not_started"}
    _nothing_written()


def test_a_module_preview_records_no_view_and_shows_the_sample_outline(admin_client, tree):
    html = _preview(admin_client, tree.modules[2], "halfway")
    assert "Module 3 text." in html
    toc = html[html.index('id="toc-heading"'):]
    assert _states(toc) == ["complete", "complete", "in_progress", "not_started"]
    _nothing_written()


def test_a_sequential_course_previews_a_later_module_as_locked(admin_client):
    tree = factories.make_course_tree(modules=3, sequential=True)
    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[tree.modules[2].pk]), {"mode": "new"}
    )
    assert response.status_code == 403  # what the learner would get: the locked page
    assert "Module 1" in response.content.decode()
    completed = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[tree.modules[2].pk]),
        {"mode": "completed"},
    )
    assert completed.status_code == 200 and "Module 3 text." in completed.content.decode()
    _nothing_written()


def test_a_preview_by_an_enrolled_editor_leaves_her_own_progress_alone(admin_user, client,
                                                                         tree):
    client.force_login(admin_user)
    api.enroll(user=admin_user, course=tree.course)
    before = (ModuleProgress.objects.count(), LearningEvent.objects.count())
    html = _preview(client, tree.modules[0], "completed")
    assert _states(html[html.index('id="toc-heading"'):]) == ["complete"] * 4
    assert (ModuleProgress.objects.count(), LearningEvent.objects.count()) == before
    assert not Enrollment.objects.get(user=admin_user).completed_at


def test_sample_progress_is_pure(tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        progress = api.sample_progress(course=tree.course, modules=tree.modules,
                                       state=api.SampleState.HALFWAY)
    assert progress.is_enrolled and progress.required_complete == 2
    assert progress.resume_module == tree.modules[2]


def test_sample_progress_halves_only_required_modules(tree):
    optional = factories.make_module(course=tree.course, is_optional=True)
    modules = [optional, *tree.modules]
    progress = api.sample_progress(course=tree.course, modules=modules,
                                   state=api.SampleState.HALFWAY)
    assert [s.state for s in progress.modules] == [
        api.ModuleState.NOT_STARTED, api.ModuleState.COMPLETE, api.ModuleState.COMPLETE,
        api.ModuleState.IN_PROGRESS, api.ModuleState.NOT_STARTED,
    ]


def test_learners_cannot_preview(client, learner, tree):
    client.force_login(learner)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[tree.course.pk]),
                          {"mode": "completed"})
    assert response.status_code in (302, 403)
    assert "You have completed this course." not in response.content.decode()


def test_a_preview_shows_the_unpublished_draft(admin_client, tree):
    module = tree.modules[0]
    admin_client.get(module.url)  # the published body is now cached
    module.body = [("rich_text", "<p>Updated CPIC 2026 guidance.</p>")]
    module.save_revision()
    html = _preview(admin_client, module, "new")
    assert "Updated CPIC 2026 guidance." in html and "Module 1 text." not in html
    assert "Module 1 text." in admin_client.get(module.url).content.decode()
