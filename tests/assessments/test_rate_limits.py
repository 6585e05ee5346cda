"""Rate limits on taking a quiz (lms/core/ratelimit.py): autosave and the attempt form's
saves and submissions count per learner and attempt; a refused request stores nothing."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from assessments import api
from assessments.models import Attempt, GradeChange, Response
from courses import api as courses_api
from lms.core import ratelimit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS,
                                   "quiz_save": "3/m", "quiz_submit": "2/m"}


def _start(client, quiz) -> Attempt:
    client.post(reverse("quiz_start", args=[quiz.pk]))
    return Attempt.objects.latest("pk")


def _autosave(client, attempt, choice):
    return client.post(reverse("attempt_save", args=[attempt.pk]),
                       {f"q/{attempt.questions[0]['id']}": choice},
                       HTTP_ACCEPT="application/json")


def test_autosave_past_the_limit_is_refused_and_stores_nothing(auth_client, quiz_setup,
                                                               tight):
    attempt = _start(auth_client, quiz_setup.quiz)
    with freeze_time() as clock:
        assert [_autosave(auth_client, attempt, "c2").status_code for _ in range(3)] == [
            200, 200, 200]
        refused = _autosave(auth_client, attempt, "c1")
        assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
        assert refused.json()["error"] == "rate_limited" and refused.json()["message"]
        assert Response.objects.get(attempt=attempt).answer == {"choice": "c2"}
        clock.tick(60)
        assert _autosave(auth_client, attempt, "c1").status_code == 200
    assert Response.objects.get(attempt=attempt).answer == {"choice": "c1"}


def test_each_learner_and_attempt_has_its_own_count(client, auth_client, learner, quiz_setup,
                                                    tight):
    attempt = _start(auth_client, quiz_setup.quiz)
    with freeze_time():
        for _ in range(3):
            _autosave(auth_client, attempt, "c2")
        assert _autosave(auth_client, attempt, "c2").status_code == 429
        other = factories.make_user(email="bea@example.org")
        courses_api.enroll(user=other, course=quiz_setup.tree.course)
        other_attempt = api.start_attempt(user=other, quiz=quiz_setup.quiz)
        client.force_login(other)
        assert _autosave(client, other_attempt, "c2").status_code == 200


def test_submitting_past_the_limit_is_refused_and_submits_nothing(auth_client, quiz_setup,
                                                                  tight):
    attempt = _start(auth_client, quiz_setup.quiz)
    name = f"q/{attempt.questions[0]['id']}"
    url = reverse("attempt", args=[attempt.pk])
    with freeze_time() as clock:
        for _ in range(2):
            assert auth_client.post(url, {name: "c2", "save": ""}).status_code == 302
        refused = auth_client.post(reverse("attempt_submit", args=[attempt.pk]))
        assert refused.status_code == 429 and refused["Retry-After"]
        assert "Too many requests" in refused.content.decode()
        attempt.refresh_from_db()
        assert attempt.submitted_at is None and not GradeChange.objects.exists()
        clock.tick(60)
        assert auth_client.post(url, {name: "c1", "submit": "1"}).status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and GradeChange.objects.count() == 1


def test_the_default_limit_leaves_room_for_autosave(settings, auth_client, quiz_setup):
    """quiz.js saves at most once per 0.8 s plus the round trip: under 75 a minute."""
    rate = ratelimit.rate_of("quiz_save")
    assert rate.limit * 60 / rate.seconds >= 75
    attempt = _start(auth_client, quiz_setup.quiz)
    with freeze_time():
        assert {_autosave(auth_client, attempt, "c2").status_code for _ in range(75)} == {200}
