"""Load scenario (#11 item 8): simulated learners on PostgreSQL under gunicorn, then a
reconciliation of what the database holds against what they did.

A scratch PostgreSQL database gets the demo catalog, a course of three modules (the last
completed by passing a quiz of one question of every type, one of them typed freely)
and N learner accounts (_load_course.py). gunicorn serves it with gunicorn.conf.py and
production settings (DEBUG off); two background workers run the certificate tasks
(``db_worker``; with ``--profile redis``: Redis cache and sessions, RQ workers, on an
empty Redis database flushed before and after). Locust, as a library, ramps up N
learners; each one journeys once (_load_journey.py): signs in through the real form,
opens the catalogue and the course, enrolls (and taps again), completes two modules
(each twice), starts the quiz, autosaves, sends a correction whose connection drops
before the answer, retries it, double-clicks "Submit answers" (two POSTs at once),
opens her result and her dashboard.

Afterwards, once the task queue has drained, the database is counted per learner
(_load_stored.py) and reconciled (_reconcile.py): exactly one enrollment, completion per
module, course completion, submitted attempt, answer per question, grade per question,
certificate (with its PDF and signed credential) and learning event each; nothing
missing, nothing doubled. Every answer must be the one the site gives on purpose (200
for pages and autosaves, 302 for form posts, to the right place); no 5xx in the access
log, not even for the dropped requests.

    python bench/load_scenario.py [--users 200] [--profile db|redis] [--keep]

Prints the "expected vs stored" table and, per request type, throughput and latency
percentiles; writes bench/results/load_scenario[-<profile>].json; exits 1 if the
reconciliation fails or anything erred. Needs PostgreSQL (LOAD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres; without it set and no server there, the
script prints SKIP and exits 0) and, for the Redis profile, Redis (LOAD_REDIS_URL,
default redis://127.0.0.1:6379/0; an empty database 1-15 is used).
"""

from locust import events  # first: locust monkey-patches sockets with gevent  # isort: skip

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import gevent
from _load_journey import Learner, Outcome
from _load_stack import Stack, load_stack, postgres_reachable
from _reconcile import as_json, reconcile, table
from _server import RESULTS, ROOT, git_commit
from locust.env import Environment

DEFAULT_DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PERCENTILES = (0.5, 0.9, 0.95, 0.99)
KINDS = ("enrollment", "module completion", "course completion", "submitted attempt",
         "attempt in progress", "answer", "grade (ledger)", "certificate", "certificate PDF",
         "signed credential", "learning event")


def expected_rows(plan: dict) -> dict[tuple[str, str, str], int]:
    """Every row each learner's journey must leave, once."""
    course, quiz = plan["course"]["id"], plan["quiz"]["id"]
    expected: Counter = Counter()
    for email in plan["learners"]:
        learner = email.split("@")[0]
        for kind in ("enrollment", "course completion", "certificate", "certificate PDF",
                     "signed credential"):
            expected[kind, learner, f"course {course}"] += 1
        expected["submitted attempt", learner, f"quiz {quiz}"] += 1
        expected["learning event", learner, f"enrolled {course}"] += 1
        expected["learning event", learner, f"course_completed {course}"] += 1
        for module in plan["modules"]:
            expected["module completion", learner, f"module {module['id']}"] += 1
            expected["learning event", learner, f"module_completed {module['id']}"] += 1
        for question in plan["quiz"]["questions"]:
            expected["answer", learner, f"quiz {quiz}, question {question}"] += 1
        for question in plan["quiz"]["graded"]:
            expected["grade (ledger)", learner, f"quiz {quiz}, question {question}"] += 1
    return dict(expected)


def run_learners(stack: Stack, *, users: int, spawn_rate: float, timeout: float) -> tuple:
    Learner.plan, Learner.outcome = stack.plan, Outcome()
    environment = Environment(user_classes=[Learner], events=events,
                              host=f"http://127.0.0.1:{stack.port}")
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=spawn_rate)
    outcome = Learner.outcome
    while (outcome.finished + len(outcome.aborted) < users
           and time.monotonic() - started < timeout):
        gevent.sleep(0.5)
    seconds = time.monotonic() - started
    runner.quit()
    return environment.stats, outcome, seconds


def drain(stack: Stack, *, timeout: float) -> dict:
    """Wait until the background task queue is empty; the stored rows then."""
    started = time.monotonic()
    while True:
        stored = stack.stored()
        if stored["pending_tasks"] == 0 or time.monotonic() - started > timeout:
            stored["drain_seconds"] = round(time.monotonic() - started, 1)
            return stored
        gevent.sleep(2)


def access_log(stack: Stack) -> tuple[list[str], int]:
    """(lines answered 5xx, autosaves answered 200): the dropped requests' answers are only
    seen here, and the count of saves shows whether the server got the dropped ones."""
    log = stack.scratch / "access.log"
    lines = log.read_text().splitlines() if log.exists() else []
    saves = sum(1 for line in lines if re.search(r'"POST /attempts/\d+/save/ [^"]*" 200 ', line))
    return [line for line in lines if re.search(r'" 5\d\d ', line)], saves


def latency_rows(stats, seconds: float) -> list[dict]:
    entries = sorted(stats.entries.values(), key=lambda entry: entry.start_time)
    rows = []
    for entry in [*entries, stats.total]:
        rows.append({
            "request": entry.name if entry is not stats.total else "all requests",
            "method": entry.method or "", "requests": entry.num_requests,
            "failures": entry.num_failures, "per_second": entry.num_requests / seconds,
            **{f"p{round(p * 100)}_ms": entry.get_response_time_percentile(p)
               for p in PERCENTILES},
            "max_ms": round(entry.max_response_time or 0),
        })
    return rows


def print_latency(rows: list[dict]) -> None:
    width = max(len(row["request"]) for row in rows) + 2
    header = (f"{'request':<{width}}{'count':>7}{'fail':>6}{'req/s':>8}{'p50':>7}{'p90':>7}"
              f"{'p95':>7}{'p99':>7}{'max':>7}   (ms)")
    print(f"\n{header}\n{'-' * len(header)}")
    for row in rows:
        print(f"{row['request']:<{width}}{row['requests']:>7}{row['failures']:>6}"
              f"{row['per_second']:>8.1f}{row['p50_ms']:>7.0f}{row['p90_ms']:>7.0f}"
              f"{row['p95_ms']:>7.0f}{row['p99_ms']:>7.0f}{row['max_ms']:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=0,
                        help="learners started per second (default: all within 20 s)")
    parser.add_argument("--profile", choices=("db", "redis"), default="db")
    parser.add_argument("--gunicorn-workers", default="",
                        help="GUNICORN_WORKERS (default: gunicorn.conf.py's 2 x CPUs + 1)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds allowed for the journeys")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    database_server = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_SERVER)
    if not postgres_reachable(database_server):
        if "LOAD_DATABASE_URL" in os.environ:
            raise SystemExit(f"PostgreSQL does not answer at {database_server}")
        print(f"SKIP: the load scenario needs PostgreSQL; none answers at {database_server} "
              f"(set LOAD_DATABASE_URL)")
        return 0
    with load_stack(
        profile=args.profile, learners=args.users, keep=args.keep,
        database_server=database_server,
        redis_server=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/0"),
        gunicorn_workers=args.gunicorn_workers,
    ) as stack:
        print(f"{args.users} learners, profile {args.profile}, gunicorn on port {stack.port}")
        stats, outcome, seconds = run_learners(
            stack, users=args.users, spawn_rate=args.spawn_rate or max(1, args.users / 20),
            timeout=args.timeout)
        stored = drain(stack, timeout=600)
        errors_5xx, saves = access_log(stack)
    run = Run(users=args.users, profile=args.profile, stats=stats, outcome=outcome,
              seconds=seconds, stored=stored, errors_5xx=errors_5xx, saves_answered=saves)
    return report(run, stack.plan)


@dataclass(frozen=True)
class Run:
    """Everything one run measured, before judging it."""

    users: int
    profile: str
    stats: object  # locust's RequestStats
    outcome: Outcome
    seconds: float
    stored: dict  # _load_stored.py's JSON, with drain_seconds
    errors_5xx: list[str]
    saves_answered: int


def print_summary(run: Run) -> None:
    stored, outcome = run.stored, run.outcome
    print(f"\nJourneys: {outcome.finished} of {run.users} finished in {run.seconds:.1f} s, "
          f"{run.stats.total.num_requests / run.seconds:.1f} requests/s.")
    print(f"Autosaves dropped on purpose: {outcome.dropped}; autosaves answered 200 in the "
          f"access log: {run.saves_answered} ({outcome.dropped * 3} if every dropped one "
          f"reached the server).")
    print(f"Background tasks drained {stored['drain_seconds']} s after the journeys "
          f"(pending {stored['pending_tasks']}, failed {stored['failed_tasks']}).")


def print_errors(run: Run) -> None:
    problems = [*run.outcome.aborted[:10], *run.errors_5xx[:10]]
    problems += [f"{error.name}: {error.occurrences} x {error.error}"
                 for error in run.stats.errors.values()][:10]
    for problem in problems:
        print(f"  error: {problem}")


def report(run: Run, plan: dict) -> int:
    """Print the figures and the reconciliation, write the JSON; 0 if everything held."""
    found = {(kind, learner, item): count for kind, learner, item, count in run.stored["rows"]}
    reconciliation = reconcile(expected=expected_rows(plan), stored=found, kinds=KINDS)
    rows = latency_rows(run.stats, run.seconds)
    failures = run.stats.total.num_failures
    print_summary(run)
    print_latency(rows)
    print(f"\nReconciliation (expected vs stored)\n{table(reconciliation)}")
    print_errors(run)
    holds = (reconciliation.holds and failures == 0 and not run.outcome.aborted
             and not run.errors_5xx and run.stored["pending_tasks"] == 0
             and run.stored["failed_tasks"] == 0)
    print(f"\n{'PASS' if holds else 'FAIL'}: reconciliation "
          f"{'holds' if reconciliation.holds else 'fails'}, {failures} failed requests, "
          f"{len(run.errors_5xx)} server errors, {len(run.outcome.aborted)} journeys aborted")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("load_scenario.json" if run.profile == "db"
                     else f"load_scenario-{run.profile}.json")
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": git_commit(),
        "users": run.users, "profile": run.profile, "seconds": round(run.seconds, 1),
        "finished": run.outcome.finished, "aborted": run.outcome.aborted,
        "dropped": run.outcome.dropped, "autosaves_answered": run.saves_answered,
        "server_errors": run.errors_5xx,
        "tasks": {key: run.stored[key] for key in ("pending_tasks", "failed_tasks",
                                                   "drain_seconds")},
        "latency": rows, "reconciliation": as_json(reconciliation), "passed": holds,
    }, indent=2) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())
