"""A cohort manager enrolls her nurses from a spreadsheet, watches the import finish, opens
the cohort dashboard, exports it as XLSX (built in the background, offered on the export's
status page) and downloads the file, where a name that looks like a formula is plain
text."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from cohorts.models import Cohort
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.e2e import journeys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         serialized_rollback=True)]

MANAGER = "wambui.manager@example.org"
CSV = (
    b"email,full_name,profession,country,institution\r\n"
    b"achieng.otieno@example.org,Achieng Otieno,nurse,KE,Kenyatta National Hospital\r\n"
    b"fatuma.ali@example.org,=HYPERLINK(\"https://attacker.example\"),nurse,KE,\r\n"
    b"grace.mensah@example.org,Grace Mensah,pharmacist,UG,Mulago Hospital\r\n"
)


@pytest.fixture
def cohort():
    manager = factories.make_user(email=MANAGER)
    core_api.save_profile(user=manager, full_name="Wambui Njeri", profession="nurse",
                          country="KE")
    core_api.assign_role(user=manager, role=Role.COHORT_MANAGER)
    course = factories.make_course_tree(modules=2, title="Pharmacogenomics for nurses",
                                        slug="pgx-nurses").course
    cohort = Cohort.objects.create(name="Nairobi oncology nurses", organisation="MoH Kenya",
                                   country="KE")
    cohort.managers.add(manager)
    cohort.courses.add(course)
    return cohort


def test_manager_imports_watches_opens_dashboard_and_downloads_xlsx(page, cohort, tmp_path):
    journeys.sign_in(page, MANAGER)
    page.goto(f"/admin/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Enroll from a CSV file").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "nurses.csv", "mimeType": "text/csv", "buffer": CSV})
    page.get_by_role("button", name="Upload and check").click()

    # The import page: its progress bar fills and the status reads "Imported".
    box = page.locator("#cohort-import")
    expect(box.locator("[data-import-label]")).to_have_text("Imported")
    bar = box.locator("progress")
    expect(bar).to_have_attribute("value", "100")
    expect(box).to_contain_text("3 rows imported")

    page.get_by_role("link", name=f"Back to {cohort.name}").click()
    page.locator("a.button", has_text="Dashboard").click()
    figures = page.locator(".cohort-figures")
    expect(figures.locator("div", has_text="Members")).to_contain_text("3")
    expect(figures.locator("div", has_text="Enrolled")).to_contain_text("3")
    expect(page.get_by_role("link", name="Pharmacogenomics for nurses")).to_be_visible()
    expect(page.get_by_role("link", name="Achieng Otieno")).to_be_visible()

    # Export XLSX queues the export and lands on its status page, which offers the file.
    page.get_by_role("button", name="Export XLSX").click()
    expect(page).to_have_url(re.compile(rf"/admin/cohorts/{cohort.pk}/exports/\d+/$"))
    status = page.locator("#cohort-export")
    expect(status).to_contain_text("Ready")
    expect(status).to_contain_text("3 rows")
    expect(status.locator("progress")).to_have_attribute("value", "100")
    with page.expect_download() as info:
        status.get_by_role("link", name="Download XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(io.BytesIO(saved.read_bytes())).active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    achieng = rows["achieng.otieno@example.org"]
    assert achieng[0].value == "Achieng Otieno"
    assert achieng[5].value == "Pharmacogenomics for nurses"
    assert achieng[7].value == "Not started"
    formula = rows["fatuma.ali@example.org"][0]
    assert formula.data_type == "s" and formula.value == "'=HYPERLINK(\"https://attacker.example\")"

    # Back on the dashboard, the export is listed among the recent ones.
    page.get_by_role("link", name="Back to the cohort dashboard").click()
    expect(page.locator(".cohort-export-list")).to_contain_text("Ready")
