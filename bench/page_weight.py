"""Page weight: compressed bytes on the wire for a first and a repeat visit, signed out
and signed in.

Starts Allele as production runs it (gunicorn, DEBUG off, collected and compressed static
files) on a scratch SQLite database loaded with the demo catalog, and opens the catalog,
the heaviest course page and the heaviest module page in headless Chromium, as a visitor
and as a learner enrolled in that course, twice each. It sums what the network delivered
for HTML, CSS, JS and fonts (images and media are reported apart) and checks that a
visitor's repeat visit revalidated the page (304), that a learner's page was sent again
(her pages are never stored: no-store) with everything else from the cache, and that no
web font is needed. Exits 1 if any
budget or check fails.

    python bench/page_weight.py [--keep]      (or: make bench)

Results: a table on stdout and bench/results/page_weight.json. See bench/README.md.
"""

import argparse
import json
import os
import re
import sys
import urllib.request
from dataclasses import asdict, dataclass, field
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

KB = 1000
FIRST_LOAD_BUDGET = 30 * KB  # HTML + CSS + JS + fonts, empty cache
REPEAT_BUDGET = 5 * KB  # the same page again, browser cache warm
# Chromium's resource types (CDP Network.ResourceType) that count against the budget.
COUNTED = {"Document": "html", "Stylesheet": "css", "Script": "js", "Font": "font"}
REPORTED_APART = {"Image": "images", "Media": "media"}
FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.IGNORECASE)
SWAP = re.compile(r"font-display\s*:\s*(swap|optional|fallback)", re.IGNORECASE)


@dataclass
class Load:
    """What one navigation fetched over the network, by kind."""

    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    apart: dict[str, int] = field(default_factory=dict)  # images and media, not budgeted
    requests: int = 0
    from_cache: int = 0
    document_status: int = 0
    document_validator: str = ""  # the page's ETag or Last-Modified
    encodings: dict[str, str] = field(default_factory=dict)  # url -> Content-Encoding
    stylesheets: list[str] = field(default_factory=list)

    @property
    def counted_bytes(self) -> int:
        return sum(self.bytes_by_kind.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scratch_arguments(parser)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(
            f"error: Chromium not found at {CHROMIUM} (apt-get install chromium)", file=sys.stderr
        )
        return 2

    with demo_site(args) as (base, site):
        results, service_worker = measure(base, site)
        fonts = font_faces(base, results)

    failed = report(results, fonts, service_worker)
    return 1 if failed else 0


# --- Measuring in Chromium ---------------------------------------------------------------


def measure(base: str, site) -> tuple[list[dict], dict]:
    """Each page twice in a fresh context, service worker blocked (see README), then the
    service worker's own first-visit downloads in one more context."""
    from playwright.sync_api import sync_playwright

    results = []
    # Lets Playwright see the requests a service worker makes (its install precache).
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for view in ("visitor", "learner"):
            for target in (site.catalog, site.course, site.module):
                # Empty cache; no service worker, so the HTTP cache alone is measured.
                context = browser.new_context(base_url=base, service_workers="block")
                if view == "learner":
                    sign_in(context, base, site.session)
                page = context.new_page()
                first = load(context, page, target.path)
                page.goto("about:blank")
                repeat = load(context, page, target.path)  # same context: cache is warm
                context.close()
                results.append(judge(view, target, first, repeat))
        service_worker = service_worker_install(browser, base, site.catalog.path)
        browser.close()
    return results, service_worker


def service_worker_install(browser, base: str, path: str) -> dict:
    """What the service worker downloads on a first visit beside the page (its install
    precache): requests Playwright attributes to a worker and that were not cache hits."""
    context = browser.new_context(base_url=base)
    seen: dict[str, int] = {}

    def on_finished(request):
        if request.service_worker is None:
            return
        sizes = request.sizes()
        if sizes["responseBodySize"] >= 0:
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            seen[request.url.removeprefix(base)] = size

    context.on("requestfinished", on_finished)
    page = context.new_page()
    page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(2000)  # the worker installs after the page has loaded
    registered = page.evaluate(
        "navigator.serviceWorker ? navigator.serviceWorker.getRegistrations()"
        ".then(r => r.length) : 0"
    )
    context.close()
    return {"registered": bool(registered), "bytes": sum(seen.values()), "requests": seen}


def judge(view: str, target, first: Load, repeat: Load) -> dict:
    problems = []
    if first.counted_bytes > FIRST_LOAD_BUDGET:
        problems.append(f"first load over {FIRST_LOAD_BUDGET:,} B")
    if view == "learner":
        # A signed-in learner's pages are personal and sent with Cache-Control: no-store
        # (lms/core/conditional.py): her browser keeps no copy, so the page comes again on
        # a repeat visit; its CSS, JS and fonts must still come from the cache.
        static_again = repeat.counted_bytes - repeat.bytes_by_kind.get("html", 0)
        if static_again > REPEAT_BUDGET:
            problems.append(f"repeat CSS/JS/fonts over {REPEAT_BUDGET:,} B")
        if repeat.document_status != 200:
            problems.append(f"repeat answered {repeat.document_status}, not a fresh 200")
    else:
        if repeat.counted_bytes > REPEAT_BUDGET:
            problems.append(f"repeat over {REPEAT_BUDGET:,} B")
        if not first.document_validator:
            problems.append("page has no ETag or Last-Modified")
        if repeat.document_status != 304:
            problems.append(f"repeat answered {repeat.document_status}, not 304")
    return {
        "view": view,
        "page": target.name,
        "path": target.path,
        "note": target.note,
        "budget_first_load": FIRST_LOAD_BUDGET,
        "budget_repeat": REPEAT_BUDGET,
        "first_load": {**asdict(first), "counted_bytes": first.counted_bytes},
        "repeat_visit": {**asdict(repeat), "counted_bytes": repeat.counted_bytes},
        "problems": problems,
        "passed": not problems,
    }


def load(context, page, path: str) -> Load:
    """Navigate and add up Network.loadingFinished's encodedDataLength per resource type."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    types: dict[str, str] = {}
    cached: set[str] = set()
    wire_status: dict[str, int] = {}  # what the server answered (304 on a revalidation)
    document: list[str] = []
    result = Load()

    def on_response(event):
        response = event["response"]
        types[event["requestId"]] = event["type"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            cached.add(event["requestId"])
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        if event["type"] == "Document" and not document:
            document.append(event["requestId"])
            result.document_status = int(response["status"])
            result.document_validator = headers.get("etag") or headers.get("last-modified", "")
        if event["type"] in COUNTED and event["requestId"] not in cached:
            result.encodings[response["url"]] = headers.get("content-encoding", "identity")
        if event["type"] == "Stylesheet":
            result.stylesheets.append(response["url"])

    def on_extra_info(event):
        wire_status[event["requestId"]] = int(event["statusCode"])

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
        elif kind in REPORTED_APART:
            label = REPORTED_APART[kind]
            result.apart[label] = result.apart.get(label, 0) + size

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.responseReceivedExtraInfo", on_extra_info)
    cdp.on("Network.requestServedFromMemoryCache", on_memory_cache)
    cdp.on("Network.loadingFinished", on_finished)
    response = page.goto(path, wait_until="networkidle")
    if response is None or response.status not in (200, 304):
        raise SystemExit(f"{path} answered {response.status if response else 'nothing'}")
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    cdp.detach()
    if document and document[0] in wire_status:
        result.document_status = wire_status[document[0]]
    for kind in COUNTED.values():
        result.bytes_by_kind.setdefault(kind, 0)
    for kind in REPORTED_APART.values():
        result.apart.setdefault(kind, 0)
    return result


def font_faces(base: str, results: list[dict]) -> dict:
    """Every @font-face in the stylesheets the pages loaded, and whether text waits for it
    (it must not: no font-display, or `block`, would hide text until the font arrives)."""
    sheets = sorted({url for row in results for url in row["first_load"]["stylesheets"]})
    faces = []
    for url in sheets:
        with urllib.request.urlopen(url, timeout=10) as reply:
            css = reply.read().decode("utf-8", "replace")
        for block in FONT_FACE.findall(css):
            faces.append({"stylesheet": url.removeprefix(base), "swaps": bool(SWAP.search(block))})
    return {"stylesheets": [url.removeprefix(base) for url in sheets], "font_faces": faces,
            "passed": all(face["swaps"] for face in faces)}


# --- Reporting ---------------------------------------------------------------------------


def report(results: list[dict], fonts: dict, service_worker: dict) -> bool:
    header = (
        f"{'view':<8} {'page':<7} {'first load':>11} {'repeat':>7} {'status':>6}  "
        f"{'result':<6}  breakdown (first load)"
    )
    print(f"\nBudgets: first load <= {FIRST_LOAD_BUDGET:,} B, repeat <= {REPEAT_BUDGET:,} B "
          "(HTML, CSS, JS and fonts; compressed, headers included)\n")
    print(header)
    print("-" * len(header))
    failed = not fonts["passed"]
    for row in results:
        first, repeat = row["first_load"], row["repeat_visit"]
        failed |= not row["passed"]
        breakdown = ", ".join(f"{kind} {size:,}" for kind, size in first["bytes_by_kind"].items())
        print(
            f"{row['view']:<8} {row['page']:<7} {first['counted_bytes']:>11,} "
            f"{repeat['counted_bytes']:>7,} {repeat['document_status']:>6}  "
            f"{'PASS' if row['passed'] else 'FAIL':<6}  {breakdown}"
        )
    print()
    for row in results:
        if row["problems"]:
            print(f"  FAIL {row['view']} {row['page']}: {'; '.join(row['problems'])}")
    for row in results:
        if row["view"] != "visitor":
            continue
        apart = row["first_load"]["apart"]
        print(
            f"  {row['page']}: {row['path']} ({row['note']}); not budgeted: images "
            f"{apart['images']:,} B, media {apart['media']:,} B on first load"
        )
    encodings = sorted({
        f"{url.rsplit('.', 1)[-1]}={encoding}"
        for row in results for url, encoding in row["first_load"]["encodings"].items()
        if "/static/" in url
    })
    print(f"  Static files came {', '.join(encodings) or '(none fetched)'}; "
          "`status` is the repeat visit's answer for the page (304 = revalidated; a "
          "learner's pages are no-store, so 200).")
    font_bytes = max(row["first_load"]["bytes_by_kind"]["font"] for row in results)
    print(
        f"  Fonts: {font_bytes:,} B downloaded at most; {len(fonts['font_faces'])} @font-face "
        f"in {', '.join(fonts['stylesheets']) or 'no stylesheet'}: "
        + ("no web font is needed to read a page."
           if fonts["passed"] else "FAIL: a web font without font-display: swap")
    )

    if service_worker["registered"]:
        print(
            f"  Service worker (blocked above): installs once per browser and fetched "
            f"{service_worker['bytes']:,} B beside the first page "
            f"({len(service_worker['requests'])} requests: its app shell); reported, "
            "not budgeted."
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
                "fonts": fonts,
                "service_worker": service_worker,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"  Written to {out.relative_to(ROOT)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
