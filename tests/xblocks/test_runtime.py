"""Allele's XBlock runtime with the xblock-sdk sample blocks: state per learner and shared
summaries, grades and completion exactly once, ids that survive a re-publish and a
re-import, content that learners cannot change, and who may call which handler."""

import json
from decimal import Decimal

import pytest

pytest.importorskip("xblock")

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.exceptions import InvalidScopeError
from xblock.fields import Integer, Scope

from assessments import api as assessments_api
from assessments.models import ActivityGradeEvent
from courses import api as courses_api
from courses.extensions import ComponentRef
from lms.core.models import LearningEvent
from tests import factories
from xblocks import api, blocktypes
from xblocks.fields import load_page_state, save_page_state
from xblocks.models import (
    XBlockCompletion,
    XBlockDefinition,
    XBlockSettings,
    XBlockSummaryState,
    XBlockUsage,
    XBlockUserState,
)
from xblocks.runtime import AlleleRuntime, CourseKey

THUMBS = ComponentRef(block_id="5e0c3a1f-0000-4000-8000-00000000aaaa", olx="<thumbs/>")
PROBLEM = ComponentRef(block_id="5e0c3a1f-0000-4000-8000-00000000bbbb", olx="""
<problem_demo>
  <html_demo><p>What is 2 + 2?</p></html_demo>
  <textinput_demo name="sum_input" input_type="int"/>
  <equality_demo name="sum_checker" left="./sum_input/@student_input" right="=4"/>
</problem_demo>""")
ANSWER_4 = {"sum_input": [{"name": "input", "value": "4"}]}


def usage_of(module, component, url_name=None):
    usages = XBlockUsage.objects.filter(module=module, component_id=component.block_id)
    if url_name is None:
        return usages.get(parent__isnull=True, retired_at__isnull=True)
    return usages.get(url_name=url_name)


def test_two_learners_keep_their_own_state_and_share_the_summary(
        module, amina, bongani, render, call_handler):
    html = render(module, [THUMBS], amina)[THUMBS.block_id]
    assert "data-usage-id" in html
    usage_id = usage_of(module, THUMBS).usage_id

    assert call_handler(amina, usage_id, "vote", {"voteType": "up"}) == (200, {"up": 1, "down": 0})
    assert call_handler(bongani, usage_id, "vote", {"voteType": "down"}) == (
        200, {"up": 1, "down": 1})

    states = {row.user_id: row.state for row in XBlockUserState.objects.filter(
        usage__usage_id=usage_id)}
    assert states == {amina.pk: {"voted": True}, bongani.pk: {"voted": True}}
    assert XBlockSummaryState.objects.get(usage__usage_id=usage_id).state == {
        "upvotes": 1, "downvotes": 1}


def test_a_learner_sees_her_answer_and_not_another_learners(
        module, amina, bongani, render, call_handler):
    render(module, [PROBLEM], amina)
    problem = usage_of(module, PROBLEM).usage_id
    call_handler(amina, problem, "check", {"sum_input": [{"name": "input", "value": "1234"}]})

    assert "value='1234'" in render(module, [PROBLEM], amina)[PROBLEM.block_id]
    assert "1234" not in render(module, [PROBLEM], bongani)[PROBLEM.block_id]


def test_a_grade_published_by_problem_demo_is_recorded_once_when_checked_twice(
        module, amina, render, call_handler):
    render(module, [PROBLEM], amina)
    problem = usage_of(module, PROBLEM).usage_id

    for _attempt in range(2):
        status, answer = call_handler(amina, problem, "check", ANSWER_4)
        assert status == 200
        assert answer["checkResults"] == {"sum_checker": True}

    checker = usage_of(module, PROBLEM, "problem_demo.equality_demo1").usage_id
    scores = assessments_api.activity_scores(user=amina, module=module)
    assert [(score.activity_key, score.earned, score.possible) for score in scores] == [
        (checker, Decimal(1), Decimal(1))]
    assert ActivityGradeEvent.objects.filter(user=amina).count() == 1


def test_a_wrong_answer_then_a_right_one_updates_the_score(module, amina, render, call_handler):
    render(module, [PROBLEM], amina)
    problem = usage_of(module, PROBLEM).usage_id
    call_handler(amina, problem, "check", {"sum_input": [{"name": "input", "value": "5"}]})
    call_handler(amina, problem, "check", ANSWER_4)

    [score] = assessments_api.activity_scores(user=amina, module=module)
    assert (score.earned, score.possible) == (Decimal(1), Decimal(1))
    assert ActivityGradeEvent.objects.filter(user=amina).count() == 2


def _runtime(module, user, *, authoring=False):
    state = load_page_state(user=user, module=module)
    return AlleleRuntime(user=user, state=state, module=module, course_key=CourseKey(1),
                         allowed=set(blocktypes.allowed_block_types()), authoring=authoring)


SLIDER = ComponentRef(block_id="slider-1", block_type="slider_demo",
                      fields=json.dumps({"min_value": 10, "max_value": 20}))


def test_a_learners_runtime_cannot_change_content_or_settings(module, amina, render):
    render(module, [SLIDER], amina)
    usage_id = usage_of(module, SLIDER).usage_id
    block = _runtime(module, amina).get_block(usage_id)
    assert (block.min_value, block.max_value) == (10, 20)

    block.min_value = 0
    with pytest.raises(InvalidScopeError):
        block.save()
    assert XBlockDefinition.objects.get(usage__usage_id=usage_id).content["min_value"] == 10


def test_an_authoring_runtime_saves_content_to_the_definition(module, amina, render):
    render(module, [SLIDER], amina)
    usage_id = usage_of(module, SLIDER).usage_id
    runtime = _runtime(module, amina, authoring=True)
    block = runtime.get_block(usage_id)
    block.min_value = 12
    block.save()
    save_page_state(state=runtime.state)
    assert XBlockDefinition.objects.get(usage__usage_id=usage_id).content["min_value"] == 12
    assert runtime.handler_url(block, "update") == f"/xblock/authoring/{usage_id}/update/"
    assert runtime.handler_url(block, "update", suffix="a/b", query="x=1") == (
        f"/xblock/authoring/{usage_id}/update/a/b?x=1")


# --- Ids that stay -----------------------------------------------------------------------------

VERTICAL_OLX = """<vertical_demo>
  <thumbs url_name="first"/>
  <html_demo>Read this.</html_demo>
  <thumbs url_name="second"/>
</vertical_demo>"""


def _component_body(olx: str, block_id: str = "c0ffee00-1111-4222-8333-444455556666",
                    *more: ComponentRef):
    components = [ComponentRef(block_id=block_id, olx=olx), *more]
    return json.dumps([
        {"type": "rich_text", "id": "text-1", "value": "<p>Before the activity.</p>"},
        *({"type": "component", "id": component.block_id,
           "value": {"block_type": "", "olx": component.olx, "fields": "", "title": "Votes"}}
          for component in components),
    ])


def _publish_body(module, body: str, capture, **fields):
    module = courses_api.ModulePage.objects.get(pk=module.pk)
    module.body = body
    for name, value in fields.items():
        setattr(module, name, value)
    with capture(execute=True):
        factories.publish(module)
    return module


def test_publishing_writes_usages_whose_ids_stay_across_a_republish(
        module, amina, call_handler, django_capture_on_commit_callbacks):
    _publish_body(module, _component_body(VERTICAL_OLX), django_capture_on_commit_callbacks)
    before = dict(XBlockUsage.objects.filter(module=module).values_list("url_name", "usage_id"))
    assert set(before) == {"vertical_demo", "vertical_demo.first", "vertical_demo.html_demo1",
                           "vertical_demo.second"}
    assert all(usage_id.startswith(f"m{module.pk}-c0ffee00") for usage_id in before.values())
    call_handler(amina, before["vertical_demo.second"], "vote", {"voteType": "up"})

    # The educator edits the text around the component and removes the first thumbs.
    edited = VERTICAL_OLX.replace('<thumbs url_name="first"/>', "")
    _publish_body(module, _component_body(edited), django_capture_on_commit_callbacks)

    after = {usage.url_name: usage for usage in XBlockUsage.objects.filter(module=module)}
    assert {name: usage.usage_id for name, usage in after.items()} == before
    assert after["vertical_demo.first"].retired_at is not None
    assert after["vertical_demo.second"].retired_at is None
    assert XBlockUserState.objects.get(user=amina, usage=after["vertical_demo.second"]).state \
        == {"voted": True}
    assert XBlockDefinition.objects.get(usage=after["vertical_demo"]).children == [
        before["vertical_demo.html_demo1"], before["vertical_demo.second"]]


def test_removing_a_component_retires_its_usages_and_keeps_the_learners_state(
        module, amina, call_handler, django_capture_on_commit_callbacks):
    _publish_body(module, _component_body("<thumbs/>"), django_capture_on_commit_callbacks)
    usage = XBlockUsage.objects.get(module=module)
    call_handler(amina, usage.usage_id, "vote", {"voteType": "up"})

    _publish_body(module, json.dumps([{"type": "rich_text", "id": "text-1",
                                       "value": "<p>No activity now.</p>"}]),
                  django_capture_on_commit_callbacks)

    usage.refresh_from_db()
    assert usage.retired_at is not None
    assert XBlockUserState.objects.filter(user=amina, usage=usage).exists()
    with pytest.raises(api.XBlockNotFound):
        call_handler(amina, usage.usage_id, "vote", {"voteType": "up"})


def test_ids_stay_when_the_course_is_imported_again(
        xblock_course, module, django_capture_on_commit_callbacks):
    _publish_body(module, _component_body(VERTICAL_OLX), django_capture_on_commit_callbacks)
    before = set(XBlockUsage.objects.values_list("usage_id", flat=True))
    data = courses_api.export_course_tree(course=xblock_course.course,
                                          key_of=lambda kind, pk: f"{kind}:{pk}")

    with django_capture_on_commit_callbacks(execute=True):
        courses_api.import_course_tree(
            data=data, domain=xblock_course.course.get_parent().specific, known_pages={},
            local_of=lambda kind, key: None, publish=True)

    assert set(XBlockUsage.objects.values_list("usage_id", flat=True)) == before
    assert not XBlockUsage.objects.filter(retired_at__isnull=False).exists()


# --- Completion ----------------------------------------------------------------------------------

class ScoredBlock(XBlock):
    """A block that scores: it completes when it publishes a grade."""

    has_score = True
    points = Integer(default=0, scope=Scope.user_state)

    def student_view(self, context=None):
        return Fragment("<p>Scored</p>")

    @XBlock.json_handler
    def answer(self, data, suffix=""):
        self.points = int(data["points"])
        self.runtime.publish(self, "grade", {"value": self.points, "max_value": 2})
        return {"points": self.points}


@pytest.fixture
def scored_block_installed(monkeypatch):
    installed = dict(blocktypes._installed())
    monkeypatch.setattr(blocktypes, "_installed", lambda: {**installed, "scored": ScoredBlock})
    settings = XBlockSettings.load()
    settings.allowed_block_types = [*settings.allowed_block_types, "scored"]
    settings.save()


def test_an_activities_module_completes_once_when_every_activity_is_done(
        module, amina, render, call_handler, scored_block_installed,
        django_capture_on_commit_callbacks):
    text = ComponentRef(block_id="text", olx="<html_demo>Read me</html_demo>")
    scored = ComponentRef(block_id="scored", olx="<scored/>")
    module = _publish_body(module, _component_body(text.olx, text.block_id, scored),
                           django_capture_on_commit_callbacks, completion_rule="activities")

    render(module, [text, scored], amina)  # the text is complete once seen; the score is not
    assert not courses_api.ModuleProgress.objects.filter(
        user=amina, module=module, completed_at__isnull=False).exists()
    usage_id = usage_of(module, scored).usage_id
    for _attempt in range(2):
        assert call_handler(amina, usage_id, "answer", {"points": 1}) == (200, {"points": 1})

    assert courses_api.ModuleProgress.objects.get(user=amina, module=module).completed_at
    assert LearningEvent.objects.filter(user=amina, verb="module_completed").count() == 1
    assert XBlockCompletion.objects.get(user=amina, usage__usage_id=usage_id).completion == 1.0


def test_a_completion_is_never_lowered(module, user, render):
    from xblocks import progress

    render(module, [THUMBS], user)
    usage_id = usage_of(module, THUMBS).usage_id
    state = load_page_state(user=user, module=module)
    assert progress.record_completion(user=user, state=state, usage_id=usage_id,
                                      completion=0.8)
    assert not progress.record_completion(user=user, state=state, usage_id=usage_id,
                                          completion=0.3)
    assert XBlockCompletion.objects.get(user=user, usage__usage_id=usage_id).completion == 0.8


def test_a_visitor_who_is_not_enrolled_completes_nothing(module, user, render):
    render(module, [THUMBS], user)
    assert not XBlockCompletion.objects.exists()


# --- Who may call what ---------------------------------------------------------------------------

def test_an_anonymous_visitor_sees_the_component_and_nothing_is_saved(module, render, amina):
    counter = ComponentRef(block_id="counter", olx="<view_counter_demo/>")
    render(module, [counter], amina)  # synced and counted once for Amina
    html = render(module, [counter])[counter.block_id]

    assert '<span class="views">2</span>' in html  # counted in memory only
    assert XBlockSummaryState.objects.get(usage__component_id="counter").state == {"views": 1}


def test_handlers_refuse_anonymous_users_and_learners_calling_authoring_handlers(
        module, amina, render, call_handler):
    from django.contrib.auth.models import AnonymousUser

    render(module, [THUMBS], amina)
    usage_id = usage_of(module, THUMBS).usage_id
    with pytest.raises(api.XBlockAccessDenied):
        call_handler(AnonymousUser(), usage_id, "vote", {"voteType": "up"})
    with pytest.raises(api.XBlockAccessDenied):
        call_handler(amina, usage_id, "studio_submit", {})
    with pytest.raises(api.XBlockAccessDenied):
        call_handler(amina, usage_id, "vote", {"voteType": "up"}, authoring=True)
    with pytest.raises(api.XBlockNotFound):
        call_handler(amina, usage_id, "no_such_handler", {})
    with pytest.raises(api.XBlockNotFound):
        call_handler(amina, "m1-nothing.thumbs", "vote", {})
    assert not XBlockSummaryState.objects.filter(state__upvotes=1).exists()


def test_handlers_refuse_a_module_that_is_no_longer_published(module, amina, render,
                                                              call_handler):
    render(module, [THUMBS], amina)
    module.unpublish()
    with pytest.raises(api.XBlockAccessDenied):
        call_handler(amina, usage_of(module, THUMBS).usage_id, "vote", {"voteType": "up"})


def test_the_user_service_names_the_signed_in_learner_without_her_pk(module, amina, render):
    render(module, [THUMBS], amina)
    runtime = _runtime(module, amina)
    block = runtime.get_block(usage_of(module, THUMBS).usage_id)
    user = runtime.service(block, "user") if block.service_declaration("user") else None
    from xblocks.services import AlleleUserService

    user = AlleleUserService(user=amina, course_key=runtime.course_id,
                             user_is_staff=False).get_current_user()
    anonymous_id = user.opt_attrs["edx-platform.anonymous_user_id"]
    assert user.opt_attrs["edx-platform.user_id"] == amina.pk
    assert str(amina.pk) != anonymous_id and len(anonymous_id) == 32
    assert anonymous_id == runtime.anonymous_student_id
    assert runtime.get_real_user(anonymous_id) == amina
    assert str(block.location) == usage_of(module, THUMBS).usage_id
    assert block.location.block_type == block.category == "thumbs"


def test_a_component_that_fails_shows_a_notice_and_the_others_still_render(
        module, amina, render):
    broken = ComponentRef(block_id="broken", olx="<equality_demo left='=1' right='=1'/>")
    html = render(module, [broken, THUMBS], amina)

    assert "cannot be shown" in html["broken"]
    assert "data-usage-id" in html[THUMBS.block_id]
