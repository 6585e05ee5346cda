"""A learner whose name is written in Arabic completes a course, finds her certificate on
her dashboard, downloads the PDF, and an employer (signed out, another browser) opens the
shareable verification link and sees it is valid, with her name exactly as she wrote it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lms.core import api as core_api
from tests import factories
from tests.certificates.conftest import IN_CI, pdf_stack_problem
from tests.e2e import journeys
from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pdf,  # issuing renders the PDF: skipped without Pango/fonts, failed under CI
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "amina.yusuf@example.org"
NAME = "أمينة يوسف"
COURSE = "Preventing SJS/TEN"


@pytest.fixture(autouse=True)
def _pdf_stack():
    # tests/certificates/conftest.py applies the pdf marker there only; apply it here too.
    problem = pdf_stack_problem()
    if problem:
        reason = (f"certificate PDFs: {problem}; apt-get install libpango-1.0-0 "
                  "libpangoft2-1.0-0 fonts-noto-core fonts-wqy-microhei")
        if IN_CI:
            pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def course():
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name=NAME, profession="pharmacist", country="EG")
    return factories.make_course_tree(modules=2, title=COURSE, slug="sjs-ten").course


def sign_in(page):
    journeys.sign_in(page, EMAIL)


def test_learner_earns_downloads_and_shares_her_certificate(page, browser, live_server, course,
                                                            tmp_path):
    sign_in(page)
    page.goto(course.url)
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    page.get_by_role("link", name="Start the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 1")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 2")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("“Module 2” is complete.")).to_be_visible()

    page.get_by_role("link", name="My learning").click()
    section = page.locator(".certificates-section")
    expect(section.get_by_role("heading", name="My certificates")).to_be_visible()
    card = section.locator(".certificate", has_text=COURSE)
    expect(card).to_have_count(1)

    with page.expect_download() as info:
        card.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert re.fullmatch(r"certificate-[A-Za-z0-9_-]+\.pdf", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")

    link = card.get_by_role("link", name="Verification link").get_attribute("href")
    shared = card.locator("code").inner_text()
    assert shared.endswith(link)

    employer = browser.new_context(base_url=live_server.url, locale="en-GB")
    employer.set_default_timeout(TIMEOUT_MS)
    try:
        other = employer.new_page()
        other.goto(link)
        expect(other.get_by_role("link", name="Sign in")).to_be_visible()  # signed out
        expect(other.get_by_role("status")).to_contain_text("Valid")
        expect(other.locator(".learner-name")).to_have_text(NAME)
        expect(other.locator(".verification")).to_contain_text(COURSE)
        assert EMAIL not in other.content()
    finally:
        employer.close()
