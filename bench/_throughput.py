"""The shared shape of the throughput benches: a production-like Allele on a scratch
database (see _server.py), a setup module run inside `manage.py shell`, a few URLs
requested beside the bare Django view, and one table. Not a benchmark itself."""

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from _load import Throughput
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

CEILING = "bare Django view (ceiling)"


@contextmanager
def production_server(*, setup_module: str, keep: bool) -> Iterator[tuple[int, dict]]:
    """Serve Allele (gunicorn, two workers, DEBUG off, ROOT_URLCONF=_urls for the bare view)
    after running ``setup_module``; yield the port and the JSON its last line printed."""
    scratch = Path(tempfile.mkdtemp(prefix="allele-bench-"))
    env = production_env(scratch)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "bench"),
                                                     env.get("PYTHONPATH", "")]))
    env["ROOT_URLCONF"] = "_urls"
    server = None
    try:
        prepare(env)
        output = manage(env, "shell", "--no-imports", "-c", f"import {setup_module}")
        info = json.loads(output.strip().splitlines()[-1])
        server = start_gunicorn(env, (port := free_port()), scratch / "gunicorn.log")
        yield port, info
    finally:
        if server is not None:
            stop(server)
        if keep:
            print(f"(scratch directory kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def report(*, name: str, heading: str, figures: dict[str, Throughput], footnote: str,
           judge: Callable[[str, float, Throughput], str] = lambda *_: "",
           extra: dict | None = None) -> bool:
    """Print the table (share of the ceiling, latency, errors, and ``judge``'s verdict per
    row), write bench/results/<name>.json, and return True if any row failed or erred."""
    ceiling = figures[CEILING].per_second
    width = max(len(request) for request in figures) + 2
    header = (f"{'request':<{width}} {'req/s':>8} {'of ceiling':>11} {'median ms':>10} "
              f"{'p99 ms':>8} {'errors':>7}  result")
    print(f"\n{heading}\n\n{header}\n{'-' * len(header)}")
    rows, failed = [], False
    for request, figure in figures.items():
        share = figure.per_second / ceiling if ceiling else 0
        verdict = judge(request, share, figure)
        failed |= verdict == "FAIL" or figure.errors > 0
        print(f"{request:<{width}} {figure.per_second:>8.0f} {share:>10.0%} "
              f"{figure.median_ms:>10.1f} {figure.p99_ms:>8.1f} {figure.errors:>7}  {verdict}")
        rows.append({"request": request, **asdict(figure), "per_second": figure.per_second,
                     "share_of_ceiling": share, "result": verdict})
    print(f"\n  {footnote}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(), **(extra or {}), "rows": rows,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return failed
