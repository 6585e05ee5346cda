"""Certificate PDFs rendered per second by one process (certificates.pdf).

Renders the same certificate (an Arabic name, an English page, a QR code) in a loop,
several repetitions; reports the median milliseconds per PDF and PDFs per second.

    python bench/certificate_pdfs.py [--count 20] [--repeat 5]      (or: make bench)

Results: a table on stdout and bench/results/certificate_pdfs.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from _server import RESULTS, ROOT, git_commit

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="PDFs per repetition")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from certificates.content import CertificateContent, Signatory
    from certificates.pdf import render_certificate_pdf

    content = CertificateContent(
        public_id="ALL-7Q2X-9KD4", learner_name="مُحَمَّد عَبْد الله",
        course_title="Pharmacogenomics in practice", tier="achievement",
        score=Decimal("87.5"), completed_on=date(2026, 3, 14),
        cpd_credit_hours=Decimal("2.5"), issuer_name="Allele Academy",
        accrediting_body="Royal College of Pathologists", wording="has completed the course",
        signatories=(Signatory(name="Dr. Ada Byron", title="Course director",
                               signature_path=None),),
        logo_path=None, verification_url="https://allele.example/verify/ALL-7Q2X-9KD4",
        language="en", expires_on=None)
    size = len(render_certificate_pdf(content))  # warm-up: fonts, stylesheet, templates
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for _ in range(args.count):
            render_certificate_pdf(content)
        timings.append((time.perf_counter() - start) * 1000 / args.count)
    median = statistics.median(timings)
    header = f"{'figure':<26} {'value':>10}"
    print(header)
    print("-" * len(header))
    print(f"{'ms per PDF (median)':<26} {median:>10.1f}")
    print(f"{'PDFs per second':<26} {1000 / median:>10.1f}")
    print(f"{'PDF size (bytes)':<26} {size:>10}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "certificate_pdfs.json"
    out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "count": args.count, "repeat": args.repeat,
        "ms_per_pdf_each_repeat": timings, "median_ms_per_pdf": median,
        "pdfs_per_second": 1000 / median, "pdf_bytes": size,
    }, indent=2) + "\n")
    print(f"\n  Written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
