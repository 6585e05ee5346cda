"""Throughput of a learner's dashboard and module page, beside a bare Django view.

Production-like Allele (gunicorn with two workers, DEBUG off) on a scratch SQLite
database with the demo catalog, grown to twenty courses; one learner enrolled in all
twenty with some progress. Each URL is requested by four client processes for a fixed
time (server and clients share this machine's cores). The target is at least one third
of the bare view's rate for the dashboard and the module page.

    python bench/learning_throughput.py [--seconds 8] [--keep]      (or: make bench)

Results: a table on stdout and bench/results/learning_throughput.json.
"""

import argparse
import sys

from _load import measure
from _throughput import CEILING, production_server, report

TARGET_SHARE_OF_CEILING = 1 / 3
JUDGED = ("dashboard", "module page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    with production_server(setup_module="_learner", keep=args.keep) as (port, learner):
        cookie = f"sessionid={learner['session']}; csrftoken={'c' * 32}"

        def signed_in(path: str):
            return measure(port=port, path=path, cookie=cookie, seconds=args.seconds)

        figures = {
            CEILING: signed_in("/bench/bare"),
            "dashboard": signed_in("/dashboard/"),
            "module page": signed_in(learner["module"]),
            "course page": signed_in(learner["course"]),
            "module page, signed out": measure(port=port, path=learner["module"],
                                               seconds=args.seconds),
        }
    failed = report(
        name="learning_throughput", figures=figures, judge=judge,
        heading=f"A learner enrolled in {learner['courses']} courses; "
                "gunicorn, 2 workers, DEBUG off.",
        footnote=f"Target: the dashboard and the module page at {TARGET_SHARE_OF_CEILING:.0%} "
                 "or more of the bare view's rate, with no errors.",
        extra={"courses_enrolled": learner["courses"]},
    )
    return 1 if failed else 0


def judge(request: str, share: float, figure) -> str:
    if request not in JUDGED:
        return ""
    return "PASS" if share >= TARGET_SHARE_OF_CEILING and not figure.errors else "FAIL"


if __name__ == "__main__":
    sys.exit(main())
