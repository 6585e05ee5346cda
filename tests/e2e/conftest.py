"""Browser journeys: Debian's Chromium driven by Playwright (sync API) against `live_server`.

A test asks for the ``page`` fixture and gets a fresh browser context whose base URL is the
live server, so ``page.goto("/")`` opens the catalog. Every test that uses ``page`` is marked
``browser`` and runs with a transactional, serialized-rollback database: the live server
answers from another thread, so it must see committed data, and the catalog (home page,
domains, Wagtail site) comes from a data migration that a flush would otherwise erase.

Without Chromium the tests are skipped, except under ``CI=true``, where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ALLELE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
E2E_DIR = Path(__file__).parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in Path(item.path).parents and "page" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The Chromium binary, or a skip (a failure under CI=true) saying how to get one."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    reason = (
        f"Chromium not found at {CHROMIUM}: install Debian's package "
        "(`apt-get install chromium`) or set ALLELE_CHROMIUM to its path"
    )
    if _in_ci():
        pytest.fail(f"{reason}; browser tests may not be skipped under CI=true", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(_plain_http_while_starting, live_server):
    """pytest-django's live server, started over plain HTTP (see below)."""
    return live_server


@pytest.fixture(scope="session")
def _plain_http_while_starting():
    """Let the live server speak plain HTTP.

    Settings default to production (HTTPS redirect, HSTS), and SecurityMiddleware reads
    them once, when the live server builds its handler at the start of the session: before
    the per-test overrides in tests/conftest.py apply. So override them for the session.
    """
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield


@pytest.fixture(scope="module")
def browser(chromium_executable, django_db_setup, django_db_blocker):
    """Headless Chromium, one per test module.

    Playwright's sync API marks an event loop as running in this thread between calls.
    While it does, (1) Django's ORM refuses to run here unless DJANGO_ALLOW_ASYNC_UNSAFE
    is set, and (2) Django's thread-critical connection storage hands this thread a second
    set of connections, which lack the data that serialized rollback reloads. So set the
    variable only while the browser runs, and give the second connections that data.
    The module scope keeps both effects away from tests outside this module.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(
                executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
    _reload_migrated_data(serialized, django_db_blocker)


def _reload_migrated_data(serialized, django_db_blocker):
    """Serialized rollback reloads the migrated data when a test starts and flushes the
    database when it ends. Reload it once more, so that later tests (and, with
    --reuse-db, the next run) find the catalog the migrations made."""
    from django.db import connections

    from courses.pages import HomePage

    with django_db_blocker.unblock():
        for alias, contents in serialized.items():
            if not HomePage.objects.using(alias).exists():
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A Playwright page in a fresh context (no cookies, empty cache) aimed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()
