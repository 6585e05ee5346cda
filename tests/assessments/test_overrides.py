"""Grade overrides: an educator changes one question's points in a submitted attempt, with a
reason, in the Wagtail admin; the score, pass/fail, completion and certificate follow, the
learner sees it was reviewed, and the audit trail records who, what, when and from where."""

import pytest
from django.urls import reverse

from assessments import api, overrides
from assessments.models import Attempt, GradeChange
from certificates.models import Certificate
from courses import api as courses_api
from courses.models import ModuleProgress
from lms.core import api as core_api
from lms.core.models import AuditEntry
from lms.core.roles import Role
from tests import factories
from tests.assessments.conftest import WRONG

pytestmark = pytest.mark.django_db


def take(learner, quiz, answer):
    attempt = api.start_attempt(user=learner, quiz=quiz)
    api.save_responses(user=learner, attempt=attempt,
                       answers={attempt.questions[0]["id"]: answer})
    api.submit_attempt(user=learner, attempt=attempt)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def educator(quiz_setup):
    """An educator who owns the quiz's course (so may review its results)."""
    person = factories.make_user(email="grace@example.org")
    core_api.assign_role(user=person, role=Role.EDUCATOR)
    course = quiz_setup.tree.course
    course.owner = person
    course.save()
    return person


@pytest.fixture
def failed(learner, quiz_setup):
    return take(learner, quiz_setup.quiz, WRONG)


def qid(attempt):
    return attempt.questions[0]["id"]


def review_url(attempt):
    return reverse("assessments_attempt_review", args=[attempt.quiz_id, attempt.pk])


def override(client, attempt, points="1", reason="Accepted on appeal: brand name given"):
    return client.post(review_url(attempt), {"question_id": qid(attempt), "points": points,
                                             "reason": reason},
                       REMOTE_ADDR="203.0.113.40", HTTP_USER_AGENT="Firefox/140")


def test_an_override_passes_the_attempt_completes_the_module_and_is_audited(
        client, educator, failed, quiz_setup):
    assert failed.passed is False
    client.force_login(educator)
    page = client.get(review_url(failed))
    assert page.status_code == 200 and b"Paracetamol" in page.content  # her answer

    response = override(client, failed)

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.score_percent, failed.passed) == (100, True)
    change = GradeChange.objects.filter(attempt=failed).latest("pk")
    assert (change.reason, change.created_by, change.points, change.comment) == (
        "override", educator, 1, "Accepted on appeal: brand name given")
    assert ModuleProgress.objects.get(module=quiz_setup.module).completed_at is not None
    entry = AuditEntry.objects.get(action="grade_overridden")
    assert (entry.actor, entry.subject, entry.ip_address, entry.user_agent) == (
        educator, failed.user, "203.0.113.40", "Firefox/140")
    assert entry.details["points_before"] == "0" and entry.details["points_after"] == "1"
    assert entry.details["reason"] == "Accepted on appeal: brand name given"
    assert entry.details["passed_before"] is False and entry.details["passed_after"] is True


def test_the_learner_sees_the_new_grade_and_that_it_was_reviewed(
        client, educator, failed, learner):
    failed.quiz.feedback_timing = "after_attempt"
    failed.quiz.save()
    client.force_login(educator)
    override(client, failed, points="0.5")
    client.force_login(learner)
    page = client.get(reverse("attempt_result", args=[failed.pk])).content.decode()
    assert "you scored 50%" in page
    assert "An educator reviewed the grading of this attempt." in page
    assert "Grade reviewed by an educator" in page and "(0.50/1)" in page


def test_a_double_submit_records_one_override(client, educator, failed):
    client.force_login(educator)
    override(client, failed)
    second = override(client, failed)
    assert second.status_code == 302
    assert GradeChange.objects.filter(attempt=failed, reason="override").count() == 1
    assert AuditEntry.objects.filter(action="grade_overridden").count() == 1
    page = client.get(review_url(failed)).content.decode()
    assert "That grade was already recorded; nothing changed." in page


@pytest.mark.parametrize(("points", "reason", "message"), [
    ("2", "too generous", "The points must be between 0 and 1."),
    ("-0.5", "negative", "The points must be between 0 and 1."),
    ("one", "not a number", "Enter the points as a number"),
    ("NaN", "not a number", "Enter the points as a number"),
    ("0.12345", "too precise", "Use at most four decimal places."),
    ("1", "   ", "This field is required."),
    ("1", "", "This field is required."),
])
def test_bad_input_says_what_is_wrong_and_changes_nothing(
        client, educator, failed, points, reason, message):
    client.force_login(educator)
    response = override(client, failed, points=points, reason=reason)
    assert response.status_code == 400
    assert message in response.content.decode()
    failed.refresh_from_db()
    assert (failed.score_percent, failed.passed) == (0, False)
    assert not GradeChange.objects.filter(reason="override").exists()
    assert not AuditEntry.objects.filter(action="grade_overridden").exists()


def test_a_blank_reason_is_refused_by_the_api_too(educator, failed):
    with pytest.raises(api.OverrideError, match="Give a reason") as error:
        api.override_grade(actor=educator, attempt=failed, question_id=qid(failed),
                           points="1", reason="  \n ")
    assert error.value.code == "no_reason"


def test_a_comma_decimal_is_understood(educator, failed):
    api.override_grade(actor=educator, attempt=failed, question_id=qid(failed), points="0,75",
                       reason="partly right")
    failed.refresh_from_db()
    assert failed.score_percent == 75


def test_an_attempt_in_progress_or_an_unknown_question_cannot_be_overridden(
        educator, learner, quiz_setup, failed):
    in_progress = api.start_attempt(user=learner, quiz=quiz_setup.quiz)
    with pytest.raises(api.OverrideError) as error:
        api.override_grade(actor=educator, attempt=in_progress, question_id=qid(in_progress),
                           points="1", reason="early")
    assert error.value.code == "not_submitted"
    with pytest.raises(api.OverrideError) as error:
        api.override_grade(actor=educator, attempt=failed, question_id="nope", points="1",
                           reason="which?")
    assert error.value.code == "unknown_question"
    assert not GradeChange.objects.filter(reason="override").exists()


def test_only_those_who_may_review_the_quiz_may_override(client, educator, failed, learner):
    stranger = factories.make_user(email="other-educator@example.org")
    core_api.assign_role(user=stranger, role=Role.EDUCATOR)  # owns no course
    with pytest.raises(api.OverrideError) as error:
        api.override_grade(actor=stranger, attempt=failed, question_id=qid(failed), points="1",
                           reason="mine now")
    assert error.value.code == "forbidden"
    attempts_url = reverse("assessments_quiz_attempts", args=[failed.quiz_id])
    for person in (stranger, learner):  # Wagtail answers 403 or sends them to its home page
        client.force_login(person)
        for response in (client.get(attempts_url), client.get(review_url(failed)),
                         override(client, failed)):
            assert response.status_code in (302, 403)
            assert learner.email not in response.content.decode()
    assert not GradeChange.objects.filter(reason="override").exists()
    assert not AuditEntry.objects.filter(action="grade_overridden").exists()


def test_the_attempts_list_links_each_submitted_attempt(client, educator, failed):
    client.force_login(educator)
    page = client.get(reverse("assessments_quiz_attempts", args=[failed.quiz_id]))
    assert page.status_code == 200
    assert review_url(failed) in page.content.decode()
    analysis = client.get(reverse("assessments_quiz_analysis", args=[failed.quiz_id]))
    assert reverse("assessments_quiz_attempts", args=[failed.quiz_id]) in analysis.content.decode()


def test_a_failure_after_recording_leaves_no_override_and_no_entry(
        educator, failed, monkeypatch):
    def record_then_fail(**kwargs):
        core_api.record_audit(**kwargs)
        raise RuntimeError("the connection dropped before commit")

    monkeypatch.setattr(overrides, "record_audit", record_then_fail)
    with pytest.raises(RuntimeError):
        api.override_grade(actor=educator, attempt=failed, question_id=qid(failed), points="1",
                           reason="appeal")
    assert not GradeChange.objects.filter(reason="override").exists()
    assert not AuditEntry.objects.filter(action="grade_overridden").exists()
    failed.refresh_from_db()
    assert (failed.score_percent, failed.passed) == (0, False)


def test_passing_the_final_assessment_by_override_completes_the_course_and_certifies(
        learner, django_capture_on_commit_callbacks):
    tree = factories.make_course_tree(modules=1)
    final = factories.make_quiz(course=tree.course, is_final_assessment=True)
    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    attempt = take(learner, final, WRONG)
    assert not courses_api.course_progress(user=learner, course=tree.course).is_complete
    admin = factories.make_user(email="admin@example.org")
    admin.is_superuser = admin.is_staff = True
    admin.save()

    with django_capture_on_commit_callbacks(execute=True):
        api.override_grade(actor=admin, attempt=attempt, question_id=qid(attempt), points="1",
                           reason="Second marker agrees")

    assert courses_api.course_progress(user=learner, course=tree.course).is_complete
    assert Certificate.objects.filter(user=learner, course=tree.course).exists()
    assert Attempt.objects.get(pk=attempt.pk).passed is True
