"""Interactive activities' scores: recorded exactly once, never lowered when asked, validated,
and shown to the learner on her course and module pages."""

from decimal import Decimal

import pytest

from assessments import api
from assessments.models import ActivityGradeEvent, ActivityScore
from courses import api as courses_api
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(learner):
    tree = factories.make_course_tree(modules=2)
    courses_api.enroll(user=learner, course=tree.course)
    return tree


def _record(learner, module, earned, possible=3, *, key="poll-1", only_if_higher=False):
    return api.record_activity_score(
        user=learner, module=module, activity_key=key, title="Carrier poll",
        earned=Decimal(earned), possible=Decimal(possible), only_if_higher=only_if_higher)


def _version(user):
    return type(user).objects.get(pk=user.pk).learning_state_version


def test_the_same_grade_twice_leaves_one_score_and_one_ledger_row(learner, placed):
    module = placed.modules[0]
    version = _version(learner)

    assert _record(learner, module, 2) is True
    moved = _version(learner)
    assert _record(learner, module, 2) is False

    score = ActivityScore.objects.get()
    assert (score.earned, score.possible, score.course_id) == (2, 3, placed.course.pk)
    assert ActivityGradeEvent.objects.count() == 1
    assert moved > version and _version(learner) == moved  # nothing changed the second time


def test_a_new_grade_replaces_the_score_and_appends_to_the_ledger(learner, placed):
    _record(learner, placed.modules[0], 2)
    assert _record(learner, placed.modules[0], 1) is True

    assert ActivityScore.objects.get().earned == 1
    assert list(ActivityGradeEvent.objects.order_by("pk").values_list("earned", flat=True)) == [
        2, 1]


def test_only_if_higher_never_lowers(learner, placed):
    module = placed.modules[0]
    _record(learner, module, 2)

    assert _record(learner, module, 1, only_if_higher=True) is False
    assert _record(learner, module, 4, 6, only_if_higher=True) is False  # same fraction
    assert _record(learner, module, 3, only_if_higher=True) is True

    assert ActivityScore.objects.get().earned == 3
    assert ActivityGradeEvent.objects.count() == 2


@pytest.mark.parametrize(("earned", "possible"), [
    ("1", "0"), ("1", "-2"), ("-1", "3"), ("4", "3"), ("NaN", "3"), ("1", "Infinity"),
])
def test_impossible_scores_are_refused_and_nothing_is_saved(learner, placed, earned, possible):
    with pytest.raises(ValueError, match="must"):
        _record(learner, placed.modules[0], earned, possible)

    assert not ActivityScore.objects.exists()
    assert not ActivityGradeEvent.objects.exists()


def test_an_anonymous_visitor_has_no_score(placed):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(api.ActivityScoreError):
        _record(AnonymousUser(), placed.modules[0], 1)


def test_the_learner_sees_her_scores_on_the_course_page(auth_client, learner, placed):
    _record(learner, placed.modules[0], "2.5", 3)
    _record(learner, placed.modules[1], 1, 4, key="drag-1")
    other = factories.make_user(email="other@example.org")
    _record(other, placed.modules[0], 0, 3)

    html = auth_client.get(placed.course.url).content.decode()

    assert "Scored activities" in html
    assert "2.5 of 3 (83.33%)" in html
    assert "1 of 4 (25%)" in html
    assert "0 of 3" not in html  # someone else's


def test_the_learner_sees_her_score_under_the_module(auth_client, learner, placed):
    module = placed.modules[0]
    assert "Your score" not in auth_client.get(module.url).content.decode()

    _record(learner, module, 2)
    html = auth_client.get(module.url).content.decode()

    assert "Your score: 2 of 3" in html
    assert "Your score" not in auth_client.get(placed.modules[1].url).content.decode()


def test_scores_are_listed_for_the_course_and_the_module(learner, placed):
    _record(learner, placed.modules[1], 1, 2, key="b")
    _record(learner, placed.modules[0], 3, 3, key="a")

    scores = api.activity_scores(user=learner, course=placed.course)

    assert [(s.activity_key, s.percent) for s in scores] == [("a", 100), ("b", 50)]
    assert [s.activity_key for s in api.activity_scores(user=learner,
                                                        module=placed.modules[1])] == ["b"]
