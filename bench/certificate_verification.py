"""Throughput of the public certificate verification page and its JSON, beside a bare
Django view.

Production-like Allele (gunicorn with two workers, DEBUG off) on a scratch SQLite
database with the demo catalog; one learner completed the first demo course and holds its
certificate (issued through certificates.api). Each URL is requested, signed out, by four
client processes for a fixed time (server and clients share this machine's cores). The
issue sets no target: the share of the ceiling is reported; the script exits 1 only on
errors.

    python bench/certificate_verification.py [--seconds 8] [--keep]      (or: make bench)

Results: a table on stdout and bench/results/certificate_verification.json.
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
        certificate = json.loads(
            manage(env, "shell", "--no-imports", "-c", "import _certificate")
            .strip().splitlines()[-1])
        port = free_port()
        server = start_gunicorn(env, port, scratch / "gunicorn.log")
        figures = {
            "bare Django view (ceiling)": measure(port=port, path="/bench/bare",
                                                  seconds=args.seconds),
            "verification page (HTML)": measure(port=port, path=certificate["page"],
                                                seconds=args.seconds),
            "verification JSON": measure(port=port, path=certificate["json"],
                                         seconds=args.seconds),
        }
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"(scratch directory kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if report(figures, certificate) else 0


def report(figures: dict, certificate: dict) -> bool:
    ceiling = figures["bare Django view (ceiling)"].per_second
    header = (f"{'request':<28} {'req/s':>8} {'of ceiling':>11} {'median ms':>10} "
              f"{'p99 ms':>8} {'errors':>7}")
    print(f"\nOne certificate ({certificate['course']}), requested signed out; "
          "gunicorn, 2 workers, DEBUG off.\n")
    print(header)
    print("-" * len(header))
    rows, errors = [], 0
    for name, figure in figures.items():
        share = figure.per_second / ceiling if ceiling else 0
        errors += figure.errors
        print(f"{name:<28} {figure.per_second:>8.0f} {share:>10.0%} {figure.median_ms:>10.1f} "
              f"{figure.p99_ms:>8.1f} {figure.errors:>7}")
        rows.append({"request": name, **asdict(figure), "per_second": figure.per_second,
                     "share_of_ceiling": share})
    print("\n  No target is set: the share of the ceiling is reported; errors fail the run.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "certificate_verification.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "public_id": certificate["public_id"],
        "rows": rows,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return errors > 0


if __name__ == "__main__":
    sys.exit(main())
