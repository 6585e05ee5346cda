"""XBlock field data: each scope stored where it belongs, and a module's components read in
a fixed number of queries, however many blocks and fields they have."""

import json

import pytest

pytest.importorskip("xblock")

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.extensions import ComponentRef
from xblocks import blocktypes
from xblocks.fields import load_page_state, save_page_state
from xblocks.models import (
    XBlockPreference,
    XBlockSettings,
    XBlockSummaryState,
    XBlockUsage,
    XBlockUserInfo,
    XBlockUserState,
)
from xblocks.runtime import AlleleRuntime, CourseKey

ALL_SCOPES = ComponentRef(block_id="all-1", olx="<allscopes_demo/>")
ALL_SCOPES_AGAIN = ComponentRef(block_id="all-2", olx="<allscopes_demo/>")


@pytest.fixture(autouse=True)
def _allow_more_samples(db):
    settings = XBlockSettings.load()
    settings.allowed_block_types = [*settings.allowed_block_types, "allscopes_demo",
                                    "helloworld_demo"]
    settings.save()


def _block(module, user, component):
    state = load_page_state(user=user, module=module)
    runtime = AlleleRuntime(user=user, state=state, module=module, course_key=CourseKey(1),
                            allowed=set(blocktypes.allowed_block_types()))
    usage = XBlockUsage.objects.get(module=module, component_id=component.block_id)
    return runtime.get_block(usage.usage_id), state


def test_each_scope_is_stored_per_learner_usage_or_type(module, amina, bongani, render):
    render(module, [ALL_SCOPES, ALL_SCOPES_AGAIN], amina)
    block, state = _block(module, amina, ALL_SCOPES)
    block.user_state_field = "mine"
    block.user_state_summary_field = "everyone's"
    block.preferences_field = "my allscopes blocks"
    block.user_info_field = "all my blocks"
    block.save()
    save_page_state(state=state)

    usage = XBlockUsage.objects.get(component_id="all-1")
    assert XBlockUserState.objects.get(user=amina, usage=usage).state == {
        "user_state_field": "mine"}
    assert XBlockSummaryState.objects.get(usage=usage).state == {
        "user_state_summary_field": "everyone's"}
    assert XBlockPreference.objects.get(user=amina, block_type="allscopes_demo").state == {
        "preferences_field": "my allscopes blocks"}
    assert XBlockUserInfo.objects.get(user=amina).state == {"user_info_field": "all my blocks"}

    other_block, _state = _block(module, amina, ALL_SCOPES_AGAIN)
    assert other_block.preferences_field == "my allscopes blocks"  # same type, same learner
    assert other_block.user_info_field == "all my blocks"
    assert other_block.user_state_field == "This is user_state!"  # another usage: default
    bongani_block, _state = _block(module, bongani, ALL_SCOPES)
    assert bongani_block.user_state_summary_field == "everyone's"
    assert bongani_block.user_state_field == "This is user_state!"
    assert bongani_block.preferences_field == "This is preferences!"
    assert bongani_block.user_info_field == "This is user_info!"


def test_an_anonymous_visitors_state_is_kept_in_memory_only(module, amina, render):
    from django.contrib.auth.models import AnonymousUser

    render(module, [ALL_SCOPES], amina)
    block, state = _block(module, AnonymousUser(), ALL_SCOPES)
    block.user_state_field = "nobody's"
    block.save()

    assert block.user_state_field == "nobody's"
    assert save_page_state(state=state) is False
    assert not XBlockUserState.objects.exists()


# --- Queries -----------------------------------------------------------------------------------

def _components(*, more_fields: bool) -> list[ComponentRef]:
    """Ten components of different types; the second set has many more fields set."""
    extra = ' display_name="A slider" ' if more_fields else " "
    text = "<p>" + "A long paragraph. " * (50 if more_fields else 1) + "</p>"
    settings = ' content_field="Set" settings_field="Also set"' if more_fields else ""
    return [ComponentRef(block_id=f"c{index}", olx=olx) for index, olx in enumerate([
        "<thumbs/>",
        f'<slider_demo{extra}min_value="{5 if more_fields else 0}" max_value="50"/>',
        f"<html_demo>{text}</html_demo>",
        f"""<problem_demo><html_demo>{text}</html_demo>
            <textinput_demo name="answer" input_type="int"/>
            <equality_demo name="check" left="./answer/@student_input" right="=4"/>
            </problem_demo>""",
        f"<vertical_demo><html_demo>{text}</html_demo><thumbs/><slider_demo/></vertical_demo>",
        f"<sequence_demo><html_demo>{text}</html_demo><html_demo>Two</html_demo></sequence_demo>",
        f"<allscopes_demo{settings}/>",
        "<helloworld_demo/>",
        "<attempts_scoreboard_demo/>",
        "<thumbs/>",
    ])]


def _fill_state(module, user) -> None:
    """Every block of the module gets twenty user-state values and a summary."""
    values = {f"field_{index}": index for index in range(20)}
    for usage in XBlockUsage.objects.filter(module=module):
        XBlockUserState.objects.update_or_create(user=user, usage=usage,
                                                 defaults={"state": values})
        XBlockSummaryState.objects.update_or_create(usage=usage, defaults={"state": values})
    XBlockPreference.objects.update_or_create(user=user, block_type="allscopes_demo",
                                              defaults={"state": {"preferences_field": "x"}})
    XBlockUserInfo.objects.update_or_create(user=user, defaults={"state": values})


def _queries_to_render(render, module, components, user) -> int:
    html = render(module, components, user)  # first render: usages written, blocks seen
    assert all("cannot be shown" not in fragment for fragment in html.values()), html
    with CaptureQueriesContext(connection) as queries:
        html = render(module, components, user)
    assert len(html) == len(components)
    return len(queries)


def test_rendering_ten_blocks_takes_as_many_queries_however_many_fields_they_have(
        xblock_course, amina, render, django_assert_max_num_queries):
    plain, full = xblock_course.modules
    few = _queries_to_render(render, plain, _components(more_fields=False), amina)
    render(full, _components(more_fields=True), amina)
    _fill_state(full, amina)
    many = _queries_to_render(render, full, _components(more_fields=True), amina)

    assert few == many
    with django_assert_max_num_queries(12):
        render(full, _components(more_fields=True), amina)


def test_rendering_more_blocks_takes_no_more_queries(xblock_course, amina, render):
    plain, full = xblock_course.modules
    five = _queries_to_render(render, plain, _components(more_fields=False)[:5], amina)
    ten = _queries_to_render(render, full, _components(more_fields=True), amina)

    assert five == ten


def test_a_changed_component_is_written_again_on_its_next_render(module, amina, render):
    slider = ComponentRef(block_id="s", block_type="slider_demo",
                          fields=json.dumps({"max_value": 30}))
    render(module, [slider], amina)
    edited = ComponentRef(block_id="s", block_type="slider_demo",
                          fields=json.dumps({"max_value": 40}))
    html = render(module, [edited], amina)["s"]

    usage = XBlockUsage.objects.get(component_id="s")
    assert usage.definition.content == {"max_value": 40}
    assert 'max="40"' in html or "40" in html
