"""A learner works through a course between patients: enrolls, completes modules (the
page updates in place), checks her dashboard, comes back later and resumes."""

import re

import pytest
from playwright.sync_api import expect

from lms.core import api as core_api
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "nurse.aisha@example.org"


@pytest.fixture
def course():
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Aisha Bello", profession="nurse", country="NG")
    return factories.make_course_tree(
        modules=3, title="Reading a variant report", slug="variant-report"
    ).course


def sign_in(page):
    journeys.sign_in(page, EMAIL)


def test_learner_enrolls_completes_two_modules_and_resumes_at_the_third(page, course):
    sign_in(page)
    page.goto(course.url)
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    expect(page.get_by_text("0/3 required modules complete")).to_be_visible()

    page.get_by_role("link", name="Start the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 1")
    # With JavaScript, "Mark as complete" updates the page in place: no full reload.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 2")
    expect(page.get_by_text("“Module 1” is complete.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/variant-report/module-2/$"))
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 3")

    page.get_by_role("link", name="My learning").click()
    card = page.locator(".card", has_text="Reading a variant report")
    expect(card.get_by_text("2/3 required modules complete")).to_be_visible()

    # Later, on the same phone: sign out, sign in, resume.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page)
    page.goto("/dashboard/")
    page.locator(".card", has_text="Reading a variant report").get_by_role(
        "link", name="Resume"
    ).click()
    expect(page).to_have_url(re.compile(r"/variant-report/module-3/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 3")


def test_every_action_works_without_javascript(browser, live_server, course):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page)
        page.goto(course.url)
        page.get_by_role("button", name="Enroll").click()
        expect(page.get_by_text("0/3 required modules complete")).to_be_visible()
        page.goto(course.url + "module-1/")
        page.get_by_role("button", name="Mark as complete").click()
        expect(page).to_have_url(re.compile(r"/variant-report/module-2/$"))
        expect(page.get_by_text("1/3 required modules complete")).to_be_visible()
    finally:
        context.close()
