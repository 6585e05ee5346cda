"""A learner, with JavaScript off, reads the privacy page from the footer, asks for her data
(Allele asks for her password first, then carries on with her request), downloads the zip,
then deletes her account (after typing DELETE; her password, given moments ago, still
counts) and is signed out."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms.core import api as core_api
from lms.core.models import User
from tests import factories
from tests.e2e import journeys

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "amina.data@example.org"


@pytest.fixture
def learner():
    person = factories.make_user(email=EMAIL)
    core_api.save_profile(user=person, full_name="Amina Yusuf", profession="nurse",
                          country="KE")
    return person


def confirm_password(page) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("main input[name=password]").fill(factories.DEFAULT_PASSWORD)
    page.locator("main form [type=submit]").click()


def test_export_then_delete_without_javascript(browser, live_server, learner):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  accept_downloads=True)
    page = context.new_page()
    try:
        journeys.sign_in(page, EMAIL)
        page.get_by_role("link", name="Privacy").click()
        expect(page.get_by_role("heading", name="How Allele uses your data")).to_be_visible()
        page.get_by_role("link", name="Your data").click()

        page.get_by_role("button", name="Prepare my data export").click()
        confirm_password(page)
        expect(page.get_by_text("Your export is being prepared.")).to_be_visible()
        page.goto("/profile/data/")  # the task has run (immediately, in tests)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
        tables = json.loads(archive.read("data.json"))["tables"]
        assert tables["profile"][0]["full_name"] == "Amina Yusuf"

        page.get_by_role("link", name="Delete my account").click()
        page.get_by_label("To confirm, type DELETE:").fill("DELETE")
        page.get_by_role("button", name="Delete my account and my data").click()
        # No second password: she gave it moments ago (ACCOUNT_REAUTHENTICATION_TIMEOUT).
        expect(page.get_by_text("Your account and your personal data have been deleted.")
               ).to_be_visible()
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
        assert not User.objects.filter(email=EMAIL).exists()
    finally:
        context.close()
