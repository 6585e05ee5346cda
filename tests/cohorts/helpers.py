"""Builders for the cohorts tests: cohorts, managers and CSV files in any encoding."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from cohorts import api
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories

HEADER = "email,full_name,profession,country,institution"


def make_manager(email: str = "manager@example.org"):
    manager = factories.make_user(email=email)
    core_api.assign_role(user=manager, role=Role.COHORT_MANAGER)
    return manager


def make_site_admin(email: str = "siteadmin@example.org"):
    admin = factories.make_user(email=email)
    core_api.assign_role(user=admin, role=Role.SITE_ADMINISTRATOR)
    return admin


def make_cohort(*, name: str = "Kisumu nurses 2026", managers=(), courses=(), **fields):
    cohort = api.Cohort.objects.create(name=name, organisation=fields.pop("organisation",
                                                                          "Kisumu County"),
                                       country=fields.pop("country", "KE"), **fields)
    cohort.managers.set(managers)
    cohort.courses.set(courses)
    return cohort


def csv_bytes(rows: list[str], *, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def upload(content: bytes, name: str = "learners.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def import_file(*, cohort, by, content: bytes, key: str = "", **options) -> api.CohortImport:
    """Upload ``content`` and run its import (the test task backend runs it at once)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = api.start_import(cohort=cohort, uploaded_by=by, upload=upload(content),
                                   idempotency_key=key or uuid.uuid4().hex, **options)
    started.refresh_from_db()
    return started
