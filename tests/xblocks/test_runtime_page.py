"""The runtime on a real module page: the learner's fragment in the body, the blocks' CSS
and JavaScript in the head, and the state she left there on her next visit."""

import json

import pytest

pytest.importorskip("xblock")

from tests import factories
from xblocks.models import XBlockUsage


def test_a_learner_sees_her_vote_after_reloading_the_module(xblock_course, amina, client,
                                                            call_handler):
    module = xblock_course.modules[0]
    module.body = json.dumps([{"type": "component", "id": "thumbs-on-page", "value": {
        "block_type": "", "olx": "<thumbs/>", "fields": "", "title": "Vote"}}])
    module = factories.publish(module)
    client.force_login(amina)

    page = client.get(module.url).content.decode()
    assert 'data-block-type="thumbs"' in page
    assert "<span class='upvote'><span class='count'>0</span>" in page
    assert "xblocks/runtime.js" in page
    usage_id = XBlockUsage.objects.get(component_id="thumbs-on-page").usage_id
    call_handler(amina, usage_id, "vote", {"voteType": "up"})

    page = client.get(module.url).content.decode()
    assert "<span class='upvote'><span class='count'>1</span>" in page
