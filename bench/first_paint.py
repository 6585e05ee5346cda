"""First contentful paint of a module page on an emulated 2G connection and a slow phone.

Starts Allele as production runs it (see page_weight.py), picks the demo module whose
compressed HTML is largest, and opens it in headless Chromium with the network throttled
through the DevTools protocol (300 ms latency, 250 kbit/s down, 50 kbit/s up) and the CPU
slowed four times, as a visitor and as a learner enrolled in its course: a first load
(empty cache) and a repeat visit, five runs each. FCP is read from the page itself
(``performance.getEntriesByType('paint')``). Exits 1 if the median first load of either
view paints later than 3 seconds.

    python bench/first_paint.py [--runs 5] [--keep]      (or: make bench)

Results: a table on stdout and bench/results/first_paint.json. See bench/README.md.
"""

import argparse
import json
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

from _pages import add_scratch_arguments, demo_site, sign_in
from _server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    RESULTS,
    ROOT,
    git_commit,
)

TARGET_MS = 3000  # median first load
NETWORK_2G = {
    "offline": False,
    "latency": 300,  # ms added to every request
    "downloadThroughput": 250_000 // 8,  # bytes per second: 250 kbit/s
    "uploadThroughput": 50_000 // 8,  # 50 kbit/s
}
CPU_SLOWDOWN = 4  # a low-end phone
FCP_SCRIPT = """() => new Promise(resolve => {
  const find = () => performance.getEntriesByType('paint')
    .find(entry => entry.name === 'first-contentful-paint');
  const seen = find();
  if (seen) { resolve(seen.startTime); return; }
  new PerformanceObserver(list => {
    const entry = list.getEntries().find(e => e.name === 'first-contentful-paint');
    if (entry) { resolve(entry.startTime); }
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => resolve(null), 20000);
})"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per view (default 5)")
    add_scratch_arguments(parser)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"error: Chromium not found at {CHROMIUM} (apt-get install chromium)",
              file=sys.stderr)
        return 2

    with demo_site(args) as (base, site):
        runs = measure(base, site, runs=args.runs)

    failed = report(site.module, runs)
    return 1 if failed else 0


def measure(base: str, site, *, runs: int) -> dict[str, dict[str, list[float]]]:
    """FCP in milliseconds per view, for the first load and the repeat of each run."""
    from playwright.sync_api import sync_playwright

    figures = {view: {"first": [], "repeat": []} for view in ("visitor", "learner")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for _ in range(runs):
            for view, times in figures.items():
                # Empty cache. Service workers are blocked: the throttling below applies to
                # the page's own requests, and a worker's fetches would bypass it.
                context = browser.new_context(base_url=base, service_workers="block")
                if view == "learner":
                    sign_in(context, base, site.session)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", NETWORK_2G)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
                times["first"].append(paint(page, site.module.path))
                page.goto("about:blank")
                times["repeat"].append(paint(page, site.module.path))
                context.close()
        browser.close()
    return figures


def paint(page, path: str) -> float:
    response = page.goto(path, wait_until="load", timeout=60_000)
    if response is None or response.status not in (200, 304):
        raise SystemExit(f"{path} answered {response.status if response else 'nothing'}")
    fcp = page.evaluate(FCP_SCRIPT)
    if fcp is None:
        raise SystemExit(f"{path}: no first-contentful-paint entry within 20 s")
    return float(fcp)


def report(module, figures: dict[str, dict[str, list[float]]]) -> bool:
    print(
        f"\nModule page {module.path} ({module.note}); 2G: "
        f"{NETWORK_2G['latency']} ms latency, {NETWORK_2G['downloadThroughput'] * 8 // 1000} "
        f"kbit/s down, {NETWORK_2G['uploadThroughput'] * 8 // 1000} kbit/s up; "
        f"CPU {CPU_SLOWDOWN}x slower\n"
    )
    header = (f"{'view':<8} {'load':<7} {'median ms':>10} {'min ms':>8} {'max ms':>8} "
              f"{'runs':>5}  result")
    print(header)
    print("-" * len(header))
    failed = False
    rows = []
    for view, loads in figures.items():
        for load, times in loads.items():
            median = statistics.median(times)
            verdict = ""
            if load == "first":
                verdict = "PASS" if median <= TARGET_MS else "FAIL"
                failed |= verdict == "FAIL"
            print(f"{view:<8} {load:<7} {median:>10.0f} {min(times):>8.0f} {max(times):>8.0f} "
                  f"{len(times):>5}  {verdict}")
            rows.append({"view": view, "load": load, "median_ms": median, "runs_ms": times,
                         "result": verdict})
    print(f"\n  Target: the median first load paints within {TARGET_MS:,} ms (the repeat visit "
          "is shown, not judged).")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "first_paint.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "page": module.path,
        "network": NETWORK_2G,
        "cpu_slowdown": CPU_SLOWDOWN,
        "target_ms": TARGET_MS,
        "rows": rows,
    }, indent=2) + "\n")
    print(f"  Written to {out.relative_to(ROOT)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
