"""Throughput of a learner's quiz attempt page, beside a bare Django view.

The production-like server of learning_throughput.py (gunicorn, two workers, DEBUG off,
scratch SQLite database, demo catalog). ``_quiz_learner.py`` imports twenty questions of
every type into the bank, places a quiz over them in a demo module, enrolls a learner
and starts her attempt. Four client processes request the attempt page (GET) for a fixed
time. No target is set for the quiz page; its share of the ceiling is reported.

    python bench/quiz_throughput.py [--seconds 8] [--keep]      (or: make bench)

Results: a table on stdout and bench/results/quiz_throughput.json.
"""

import argparse
import sys

from _load import measure
from _throughput import CEILING, production_server, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    with production_server(setup_module="_quiz_learner", keep=args.keep) as (port, learner):
        cookie = f"sessionid={learner['session']}; csrftoken={'c' * 32}"
        figures = {
            CEILING: measure(port=port, path="/bench/bare", cookie=cookie, seconds=args.seconds),
            f"attempt page, {learner['questions']} questions": measure(
                port=port, path=learner["attempt"], cookie=cookie, seconds=args.seconds),
        }
    failed = report(
        name="quiz_throughput", figures=figures,
        heading="A learner's attempt in progress; gunicorn, 2 workers, DEBUG off.",
        footnote="No target for the quiz page (informational); the run fails only on errors.",
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
