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


def wait_for_service_worker(page):
    # What the page logs is printed, so a failure's report shows it.
    page.on("console", lambda message: print("console:", message.type, message.text))
    page.on("pageerror", lambda error: print("page error:", error))
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_a_course_made_available_offline_opens_and_syncs_once(page, course):
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

    context.set_offline(True)
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
    context.set_offline(False)
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


def saved_version(page) -> str | None:
    return page.evaluate("""() => {
      const learner = document.querySelector('meta[name="allele-learner"]').content;
      const copies = JSON.parse(localStorage.getItem("allele-offline:" + learner) || "{}");
      const copy = Object.values(copies)[0];
      return copy ? copy.version : null;
    }""")


def test_a_republished_course_is_refreshed_and_signing_out_clears_it(page, course):
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
    page.wait_for_function("""first => {
      const learner = document.querySelector('meta[name="allele-learner"]').content;
      const copies = JSON.parse(localStorage.getItem("allele-offline:" + learner) || "{}");
      return Object.values(copies)[0].version !== first;
    }""", arg=first)

    page.context.set_offline(True)
    page.goto(module.url)
    expect(page.get_by_text("Updated guidance on consent.")).to_be_visible()

    page.context.set_offline(False)
    page.goto(course.course.url)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    names = page.evaluate("caches.keys()")
    assert not [name for name in names if name.startswith(("allele-course-", "allele-pages"))]
    page.context.set_offline(True)
    page.goto(module.url)
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()


def test_a_refused_action_shows_the_server_message_and_can_be_discarded(page, course):
    journeys.sign_in(page, EMAIL)
    module = course.modules[0]
    page.goto(module.url)  # opened online once: kept on the device
    wait_for_service_worker(page)
    page.reload()

    page.context.set_offline(True)
    page.goto(module.url)
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Waiting to sync (1)")).to_be_visible()
    courses_api.unenroll(user=course.learner, course=course.course)  # meanwhile

    page.context.set_offline(False)
    error = page.locator("[data-sync-error]")
    expect(error).to_have_text(re.compile(r"\w"))
    expect(page.get_by_text("Waiting to sync (1)")).to_be_visible()
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("[data-sync-queue]")).to_be_hidden()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()
    assert not SyncedAction.objects.exists()
