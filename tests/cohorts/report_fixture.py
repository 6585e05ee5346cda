"""A small cohort whose every report figure is worked out by hand (see test_reports.py).

Courses A (2 modules) and B (2 modules) are assigned; five members; T0 is Monday
2 March 2026, 09:00 UTC.

- Ana (KE nurse). A: enrolled T0, done T0+4d; pre-test 40 (retake 90); final 80, then
  90; certificate. B: enrolled T0+3d, done T0+5d; certificate (and a replaced one).
- Ben (KE pharmacist). A: enrolled T0, done T0+10d; pre 50; final 70; certificate.
  B: enrolled T0+3d, viewed a module.
- Chen (UG nurse). A: enrolled T0+1d, module 1 viewed; pre 100; final 60 (failed).
  B: enrolled T0+3d, not started.
- Dina (UG physician). A: enrolled T0+1d, not started.
- Eve (KE nurse). A: enrolled T0+2d, done T0+8d; her certificate revoked.

Outsiders who must never count: Omar (not a member) completed A; Ana's enrollment in
course C (not assigned to the cohort).
"""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.management import call_command

from assessments.models import Attempt
from certificates.models import Certificate
from cohorts.models import Cohort, CohortMembership
from courses.models import Enrollment, ModuleProgress
from lms.core import api as core_api
from tests import factories

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fill_summaries():
    """The rows here are written directly, not through the write paths that keep each
    enrollment's summary (started, scores): refill it as an operator would after a direct
    write, with ``manage.py refill_enrollment_summaries``."""
    call_command("refill_enrollment_summaries", stdout=io.StringIO())


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


@dataclass
class ReportFixture:
    cohort: Cohort
    course_a: object
    course_b: object
    modules_a: list
    modules_b: list
    learners: dict
    manager: object
    outsider: object


def _learner(email, name, country, profession):
    user = factories.make_user(email=email)
    core_api.save_profile(user=user, full_name=name, profession=profession, country=country)
    return user


def _enroll(user, course, enrolled, completed=None):
    return Enrollment.objects.create(user=user, course=course, enrolled_at=day(enrolled),
                                     completed_at=day(completed) if completed else None,
                                     source=Enrollment.Source.COHORT)


def _progress(user, course, modules, *, completed_at=None, viewed=0):
    for module in modules:
        ModuleProgress.objects.create(
            user=user, module=module, course=course, first_viewed_at=day(viewed),
            last_viewed_at=day(viewed), completed_at=day(completed_at) if completed_at else None)


def _attempt(user, quiz, number, score, at, passed=True):
    return Attempt.objects.create(
        user=user, quiz=quiz, number=number, state=Attempt.State.SUBMITTED,
        started_at=day(at) - timedelta(minutes=10), submitted_at=day(at), questions=[],
        is_pretest=quiz.is_pretest, pass_mark=70, score_percent=Decimal(score), passed=passed)


def _certificate(user, course, *, revoked=False, superseded=False):
    return Certificate.objects.create(
        user=user, learner_name=user.learner_profile.full_name, course=course,
        course_title=course.title, tier=Certificate.Tier.PARTICIPATION, completed_at=T0,
        issued_at=T0, issuer_name="Allele", revoked_at=T0 if revoked else None,
        superseded_at=T0 if superseded else None)


def build() -> ReportFixture:
    tree_a = factories.make_course_tree(modules=2, title="Course A", slug="course-a")
    tree_b = factories.make_course_tree(modules=2, title="Course B", slug="course-b")
    tree_c = factories.make_course_tree(modules=1, title="Course C", slug="course-c")
    a, b, ma, mb = tree_a.course, tree_b.course, tree_a.modules, tree_b.modules
    people = {
        "ana": _learner("ana@example.org", "Ana", "KE", "nurse"),
        "ben": _learner("ben@example.org", "Ben", "KE", "pharmacist"),
        "chen": _learner("chen@example.org", "Chen", "UG", "nurse"),
        "dina": _learner("dina@example.org", "Dina", "UG", "physician"),
        "eve": _learner("eve@example.org", "Eve", "KE", "nurse"),
    }
    outsider = _learner("omar@example.org", "Omar", "KE", "nurse")
    manager = factories.make_user(email="manager@example.org")
    cohort = Cohort.objects.create(name="Nairobi nurses", organisation="MoH", country="KE")
    cohort.courses.set([a, b])
    cohort.managers.add(manager)
    for person in people.values():
        CohortMembership.objects.create(cohort=cohort, user=person)
    _course_a(people, a, ma)
    _course_b(people, b, mb)
    _enroll(outsider, a, 0, 1)
    _progress(outsider, a, ma, completed_at=1)
    _certificate(outsider, a)
    _enroll(people["ana"], tree_c.course, 0, 1)
    fill_summaries()
    return ReportFixture(cohort=cohort, course_a=a, course_b=b, modules_a=ma, modules_b=mb,
                         learners=people, manager=manager, outsider=outsider)


def _course_a(people, a, modules):
    pre = factories.make_quiz(course=a, title="A pre-test", is_pretest=True)
    final = factories.make_quiz(course=a, title="A final", is_final_assessment=True)
    ana, ben, chen, dina, eve = (people[k] for k in ("ana", "ben", "chen", "dina", "eve"))
    _enroll(ana, a, 0, 4)
    _progress(ana, a, modules, completed_at=3, viewed=1)
    _attempt(ana, pre, 1, 40, 0.1)
    _attempt(ana, pre, 2, 90, 3.5)  # a retake: not her first pre-test
    _attempt(ana, final, 1, 80, 3.8)
    _attempt(ana, final, 2, 90, 4)  # her best, not her first
    _certificate(ana, a)
    _enroll(ben, a, 0, 10)
    _progress(ben, a, modules, completed_at=9, viewed=2)
    _attempt(ben, pre, 1, 50, 0.5)
    _attempt(ben, final, 1, 70, 10)
    _certificate(ben, a)
    _enroll(chen, a, 1)
    _progress(chen, a, modules[:1], viewed=2)
    _attempt(chen, pre, 1, 100, 1.5)
    _attempt(chen, final, 1, 60, 5, passed=False)
    _enroll(dina, a, 1)
    _enroll(eve, a, 2, 8)
    _progress(eve, a, modules, completed_at=7.5, viewed=3)
    _certificate(eve, a, revoked=True)


def _course_b(people, b, modules):
    _enroll(people["ana"], b, 3, 5)
    _progress(people["ana"], b, modules, completed_at=4.5, viewed=3.5)
    _certificate(people["ana"], b, superseded=True)
    _certificate(people["ana"], b)
    _enroll(people["ben"], b, 3)
    _progress(people["ben"], b, modules[:1], viewed=4)
    _enroll(people["chen"], b, 3)
