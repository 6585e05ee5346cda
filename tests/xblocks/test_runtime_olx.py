"""Reading educators' OLX: children, fields given as JSON, and hostile input refused with a
message the educator can act on."""

import json

import pytest

pytest.importorskip("xblock")

from courses.extensions import ComponentRef
from xblocks import api
from xblocks.models import XBlockSettings
from xblocks.olx import MAX_OLX_BYTES, OLXError, olx_from_fields, parse_olx
from xblocks.sync import parse_component

ALLOWED = {"vertical_demo", "thumbs", "html_demo", "problem_demo", "textinput_demo",
           "equality_demo", "poll"}


def errors(olx="", **fields):
    return api.component_errors(component=ComponentRef(block_id="b1", olx=olx, **fields))


def test_children_are_read_with_ids_from_their_path():
    parsed = parse_component(module_pk=7, allowed=ALLOWED, component=ComponentRef(
        block_id="0f1e2d3c-aaaa", olx="""<problem_demo>
            <html_demo><p>Which gene?</p></html_demo>
            <textinput_demo name="gene" url_name="gene answer!"/>
            <equality_demo name="right" left="./gene/@student_input" right="=1"/>
            <script>x = 1</script>
        </problem_demo>"""))

    assert [(block.usage_id, block.block_type) for block in parsed] == [
        ("m7-0f1e2d3c-aaaa.problem_demo", "problem_demo"),
        ("m7-0f1e2d3c-aaaa.problem_demo.html_demo1", "html_demo"),
        ("m7-0f1e2d3c-aaaa.problem_demo.gene-answer", "textinput_demo"),
        ("m7-0f1e2d3c-aaaa.problem_demo.equality_demo1", "equality_demo"),
    ]
    root = parsed[0]
    assert root.children == [block.usage_id for block in parsed[1:]]
    assert root.content == {"script": "x = 1"}
    assert parsed[3].content["arguments"] == {"left": "./gene/@student_input", "right": "=1"}
    assert all(block.parent_id == root.usage_id for block in parsed[1:])


def test_fields_given_as_json_become_escaped_attributes():
    olx = olx_from_fields(block_type="poll", fields=json.dumps(
        {"question": 'Is "HLA-B*15:02" <b>risky</b> & why?', "private_results": True}))

    assert olx == ('<poll question="Is &quot;HLA-B*15:02&quot; &lt;b&gt;risky&lt;/b&gt; '
                   '&amp; why?" private_results="true"/>')
    assert parse_olx(olx).get("question") == 'Is "HLA-B*15:02" <b>risky</b> & why?'


@pytest.mark.parametrize(("fields", "message"), [
    ("[1, 2]", "must be a JSON object"),
    ("{not json", "not valid JSON"),
    ('{"bad name": 1}', "not a field name"),
])
def test_bad_field_values_are_refused(fields, message):
    with pytest.raises(OLXError, match=message):
        olx_from_fields(block_type="poll", fields=fields)


XXE = """<?xml version="1.0"?>
<!DOCTYPE html_demo [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<html_demo>&secret;</html_demo>"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<html_demo>&lol3;</html_demo>"""
PARAMETER_ENTITY = """<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/x.dtd"> %remote;]>
<html_demo/>"""


@pytest.mark.parametrize(("olx", "message"), [
    (XXE, "DOCTYPE"),
    (BILLION_LAUGHS, "DOCTYPE"),
    (PARAMETER_ENTITY, "DOCTYPE"),
    ("<html_demo>&undefined;</html_demo>", "not well-formed"),
    ("<html_demo><p>unclosed</html_demo>", "not well-formed"),
    ("<html_demo>" + "x" * (MAX_OLX_BYTES + 1) + "</html_demo>", "too long"),
    ("<vertical_demo>" + "<thumbs/>" * 2500 + "</vertical_demo>", "too many elements"),
])
def test_hostile_or_broken_olx_is_refused_with_a_clear_message(olx, message):
    with pytest.raises(OLXError, match=message):
        parse_olx(olx)


@pytest.mark.django_db
def test_component_errors_name_types_that_are_not_installed_or_not_allowed():
    settings = XBlockSettings.load()
    settings.allowed_block_types = ["vertical_demo", "thumbs"]
    settings.save()

    assert errors("<vertical_demo><thumbs/></vertical_demo>") == []
    assert errors("<no_such_block/>") == [
        "The component type “no_such_block” is not installed on this site."]
    [message] = errors("<vertical_demo><thumbs/><slider_demo/></vertical_demo>")
    assert "“slider_demo” is not allowed on this site" in message
    [message] = errors(block_type="slider_demo", fields="{}")
    assert "not allowed" in message
    [message] = errors(XXE)
    assert "DOCTYPE" in message
    assert errors("") == ["Give the component's OLX, or choose its type."]


@pytest.mark.django_db
def test_a_block_refusing_its_own_olx_is_reported_not_raised():
    [message] = errors("<problem_demo><equality_demo name='x'/></problem_demo>")
    assert message.startswith("The component's OLX could not be read")


@pytest.mark.django_db
def test_the_types_educators_may_choose_are_the_installed_allowed_ones():
    settings = XBlockSettings.load()
    settings.allowed_block_types = ["thumbs", "poll_not_installed", "vertical_demo"]
    settings.save()

    assert [value for value, _label in api.allowed_block_types()] == ["thumbs", "vertical_demo"]
