"""Switching the interface language in a real browser with JavaScript off: the header's
form alone changes the page's language and direction, and a signed-in learner's choice
follows her to another device."""

import pytest
from playwright.sync_api import expect

from lms.core import api
from tests import factories
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.journeys import sign_in


@pytest.mark.browser
def test_the_switcher_works_without_javascript_and_follows_the_learner(
        browser, live_server, django_db_serialized_rollback):
    learner = factories.make_user(email="ines@example.org")
    api.save_profile(user=learner, full_name="Inês Costa", profession="nurse", country="BR")

    phone = browser.new_context(base_url=live_server.url, locale="en-GB",
                                java_script_enabled=False)
    phone.set_default_timeout(TIMEOUT_MS)
    page = phone.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Language", exact=True).select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url.endswith("/accounts/login/")

    page.locator("#language-select").select_option("en")  # labelled in French now
    page.locator(".language-switcher [type=submit]").click()
    sign_in(page, learner.email)
    page.locator("#language-select").select_option("ar")
    page.locator(".language-switcher [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert api.get_profile(user=learner).preferred_language == "ar"
    phone.close()

    laptop = browser.new_context(base_url=live_server.url, locale="en-GB")
    laptop.set_default_timeout(TIMEOUT_MS)
    page = laptop.new_page()
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("input[name=login]").fill(learner.email)
    page.locator("input[name=password]").fill(factories.DEFAULT_PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("#language-select option[selected]")).to_have_attribute("value", "ar")
    laptop.close()
