"""A learner takes a module's quiz between patients: fails, waits out the retry delay,
retries with autosave, passes, and sees the module complete and her course progress move."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Attempt
from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.kofi@example.org"


@pytest.fixture
def module():
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Kofi Mensah", profession="physician",
                          country="GH")
    tree = factories.make_course_tree(modules=2, title="Pharmacogenomics at the bedside",
                                      slug="pgx-bedside")
    module = tree.modules[0]
    module.completion_rule = "quiz"
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    factories.make_quiz(module=module, title="HLA screening quiz",
                        min_minutes_between_attempts=5)
    return module


def sign_in(page):
    journeys.sign_in(page, EMAIL)


def test_fail_wait_retry_pass_and_the_module_completes(page, module):
    sign_in(page)
    page.goto(module.url)
    expect(page.get_by_role("heading", name="HLA screening quiz")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    page.get_by_label("Paracetamol").check()
    # autosaved:
    expect(page.locator("[data-save-status]")).to_have_text(re.compile(r"^Saved \d"))
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("you scored 0%")).to_be_visible()
    expect(page.get_by_text("You did not pass this time")).to_be_visible()

    page.get_by_role("link", name="Back").click()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("You can try this quiz again at")).to_be_visible()

    # Five minutes later (moved back in the database rather than waited for).
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=6))
    page.get_by_role("button", name="Try again").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    page.get_by_label("Carbamazepine").check()
    expect(page.locator("[data-save-status]")).to_have_text(re.compile(r"^Saved \d"))
    page.reload()  # a dropped connection loses nothing: the answer is on the server
    expect(page.get_by_label("Carbamazepine")).to_be_checked()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You passed.")).to_be_visible()
    expect(page.get_by_text("Right: SJS risk.")).to_be_visible()

    page.get_by_role("link", name="Back").click()
    expect(page.get_by_text("You have completed this module.")).to_be_visible()
    expect(page.get_by_text("1/2 required modules complete")).to_be_visible()


def test_the_quiz_works_without_javascript(browser, live_server, module):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page)
        page.goto(module.url)
        page.get_by_role("button", name="Start the quiz").click()
        page.get_by_label("Carbamazepine").check()
        page.get_by_role("button", name="Save answers").click()
        expect(page.get_by_text("Your answers are saved.")).to_be_visible()
        expect(page.get_by_label("Carbamazepine")).to_be_checked()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_text("You passed.")).to_be_visible()
    finally:
        context.close()
