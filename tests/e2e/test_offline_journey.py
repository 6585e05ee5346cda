"""A learner on a bus: she makes a course available offline, loses the connection, opens
every module, completes one and submits a quiz; back online, what she did reaches the
server once, also when the first sync is cut off after the server applied it."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from assessments.models import Attempt, GradeChange
from courses import api as courses_api
from courses.models import ModuleProgress
from lms.core import api as core_api
from lms.core.models import LearningEvent
from offline.models import SyncedAction
from tests import factories
from tests.e2e import journeys
from tests.media_builders import make_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.amina@example.org"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 110, 79)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def course():
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Amina Yusuf", profession="nurse",
                          country="KE")
    tree = factories.make_course_tree(modules=3, title="Genomic testing in practice",
                                      slug="genomic-testing")
    figure, quiz_module, _last = tree.modules
    figure.body = [("rich_text", "<p>Module 1 text.</p>"),
                   ("image", {"image": make_image(title="Pedigree"), "alt_text": "A pedigree",
                              "caption": "", "credit": ""})]
    factories.publish(figure)
    quiz_module.completion_rule = "quiz"
    factories.publish(quiz_module)
    factories.make_quiz(module=quiz_module, title="Consent quiz")
    courses_api.enroll(user=learner, course=tree.course)
    tree.learner = learner
    return tree


class Connection:
    """The device's connection. Chromium's emulated offline mode (Playwright 1.65,
    ``context.set_offline``) now and then fires a spurious ``online`` event and lets a
    request through; so while the device is offline here, the sync endpoint also fails
    as a dropped connection would, and nothing reaches the server by such a leak."""

    def __init__(self, context, monkeypatch):
        from offline import api as offline_api

        self.context, self.up = context, True
        apply_batch = offline_api.apply_batch

        def reachable_only_online(**kwargs):
            if not self.up:
                raise ConnectionResetError("the device is offline")
            return apply_batch(**kwargs)

        monkeypatch.setattr(offline_api, "apply_batch", reachable_only_online)

    def drop(self):
        self.up = False
        self.context.set_offline(True)

    def restore(self):
        self.up = True
        self.context.set_offline(False)


@pytest.fixture
def connection(page, monkeypatch):
    return Connection(page.context, monkeypatch)


def wait_for_service_worker(page):
    # What the page logs is printed, so a failure's report shows it.
    page.on("console", lambda message: print("console:", message.type, message.text))
    page.on("pageerror", lambda error: print("page error:", error))
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_a_course_made_available_offline_opens_and_syncs_once(page, course, connection):
    context = page.context
    # The live server does not serve uploaded media (only DEBUG does): answer image
    # renditions here, so the course's images are downloaded like the rest.
    context.route("**/media/**", lambda route: route.fulfill(body=png(),
                                                             content_type="image/png"))
    journeys.sign_in(page, EMAIL)
    page.goto(course.course.url)
    wait_for_service_worker(page)

    page.get_by_role("button", name="Make available offline").click()
    expect(page.get_by_text(re.compile(r"^About \d+ KB; images included, videos not\."))) \
        .to_be_visible()
    page.get_by_role("button", name="Download").click()
    expect(page.get_by_text("Available offline on this device.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove offline copy")).to_be_visible()

    # A quiz attempt is started online (the server draws its questions).
    page.goto(course.modules[1].url)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt_url = page.url
    context.unroute("**/media/**")

    connection.drop()
    banner = page.get_by_text("You are offline. Pages you saved are available")
    for url in [course.course.url, *[module.url for module in course.modules]]:
        page.goto(url)
        expect(banner).to_be_visible()
    page.goto(course.modules[0].url)
    expect(page.get_by_role("heading", name="Module 1")).to_be_visible()
    image = page.get_by_role("img", name="A pedigree")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    # A page she never saved: the offline page, not the browser's error.
    page.goto("/genomic-testing-elsewhere/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    page.goto(course.modules[0].url)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Completed on this device, waiting to sync.")).to_be_visible()
    expect(page.get_by_text("Waiting to sync (1)")).to_be_visible()

    page.goto(attempt_url)
    page.get_by_label("Carbamazepine").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Submitted on this device, waiting to sync.")).to_be_visible()
    page.goto(course.course.url)
    expect(page.get_by_text("Waiting to sync (3)")).to_be_visible()
    assert not SyncedAction.objects.exists()

    # Back online, the first sync is cut off after the server applied it: the device
    # hears nothing and sends the whole batch again.
    cut = []

    def cut_off_once(route):
        if cut:
            route.continue_()
            return
        cut.append(route.fetch().status)
        route.abort("connectionreset")

    page.route("**/api/v1/offline/sync", cut_off_once)
    connection.restore()
    expect(page.locator("[data-sync-queue]")).to_be_hidden(timeout=30_000)
    assert cut == [200]
    expect(banner).to_be_hidden()

    learner = course.learner
    assert ModuleProgress.objects.filter(user=learner, module=course.modules[0],
                                         completed_at__isnull=False).count() == 1
    for module in course.modules[:2]:  # completed by hand, and by passing its quiz
        assert LearningEvent.objects.filter(user=learner, verb="module_completed",
                                            page=module).count() == 1
    attempt = Attempt.objects.get(user=learner)
    assert attempt.submitted_at is not None
    assert attempt.score_percent == 100
    assert GradeChange.objects.filter(attempt=attempt).count() == 1
    assert SyncedAction.objects.filter(user=learner).count() == 3

    page.goto(course.course.url)
    expect(page.get_by_text("2/3 required modules complete")).to_be_visible()


SAVED_VERSION = """() => {
  const learner = document.querySelector('meta[name="allele-learner"]').content;
  const copies = JSON.parse(localStorage.getItem("allele-offline:" + learner) || "{}");
  const copy = Object.values(copies)[0];
  return copy ? copy.version : null;
}"""


def saved_version(page) -> str | None:
    """The course version her device recorded with its offline copy."""
    return page.evaluate(SAVED_VERSION)


def wait_for_new_version(page, old: str) -> None:
    page.wait_for_function(f"old => ({SAVED_VERSION})() !== old", arg=old)


def test_a_republished_course_is_refreshed_and_signing_out_clears_it(page, course,
                                                                      connection):
    journeys.sign_in(page, EMAIL)
    page.goto(course.course.url)
    wait_for_service_worker(page)
    page.get_by_role("button", name="Make available offline").click()
    page.get_by_role("button", name="Download").click()
    expect(page.get_by_text("Available offline on this device.")).to_be_visible()
    first = saved_version(page)

    module = course.modules[2]
    module.body = [("rich_text", "<p>Updated guidance on consent.</p>")]
    factories.publish(module)
    page.goto(course.course.url)  # her next online visit: the copy is refreshed
    wait_for_new_version(page, first)

    connection.drop()
    page.goto(module.url)
    expect(page.get_by_text("Updated guidance on consent.")).to_be_visible()

    connection.restore()
    second = saved_version(page)
    module.body = [("rich_text", "<p>Consent, third edition.</p>")]
    factories.publish(module)
    page.goto("/dashboard/")  # My learning refreshes saved courses too
    wait_for_new_version(page, second)
    connection.drop()
    page.goto(module.url)
    expect(page.get_by_text("Consent, third edition.")).to_be_visible()

    connection.restore()
    page.goto(course.course.url)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    names = page.evaluate("caches.keys()")
    assert not [name for name in names if name.startswith(("allele-course-", "allele-pages"))]
    connection.drop()
    page.goto(module.url)
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()


def test_a_refused_action_shows_the_server_message_and_can_be_discarded(page, course,
                                                                         connection):
    journeys.sign_in(page, EMAIL)
    module = course.modules[0]
    page.goto(module.url)  # opened online once: kept on the device
    wait_for_service_worker(page)
    page.reload()

    connection.drop()
    page.goto(module.url)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Waiting to sync (1)")).to_be_visible()
    courses_api.unenroll(user=course.learner, course=course.course)  # meanwhile

    connection.restore()
    error = page.locator("[data-sync-error]")
    expect(error).to_have_text(re.compile(r"\w"))
    expect(page.get_by_text("Waiting to sync (1)")).to_be_visible()
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("[data-sync-queue]")).to_be_hidden()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()
    assert not SyncedAction.objects.exists()


def test_answers_of_every_question_type_made_offline_are_read_as_the_server_reads_them(
        page, course, connection):
    """attempt.js turns the attempt form into answers on the device; the server must get
    what its own form parser (assessments.forms.parse_answers) would read from the same
    form, for every question type."""
    from django.http import QueryDict

    from assessments import api as assessments_api
    from assessments import forms
    from assessments.models import Quiz, Response
    from tests.assessments import samples

    attempt = assessments_api.start_attempt(user=course.learner, quiz=Quiz.objects.get())
    Attempt.objects.filter(pk=attempt.pk).update(
        questions=[question.to_dict() for question in samples.every_type()])
    module = course.modules[1]
    journeys.sign_in(page, EMAIL)
    page.goto(module.url)
    wait_for_service_worker(page)
    page.reload()
    page.goto(f"/attempts/{attempt.pk}/")  # opened online once: kept on the device

    connection.drop()
    page.goto(f"/attempts/{attempt.pk}/")
    field = page.locator
    field('input[name="q/q-single"][value="c-ar"]').check()
    field('input[name="q/q-multi"][value="tp53"]').check()
    field('input[name="q/q-multi"][value="kras"]').check()
    field('input[name="q/q-tf"][value="false"]').check()
    field('input[name="q/q-num"]').fill("37.5")
    field('input[name="q/q-text"]').fill(" Okapi ")
    field('select[name="q/q-match/p-hd"]').select_option("a-ad")
    field('select[name="q/q-match/p-ha"]').select_option("a-xl")
    field('select[name="q/q-order/step-amplify"]').select_option("1")
    field('select[name="q/q-order/step-extract"]').select_option("2")
    field('input[name="q/q-case/case-single"][value="c-ad"]').check()
    field('input[name="q/q-case/case-num"]').fill("12")
    field('input[name="q/q-case/case-num/unit"]').fill("mg")
    posted = page.evaluate(
        "() => [...new FormData(document.querySelector('form[data-quiz-autosave]'))]")
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Answers kept on this device, waiting to sync.")).to_be_visible()
    page.goto(module.url)  # away from the attempt page, whose autosave would send the form
    expect(page.get_by_text("Waiting to sync (1)")).to_be_visible()

    connection.restore()
    expect(page.locator("[data-sync-queue]")).to_be_hidden(timeout=30_000)

    form = QueryDict(mutable=True)
    for name, value in posted:
        form.appendlist(name, value)
    public = [question.public_dict() for question in samples.every_type()]
    expected = {key: value for key, value in forms.parse_answers(public, form).items()
                if value is not None}
    saved = {row.question_id: row.answer for row in Response.objects.filter(attempt=attempt)
             if row.answer is not None}
    assert saved == expected
    assert set(expected) == {"q-single", "q-multi", "q-tf", "q-num", "q-text", "q-match",
                             "q-order", "q-case"}
