"""WCAG 2.2 AA, as far as a machine can check it: axe-core (npm, package-lock.json), injected
into each page by Playwright, finds no serious or critical violation on the pages a learner
uses, in English and in Arabic (right to left).

One test per language walks every page with one browser context, so the content is built
once per language and each page loads once: the sign-in page (empty, then after a failed
sign-in), the catalog, a course, a module with a figure, a video and a quiz, the quiz in
progress (every question type), the quiz after "Check answer" with no answer (an error) and
with one (feedback), the result, the learner dashboard and the profile (empty, then with
errors). A failure lists, per page, each violation's rule, help, impact and the failing
nodes, so it can be fixed without rerunning.

Without axe-core (``make install`` runs ``npm ci``) the tests skip, except under
``CI=true``, where they fail, as a missing Chromium does.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.assessments.test_models import VALUES
from tests.e2e.conftest import _in_ci

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
EMAIL = "dr.amina@example.org"


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js as installed by npm, or a skip (a failure under CI=true)."""
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    reason = (f"axe-core not found at {AXE}: run `make install` (npm ci; needs Node.js "
              "and npm)")
    if _in_ci():
        pytest.fail(f"{reason}; accessibility tests may not be skipped under CI=true",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def audit(axe_source):
    """``audit(page, name)`` runs axe on the page as it is now and records what blocks;
    ``audit.report()`` fails the test with every page's findings at once."""

    class Audit:
        def __init__(self):
            self.findings: list[str] = []
            self.pages: list[str] = []

        def __call__(self, page: Page, name: str) -> None:
            self.pages.append(name)
            self.findings += [_describe(name, page.url, violation)
                              for violation in self.blocking(page)]

        def blocking(self, page: Page) -> list[dict]:
            """The serious and critical violations axe finds on the page as it is now."""
            page.wait_for_load_state("load")
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                # Through the DevTools protocol, so the page's Content-Security-Policy
                # (no inline scripts) neither blocks it nor needs loosening.
                page.evaluate(f"() => {{ {axe_source}\n }}")
                page.evaluate("() => { if (typeof axe !== 'undefined') window.axe = axe; }")
            violations = page.evaluate(
                """(tags) => window.axe.run(document, {runOnly: {type: "tag", values: tags}})
                    .then(results => results.violations)""",
                WCAG_TAGS,
            )
            return [violation for violation in violations if violation["impact"] in BLOCKING]

        def report(self) -> None:
            assert not self.findings, (
                f"axe-core found serious or critical WCAG violations on "
                f"{len(self.findings)} occasion(s):\n\n" + "\n\n".join(self.findings))

    return Audit()


def _describe(name: str, url: str, violation: dict) -> str:
    lines = [f"[{name}] {url}\n  {violation['id']} ({violation['impact']}): "
             f"{violation['help']}\n  {violation['helpUrl']}"]
    for node in violation["nodes"][:8]:
        lines.append(f"    - {' '.join(map(str, node['target']))}\n"
                     f"      {node['html'][:300]}\n      {node.get('failureSummary', '')}"
                     .replace("\n      Fix", "\n      fix"))
    if len(violation["nodes"]) > 8:
        lines.append(f"    ... and {len(violation['nodes']) - 8} more nodes")
    return "\n".join(lines)


def _png() -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (10, 110, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


def _image():
    from wagtail.images import get_image_model

    image = get_image_model()(title="HLA-B*15:02 prevalence map")
    image.file.save("prevalence.png", ContentFile(_png()), save=False)
    image.width, image.height = 40, 30
    image._set_file_hash()
    image.save()
    return image


def _document(title: str, data: bytes, filename: str):
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document._set_file_hash()
    document.save()
    return document


def build_course():
    """A learner enrolled in a course whose first module holds a figure, a video and a
    quiz over every question type with immediate feedback ("Check answer")."""
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Amina Haddad", profession="physician",
                          country="MA")
    tree = factories.make_course_tree(modules=2, title="Pharmacogenomics at the bedside",
                                      slug="pgx-bedside")
    module = tree.modules[0]
    image = _image()
    video = _document("Counselling role-play", b"\x00\x00\x00\x18ftypmp42", "role-play.mp4")
    captions = _document("Captions", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
                         "role-play.vtt")
    module.body = [
        {"type": "rich_text", "id": "intro", "value": "<p>Screen before carbamazepine.</p>"},
        {"type": "image", "id": "fig-1", "value": {
            "image": image.pk, "alt_text": "Map of HLA-B*15:02 carriers in Asia",
            "caption": "Carrier frequency", "credit": "CPIC"}},
        {"type": "video", "id": "video-1", "value": {
            "title": "Counselling role-play", "video": video.pk, "poster": image.pk,
            "captions": captions.pk, "captions_language": "en",
            "transcript": "Doctor: Before we start carbamazepine, we test for HLA-B*15:02."}},
    ]
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    questions = [factories.make_question()] + [
        factories.make_question(kind=kind, value=VALUES[kind]) for kind in sorted(VALUES)]
    factories.make_quiz(module=module, title="HLA screening quiz", questions=questions,
                        feedback_timing="immediately")
    return tree


@pytest.mark.parametrize("language", ["en", "ar"])
def test_learner_pages_have_no_serious_wcag_violation(page, live_server, audit, language):
    tree = build_course()
    module = tree.modules[0]
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])

    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    audit(page, "sign-in")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill("not the password")
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_focused()  # the error summary
    audit(page, "sign-in, failed")

    _sign_in(page)
    page.goto("/")
    audit(page, "catalog")
    page.goto(tree.course.url)
    audit(page, "course")
    page.goto(module.url)
    expect(page.locator("figure img")).to_have_count(1)
    audit(page, "module")

    page.locator("form[action*='/quizzes/'] [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    audit(page, "quiz in progress")
    page.locator("[data-quiz-check]").first.click()  # nothing chosen: an error
    expect(page.locator(".message-error")).to_be_visible()
    audit(page, "quiz, unanswered check")
    page.locator("fieldset.question").first.locator("input[type=radio]").first.check()
    page.locator("[data-quiz-check]").first.click()
    expect(page.locator(".question-check").first).to_be_visible()
    audit(page, "quiz, feedback")
    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    audit(page, "quiz result")

    page.goto("/dashboard/")
    audit(page, "dashboard")
    page.goto("/profile/")
    audit(page, "profile")
    page.locator("main form input[name=full_name]").fill("")
    page.locator("main form [type=submit]").last.click()

    expect(page.locator("main input[name=full_name]")).to_have_attribute(
        "aria-invalid", "true")
    error_id = page.locator("main input[name=full_name]").get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id.split()[-1]}")).to_be_visible()
    audit(page, "profile, with errors")

    assert len(audit.pages) == 12
    audit.report()

    # The check can fail: a button without a name is a critical violation.
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
    assert "button-name" in {violation["id"] for violation in audit.blocking(page)}


def _sign_in(page: Page) -> None:
    """Sign in through the form, in any language (waits for the link to the dashboard)."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(factories.DEFAULT_PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.locator("a[href='/dashboard/']").first).to_be_visible()
