"""Cohort dashboard and CSV export on PostgreSQL at scale: 10,000 learners in 10 courses of
10 modules (about 850,000 module progress rows, 100,000 enrollments, 180,000 quiz
attempts, 45,000 certificates), made by `manage.py generate_cohort`.

Needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name. The cohort is
generated once into a dedicated database on that server (``<name>_cohort_bench``,
created if missing, reused by later runs; `--regenerate` drops and rebuilds it), then,
with production settings (DEBUG off), the script times in one process:

- the report functions behind the cohort dashboard (figures per course and for the
  cohort, completions series), and the rendered cohort dashboard view (figures, chart,
  first page of learners), cold (five runs, cache emptied each time) then cached (five
  repeats); the course dashboard too;
- the full CSV export of the cohort (100,000 rows): the request that queues it, and the
  background build (``cohorts.api.run_export``) into its private file.

Budget: the rendered cohort dashboard must answer within one second, both cold (the
median of five runs, Django's cache emptied before each, so every figure is computed
from the database) and cached (the median of five repeats, which read the figures from
the cache keyed by the catalog version and the members' learning state); exit 1
otherwise. The first run of the process is shown too.
Without PostgreSQL the script says so and exits 0.

    python bench/cohort_dashboard.py [--regenerate] [--learners 10000]     (or: make bench)

Results: a table on stdout and bench/results/cohort_dashboard.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _server import RESULTS, ROOT, manage, production_env

BUDGET_SECONDS = 1.0


def bench_database_url(url: str) -> tuple[str, str, str]:
    """(the bench database's URL, the server's maintenance URL, the bench database name)."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'allele'}_cohort_bench"
    return (urlunsplit(parts._replace(path=f"/{name}")),
            urlunsplit(parts._replace(path="/postgres")), name)


def ensure_database(maintenance_url: str, name: str, *, drop: bool) -> bool:
    """Create the bench database if needed; True when it was (re)created."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [name]).fetchone()
        if exists and drop:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return not exists


def generated(env: dict[str, str]) -> bool:
    code = ("from cohorts.models import Cohort; "
            "print(Cohort.objects.filter(name='Benchmark cohort').exists())")
    return manage(env, "shell", "-c", code).strip().endswith("True")


def generate(env: dict[str, str], learners: int) -> None:
    began = time.monotonic()
    manage(env, "load_demo")
    completed = subprocess.run(
        [sys.executable, "manage.py", "generate_cohort", "--replace",
         f"--learners={learners}", "--courses=10", "--modules=10"],
        cwd=ROOT, env=env, text=True, timeout=3 * 3600, check=False)
    if completed.returncode != 0:
        raise SystemExit("generate_cohort failed")
    manage(env, "shell", "-c", "from django.db import connection; "
           "connection.cursor().execute('VACUUM ANALYZE')")
    print(f"Generated the bench cohort in {time.monotonic() - began:.0f} s")


def measure(env: dict[str, str]) -> dict:
    script = (ROOT / "bench" / "_cohort_timing.py").read_text()
    output = manage(env, "shell", "-c", script)
    return json.loads(output.strip().splitlines()[-1])


def report(figures: dict) -> bool:
    view = figures["dashboard_view"]
    failed = max(view["cold"], view["median"]) > BUDGET_SECONDS
    print(f"\n{figures['learners']:,} learners, {figures['courses']} courses, "
          f"{figures['enrollments']:,} enrollments, {figures['progress_rows']:,} progress rows "
          f"(PostgreSQL, DEBUG off, one process, "
          f"PGOPTIONS={os.environ.get('PGOPTIONS', '-c jit=off')!r})\n")
    print(f"{'measure':<34}{'first s':>9}{'cold s':>9}{'cold max':>9}"
          f"{'cached s':>10}{'max s':>8}")
    for key, label in (("report_functions", "report functions (never cached)"),
                       ("dashboard_view", "cohort dashboard (rendered)"),
                       ("course_view", "course dashboard (rendered)")):
        row = figures[key]
        print(f"{label:<34}{row['first']:>9.3f}{row['cold']:>9.3f}{row['cold_max']:>9.3f}"
              f"{row['median']:>10.3f}{row['max']:>8.3f}")
    print(f"{'CSV export request (queues it)':<34}{figures['csv_export_request']:>9.3f}")
    print(f"{'CSV export build (background)':<34}{figures['csv_export']:>9.3f}"
          f"{'':>10}{'':>8}   {figures['csv_bytes'] / 1e6:.1f} MB")
    print(f"\nCohort dashboard: {figures['dashboard_queries']} queries uncached; budget "
          f"{BUDGET_SECONDS:.1f} s for the median cold run and the median cached run: "
          f"{'FAIL' if failed else 'PASS'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cohort_dashboard.json").write_text(json.dumps(
        {**figures, "budget_seconds": BUDGET_SECONDS, "passed": not failed,
         "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=2))
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--learners", type=int, default=10_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("SKIP: the cohort bench needs PostgreSQL (set DATABASE_URL=postgres://...)")
        return 0
    bench_url, maintenance_url, name = bench_database_url(url)
    created = ensure_database(maintenance_url, name, drop=args.regenerate)
    with tempfile.TemporaryDirectory(prefix="allele-cohort-bench-") as scratch:
        env = {**production_env(Path(scratch)), "DATABASE_URL": bench_url,
               "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
               # PostgreSQL's JIT compiles each big query first (a second here); off, as
               # the README recommends for Allele's database role.
               "PGOPTIONS": os.environ.get("PGOPTIONS", "-c jit=off"),
               "STATIC_ROOT": str(RESULTS / "cohort_static")}
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        if created or not generated(env):
            generate(env, args.learners)
        return 1 if report(measure(env)) else 0


if __name__ == "__main__":
    sys.exit(main())
