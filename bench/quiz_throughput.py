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
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from _load import measure
from _server import (
    RESULTS,
    ROOT,
    free_port,
    git_commit,
    manage,
    prepare,
    production_env,
    start_gunicorn,
    stop,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="allele-bench-"))
    env = production_env(scratch)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "bench"),
                                                     env.get("PYTHONPATH", "")]))
    env["ROOT_URLCONF"] = "_urls"
    server = None
    try:
        prepare(env)
        learner = json.loads(manage(env, "shell", "--no-imports", "-c", "import _quiz_learner")
                             .strip().splitlines()[-1])
        port = free_port()
        server = start_gunicorn(env, port, scratch / "gunicorn.log")
        cookie = f"sessionid={learner['session']}; csrftoken={'c' * 32}"
        figures = {
            "bare Django view (ceiling)": measure(port=port, path="/bench/bare",
                                                  cookie=cookie, seconds=args.seconds),
            f"attempt page, {learner['questions']} questions": measure(
                port=port, path=learner["attempt"], cookie=cookie, seconds=args.seconds),
        }
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"(scratch directory kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if report(figures) else 0


def report(figures: dict) -> bool:
    ceiling = figures["bare Django view (ceiling)"].per_second
    header = (f"{'request':<30} {'req/s':>8} {'of ceiling':>11} {'median ms':>10} "
              f"{'p99 ms':>8} {'errors':>7}")
    print("\nA learner's attempt in progress; gunicorn, 2 workers, DEBUG off.\n")
    print(header)
    print("-" * len(header))
    rows, errors = [], 0
    for name, figure in figures.items():
        share = figure.per_second / ceiling if ceiling else 0
        errors += figure.errors
        print(f"{name:<30} {figure.per_second:>8.0f} {share:>10.0%} {figure.median_ms:>10.1f} "
              f"{figure.p99_ms:>8.1f} {figure.errors:>7}")
        rows.append({"request": name, **asdict(figure), "per_second": figure.per_second,
                     "share_of_ceiling": share})
    print("\n  No target for the quiz page (informational); the run fails only on errors.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "quiz_throughput.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(), "rows": rows,
    }, indent=2) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return errors > 0


if __name__ == "__main__":
    sys.exit(main())
