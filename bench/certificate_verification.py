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
import sys

from _load import measure
from _throughput import CEILING, production_server, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    with production_server(setup_module="_certificate", keep=args.keep) as (port, certificate):
        figures = {
            CEILING: measure(port=port, path="/bench/bare", seconds=args.seconds),
            "verification page (HTML)": measure(port=port, path=certificate["page"],
                                                seconds=args.seconds),
            "verification JSON": measure(port=port, path=certificate["json"],
                                         seconds=args.seconds),
        }
    failed = report(
        name="certificate_verification", figures=figures,
        heading=f"One certificate ({certificate['course']}), requested signed out; "
                "gunicorn, 2 workers, DEBUG off.",
        footnote="No target is set: the share of the ceiling is reported; errors fail the run.",
        extra={"public_id": certificate["public_id"]},
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
