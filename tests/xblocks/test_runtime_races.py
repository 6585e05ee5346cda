"""Race tests on PostgreSQL: simultaneous handler calls lose no update, simultaneous first
renders write one set of usages, a grade checked twice at once is recorded once."""

import itertools
import threading

import pytest

pytest.importorskip("xblock")

from assessments.models import ActivityGradeEvent
from courses.extensions import ComponentRef
from tests.concurrency import run_concurrently
from xblocks.models import XBlockSummaryState, XBlockUsage, XBlockUserState

pytestmark = [pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THUMBS = ComponentRef(block_id="race-thumbs", olx="<thumbs/>")
PROBLEM = ComponentRef(block_id="race-problem", olx="""<problem_demo>
  <textinput_demo name="sum_input" input_type="int"/>
  <equality_demo name="sum_checker" left="./sum_input/@student_input" right="=4"/>
</problem_demo>""")


def _root(component):
    return XBlockUsage.objects.get(component_id=component.block_id, parent__isnull=True).usage_id


def test_simultaneous_votes_by_two_learners_are_all_counted(
        module, amina, bongani, render, call_handler):
    render(module, [THUMBS], amina)
    usage_id = _root(THUMBS)
    learners, lock = itertools.cycle([amina, bongani]), threading.Lock()

    def vote():
        with lock:
            learner = next(learners)
        return call_handler(learner, usage_id, "vote", {"voteType": "up"})[0]

    assert run_concurrently(6, vote) == [200] * 6
    assert XBlockSummaryState.objects.get(usage__usage_id=usage_id).state["upvotes"] == 6
    assert XBlockUserState.objects.filter(usage__usage_id=usage_id).count() == 2


def test_simultaneous_first_renders_write_one_set_of_usages(module, amina, render):
    results = run_concurrently(4, lambda: render(module, [PROBLEM], amina)[PROBLEM.block_id])

    assert all("data-usage-id" in html for html in results)
    assert XBlockUsage.objects.filter(component_id=PROBLEM.block_id).count() == 3


def test_a_grade_checked_twice_at_once_is_recorded_once(module, amina, render, call_handler):
    render(module, [PROBLEM], amina)
    usage_id = _root(PROBLEM)
    answer = {"sum_input": [{"name": "input", "value": "4"}]}

    results = run_concurrently(4, lambda: call_handler(amina, usage_id, "check", answer)[0])

    assert results == [200] * 4
    assert ActivityGradeEvent.objects.filter(user=amina).count() == 1
