"""A learner takes part in a module built from real third-party XBlocks (xblock-poll's poll
and done-xblock): she votes and sees the results, marks the module's activity done, reloads
and finds both kept, and the module completes with its activities, all without a script
error under the page's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytest.importorskip("poll")
pytest.importorskip("done")

from courses import api as courses_api
from lms.core import api as core_api
from lms.core.csp import HEADER as CSP
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.wanjiru@example.org"
POLL_OLX = """<poll display_name="Before carbamazepine"
  question="Which gene do you test before prescribing carbamazepine?"
  answers='[["hla", {"label": "HLA-B*15:02", "img": null, "img_alt": null}],
            ["cyp", {"label": "CYP2C19", "img": null, "img_alt": null}]]'
  feedback="HLA-B*15:02 carriers risk SJS/TEN."/>"""


@pytest.fixture
def module():
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Wanjiru Kamau", profession="doctor",
                          country="KE")
    tree = factories.make_course_tree(modules=2, title="Carbamazepine and HLA-B",
                                      slug="carbamazepine")
    module = courses_api.ModulePage.objects.get(pk=tree.modules[0].pk)
    module.body = [
        ("rich_text", "<p>Screen for HLA-B*15:02 before the first dose.</p>"),
        ("component", {"olx": POLL_OLX, "block_type": "", "fields": "", "title": "Poll"}),
        ("component", {"olx": "<done/>", "block_type": "", "fields": "",
                       "title": "Done"}),
    ]
    module.completion_rule = "activities"
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    return module


def test_a_learner_votes_marks_done_reloads_and_the_module_is_complete(page, module):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(
        f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    journeys.sign_in(page, EMAIL)

    response = page.goto(module.url)
    assert "script-src 'self' 'nonce-" in response.headers[CSP.lower()]
    expect(page.get_by_text("0/2 required modules complete")).to_be_visible()
    expect(page.get_by_text("This module is complete when you finish its activities."))\
        .to_be_visible()

    poll = page.locator(".xblock[data-block-type=poll]")
    poll.get_by_label("HLA-B*15:02").check()
    with page.expect_response(lambda answer: "/get_results/" in answer.url) as results:
        poll.get_by_role("button", name="Submit").click()
    assert results.value.ok
    assert problems == []
    expect(poll.get_by_text("HLA-B*15:02 carriers risk SJS/TEN.")).to_be_visible()
    expect(poll.locator(".poll-results")).to_contain_text("100%")

    done = page.locator(".xblock[data-block-type=done]")
    with page.expect_response(lambda answer: "/toggle_button/" in answer.url) as toggled:
        done.locator("label.done_onoffswitch-label").click()
    assert toggled.value.ok

    page.reload()
    poll = page.locator(".xblock[data-block-type=poll]")
    expect(poll.locator(".poll-results")).to_contain_text("HLA-B*15:02")
    expect(poll.locator(".poll-results")).to_contain_text("100%")
    expect(page.locator(".xblock[data-block-type=done] .done_onoffswitch-checkbox"))\
        .to_be_checked()
    expect(page.get_by_text("You have completed this module.")).to_be_visible()
    expect(page.get_by_text("1/2 required modules complete")).to_be_visible()
    assert problems == []
