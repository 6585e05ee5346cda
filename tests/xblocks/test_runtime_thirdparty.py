"""Real third-party XBlocks from PyPI in Allele's runtime: xblock-poll and done-xblock render,
their handlers work on each learner's own state, and together they complete a module."""

import json

import pytest

pytest.importorskip("xblock")
pytest.importorskip("poll")
pytest.importorskip("done")

from assessments import api as assessments_api
from courses import api as courses_api
from courses.extensions import ComponentRef
from tests import factories
from xblocks.models import XBlockCompletion, XBlockUsage

POLL = ComponentRef(block_id="poll-1", block_type="poll", fields=json.dumps(
    {"question": "Would you test for HLA-B*15:02 before carbamazepine?"}))
DONE = ComponentRef(block_id="done-1", olx="<done/>")


def _usage(component):
    return XBlockUsage.objects.get(component_id=component.block_id).usage_id


def _activities_module(course):
    body = json.dumps([{"type": "component", "id": component.block_id, "value": {
        "block_type": component.block_type, "olx": component.olx, "fields": component.fields,
        "title": ""}} for component in (POLL, DONE)])
    module = courses_api.ModulePage.objects.child_of(course).first()
    module.body = body
    module.completion_rule = "activities"
    return factories.publish(module)


def test_a_poll_renders_and_counts_each_learners_vote(module, amina, bongani, render,
                                                      call_handler):
    html = render(module, [POLL], amina)[POLL.block_id]
    assert "HLA-B*15:02" in html
    poll = _usage(POLL)

    status, answer = call_handler(amina, poll, "vote", {"choice": "R"})
    assert (status, answer["success"]) == (200, True)
    status, answer = call_handler(amina, poll, "vote", {"choice": "B"})
    assert answer["errors"] == ["You have already voted in this poll."]
    call_handler(bongani, poll, "vote", {"choice": "B"})

    status, results = call_handler(amina, poll, "get_results", {})
    assert status == 200
    tally = {item["key"]: item["count"] for item in results["tally"]}
    assert (tally["R"], tally["B"]) == (1, 1)
    assert XBlockCompletion.objects.get(user=amina, usage__usage_id=poll).completion == 1.0


def test_voting_and_clicking_done_complete_an_activities_module(
        xblock_course, amina, render, call_handler):
    module = _activities_module(xblock_course.course)
    render(module, [POLL, DONE], amina)

    call_handler(amina, _usage(POLL), "vote", {"choice": "G"})
    assert not courses_api.ModuleProgress.objects.filter(
        user=amina, module=module, completed_at__isnull=False).exists()
    assert call_handler(amina, _usage(DONE), "toggle_button", {"done": True}) == (
        200, {"state": True})

    assert courses_api.ModuleProgress.objects.get(user=amina, module=module).completed_at
    [score] = assessments_api.activity_scores(user=amina, module=module)
    assert (score.activity_key, score.earned, score.possible) == (_usage(DONE), 1, 1)
    html = render(module, [POLL, DONE], amina)
    assert "done" in html[DONE.block_id].lower()
