"""Allele's XBlock runtime with the xblock-sdk sample blocks: state per learner and shared
summaries, grades and completion, ids that survive a re-publish, and what it refuses."""

import pytest

pytest.importorskip("xblock")

from courses.extensions import ComponentRef  # noqa: E402
from xblocks import api  # noqa: E402
from xblocks.models import XBlockUsage, XBlockUserState  # noqa: E402

THUMBS = ComponentRef(block_id="5e0c3a1f-0000-4000-8000-00000000aaaa", olx="<thumbs/>")


def root_usage(module, component):
    return XBlockUsage.objects.get(module=module, component_id=component.block_id,
                                   parent__isnull=True, retired_at__isnull=True).usage_id


def test_two_learners_keep_their_own_state_and_share_the_summary(
        module, amina, bongani, render, call_handler):
    html = render(module, [THUMBS], amina)[THUMBS.block_id]
    assert "data-usage-id" in html
    usage_id = root_usage(module, THUMBS)

    assert call_handler(amina, usage_id, "vote", {"voteType": "up"}) == (200, {"up": 1, "down": 0})
    assert call_handler(bongani, usage_id, "vote", {"voteType": "up"}) == (
        200, {"up": 2, "down": 0})

    states = {row.user_id: row.state for row in XBlockUserState.objects.filter(
        usage__usage_id=usage_id)}
    assert states == {amina.pk: {"voted": True}, bongani.pk: {"voted": True}}
