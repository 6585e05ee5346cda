"""Cached pages never show a learner something out of date or someone else's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses import api
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    return course_tree


def _visit_twice(client, url):
    client.get(url)
    return client.get(url).content.decode()


def test_progress_shows_at_once_after_completing(auth_client, learner, enrolled):
    for url in (enrolled.modules[0].url, enrolled.course.url, "/dashboard/"):
        assert "0/3 required modules complete" in _visit_twice(auth_client, url)
    auth_client.post(reverse("complete_module", args=[enrolled.modules[0].pk]))
    for url in (enrolled.modules[0].url, enrolled.course.url, "/dashboard/"):
        assert "1/3 required modules complete" in auth_client.get(url).content.decode(), url


def test_a_republished_module_shows_its_new_text(auth_client, enrolled):
    module = enrolled.modules[1]
    assert "Module 2 text." in _visit_twice(auth_client, module.url)
    module.body = [("rich_text", "<p>Updated CPIC guidance.</p>")]
    factories.publish(module)
    html = auth_client.get(module.url).content.decode()
    assert "Updated CPIC guidance." in html and "Module 2 text." not in html


def test_a_new_module_appears_in_every_modules_outline(auth_client, enrolled):
    assert "Module 4" not in _visit_twice(auth_client, enrolled.modules[0].url)
    factories.make_module(course=enrolled.course)
    assert "Module 4" in auth_client.get(enrolled.modules[0].url).content.decode()


def test_an_unpublished_module_disappears(auth_client, client, enrolled):
    gone = enrolled.modules[2]
    assert _visit_twice(client, gone.url)
    gone.unpublish()
    assert client.get(gone.url).status_code == 404
    assert gone.title not in auth_client.get(enrolled.modules[0].url).content.decode()


def test_a_message_is_shown_once_and_not_cached(auth_client, enrolled):
    module = enrolled.modules[0]
    _visit_twice(auth_client, enrolled.modules[1].url)
    response = auth_client.post(reverse("complete_module", args=[module.pk]), follow=True)
    assert "is complete" in response.content.decode()
    assert "is complete" not in auth_client.get(response.redirect_chain[-1][0]).content.decode()


def test_each_browser_gets_a_page_with_its_own_csrf_token(learner, enrolled):
    module = enrolled.modules[0]
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (phone, laptop):
        browser.force_login(learner)
        _visit_twice(browser, module.url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                      laptop.get(module.url).content.decode()).group(1)
    response = laptop.post(reverse("complete_module", args=[module.pk]),
                           {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_two_learners_never_see_each_others_page(auth_client, learner, enrolled):
    other = factories.make_user(email="kofi@example.org")
    other_client = Client()
    other_client.force_login(other)
    api.complete_module(user=learner, module=enrolled.modules[0])
    assert "1/3 required modules complete" in _visit_twice(auth_client, enrolled.course.url)
    html = _visit_twice(other_client, enrolled.course.url)
    assert "required modules complete" not in html
    assert ">Enroll<" in html


def test_an_editors_preview_shows_the_draft(admin_client, enrolled):
    module = enrolled.modules[0]
    module.body = [("rich_text", "<p>Draft wording.</p>")]
    module.save_revision()
    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[module.pk]))
    assert "Draft wording." in response.content.decode()
