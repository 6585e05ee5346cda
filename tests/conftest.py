"""Fixtures shared by every test. Test-only settings live in the autouse fixture below."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

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
