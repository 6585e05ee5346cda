"""Page weight: compressed bytes on the wire for a learner's first and repeat visit.

Starts Allele as production runs it (gunicorn, DEBUG off, collected and compressed static
files) on a scratch SQLite database loaded with the demo catalog, opens the catalog and a
module page in headless Chromium, and sums what the network delivered for HTML, CSS, JS and
fonts. Images and media are excluded (reported, not budgeted). Exits 1 if a budget fails.

    python bench/page_weight.py [--keep]      (or: make bench)

Results: a table on stdout and bench/results/page_weight.json. See bench/README.md.
"""

import argparse
import json
import shutil
import sys
import tempfile
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from _server import (
    CHROMIUM,
    CHROMIUM_ARGS,
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

KB = 1000
BUDGETS = {"catalog": 30 * KB, "module": 30 * KB}  # first load, HTML+CSS+JS+fonts
# Chromium's resource types (CDP Network.ResourceType) that count against the budget.
COUNTED = {"Document": "html", "Stylesheet": "css", "Script": "js", "Font": "font"}
EXCLUDED = {"Image", "Media"}
FIND_MODULES = (
    "from courses.pages import ModulePage\n"
    "for module in ModulePage.objects.live().public().order_by('path'):\n"
    "    print(module.get_url())\n"
)


@dataclass
class Load:
    """What one navigation fetched over the network, by kind."""

    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    from_cache: int = 0
    excluded_bytes: int = 0

    @property
    def counted_bytes(self) -> int:
        return sum(self.bytes_by_kind.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(
            f"error: Chromium not found at {CHROMIUM} (apt-get install chromium)", file=sys.stderr
        )
        return 2

    scratch = Path(tempfile.mkdtemp(prefix="allele-bench-"))
    env = production_env(scratch)
    server = None
    try:
        prepare(env)
        port = free_port()
        server = start_gunicorn(env, port, scratch / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        module_url, module_note = heaviest_module(env, base)
        pages = [("catalog", "/", "catalog home"), ("module", module_url, module_note)]
        results = measure(base, pages)
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"(scratch directory kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    failed = report(results)
    return 1 if failed else 0


def heaviest_module(env: dict[str, str], base: str) -> tuple[str, str]:
    """The demo module whose compressed HTML is largest: the module budget's worst case."""
    output = manage(env, "shell", "--no-imports", "-c", FIND_MODULES)
    urls = [line for line in output.splitlines() if line.startswith("/")]
    if not urls:
        raise SystemExit("the demo catalog has no live module pages")
    sizes = {}
    for url in urls:
        request = urllib.request.Request(base + url, headers={"Accept-Encoding": "gzip, br"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            sizes[url] = len(reply.read())
    url = max(sizes, key=sizes.get)
    return url, f"heaviest HTML of {len(urls)} demo modules"


# --- Measuring in Chromium ---------------------------------------------------------------


def measure(base: str, pages: list[tuple[str, str, str]]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for name, path, note in pages:
            context = browser.new_context(base_url=base)  # empty cache
            page = context.new_page()
            first = load(context, page, path)
            page.goto("about:blank")
            repeat = load(context, page, path)  # same context: the browser cache is warm
            context.close()
            results.append(
                {
                    "page": name,
                    "path": path,
                    "note": note,
                    "budget": BUDGETS[name],
                    "first_load": {**asdict(first), "counted_bytes": first.counted_bytes},
                    "repeat_visit": {**asdict(repeat), "counted_bytes": repeat.counted_bytes},
                    "passed": first.counted_bytes <= BUDGETS[name],
                }
            )
        browser.close()
    return results


def load(context, page, path: str) -> Load:
    """Navigate and add up Network.loadingFinished's encodedDataLength per resource type."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    types: dict[str, str] = {}
    cached: set[str] = set()
    result = Load()

    def on_response(event):
        types[event["requestId"]] = event["type"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            cached.add(event["requestId"])

    def on_memory_cache(event):
        result.requests += 1
        result.from_cache += 1

    def on_finished(event):
        kind = types.get(event["requestId"], "Other")
        size = int(event["encodedDataLength"])
        result.requests += 1
        if event["requestId"] in cached or size == 0:
            result.from_cache += 1
        if kind in COUNTED:
            label = COUNTED[kind]
            result.bytes_by_kind[label] = result.bytes_by_kind.get(label, 0) + size
        elif kind in EXCLUDED:
            result.excluded_bytes += size

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.requestServedFromMemoryCache", on_memory_cache)
    cdp.on("Network.loadingFinished", on_finished)
    response = page.goto(path, wait_until="networkidle")
    if response is None or not response.ok:
        raise SystemExit(f"{path} answered {response.status if response else 'nothing'}")
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    cdp.detach()
    for kind in COUNTED.values():
        result.bytes_by_kind.setdefault(kind, 0)
    return result


# --- Reporting ---------------------------------------------------------------------------


def report(results: list[dict]) -> bool:
    header = (
        f"{'page':<8} {'first load':>11} {'repeat':>9} {'budget':>9}  "
        f"{'result':<6}  breakdown (first load)"
    )
    print()
    print(header)
    print("-" * len(header))
    failed = False
    for row in results:
        first, repeat = row["first_load"], row["repeat_visit"]
        verdict = "PASS" if row["passed"] else "FAIL"
        failed |= not row["passed"]
        breakdown = ", ".join(f"{kind} {size:,}" for kind, size in first["bytes_by_kind"].items())
        print(
            f"{row['page']:<8} {first['counted_bytes']:>11,} {repeat['counted_bytes']:>9,} "
            f"{row['budget']:>9,}  {verdict:<6}  {breakdown}"
        )
    print()
    for row in results:
        print(
            f"  {row['page']}: {row['path']} ({row['note']}); images/media not counted: "
            f"{row['first_load']['excluded_bytes']:,} B first, "
            f"{row['repeat_visit']['excluded_bytes']:,} B repeat"
        )
    print(
        "  Bytes are compressed bytes on the wire (headers included) for HTML, CSS, JS and "
        "fonts; budgets apply to the first load with an empty cache."
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "page_weight.json"
    out.write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "commit": git_commit(),
                "unit": "bytes",
                "pages": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"  Written to {out.relative_to(ROOT)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
