"""Issuing, revoking, reissuing and verifying certificates through certificates.api."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from assessments import api as assessments_api
from certificates import api
from certificates.models import Certificate, CertificateAction, CertificatePolicy
from lms.core import api as core_api
from tests import factories
from tests.assessments.conftest import RIGHT, WRONG
from tests.certificates.conftest import complete_course

pytestmark = pytest.mark.django_db


def finish(user, tree):
    complete_course(user, tree)
    return api.issue_certificate(user=user, course=tree.course)


def take_final(user, quiz, answer):
    attempt = assessments_api.start_attempt(user=user, quiz=quiz)
    assessments_api.save_responses(user=user, attempt=attempt,
                                   answers={attempt.questions[0]["id"]: answer})
    return assessments_api.submit_attempt(user=user, attempt=attempt)


def test_completing_a_course_issues_one_participation_certificate(learner, completed):
    certificate = Certificate.objects.get(user=learner)
    assert certificate.tier == "participation" and certificate.score is None
    assert certificate.learner_name == "Amina Yusuf"
    assert certificate.course_title == "Preventing SJS/TEN"
    assert certificate.cpd_credit_hours == Decimal("2")
    assert certificate.expires_at is None
    assert len(certificate.public_id) >= 22
    assert api.issue_certificate(user=learner, course=completed.course) == certificate
    assert Certificate.objects.count() == 1
    assert list(certificate.actions.values_list("action", flat=True)) == ["issued"]


def test_issuing_bumps_the_learning_state_so_the_dashboard_is_fresh(learner, tree):
    complete_course(learner, tree)
    before = type(learner).objects.get(pk=learner.pk).learning_state_version
    api.issue_certificate(user=learner, course=tree.course)
    assert type(learner).objects.get(pk=learner.pk).learning_state_version == before + 1


def test_not_issued_while_a_required_module_is_incomplete(learner, tree):
    from courses import api as courses_api

    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    assert api.issue_certificate(user=learner, course=tree.course) is None
    assert not Certificate.objects.exists()


def test_not_issued_while_the_final_assessment_is_failed(learner, tree):
    quiz = factories.make_quiz(course=tree.course, is_final_assessment=True)
    complete_course(learner, tree)
    take_final(learner, quiz, WRONG)
    assert api.issue_certificate(user=learner, course=tree.course) is None
    assert not Certificate.objects.exists()
    take_final(learner, quiz, RIGHT)  # completes the course (its signal is sent on commit)
    assert api.issue_certificate(user=learner, course=tree.course).tier == "participation"


@pytest.mark.parametrize(("offers", "answer", "tier", "score"), [
    ((True, True), RIGHT, "achievement", Decimal("100.00")),
    ((False, True), RIGHT, "achievement", Decimal("100.00")),
    ((True, False), RIGHT, "participation", None),
])
def test_tier_follows_the_policy_and_the_score(learner, tree, offers, answer, tier, score):
    CertificatePolicy.objects.create(course=tree.course, offers_participation=offers[0],
                                     offers_achievement=offers[1], achievement_threshold=70)
    quiz = factories.make_quiz(course=tree.course, is_final_assessment=True, pass_mark=50)
    complete_course(learner, tree)
    take_final(learner, quiz, answer)
    certificate = api.issue_certificate(user=learner, course=tree.course)
    assert (certificate.tier, certificate.score) == (tier, score)


def test_below_the_threshold_only_participation_is_awarded(learner, tree, monkeypatch):
    CertificatePolicy.objects.create(course=tree.course, offers_achievement=True,
                                     achievement_threshold=90)
    monkeypatch.setattr(api.courses_api, "course_score", lambda **_: Decimal("85"))
    complete_course(learner, tree)
    assert api.issue_certificate(user=learner, course=tree.course).tier == "participation"


def test_a_policy_offering_neither_tier_issues_nothing(learner, tree):
    CertificatePolicy.objects.create(course=tree.course, offers_participation=False)
    complete_course(learner, tree)
    assert api.issue_certificate(user=learner, course=tree.course) is None


def test_expiry_follows_the_policy(learner, tree):
    CertificatePolicy.objects.create(course=tree.course, expiry_months=24)
    certificate = finish(learner, tree)
    assert certificate.expires_at.date() == (
        certificate.completed_at.date().replace(year=certificate.completed_at.year + 2))


def test_revoked_certificate_verifies_as_revoked_with_its_date(learner, completed, user):
    certificate = Certificate.objects.get()
    api.revoke(certificate=certificate, actor=user, reason="Issued in error")
    view = api.verification(public_id=certificate.public_id)
    assert view.status == "revoked" and view.revoked_on == timezone.localdate()
    action = CertificateAction.objects.get(action="revoked")
    assert (action.actor, action.reason) == (user, "Issued in error")


def test_revoke_and_reissue_need_a_reason(completed, user):
    certificate = Certificate.objects.get()
    with pytest.raises(api.CertificateError):
        api.revoke(certificate=certificate, actor=user, reason="  ")
    with pytest.raises(api.CertificateError):
        api.reissue(certificate=certificate, actor=user, reason="")


def test_reissue_after_a_name_change(learner, completed, user):
    old = Certificate.objects.get()
    core_api.save_profile(user=learner, full_name="Amina Yusuf Bello", profession="nurse",
                          country="KE")
    new = api.reissue(certificate=old, actor=user, reason="Name changed after marriage")
    assert new.public_id != old.public_id
    assert new.learner_name == "Amina Yusuf Bello"
    assert api.verification(public_id=old.public_id).status == "superseded"
    assert api.verification(public_id=old.public_id).replaced_by == new.public_id
    assert api.verification(public_id=new.public_id).status == "valid"
    assert list(api.certificates_of(user=learner)) == [new]
    assert api.issue_certificate(user=learner, course=completed.course) == new
    with pytest.raises(api.CertificateError):
        api.reissue(certificate=old, actor=user, reason="again")


def test_expired_certificate_verifies_as_expired(completed):
    Certificate.objects.update(expires_at=timezone.now() - timedelta(days=1))
    assert api.verification(public_id=Certificate.objects.get().public_id).status == "expired"


def test_certificate_survives_the_deletion_of_the_account(learner, completed):
    public_id = Certificate.objects.get().public_id
    learner.delete()
    view = api.verification(public_id=public_id)
    assert view.status == "valid" and view.learner_name == "Amina Yusuf"


def test_reminders_are_sent_once(learner, tree):
    CertificatePolicy.objects.create(course=tree.course, expiry_months=12,
                                     reminder_days_before=30)
    certificate = finish(learner, tree)
    assert api.send_expiry_reminders() == 0  # a year to go
    later = certificate.expires_at - timedelta(days=10)
    assert api.send_expiry_reminders(now=later) == 1
    assert api.send_expiry_reminders(now=later) == 0
    assert api.send_expiry_reminders(now=later + timedelta(days=5)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    assert "Preventing SJS/TEN" in mail.outbox[0].subject
    assert certificate.actions.filter(action="reminder_sent").count() == 1


def test_reminder_command(learner, tree):
    from django.core.management import call_command

    CertificatePolicy.objects.create(course=tree.course, expiry_months=1,
                                     reminder_days_before=40)
    finish(learner, tree)
    call_command("send_certificate_reminders")
    call_command("send_certificate_reminders")
    assert len(mail.outbox) == 1


def test_transcript_rows_cover_the_period(learner, completed):
    today = timezone.localdate()
    rows = api.transcript_rows(user=learner, start=today - timedelta(days=1), end=today)
    assert [row.course_title for row in rows] == ["Preventing SJS/TEN"]
    assert api.transcript_rows(user=learner, start=date(2000, 1, 1), end=date(2000, 12, 31)) == []
