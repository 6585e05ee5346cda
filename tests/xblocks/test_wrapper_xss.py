"""Every payload of tests/data/xss.txt (from ../shared/badinput) as each value the wrapper
puts into attributes or init data: a browser parsing the output finds no script but the
JSON one, no event handler, no javascript: URL, and the values come back unchanged."""

import json

import pytest
from web_fragments.fragment import Fragment

from tests.badinput import corpus, unsafe_constructs
from tests.xblocks.test_wrapper import make_block, outer_div, parse
from xblocks.wrapper import wrap_fragment

pytestmark = pytest.mark.urls("tests.xblocks.urls")
PAYLOADS = corpus("xss.txt")


def as_parsed_attribute(value: str) -> str:
    """What a browser reads back from an escaped attribute value: the HTML input stream
    turns CR LF and CR into LF and NUL into U+FFFD before any parsing."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def assert_safe(html: str) -> list:
    document = parse(html)
    scripts = list(document.iter("script"))
    assert all(script.get("type") == "application/json" and not script.get("src")
               for script in scripts), html[:300]
    assert len(scripts) <= 1, html[:300]
    problems = [p for p in unsafe_constructs(html) if not p.startswith("<script>")]
    assert problems == [], html[:300]
    return scripts


def test_the_corpus_is_there():
    assert len(PAYLOADS) > 100


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_bound_value_stay_inert_and_come_back_unchanged(payload):
    fragment = Fragment("<p>A block</p>")
    fragment.initialize_js("PollBlock", json_args={
        "question": payload, "answers": [[payload, {"label": payload}]], payload: "key",
    })
    html = str(wrap_fragment(fragment=fragment, block=make_block(payload, name=payload),
                             usage_id=payload, view=payload, authoring=False))
    (script,) = assert_safe(html)
    assert json.loads(script.text) == fragment.json_init_args
    div = outer_div(html)
    for attribute in ("data-usage-id", "data-block-type", "data-name"):
        assert div.get(attribute) == as_parsed_attribute(payload)
    assert div.get("class").startswith("xblock xblock-")
    assert div.find("./p").text == "A block"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_as_the_init_function_name_are_dropped(payload):
    fragment = Fragment("<p>A block</p>")
    fragment.initialize_js(payload, json_args={"question": payload})
    html = str(wrap_fragment(fragment=fragment, block=make_block(), usage_id="u",
                             view="student_view", authoring=True))
    assert assert_safe(html) == []
    assert outer_div(html).get("data-init") is None
