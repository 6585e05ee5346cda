"""The installable app: web app manifest, service worker, offline page, and what base.html
and the course page give the device-side scripts."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from PIL import Image

from courses import api as courses_api
from offline import views


def test_the_manifest_is_json_with_installable_fields_and_real_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["short_name"] == "Allele"
    assert data["start_url"] == "/dashboard/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0b6e4f"
    sizes = set()
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_page_links_the_manifest_and_loads_the_queue_script_deferred(client, db):
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<script src="/static/offline/queue\.js"[^>]* defer>', html)
    assert 'data-sw="/sw.js"' in html
    assert 'data-sync="/api/v1/offline/sync"' in html


def test_the_service_worker_is_served_at_the_root_with_the_headers_it_needs(client, db):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    config = re.match(r'var VERSION = "(\w+)", SHELL = (\[.*?\]), OFFLINE_URL = "([^"]+)";',
                      script)
    assert config, script[:200]
    shell = json.loads(config.group(2))
    assert "/static/css/allele.css" in shell
    assert "/static/offline/queue.js" in shell
    assert config.group(3) == "/offline/" and "/offline/" in shell
    for url in shell[:-1]:
        assert finders.find(url.removeprefix("/static/")), url
    assert 'self.addEventListener("fetch"' in script


def test_the_service_worker_version_moves_with_its_shell(client, db, monkeypatch):
    before = client.get("/sw.js").content.decode()
    monkeypatch.setattr(views, "SHELL_STATIC", (*views.SHELL_STATIC, "offline/icons/icon-512.png"))
    after = client.get("/sw.js").content.decode()

    version = re.compile(r'VERSION = "(\w+)"')
    assert version.search(before).group(1) != version.search(after).group(1)


def test_the_offline_page_is_the_same_for_everyone(client, learner):
    client.force_login(learner)

    response = client.get("/offline/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "You are offline" in html
    assert 'name="allele-offline-page"' in html
    assert "allele-learner" not in html
    assert learner.email not in html


def test_the_offline_page_leaves_a_pending_message_for_the_next_page(rf, learner):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/offline/")
    request.user = learner
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(20, "Successfully signed in as Amina.")
    request.LANGUAGE_CODE = "en"

    html = views.offline_page(request).content.decode()

    assert "Successfully signed in" not in html
    assert [str(m) for m in get_messages(request)] == ["Successfully signed in as Amina."]


def test_signed_in_pages_name_the_learner_for_the_offline_queue(client, learner):
    assert b"allele-learner" not in client.get("/").content
    client.force_login(learner)

    html = client.get("/").content.decode()

    assert f'<meta name="allele-learner" content="{learner.get_username()}">' in html
    assert "data-sync-queue" in html
    assert "data-sign-out" in html


@pytest.fixture
def course(course_tree):
    return course_tree.course


def test_the_course_page_offers_an_offline_copy_only_to_enrolled_learners(client, learner,
                                                                          course):
    assert b"data-offline-course" not in client.get(course.url).content
    client.force_login(learner)
    assert b"data-offline-course" not in client.get(course.url).content

    courses_api.enroll(user=learner, course=course)
    html = client.get(course.url).content.decode()

    assert f'data-offline-course="{course.pk}"' in html
    assert f'data-manifest="/api/v1/offline/courses/{course.pk}/manifest"' in html
    assert "Make available offline" in html


def test_the_offline_copy_gets_its_size_units_in_the_page_language(client, learner, course):
    courses_api.enroll(user=learner, course=course)
    client.force_login(learner)
    english = client.get(course.url).content.decode()
    assert 'data-msg-kb="%s KB"' in english and 'data-msg-mb="%s MB"' in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(course.url).content.decode()
    units = re.search(r'data-msg-kb="([^"]*)" data-msg-mb="([^"]*)"', french).groups()
    # course.js puts the number in place of %s; French megabytes are not "MB".
    assert all("%s" in unit for unit in units) and "MB" not in units[1]


def test_the_offline_copy_goes_when_she_leaves_the_course(client, learner, course):
    courses_api.enroll(user=learner, course=course)
    client.force_login(learner)
    assert b"data-offline-course" in client.get(course.url).content

    courses_api.unenroll(user=learner, course=course)

    assert b"data-offline-course" not in client.get(course.url).content
