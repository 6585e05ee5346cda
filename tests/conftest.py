"""Fixtures shared by every test. Test-only settings live in the autouse fixture below."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from pytest_django.plugin import blocking_manager_key

from courses.caching import forget_process_copies
from tests import factories


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and "postgresql" not in django_settings.DATABASES[
        "default"
    ]["ENGINE"]:
        pytest.skip("race test: needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    cache.clear()
    forget_process_copies()
    yield
    cache.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing the database, migrated data included (the
    catalog, the roles, Wagtail's root page). Once every fixture has been torn down, put
    that data back from the serialized copy, so that the tests after it, and the next run
    with --reuse-db, find it."""
    yield
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        reload_migrated_data(item.config.stash[blocking_manager_key])


CONTENT_TYPE = "contenttypes.contenttype"


def reload_migrated_data(django_db_blocker) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    from courses.pages import HomePage

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents and not HomePage.objects.using(connection.alias).exists():
                # The flush left only what post_migrate recreates (content types and
                # permissions), numbered afresh; the serialized copy brings them back with
                # their original ids, so clear them, restore the content types first
                # (saving other rows may look one up), then the rest.
                ContentType.objects.using(connection.alias).all().delete()
                ContentType.objects.clear_cache()
                rows = json.loads(contents)
                content_types = [row for row in rows if row["model"] == CONTENT_TYPE]
                others = [row for row in rows if row["model"] != CONTENT_TYPE]
                for part in (content_types, others):
                    connection.creation.deserialize_db_from_string(json.dumps(part))


@pytest.fixture
def user(db):
    return factories.make_user()


@pytest.fixture
def learner(db):
    """A verified user with a completed profile."""
    from lms.core import api

    person = factories.make_user(email="amina@example.org")
    api.save_profile(user=person, full_name="Amina Yusuf", profession="nurse", country="KE")
    return person


@pytest.fixture
def auth_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def course_tree(db):
    return factories.make_course_tree(modules=3)
