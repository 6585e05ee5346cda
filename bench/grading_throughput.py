"""Pure grading throughput: a 50-question attempt of every type graded by grade_attempt.

No server, no database: the definitions and responses are built here (a realistic mix:
single choice, multiple response, true/false, numeric with units, short text in several
scripts, matching, ordering and case sets), some answers right, some partly right, some
wrong, a few unanswered. ``timeit`` grades the attempt repeatedly; the figure is the
median of several repetitions.

    python bench/grading_throughput.py [--repeat 7] [--number 200]     (or: make bench)

Results: a table on stdout and bench/results/grading_throughput.json. No target is set
(it is informational); the script fails only if grading raises or scores are wrong.
"""

import argparse
import json
import os
import statistics
import sys
import timeit
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from assessments import questions as q  # noqa: E402
from assessments.grading import grade_attempt  # noqa: E402

RESULTS = ROOT / "bench" / "results"
QUESTIONS = 50


def _single(n):
    choices = tuple(q.Choice(id=f"c{n}-{i}", text=f"<p>Option {i} of {n}</p>", correct=i == 0,
                             feedback="Because." if i == 0 else "")
                    for i in range(4))
    return q.SingleChoice(id=f"single-{n}", stem=f"<p>Question {n}: which is right?</p>",
                          choices=choices), {"choice": f"c{n}-{n % 2}"}


def _multiple(n):
    choices = tuple(q.Choice(id=f"m{n}-{i}", text=f"Gene {i}", correct=i < 2) for i in range(5))
    return q.MultipleResponse(id=f"multi-{n}", stem="<p>Select all that apply.</p>",
                              choices=choices), {"choices": [f"m{n}-0", f"m{n}-{2 + n % 2}"]}


def _true_false(n):
    return q.TrueFalse(id=f"tf-{n}", stem="<p>Trisomy 21 causes Down syndrome.</p>",
                       answer=True), {"answer": n % 3 != 0}


def _numeric(n):
    return q.Numeric(id=f"num-{n}", stem="<p>Dose?</p>", answer=Decimal("37.25"),
                     tolerance=Decimal("0.25"), unit="mg", accepted_units=("milligram",)
                     ), {"value": "37,3", "unit": "mg" if n % 2 else ""}


def _short_text(n):
    answers = (q.TextAnswer("CFTR"), q.TextAnswer("cystic fibrosis transmembrane regulator",
                                                  credit=Decimal("0.5")),
               q.TextAnswer("囊性纤维化"))
    return q.ShortText(id=f"text-{n}", stem="<p>Which gene?</p>", answers=answers
                       ), {"text": " cftr " if n % 2 else "Cystic Fibrosis Transmembrane Regulator"}


def _matching(n):
    prompts = tuple(q.MatchPrompt(f"p{n}-{i}", f"Condition {i}", f"a{n}-{i % 3}")
                    for i in range(4))
    answers = tuple(q.Item(f"a{n}-{i}", f"Inheritance {i}") for i in range(4))
    pairs = {f"p{n}-{i}": f"a{n}-{(i + n) % 3}" for i in range(4)}
    return q.Matching(id=f"match-{n}", stem="<p>Match.</p>", prompts=prompts,
                      answers=answers), {"pairs": pairs}


def _ordering(n):
    items = tuple(q.Item(f"o{n}-{i}", f"Step {i}") for i in range(5))
    order = [f"o{n}-{i}" for i in (0, 2, 1, 3, 4)]
    return q.Ordering(id=f"order-{n}", stem="<p>Order the steps.</p>", items=items
                      ), {"order": order}


def _case_set(n):
    parts = [_single(1000 + n), _true_false(1000 + n), _numeric(1000 + n)]
    return q.CaseSet(id=f"case-{n}", vignette="<p>A 4-year-old with chest infections.</p>",
                     parts=tuple(part for part, _ in parts)
                     ), {"parts": {part.id: answer for part, answer in parts}}


MIX = [_single] * 14 + [_multiple] * 8 + [_true_false] * 8 + [_numeric] * 6 + \
    [_short_text] * 5 + [_matching] * 4 + [_ordering] * 3 + [_case_set] * 2


def build() -> tuple[dict, dict]:
    definitions, responses = {}, {}
    for n, make in enumerate(MIX[:QUESTIONS]):
        definition, response = make(n)
        definitions[definition.id] = definition
        if n % 10 != 9:  # a few left unanswered
            responses[definition.id] = response
    return definitions, responses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=200)
    args = parser.parse_args()
    definitions, responses = build()
    assert len(definitions) == QUESTIONS
    result = grade_attempt(definitions, responses)
    assert 0 < result.percentage < 100, result.percentage
    timer = timeit.Timer(lambda: grade_attempt(definitions, responses))
    runs = [seconds / args.number for seconds in timer.repeat(args.repeat, args.number)]
    per_attempt = statistics.median(runs)
    types = sorted({d.type for d in definitions.values()})
    print(f"\nOne attempt of {QUESTIONS} questions ({', '.join(types)}); score "
          f"{result.percentage}%. Median of {args.repeat} x {args.number} gradings.\n")
    print(f"  attempts graded per second   {1 / per_attempt:>10,.0f}")
    print(f"  microseconds per attempt     {per_attempt * 1e6:>10,.0f}")
    print(f"  microseconds per question    {per_attempt * 1e6 / QUESTIONS:>10,.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "grading_throughput.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "questions": QUESTIONS, "types": types, "repeat": args.repeat, "number": args.number,
        "attempts_per_second": 1 / per_attempt,
        "microseconds_per_question": per_attempt * 1e6 / QUESTIONS,
        "runs_seconds_per_attempt": runs,
    }, indent=2) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
