"""Concurrent imports on PostgreSQL: the same package uploaded several times at once (a
double click, a retried job) makes one course, and one job runs once however often its
task is delivered."""

import pytest
from django.core.files.base import ContentFile

from assessments.models import Question, Quiz
from courses.pages import CoursePage
from packages import api
from packages.models import PackageJob, SiteIdentity
from tests import factories
from tests.concurrency import run_concurrently
from tests.packages import helpers
from tests.packages.conftest import _enrich, load_demo_course

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _foreign_package() -> bytes:
    """A package of the demo course, as if from another site: the course is gone here."""
    packaged = _enrich(load_demo_course())
    package = helpers.export_bytes(packaged.course)
    Quiz.objects.all().delete()
    Question.objects.all().delete()
    packaged.course.delete()
    SiteIdentity.objects.all().delete()
    return package


def test_four_concurrent_imports_of_one_package_make_one_course():
    package = _foreign_package()

    results = run_concurrently(4, lambda: helpers.import_bytes(package).course_id)

    assert len(set(results)) == 1
    assert CoursePage.objects.filter(slug="preventing-sjs-ten-with-hla-testing").count() == 1
    assert Quiz.objects.count() == 2 and Question.objects.count() == 8


def test_a_job_delivered_twice_at_once_runs_once():
    package = _foreign_package()
    user = factories.make_user(email="admin@example.org", is_superuser=True)

    job = PackageJob(kind=PackageJob.Kind.IMPORT, created_by=user,
                     domain_slug="pharmacogenomics")
    job.file.save("p.allele.zip", ContentFile(package))

    results = run_concurrently(3, lambda: getattr(api.run_job(job_id=job.pk), "status", None))

    assert sorted(results, key=str) == [None, None, PackageJob.Status.SUCCEEDED]
    assert CoursePage.objects.filter(slug="preventing-sjs-ten-with-hla-testing").count() == 1
