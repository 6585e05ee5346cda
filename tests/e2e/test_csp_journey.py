"""The enforced Content-Security-Policy in a real browser: a learner's journey through the
main pages and an editor's through the Wagtail admin raise no ``securitypolicyviolation``
(and Chromium logs no "Content Security Policy" error), while what the site's own scripts
do still works: quiz autosave, the language switcher, lite mode, the service worker, the
offline copy offer and the offline API's documentation page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.models import Quiz
from certificates import api as certificates_api
from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.achieng@example.org"
EDITOR = "editor.mwangi@example.org"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__alleleCspViolation({
    page: location.pathname, directive: event.effectiveDirective,
    blocked: event.blockedURI, sample: event.sample, source: event.sourceFile,
    line: event.lineNumber,
  });
});
"""


class Violations(list):
    """Every violation the browser reports on any page or frame of one tab."""

    def watch(self, page: Page) -> Page:
        page.context.expose_binding("__alleleCspViolation",
                                    lambda source, violation: self.append(violation))
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", lambda message: self.append({"page": page.url, "console": message.text})
                if "Content Security Policy" in message.text else None)
        return page

    def settle(self, page: Page) -> None:
        """Let the page finish loading, so what it blocks has been reported."""
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 200))")


@pytest.fixture
def violations():
    return Violations()


@pytest.fixture
def learning():
    """A course with a quiz module the learner is enrolled in, and a second course she has
    finished with its certificate."""
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Achieng Otieno", profession="pharmacist",
                          country="KE")
    tree = factories.make_course_tree(modules=2, title="Warfarin dosing", slug="warfarin")
    module = tree.modules[0]
    module.completion_rule = "quiz"
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    quiz = factories.make_quiz(module=module, title="CYP2C9 quiz")
    done = factories.make_course_tree(modules=1, title="HLA screening", slug="hla-screening")
    courses_api.enroll(user=learner, course=done.course)
    courses_api.complete_module(user=learner, module=done.modules[0])
    certificate = certificates_api.issue_certificate(user=learner, course=done.course)
    return {"tree": tree, "module": module, "quiz": quiz, "certificate": certificate}


def test_a_learners_journey_breaks_no_policy_and_the_enhancements_work(
        page, learning, violations):
    violations.watch(page)
    page.goto("/")
    journeys.sign_in(page, EMAIL)
    tree = learning["tree"]

    for url in ["/", tree.course.get_parent().url, reverse("dashboard"), reverse("profile"),
                reverse("certificates:list"), reverse("course_search") + "?q=warfarin",
                reverse("certificates:verify", args=[learning["certificate"].public_id]),
                reverse("offline_page")]:
        page.goto(url)
        violations.settle(page)

    page.goto(reverse("offline_api:openapi-view"))  # Swagger UI from local files
    expect(page.locator(".swagger-ui .info")).to_be_visible()

    page.goto(tree.course.url)  # the service worker takes over; the offline copy is offered
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("button", name="Make available offline")).to_be_visible()

    page.goto(learning["module"].url)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    page.get_by_label("Carbamazepine").check()
    expect(page.locator("[data-save-status]")).to_have_text(re.compile(r"^Saved \d"))
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You passed.")).to_be_visible()
    violations.settle(page)

    page.get_by_role("button", name="Lite mode").click()
    expect(page.get_by_role("button", name="Lite mode")).to_have_attribute("aria-pressed", "true")
    page.locator("#language-select").select_option("fr")
    page.locator(".language-switcher [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    violations.settle(page)

    assert violations == []


def test_an_editors_admin_pages_break_no_policy(page, learning, violations):
    factories.make_user(email=EDITOR, is_staff=True, is_superuser=True)
    violations.watch(page)
    journeys.sign_in(page, EDITOR)
    module, quiz = learning["module"], Quiz.objects.get(pk=learning["quiz"].pk)

    page.goto(reverse("wagtailadmin_home"))
    violations.settle(page)
    page.goto(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    expect(page.locator("#id_title")).to_have_value(module.title)
    violations.settle(page)
    page.goto(reverse(quiz.snippet_viewset.get_url_name("edit"), args=[quiz.pk]))
    expect(page.locator("#id_title")).to_have_value("CYP2C9 quiz")
    violations.settle(page)

    assert violations == []


def test_the_policy_blocks_what_an_attacker_might_slip_into_a_page(page, violations):
    """The watcher itself: the catalog page with an injected script, handler and style (as a
    stored XSS would put them) has them blocked, and each is reported."""
    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>", '<script>window.injected = true;</script>'
            '<img alt="" src="data:," onload="window.injected = true">'
            '<p id="styled" style="color: rgb(255, 0, 0)">x</p></main>')
        route.fulfill(response=response, body=body)

    violations.watch(page)
    page.route("**/", inject)
    page.goto("/")
    violations.settle(page)
    assert page.evaluate("window.injected") is None
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") \
        != "rgb(255, 0, 0)"
    blocked = {violation.get("directive") for violation in violations}
    assert {"script-src-elem", "script-src-attr", "style-src-attr"} <= blocked
