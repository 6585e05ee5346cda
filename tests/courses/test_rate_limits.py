"""Rate limits on the educators' learner progress export and on handbook PDF requests
(lms/core/ratelimit.py): per user, or per address for visitors."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/learner-progress/"


def _educator(email: str):
    person = factories.make_user(email=email)
    core_api.assign_role(user=person, role=Role.EDUCATOR)
    return person


def test_learner_progress_exports_are_limited_per_user(client, settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "learner_export": "2/h"}
    grace, other = _educator("grace@example.org"), _educator("ola@example.org")
    factories.make_course_tree(modules=1, owner=grace)
    client.force_login(grace)
    with freeze_time() as clock:
        for fmt in ("csv", "xlsx"):
            assert client.get(REPORT, {"export": fmt}).status_code == 200
        refused = client.get(REPORT, {"export": "csv"})
        assert refused.status_code == 429 and int(refused["Retry-After"]) <= 3600
        assert not refused["Content-Type"].startswith("text/csv")
        assert client.get(REPORT).status_code == 200  # the report page is not counted
        client.force_login(other)
        assert client.get(REPORT, {"export": "csv"}).status_code == 200
        client.force_login(grace)
        clock.tick(3600)
        assert client.get(REPORT, {"export": "csv"}).status_code == 200


def test_handbook_pdf_requests_are_limited(client, monkeypatch, settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "handbook_pdf": "3/h"}
    queued = []

    class Queue:  # a task backend that never runs anything
        enqueue = staticmethod(lambda *args: queued.append(args))

    monkeypatch.setattr("courses.tasks.build_handbook_pdf_task", Queue)
    tree = factories.make_course_tree(modules=1)
    url = reverse("course_handbook_pdf", args=[tree.course.pk])
    with freeze_time() as clock:
        assert [client.get(url).status_code for _ in range(3)] == [202, 202, 202]
        refused = client.get(url)
        assert refused.status_code == 429 and refused["Retry-After"]
        assert client.get(url, REMOTE_ADDR="198.51.100.4").status_code == 202
        client.force_login(factories.make_user(email="reader@example.org"))
        assert client.get(url).status_code == 202  # signed in: her own count
        assert queued == [(tree.course.pk,)]
        clock.tick(3600)
        client.logout()
        assert client.get(url).status_code == 202


def test_the_default_lets_the_waiting_page_reload_for_a_quarter_hour(client, monkeypatch):
    """handbook_pending.html reloads every 5 s while the PDF is built."""
    monkeypatch.setattr("courses.tasks.build_handbook_pdf_task",
                        type("Queue", (), {"enqueue": staticmethod(lambda *args: None)}))
    tree = factories.make_course_tree(modules=1)
    url = reverse("course_handbook_pdf", args=[tree.course.pk])
    with freeze_time():
        assert {client.get(url).status_code for _ in range(15 * 12)} == {202}
