"""The people and records the authorisation matrix (test_authorisation_matrix.py) tries to
reach: built once per test module, inside a transaction rolled back at the end.

Learner A owns everything personal here (an enrollment, an attempt in progress with a
free-text answer, a submitted attempt, a certificate, a membership of cohort C). Course X
is owned (as Wagtail's page owner) by educator X, cohort C is managed by manager C. The
actors of the matrix are the others: learner B, the educator of another course (Y), the
manager of another cohort (D), and a site administrator.

Every piece of A's data carries a unique marker (``World.markers``); a response to someone
who may not see it must contain none of them.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page

from assessments import api as assessments_api
from certificates import api as certificates_api
from cohorts import api as cohorts_api
from courses import api as courses_api
from lms.core import api as core_api
from lms.core.roles import Role
from packages.models import PackageJob
from tests import factories

A_NAME = "Thandiwe Okafor-Authz"
A_EMAIL = "thandiwe.authz@example.org"
A_ANSWER = "free-text-answer-of-A-7c41"
COHORT_C = "Cohort C Marker Kisumu"
EXPORT_BYTES = f"name,email\r\n{A_NAME},{A_EMAIL}\r\n"
THUMBS_BLOCK_ID = "a7f0c3a1-0000-4000-8000-00000000a1a1"
POLL_BLOCK_ID = "a7f0c3a1-0000-4000-8000-00000000a2a2"

# Actors, in the order the matrix reports them. The first six are the issue's; the last
# two own course X and cohort C, so that every "denied" is shown against an "allowed".
ANONYMOUS = "anonymous"
LEARNER_A = "learner_a"
LEARNER_B = "learner_b"
EDUCATOR = "educator_other_course"
MANAGER = "manager_other_cohort"
ADMIN = "site_admin"
COURSE_EDUCATOR = "educator_course_x"
COHORT_MANAGER = "manager_cohort_c"
ACTORS = (ANONYMOUS, LEARNER_A, LEARNER_B, EDUCATOR, MANAGER, ADMIN, COURSE_EDUCATOR,
          COHORT_MANAGER)


@dataclass
class World:
    users: dict[str, object]
    course_x: object
    module_x: object
    course_y: object
    quiz_open: object
    quiz_done: object
    attempt_open: object
    attempt_done: object
    certificate: object
    cohort_c: object
    cohort_d: object
    cohort_import: object
    cohort_export: object
    package_job: object
    data_export: object
    question: object
    usage_id: str | None
    poll_usage_id: str | None
    markers: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # actor: session key

    @property
    def learner_a(self):
        return self.users[LEARNER_A]

    def user(self, actor: str):
        return self.users.get(actor)


def _person(email: str, name: str, *roles: Role):
    person = factories.make_user(email=email)
    core_api.save_profile(user=person, full_name=name, profession="nurse", country="KE")
    for role in roles:
        core_api.assign_role(user=person, role=role)
    return person


def _people() -> dict[str, object]:
    return {
        LEARNER_A: _person(A_EMAIL, A_NAME, Role.LEARNER),
        LEARNER_B: _person("bongani.authz@example.org", "Bongani Dlamini", Role.LEARNER),
        EDUCATOR: _person("educator.y@example.org", "Educator Of Y", Role.EDUCATOR),
        MANAGER: _person("manager.d@example.org", "Manager Of D", Role.COHORT_MANAGER),
        ADMIN: _person("siteadmin@example.org", "Site Admin", Role.SITE_ADMINISTRATOR),
        COURSE_EDUCATOR: _person("educator.x@example.org", "Educator Of X", Role.EDUCATOR),
        COHORT_MANAGER: _person("manager.c@example.org", "Manager Of C", Role.COHORT_MANAGER),
    }


def _owned_course(owner, **fields):
    tree = factories.make_course_tree(modules=2, **fields)
    pages = [tree.course.pk, *(module.pk for module in tree.modules)]
    Page.objects.filter(pk__in=pages).update(owner=owner)
    for page in (tree.course, *tree.modules):
        page.refresh_from_db()
    return tree


def _free_text_question():
    value = {"stem": "<p>Which gene?</p>", "case_sensitive": False, "accent_sensitive": False,
             "answers": [{"type": "item", "id": "t1",
                          "value": {"text": "VKORC1", "credit": "1", "feedback": ""}}],
             "explanation": "", "references": [], "points": "1"}
    return factories.make_question(kind="short_text", value=value, block_id="authz-text")


def _attempts(learner, tree):
    """A's attempt in progress (with her free-text answer saved) and a submitted one."""
    question = _free_text_question()
    quiz_open = factories.make_quiz(module=tree.modules[0], questions=[question],
                                    title="Quiz in progress")
    quiz_done = factories.make_quiz(course=tree.course, questions=[question],
                                    title="Quiz submitted")
    attempts = []
    for quiz in (quiz_open, quiz_done):
        attempt = assessments_api.start_attempt(user=learner, quiz=quiz)
        assessments_api.save_responses(user=learner, attempt=attempt,
                                       answers={"authz-text": {"text": A_ANSWER}})
        attempts.append(attempt)
    assessments_api.submit_attempt(user=learner, attempt=attempts[1])
    return question, quiz_open, quiz_done, *attempts


def _certificate(learner):
    """A's certificate for a course of her own (course Z), with its PDF and credential."""
    tree = factories.make_course_tree(modules=1, title="Course Z", cpd_credit_hours=1)
    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    certificate = certificates_api.issue_certificate(user=learner, course=tree.course)
    certificate.pdf.save("authz.pdf", ContentFile(b"%PDF-1.4 authz"), save=False)
    certificate.credential = {"credentialSubject": {"name": A_NAME}}
    certificate.save(update_fields=["pdf", "credential"])
    return certificate


def _cohorts(people, learner, course_x, course_y):
    cohort_c = cohorts_api.Cohort.objects.create(name=COHORT_C, organisation="Kisumu County",
                                                 country="KE")
    cohort_c.managers.set([people[COHORT_MANAGER]])
    cohort_c.courses.set([course_x])
    cohorts_api.CohortMembership.objects.create(cohort=cohort_c, user=learner)
    cohort_d = cohorts_api.Cohort.objects.create(name="Cohort D", organisation="Elsewhere")
    cohort_d.managers.set([people[MANAGER]])
    cohort_d.courses.set([course_y])
    cohort_import = cohorts_api.CohortImport.objects.create(
        cohort=cohort_c, uploaded_by=people[COHORT_MANAGER], original_name="learners.csv",
        sha256="0" * 64, status="done", total_rows=1, processed_rows=1,
        errors=[{"row": 2, "column": "email", "message": f"{A_EMAIL} appears twice"}],
    )
    export = cohorts_api.CohortExport(
        cohort=cohort_c, requested_by=people[COHORT_MANAGER], format="csv", fingerprint="authz",
        status="done", rows_total=1, rows_done=1, finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    export.file.save("authz.csv", ContentFile(EXPORT_BYTES.encode()), save=False)
    export.save()
    return cohort_c, cohort_d, cohort_import, export


def _package_job(owner, course):
    job = PackageJob(kind=PackageJob.Kind.EXPORT, status=PackageJob.Status.SUCCEEDED,
                     original_name="course-x.zip", course_id=course.pk, created_by=owner)
    job.file.save("course-x.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    job.save()
    return job


def _data_export(learner):
    """A's finished export of everything Allele holds about her ("Your data")."""
    from lms.core.models import DataExport

    data_export = DataExport(user=learner, status=DataExport.Status.DONE,
                             finished_at=timezone.now(),
                             expires_at=timezone.now() + timedelta(days=7))
    data_export.file.save("authz.zip", ContentFile(EXPORT_BYTES.encode()), save=False)
    data_export.save()
    return data_export


def _xblock_usages(module, learner) -> tuple[str | None, str | None]:
    """A thumbs and a poll component rendered once in module X for A (None, None without
    the XBlock extra)."""
    try:
        from courses.extensions import ComponentRef
        from xblocks import api as xblocks_api
        from xblocks.models import XBlockUsage
    except ImportError:
        return None, None
    request = RequestFactory().get("/module/")
    request.user = learner or AnonymousUser()
    xblocks_api.render_components(request=request, module=module, components=[
        ComponentRef(block_id=THUMBS_BLOCK_ID, olx="<thumbs/>"),
        ComponentRef(block_id=POLL_BLOCK_ID, olx='<poll question="Which gene?"/>')])
    return tuple(XBlockUsage.objects.get(module=module, component_id=block_id,
                                         parent__isnull=True).usage_id
                 for block_id in (THUMBS_BLOCK_ID, POLL_BLOCK_ID))


def build_world() -> World:
    people = _people()
    learner = people[LEARNER_A]
    course_x = _owned_course(people[COURSE_EDUCATOR], title="Course X")
    course_y = _owned_course(people[EDUCATOR], title="Course Y")
    courses_api.enroll(user=learner, course=course_x.course)
    question, quiz_open, quiz_done, attempt_open, attempt_done = _attempts(learner, course_x)
    certificate = _certificate(learner)
    cohort_c, cohort_d, cohort_import, export = _cohorts(people, learner, course_x.course,
                                                         course_y.course)
    usage_id, poll_usage_id = _xblock_usages(course_x.modules[0], learner)
    return World(
        users=people, course_x=course_x.course, module_x=course_x.modules[0],
        course_y=course_y.course, quiz_open=quiz_open, quiz_done=quiz_done,
        attempt_open=attempt_open, attempt_done=attempt_done, certificate=certificate,
        cohort_c=cohort_c, cohort_d=cohort_d, cohort_import=cohort_import,
        cohort_export=export,
        package_job=_package_job(people[COURSE_EDUCATOR], course_x.course),
        data_export=_data_export(learner), question=question,
        usage_id=usage_id, poll_usage_id=poll_usage_id,
        markers={"name": A_NAME, "email": A_EMAIL, "answer": A_ANSWER,
                 "certificate": certificate.public_id, "cohort": COHORT_C},
    )
