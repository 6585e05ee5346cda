"""Every shared bad CSV file through the real import: the right rows reported and nothing
written; the two that are valid once a profession and country are chosen import exactly."""

import pytest
from django.core import mail

from cohorts import api
from lms.core.models import LearnerProfile, User
from tests.badinput import DATA
from tests.cohorts.helpers import import_file, make_cohort, make_manager

pytestmark = pytest.mark.django_db
FILES = sorted(path.name for path in (DATA / "bad_csv").glob("*.csv"))
DEFAULTS = {"default_profession": "nurse", "default_country": "KE"}
EXPECTED_ROWS = {  # with a profession and a country chosen for the whole file
    "01_latin1.csv": [0],  # the file itself: not UTF-8, line 2
    "04_missing_columns.csv": [0, 3, 4, 5],
    "05_duplicate_emails.csv": [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 17, 18],
    "06_large_10k.csv": [2500, 5000, 9999],
}


@pytest.fixture
def cohort_and_manager(course_tree):
    manager = make_manager()
    return make_cohort(managers=[manager], courses=[course_tree.course]), manager


def assert_nothing_written(cohort, users_before):
    assert User.objects.count() == users_before
    assert not cohort.memberships.exists() and not api.Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", FILES)
def test_without_profession_and_country_every_file_is_refused(cohort_and_manager, name):
    cohort, manager = cohort_and_manager
    users = User.objects.count()
    done = import_file(cohort=cohort, by=manager, content=(DATA / "bad_csv" / name).read_bytes())
    assert done.status == "invalid"
    if name == "01_latin1.csv":
        assert "not UTF-8" in done.errors[0]["message"]
    else:
        header = {error["column"] for error in done.errors if error["row"] == 0}
        assert {"profession", "country"} <= header
    assert_nothing_written(cohort, users)


@pytest.mark.parametrize("name", sorted(EXPECTED_ROWS))
def test_with_defaults_the_bad_rows_are_reported_and_nothing_imported(cohort_and_manager, name):
    cohort, manager = cohort_and_manager
    users = User.objects.count()
    done = import_file(cohort=cohort, by=manager,
                       content=(DATA / "bad_csv" / name).read_bytes(), **DEFAULTS)
    assert done.status == "invalid"
    assert sorted({error["row"] for error in done.errors}) == EXPECTED_ROWS[name]
    assert_nothing_written(cohort, users)


def test_utf16_file_imports_with_every_script_intact(cohort_and_manager):
    cohort, manager = cohort_and_manager
    done = import_file(cohort=cohort, by=manager,
                       content=(DATA / "bad_csv" / "02_utf16le_bom.csv").read_bytes(), **DEFAULTS)
    assert (done.status, done.created_users) == ("done", 4)
    names = set(LearnerProfile.objects.filter(user__cohort_memberships__cohort=cohort)
                .values_list("full_name", flat=True))
    assert names == {"فاطمة عبد الرحمن", "श्रीनिवास अय्यंगार", "ትዕግሥት ኃይለ ማርያም", "秀英 王"}


def test_formula_file_imports_verbatim_and_grants_no_role(cohort_and_manager):
    cohort, manager = cohort_and_manager
    done = import_file(cohort=cohort, by=manager,
                       content=(DATA / "bad_csv" / "07_formula_cells.csv").read_bytes(), **DEFAULTS)
    assert (done.status, done.created_users) == ("done", 8)
    assert LearnerProfile.objects.get(user__email="ok.one@example.org").full_name == "=1+1 Plus"
    assert User.objects.filter(email="=1+1@example.org").exists()
    assert not User.objects.filter(groups__isnull=False).exclude(pk=manager.pk).exists()
