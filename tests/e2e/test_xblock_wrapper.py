"""The wrapper, the client runtime and the CSP in Chromium, on a test page that shows
wrapped fragments (tests/xblocks/urls.py) with a stand-in runtime behind the handlers:
an author's payload in a block's HTML or init data does not run; a block's JavaScript
starts (children first) with its init data, and its jQuery and fetch calls reach the
handler with the CSRF token as the signed-in learner; a failing handler shows a note."""

import json
from types import SimpleNamespace

import pytest
import webob
from django.test import Client
from playwright.sync_api import expect
from web_fragments.fragment import Fragment

from tests import factories
from tests.xblocks import urls as test_urls
from xblocks import api as real_api
from xblocks import views
from xblocks.wrapper import wrap_fragment

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.xblocks.urls"),
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAYLOAD_HTML = """<p>Which gene?</p>
<img src="x" onerror="window.__xss = 'onerror'">
<script>window.__xss = 'script'</script>
<svg><script>window.__xss = 'svg'</script></svg>
<iframe srcdoc="<script>parent.__xss = 'srcdoc'</script>"></iframe>
<a id="js-link" href="javascript:void(window.__xss = 'link')">Read more</a>
<div id="hover" onmouseover="window.__xss = 'hover'">Hover me</div>"""
PAYLOAD_ARGS = {"question": "</script><script>window.__xss = 'args'</script>",
                "note": "<img src=x onerror=\"window.__xss = 'args-img'\">"}

BLOCK_JS = """
function TestBlock(runtime, element, args) {
  window.__inits = (window.__inits || []).concat([element.dataset.usageId]);
  var out = element.querySelector(':scope > .out');
  if (out) { out.textContent = JSON.stringify(args); }
  var button = function (name, fn) {
    var b = element.querySelector(':scope > button.' + name);
    if (b) { b.addEventListener('click', fn); }
  };
  var show = function (answer) {
    element.querySelector(':scope > .said').textContent = answer.said;
  };
  button('jq', function () {
    $.ajax({type: 'POST', url: runtime.handlerUrl(element, 'echo'), contentType: 'application/json',
            data: JSON.stringify({via: 'jquery', user_id: 1})}).done(show);
  });
  button('fetch', function () {
    fetch(runtime.handlerUrl(element, 'echo', 'sub'), {method: 'POST',
          body: JSON.stringify({via: 'fetch'})}).then(function (r) { return r.json(); }).then(show);
  });
  button('fail', function () { $.post(runtime.handlerUrl(element, 'fail'), '{}'); });
  return {children: runtime.children(element).length};
}
"""


def make_block(block_type="test"):
    return SimpleNamespace(scope_ids=SimpleNamespace(block_type=block_type), name=None)


def block_fragment(content: str, args=None, *, js: bool = True) -> Fragment:
    fragment = Fragment(content)
    if js:
        fragment.add_javascript(BLOCK_JS)
        fragment.initialize_js("TestBlock", json_args=args)
    return fragment


class EchoApi:
    XBlockAccessDenied = real_api.XBlockAccessDenied
    XBlockNotFound = real_api.XBlockNotFound

    def __init__(self):
        self.calls = []

    def handle_request(self, *, user, usage_id, handler_name, suffix, request, authoring):
        self.calls.append((user.email, usage_id, handler_name, suffix))
        if handler_name != "echo":
            raise self.XBlockNotFound(handler_name)
        return webob.Response(json_body={"said": json.loads(request.body)["via"]})


@pytest.fixture
def echo_api(monkeypatch):
    stub = EchoApi()
    monkeypatch.setattr(views, "api", stub)
    return stub


@pytest.fixture
def shown(monkeypatch):
    blocks: list = []
    monkeypatch.setattr(test_urls, "SHOWN", blocks)
    return blocks


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_an_authors_payload_in_a_block_does_not_run(page, shown):
    shown.append((block_fragment(PAYLOAD_HTML, PAYLOAD_ARGS), make_block(),
                  "usage-1\"><script>window.__xss='id'</script>", "student_view"))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/blocks/")

    expect(page.get_by_text("Which gene?")).to_be_visible()
    page.locator("#hover").hover()
    page.locator("#js-link").click()
    page.wait_for_function("window.__inits && window.__inits.length === 1")
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__inits") == ["usage-1\"><script>window.__xss='id'</script>"]
    assert errors == []


def test_block_javascript_starts_children_first_and_reaches_its_handlers(
        page, live_server, shown, echo_api):
    learner = factories.make_user(email="amina@example.org")
    sign_in(page, live_server, learner)
    controls = ('<p class="out"></p><p class="said"></p><button class="jq">jQuery</button>'
                '<button class="fetch">fetch</button><button class="fail">Fail</button>')
    child = wrap_fragment(fragment=block_fragment(controls, {"who": "child"}), block=make_block(),
                          usage_id="child-1", view="student_view", authoring=False)
    parent = block_fragment(f'<p class="out"></p>{child}', {"who": "parent"})
    shown.append((parent, make_block("vertical"), "parent-1", "student_view"))
    page.goto("/blocks/")

    page.wait_for_function("window.__inits && window.__inits.length === 2")
    assert page.evaluate("window.__inits") == ["child-1", "parent-1"]
    child_block = page.locator('[data-usage-id="child-1"]')
    expect(child_block.locator(".out")).to_have_text('{"who":"child"}')
    assert page.evaluate(
        "document.querySelector('[data-usage-id=\"parent-1\"]').xblock.children") == 1

    child_block.get_by_role("button", name="jQuery").click()
    expect(child_block.locator(".said")).to_have_text("jquery")
    child_block.get_by_role("button", name="fetch").click()
    expect(child_block.locator(".said")).to_have_text("fetch")
    assert echo_api.calls == [("amina@example.org", "child-1", "echo", ""),
                              ("amina@example.org", "child-1", "echo", "sub")]

    failure = child_block.locator("[data-xblock-failure]")
    expect(failure).to_be_hidden()
    child_block.get_by_role("button", name="Fail").click()
    expect(failure).to_be_visible()
    # Allele's refusal says why (here: the usage is gone), not only "something went wrong".
    expect(failure).to_have_text("This activity is no longer available.")
    expect(page.locator('[data-usage-id="parent-1"] > [data-xblock-failure]')).to_be_hidden()


def test_without_javascript_the_block_html_and_a_note_show(browser, live_server, shown):
    shown.append((block_fragment("<p>Which gene?</p>"), make_block(), "u-1", "student_view"))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto("/blocks/")
        expect(tab.get_by_text("Which gene?")).to_be_visible()
        # Chromium's "JavaScript off" emulation still parses <noscript> as text, so read it.
        assert "This activity needs JavaScript" in tab.locator("noscript").text_content()
    finally:
        context.close()


def test_xblock_poll_and_done_work_under_the_policy(page, live_server, monkeypatch):
    from courses import api as courses_api
    from courses.extensions import ComponentRef
    from xblocks.models import XBlockUserState

    tree = factories.make_course_tree(modules=1)
    learner = factories.make_user(email="amina@example.org")
    courses_api.enroll(user=learner, course=tree.course)
    monkeypatch.setitem(test_urls.COMPONENTS, "module", tree.modules[0])
    monkeypatch.setitem(test_urls.COMPONENTS, "components", [
        ComponentRef(block_id="poll-1", olx='<poll question="Which gene first?"/>'),
        ComponentRef(block_id="done-1", olx="<done/>"),
    ])
    sign_in(page, live_server, learner)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/components/")

    page.get_by_label("Red").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Results gathered from 1 respondent")).to_be_visible()
    page.locator(".done_onoffswitch-label").click()
    expect(page.locator(".done_onoffswitch-checkbox")).to_be_checked()
    page.wait_for_function("!$.active")

    assert errors == []
    states = [row.state for row in XBlockUserState.objects.filter(user=learner)]
    assert any(state.get("choice") == "R" for state in states), states
    assert any(state.get("done") is True for state in states), states
