"""Clinical review in the browser (ADR 0004): an educator drafts a module in the Wagtail
admin and submits it for review; until a clinical reviewer approves it, the enrolled
learner gets "not found"; the reviewer approves it with a comment; the learner sees it."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import TaskState

from courses import api as courses_api
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EDUCATOR, REVIEWER, LEARNER = ("grace@example.org", "dr.okafor@example.org",
                               "nurse.aisha@example.org")
SUMMARY = "Test for HLA-B*15:02 before the first dose of carbamazepine."


def person(email: str, full_name: str, role: Role | None = None):
    user = factories.make_user(email=email)
    core_api.save_profile(user=user, full_name=full_name, profession="doctor", country="KE")
    if role is not None:
        core_api.assign_role(user=user, role=role)
    return user


@pytest.fixture
def course():
    educator = person(EDUCATOR, "Grace Wanjiru", Role.EDUCATOR)
    person(REVIEWER, "Chidi Okafor", Role.CLINICAL_REVIEWER)
    learner = person(LEARNER, "Aisha Bello")
    tree = factories.make_course_tree(modules=1, title="Preventing SJS/TEN",
                                      slug="sjs-ten", owner=educator)
    courses_api.enroll(user=learner, course=tree.course)
    return tree.course


def new_tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    return context.new_page()


def footer_action(page, name: str):
    """Open the editor's action menu (the arrow beside the main button) and pick one."""
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name=name).click()


def test_a_module_reaches_learners_only_after_a_reviewer_approves_it(page, browser,
                                                                     live_server, course):
    journeys.sign_in(page, EDUCATOR)
    page.goto(f"/admin/pages/add/courses/modulepage/{course.pk}/")
    page.locator("#id_title").fill("When to test")
    page.locator("#id_summary").fill(SUMMARY)
    # Wagtail fills the slug from the title a moment later (a debounced sync): wait for it.
    expect(page.locator("#id_slug")).to_have_value("when-to-test")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Page 'When to test' created.")).to_be_visible()
    footer_action(page, re.compile(r"^Submit to Clinical review"))
    expect(page.get_by_text("submitted for moderation")).to_be_visible()

    learner = new_tab(browser, live_server)
    journeys.sign_in(learner, LEARNER)
    response = learner.goto("/pharmacogenomics/sjs-ten/when-to-test/")
    assert response.status == 404

    reviewer = new_tab(browser, live_server)
    journeys.sign_in(reviewer, REVIEWER)
    reviewer.goto("/admin/")
    queue = reviewer.locator("section", has_text="Awaiting your review")
    expect(queue.get_by_text("When to test")).to_be_visible()
    queue.get_by_role("link", name=re.compile("When to test")).first.click()
    footer_action(reviewer, "Approve with comment")
    reviewer.locator("textarea[name=comment]").fill("Checked against the CPIC 2024 update.")
    reviewer.locator(".modal").get_by_role("button", name="Approve with comment").click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{course.pk}/$"))
    approval = TaskState.objects.get(status=TaskState.STATUS_APPROVED)
    assert approval.comment == "Checked against the CPIC 2024 update."

    learner.goto("/pharmacogenomics/sjs-ten/when-to-test/")
    expect(learner.get_by_role("heading", level=1)).to_have_text("When to test")
    expect(learner.get_by_text(SUMMARY)).to_be_visible()
