"""Cohort exports: every row and figure, the filters, and spreadsheet formula injection
neutralised in CSV and XLSX (names a learner controls). Each file is made the way a
manager makes it: the Export button (a POST) queues the background task, its status page
links to the download, and the downloaded file is opened and read."""

import csv
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from cohorts import exports, reports
from cohorts.models import CohortExport
from cohorts.reports import ReportFilters
from lms.core import api as core_api
from lms.core.models import LearnerProfile
from lms.core.roles import Role
from tests.badinput import corpus
from tests.cohorts import report_fixture

pytestmark = pytest.mark.django_db

HOSTILE = [
    "=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "=HYPERLINK(\"https://attacker.example\","
    "\"click\")", "=DDE(\"cmd\";\"/C calc\";\"!A0\")", "+cmd|' /C notepad'!A0",
]


@pytest.fixture
def fx():
    built = report_fixture.build()
    core_api.assign_role(user=built.manager, role=Role.COHORT_MANAGER)
    return built


def export_through_the_task(client, fx, fmt, capture, **params):
    """Press Export (the filters ride in the query string), run the queued task, follow
    the status page's Download link; the file's bytes."""
    client.force_login(fx.manager)
    url = reverse(f"cohorts:export_{fmt}", args=[fx.cohort.pk]) + "?" + urlencode(params)
    with capture(execute=True) as queued:
        response = client.post(url)
    assert response.status_code == 302 and len(queued) == 1
    status = client.get(response["Location"])
    download_url = reverse("cohorts:export_download",
                           args=[fx.cohort.pk, CohortExport.objects.get().pk])
    assert download_url in status.content.decode()
    response = client.get(download_url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert f'filename="cohort-{fx.cohort.pk}-' in response["Content-Disposition"]
    CohortExport.objects.all().delete()  # the next export in the same test starts afresh
    return content


@pytest.fixture
def download(django_capture_on_commit_callbacks):
    def run(client, fx, fmt, **params):
        return export_through_the_task(client, fx, fmt, django_capture_on_commit_callbacks,
                                       **params)
    return run


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows())


def test_csv_has_one_row_per_enrollment_with_its_figures(client, fx, download):
    rows = csv_rows(download(client, fx, "csv"))
    assert rows[0][:3] == ["Learner", "E-mail", "Profession"]
    assert len(rows) == 1 + 8  # five members, eight enrollments in the cohort's courses
    ana_a = dict(zip(rows[0], rows[1], strict=True))
    assert ana_a["Learner"] == "Ana" and ana_a["Course"] == "Course A"
    assert ana_a["Country"] == "Kenya" and ana_a["Profession"] == "Nurse"
    assert ana_a["Status"] == "Completed" and ana_a["Days to complete"] == "4.0"
    assert ana_a["Modules completed"] == "2" and ana_a["Modules"] == "2"
    assert ana_a["Best final assessment (%)"] == "90.0"
    assert ana_a["Pre-test, first attempt (%)"] == "40.0"
    assert ana_a["Final assessment, first attempt (%)"] == "80.0"
    assert ana_a["Certificate"] == "participation"
    assert ana_a["Enrolled at"] == "2026-03-02T09:00:00+00:00"
    statuses = {(r[0], r[5]): r[7] for r in rows[1:]}
    assert statuses[("Dina", "Course A")] == "Not started"
    assert statuses[("Chen", "Course A")] == "In progress"
    assert "Omar" not in {r[0] for r in rows}


def test_filters_and_a_single_course_apply_to_the_export(client, fx, download):
    rows = csv_rows(download(client, fx, "csv", country="UG"))
    assert {r[0] for r in rows[1:]} == {"Chen", "Dina"}
    rows = csv_rows(download(client, fx, "csv", course=fx.course_b.pk))
    assert [r[0] for r in rows[1:]] == ["Ana", "Ben", "Chen"]
    data = list(exports.rows(cohort=fx.cohort, courses=reports.cohort_courses(cohort=fx.cohort),
                             filters=ReportFilters(dates_of="completed")))
    assert len(data) == 4


def _hostile_names(fx):
    people = list(fx.learners.values())
    for user, name in zip(people, HOSTILE, strict=False):
        LearnerProfile.objects.filter(user=user).update(full_name=name,
                                                        institution="=cmd|' /C calc'!A0")
    return HOSTILE[:len(people)]


def test_formula_cells_are_neutralised_in_csv(client, fx, download):
    names = _hostile_names(fx)
    rows = csv_rows(download(client, fx, "csv"))
    exported = {row[0] for row in rows[1:]}
    assert exported == {"'" + name for name in names}
    assert {row[4] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}


def test_formula_cells_are_text_in_xlsx(client, fx, download):
    names = _hostile_names(fx)
    rows = xlsx_rows(download(client, fx, "xlsx"))
    name_cells = [row[0] for row in rows[1:]]
    assert {cell.value for cell in name_cells} == {"'" + name for name in names}
    assert all(cell.data_type == "s" for cell in name_cells)
    assert all(row[4].data_type == "s" and row[4].value.startswith("'") for row in rows[1:])
    numbers = [row[8] for row in rows[1:]]  # modules completed stay numbers
    assert all(cell.data_type == "n" for cell in numbers)
    assert rows[1][6].is_date  # enrolled at is a real date cell


def test_every_csv_injection_corpus_cell_is_neutralised(fx):
    ana = fx.learners["ana"]
    courses = [fx.course_a]
    for payload in corpus("csv_injection.txt"):
        if "\x00" in payload and connection.vendor == "postgresql":
            continue  # PostgreSQL text cannot hold NUL, so no such name can be exported
        LearnerProfile.objects.filter(user=ana).update(full_name=payload)
        row = next(r for r in exports.rows(cohort=fx.cohort, courses=courses)
                   if r[1] == "ana@example.org")
        stripped = payload.lstrip(" ")
        risky = stripped[:1] in "=+-@\t\r\n\x00" and stripped != ""
        assert row[0] == ("'" + payload if risky else row[0]), payload
        if not risky:
            assert row[0] in (payload, "'" + payload)  # full-width look-alikes get a quote too
