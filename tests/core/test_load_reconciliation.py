"""The load scenario's reconciliation (bench/_reconcile.py): it must report a missing row,
a doubled row and a row nobody expected, and pass only when every key matches. No
database: the module is pure and is loaded from bench/ by its path."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def reconcile_module():
    spec = importlib.util.spec_from_file_location("_reconcile", BENCH / "_reconcile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPECTED = {
    ("module completion", "learner-1", "module 7"): 1,
    ("module completion", "learner-2", "module 7"): 1,
    ("answer", "learner-1", "quiz 3, question a"): 1,
    ("answer", "learner-1", "quiz 3, question b"): 1,
}


def _figures(result, kind):
    return next(figures for figures in result.kinds if figures.kind == kind)


def test_every_row_as_expected_holds(reconcile_module):
    result = reconcile_module.reconcile(expected=EXPECTED, stored=dict(EXPECTED),
                                        kinds=["module completion", "answer"])

    assert result.holds
    assert result.problems == ()
    assert _figures(result, "answer").stored == 2


def test_a_missing_and_a_doubled_row_are_both_reported(reconcile_module):
    stored = dict(EXPECTED)
    del stored[("module completion", "learner-2", "module 7")]  # lost
    stored[("answer", "learner-1", "quiz 3, question b")] = 2  # doubled

    result = reconcile_module.reconcile(expected=EXPECTED, stored=stored)

    assert not result.holds
    completions, answers = _figures(result, "module completion"), _figures(result, "answer")
    assert (completions.expected, completions.stored, completions.missing) == (2, 1, 1)
    assert (answers.expected, answers.stored, answers.doubled) == (2, 3, 1)
    assert not completions.holds and not answers.holds
    assert sorted(str(problem) for problem in result.problems) == [
        "doubled: answer of learner-1, quiz 3, question b (expected 1, stored 2)",
        "missing: module completion of learner-2, module 7 (expected 1, stored 0)",
    ]


def test_rows_nobody_expected_fail_even_when_totals_match(reconcile_module):
    stored = dict(EXPECTED)
    del stored[("answer", "learner-1", "quiz 3, question a")]
    stored[("answer", "learner-9", "quiz 3, question a")] = 1  # someone else's row instead

    result = reconcile_module.reconcile(expected=EXPECTED, stored=stored)

    answers = _figures(result, "answer")
    assert answers.expected == answers.stored == 2
    assert (answers.missing, answers.unexpected) == (1, 1)
    assert not result.holds


def test_a_kind_with_no_rows_at_all_still_shows_in_the_table(reconcile_module):
    expected = {**EXPECTED, ("certificate", "learner-1", "course 5"): 1}
    stored = {key: count for key, count in EXPECTED.items()}

    result = reconcile_module.reconcile(expected=expected, stored=stored,
                                        kinds=["attempt in progress", "certificate"])
    text = reconcile_module.table(result)

    assert "attempt in progress" in text and "certificate" in text
    assert _figures(result, "attempt in progress").holds
    assert _figures(result, "certificate").missing == 1
    assert "missing: certificate of learner-1, course 5" in text
    assert reconcile_module.as_json(result)["holds"] is False
