"""Fixtures for certificates: a learner who completes a course (so the course_completed
signal issues her certificate, immediately under the test tasks backend)."""

import os
from pathlib import Path

import pytest

from courses import api as courses_api
from tests import factories

# The fonts the certificate stylesheet names, from Debian's fonts-noto-core and
# fonts-wqy-microhei (see README, "Certificate PDFs").
PDF_FONTS = [
    Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
]


def pdf_stack_problem() -> str | None:
    """Why certificate PDFs cannot be rendered on this machine, or None."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as error:
        return f"WeasyPrint cannot load Pango/HarfBuzz ({error})"
    missing = [str(font) for font in PDF_FONTS if not font.exists()]
    if missing:
        return f"fonts missing: {', '.join(missing)}"
    return None


PDF_PROBLEM = pdf_stack_problem()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
if PDF_PROBLEM and not IN_CI:
    # As with the browser tests: skipped on a bare machine, required in CI.
    collect_ignore = ["test_pdf.py"]


def pytest_runtest_setup(item):
    if item.get_closest_marker("pdf") and PDF_PROBLEM:
        reason = (f"certificate PDFs: {PDF_PROBLEM}; apt-get install libpango-1.0-0 "
                  "libpangoft2-1.0-0 fonts-noto-core fonts-wqy-microhei")
        if IN_CI:
            pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
        pytest.skip(reason)


def complete_course(user, tree) -> None:
    courses_api.enroll(user=user, course=tree.course)
    for module in tree.modules:
        courses_api.complete_module(user=user, module=module)


@pytest.fixture
def tree(db):
    return factories.make_course_tree(modules=2, title="Preventing SJS/TEN", cpd_credit_hours=2)


@pytest.fixture
def completed(learner, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, tree)
    return tree
