"""Hostile names and institutions from the shared corpora are stored as written and never
become markup on the cohort pages."""

import csv
import io
import re

import pytest
from django.utils.html import escape

from cohorts import views
from tests.badinput import corpus, unsafe_constructs
from tests.cohorts.helpers import import_file, make_cohort, make_manager

pytestmark = pytest.mark.django_db


def hostile_file(payloads: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "full_name", "profession", "country", "institution"])
    for number, payload in enumerate(payloads):
        writer.writerow([f"x{number}@example.org", payload, "nurse", "KE", payload])
    return out.getvalue().encode()


def test_xss_payloads_are_escaped_on_the_cohort_page(client, monkeypatch):
    monkeypatch.setattr(views, "MEMBERS_PER_PAGE", 1000)
    payloads = [p.strip() for p in corpus("xss.txt")
                if p.strip() and not re.search(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e"
                                               r"\u2066-\u2069]", p) and len(p.strip()) <= 200]
    assert len(payloads) > 100
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    done = import_file(cohort=cohort, by=manager, content=hostile_file(payloads))
    assert done.status == "done", done.errors[:3]
    client.force_login(manager)
    page = client.get(f"/admin/cohorts/{cohort.pk}/").content.decode()
    members = page[page.index('id="members"'):page.index("CSV imports")]
    assert unsafe_constructs(members) == []
    for payload in payloads:
        assert escape(payload) in members, payload
    status = client.get(f"/admin/cohorts/{cohort.pk}/imports/{done.pk}/").content.decode()
    notes = status[status.index("cohort-import"):status.index("Back to")]
    assert unsafe_constructs(notes) == []


def test_formula_payloads_are_stored_verbatim():
    from lms.core.models import LearnerProfile

    payloads = [p.strip() for p in corpus("csv_injection.txt") if p.strip()
                and not re.search(r"[\x00-\x1f\x7f]", p.strip()) and len(p.strip()) <= 200]
    manager = make_manager()
    cohort = make_cohort(managers=[manager])
    done = import_file(cohort=cohort, by=manager, content=hostile_file(payloads))
    assert done.status == "done", done.errors[:3]
    stored = dict(LearnerProfile.objects.values_list("user__email", "full_name"))
    assert [stored[f"x{n}@example.org"] for n in range(len(payloads))] == payloads
