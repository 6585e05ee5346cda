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

TARGET_SHARE_OF_CEILING = 1 / 3
JUDGED = ("dashboard", "module page")


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
        learner = json.loads(manage(env, "shell", "--no-imports", "-c", "import _learner")
                             .strip().splitlines()[-1])
        port = free_port()
        server = start_gunicorn(env, port, scratch / "gunicorn.log")
        cookie = f"sessionid={learner['session']}; csrftoken={'c' * 32}"
        figures = {
            "bare Django view (ceiling)": measure(port=port, path="/bench/bare",
                                                  cookie=cookie, seconds=args.seconds),
            "dashboard": measure(port=port, path="/dashboard/", cookie=cookie,
                                 seconds=args.seconds),
            "module page": measure(port=port, path=learner["module"], cookie=cookie,
                                   seconds=args.seconds),
            "course page": measure(port=port, path=learner["course"], cookie=cookie,
                                   seconds=args.seconds),
            "module page, signed out": measure(port=port, path=learner["module"],
                                               seconds=args.seconds),
        }
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"(scratch directory kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if report(figures, learner["courses"]) else 0


def report(figures: dict, courses: int) -> bool:
    ceiling = figures["bare Django view (ceiling)"].per_second
    header = (f"{'request':<28} {'req/s':>8} {'of ceiling':>11} {'median ms':>10} "
              f"{'p99 ms':>8} {'errors':>7}  result")
    print(f"\nA learner enrolled in {courses} courses; gunicorn, 2 workers, DEBUG off.\n")
    print(header)
    print("-" * len(header))
    failed = False
    rows = []
    for name, figure in figures.items():
        share = figure.per_second / ceiling if ceiling else 0
        verdict = ""
        if name in JUDGED:
            passed = share >= TARGET_SHARE_OF_CEILING and not figure.errors
            failed |= not passed
            verdict = "PASS" if passed else "FAIL"
        print(f"{name:<28} {figure.per_second:>8.0f} {share:>10.0%} {figure.median_ms:>10.1f} "
              f"{figure.p99_ms:>8.1f} {figure.errors:>7}  {verdict}")
        rows.append({"request": name, **asdict(figure), "per_second": figure.per_second,
                     "share_of_ceiling": share, "result": verdict})
    print(f"\n  Target: the dashboard and the module page at {TARGET_SHARE_OF_CEILING:.0%} "
          "or more of the bare view's rate, with no errors.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "learning_throughput.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "courses_enrolled": courses,
        "rows": rows,
    }, indent=2) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
