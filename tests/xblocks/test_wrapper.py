"""Allele's fragment wrapper: the ``<div class="xblock">`` around a block's HTML, its init
data, and the CSS/JS a page of blocks needs."""

import json
from types import SimpleNamespace

import html5lib
import pytest
from web_fragments.fragment import Fragment

from xblocks.wrapper import fragment_resources, wrap_fragment, wrapped_fragment

pytestmark = pytest.mark.urls("tests.xblocks.urls")


def make_block(block_type: str = "poll", name: str | None = None):
    return SimpleNamespace(scope_ids=SimpleNamespace(block_type=block_type), name=name)


def make_fragment(content: str = "<p>Vote</p>", init: str | None = "PollBlock",
                  args=None) -> Fragment:
    fragment = Fragment(content)
    if init:
        fragment.initialize_js(init, json_args=args)
    return fragment


def parse(html: str):
    return html5lib.parse(str(html), namespaceHTMLElements=False)


def outer_div(html: str):
    return parse(html).find("./body/div")


def wrap(fragment=None, *, usage_id="u-1", view="student_view", authoring=False, block=None):
    return wrap_fragment(fragment=fragment or make_fragment(), block=block or make_block(),
                         usage_id=usage_id, view=view, authoring=authoring)


def test_the_wrapper_names_the_block_and_its_runtime():
    div = outer_div(wrap(make_fragment(), usage_id="abc-123", block=make_block(name="q1")))
    assert div.get("class") == "xblock xblock-student_view"
    assert div.get("data-usage-id") == "abc-123"
    assert div.get("data-block-type") == "poll"
    assert div.get("data-name") == "q1"
    assert div.get("data-init") == "PollBlock"
    assert div.get("data-runtime-class") == "AlleleRuntime"
    assert div.get("data-runtime-version") == "1"
    assert div.get("data-handler-prefix") == "/xblock/handler/abc-123/"


def test_the_block_html_is_kept_as_the_block_wrote_it():
    div = outer_div(wrap(make_fragment('<form class="poll"><input name="choice"></form>')))
    assert div.find("./form").get("class") == "poll"


def test_authoring_views_call_the_authoring_handlers():
    div = outer_div(wrap(usage_id="abc", view="studio_view", authoring=True))
    assert div.get("data-handler-prefix") == "/xblock/authoring/abc/"
    assert div.get("class") == "xblock xblock-studio_view"


def test_init_args_come_back_exactly_from_a_json_script_first_in_the_block():
    args = {"question": "</script><script>alert(1)</script>", "n": [1, 2.5, None, True]}
    div = outer_div(wrap(make_fragment(args=args)))
    first = div[0]
    assert first.tag == "script" and first.get("type") == "application/json"
    assert json.loads(first.text) == args
    assert len(div.findall(".//script")) == 1


def test_an_init_name_that_is_not_a_plain_function_name_is_dropped():
    for name in ("alert(1)", "a b", "1abc", "x;y", "PollBlock\n"):
        div = outer_div(wrap(make_fragment(init=name, args={"a": 1})))
        assert div.get("data-init") is None
        assert div.findall(".//script") == []
    assert outer_div(wrap(make_fragment(init="XBlock.Poll_$1"))).get("data-init") == (
        "XBlock.Poll_$1"
    )


def test_a_block_with_javascript_says_it_needs_it_and_has_a_hidden_failure_note():
    html = str(wrap(make_fragment()))
    assert "<noscript>" in html and "needs JavaScript" in html
    failure = [p for p in parse(html).iter("p") if p.get("data-xblock-failure") is not None]
    assert len(failure) == 1 and failure[0].get("hidden") is not None
    assert "<noscript>" not in str(wrap(make_fragment(init=None)))


def test_a_usage_id_that_cannot_be_in_a_url_gets_no_handler_prefix():
    div = outer_div(wrap(usage_id="a/b"))
    assert div.get("data-usage-id") == "a/b"
    assert div.get("data-handler-prefix") is None


def test_wrapped_fragment_keeps_the_resources():
    fragment = make_fragment()
    fragment.add_javascript("function PollBlock(){}")
    wrapped = wrapped_fragment(fragment=fragment, block=make_block(), usage_id="u",
                               view="student_view", authoring=False)
    assert wrapped.content.startswith('<div class="xblock xblock-student_view"')
    assert wrapped.resources == fragment.resources


def test_resources_are_listed_once_with_the_nonce_on_inline_code():
    first, second = make_fragment(), make_fragment()
    for fragment in (first, second):
        fragment.add_css_url("/xblock/resource/poll/public/poll.css")
        fragment.add_javascript_url("/xblock/resource/poll/public/poll.js")
        fragment.add_javascript("function PollBlock(runtime, element) {}")
        fragment.add_css(".poll { color: red }")
    html = str(fragment_resources([first, second], nonce="N0NCE"))
    document = parse(html)
    scripts = list(document.iter("script"))
    assert [s.get("src") for s in scripts] == [
        "/static/vendor/jquery/jquery.min.js", "/static/xblocks/runtime.js",
        "/xblock/resource/poll/public/poll.js", None,
    ]
    assert scripts[1].get("defer") is not None
    assert scripts[3].get("nonce") == "N0NCE" and "PollBlock" in scripts[3].text
    assert [link.get("href") for link in document.iter("link")] == [
        "/xblock/resource/poll/public/poll.css"
    ]
    styles = list(document.iter("style"))
    assert len(styles) == 1 and styles[0].get("nonce") == "N0NCE"


def test_head_and_foot_resources_go_where_the_block_asked():
    fragment = make_fragment()
    fragment.add_css_url("/a.css")
    fragment.add_javascript_url("/b.js")
    head = str(fragment_resources([fragment], nonce="n", placement="head"))
    foot = str(fragment_resources([fragment], nonce="n", placement="foot"))
    assert "/a.css" in head and "/b.js" not in head and "jquery" in head
    assert "/b.js" in foot and "/a.css" not in foot and "jquery" not in foot


def test_inline_code_cannot_close_its_own_element():
    fragment = make_fragment()
    fragment.add_javascript('var s = "</script><script>window.x=1</script>";')
    fragment.add_css('p::after { content: "</style><script>window.x=1</script>" }')
    document = parse(fragment_resources([fragment], nonce="n"))
    scripts = list(document.iter("script"))
    assert len(scripts) == 3 and "window.x=1" in scripts[2].text
    assert len(list(document.iter("style"))) == 1


def test_no_fragments_need_no_resources():
    assert str(fragment_resources([], nonce="n")) == ""
