"""Item analysis and knowledge gain: figures worked out by hand, constant queries, CSV
exports (formula-safe), and who may see them."""

import csv
import io
import math
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import reports
from assessments.models import Attempt, GradeChange, Response
from courses import api as courses_api
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.assessments import samples

pytestmark = pytest.mark.django_db

SINGLE, TF, NUM = samples.single(title="=CF inheritance"), samples.true_false(), samples.numeric()
SNAPSHOT = [SINGLE.to_dict(), TF.to_dict(), NUM.to_dict()]


def _member(role, email):
    person = factories.make_user(email=email)
    core_api.assign_role(user=person, role=role)
    return person


def submitted(user, quiz, grades, *, answers=None, snapshot=SNAPSHOT, number=1,
              state=Attempt.State.SUBMITTED, at=None, score=None):
    """An attempt with one grade change per question: ``grades`` maps id -> points (of 1)."""
    at = at or timezone.now()
    points = sum(grades.values(), Decimal(0))
    attempt = Attempt.objects.create(
        user=user, quiz=quiz, number=number, state=state, started_at=at, questions=snapshot,
        pass_mark=70, is_pretest=quiz.is_pretest,
        submitted_at=at if state == Attempt.State.SUBMITTED else None,
        score_percent=score if score is not None else (points * 100 / len(snapshot))
        .quantize(Decimal("0.01")), points=points, max_points=len(snapshot))
    for question_id, value in grades.items():
        GradeChange.objects.create(attempt=attempt, question_id=question_id, points=value,
                                   max_points=1, status="correct" if value else "incorrect")
    for question_id, answer in (answers or {}).items():
        Response.objects.create(attempt=attempt, question_id=question_id, answer=answer,
                                saved_at=at)
    return attempt


@pytest.fixture
def educator():
    return _member(Role.EDUCATOR, "grace@example.org")


@pytest.fixture
def quiz(educator):
    tree = factories.make_course_tree(modules=1, title="Cystic fibrosis", owner=educator)
    return factories.make_quiz(course=tree.course, title="CF check")


@pytest.fixture
def four_attempts(quiz):
    """A: all right (100 %); B: single and numeric right; C: true/false right and picked a
    wrong choice; D: nothing right. E's attempt is still in progress (left out)."""
    people = [factories.make_user(email=f"{name}@example.org") for name in "abcde"]
    rows = [({"q-single": 1, "q-tf": 1, "q-num": 1}, "c-ar", True),
            ({"q-single": 1, "q-tf": 0, "q-num": 1}, "c-ar", False),
            ({"q-single": 0, "q-tf": 1, "q-num": 0}, "c-ad", True),
            ({"q-single": 0, "q-tf": 0, "q-num": 0}, "c-xl", False)]
    for person, (grades, choice, answer) in zip(people, rows, strict=False):
        submitted(person, quiz, {k: Decimal(v) for k, v in grades.items()},
                  answers={"q-single": {"choice": choice}, "q-tf": {"answer": answer}})
    submitted(people[4], quiz, {}, state=Attempt.State.IN_PROGRESS)
    return people


def test_item_analysis_by_hand(quiz, four_attempts):
    analysis = reports.item_analysis(quiz=quiz)
    assert (analysis.attempts, analysis.learners) == (4, 4)
    assert analysis.mean_percent == pytest.approx((100 + 66.67 + 33.33 + 0) / 4)
    assert analysis.median_percent == pytest.approx(50)
    assert [band.count for band in analysis.bands] == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]
    single, tf, num = analysis.items
    assert (single.question_id, single.number, single.title) == ("q-single", 1, "=CF inheritance")
    assert tf.title == "Trisomy 21 causes Down syndrome."  # no title: the stem's text
    # single: scores [1,1,0,0]; the rest of the quiz (out of 2) [1,.5,.5,0] -> 1/sqrt(2).
    assert single.facility == 0.5
    assert single.discrimination == pytest.approx(1 / math.sqrt(2))
    # true/false: scores [1,0,1,0], rest [1,1,0,0]: uncorrelated.
    assert tf.discrimination == pytest.approx(0)
    assert num.facility == 0.5 and num.attempts == 4 and num.answered == 0
    assert [(c.choice_id, c.correct, c.count) for c in single.choices] == [
        ("c-ar", True, 2), ("c-ad", False, 1), ("c-xl", False, 1)]
    assert single.choices[0].share == 0.5 and single.choices[0].text == "Autosomal recessive"
    assert [(c.text, c.correct, c.count) for c in tf.choices] == [
        ("True", True, 2), ("False", False, 2)]
    assert num.choices == []


def test_an_override_wins_and_undefined_figures_are_none(quiz, educator):
    person = factories.make_user(email="solo@example.org")
    attempt = submitted(person, quiz, {"q-single": Decimal(0), "q-tf": Decimal(1),
                                       "q-num": Decimal(1)})
    GradeChange.objects.create(attempt=attempt, question_id="q-single", points=1,
                               max_points=1, status="correct", reason="override",
                               created_by=educator)
    analysis = reports.item_analysis(quiz=quiz)
    assert analysis.items[0].facility == 1
    assert all(item.discrimination is None for item in analysis.items)  # one attempt


def test_no_attempts(quiz):
    analysis = reports.item_analysis(quiz=quiz)
    assert (analysis.attempts, analysis.items, analysis.mean_percent) == (0, [], None)


def test_item_analysis_runs_three_queries(quiz, four_attempts):
    with CaptureQueriesContext(connection) as few:
        reports.item_analysis(quiz=quiz)
    more = [factories.make_user(email=f"more{n}@example.org") for n in range(5)]
    for person in more:
        submitted(person, quiz, {"q-single": Decimal(1), "q-tf": Decimal(0), "q-num": Decimal(1)},
                  answers={"q-single": {"choice": "c-ar"}})
    with CaptureQueriesContext(connection) as many:
        reports.item_analysis(quiz=quiz)
    assert len(few) == len(many) == 3


# --- Knowledge gain ------------------------------------------------------------------------

@pytest.fixture
def gain_course(educator):
    tree = factories.make_course_tree(modules=2, title="Pharmacogenomics", owner=educator)
    pre = factories.make_quiz(module=tree.modules[0], title="Before you start",
                              is_pretest=True)
    post = factories.make_quiz(course=tree.course, title="Final", is_final_assessment=True)
    return tree, pre, post


def _scores(person, quiz, *percents, start):
    for number, percent in enumerate(percents, start=1):
        submitted(person, quiz, {}, number=number, score=Decimal(percent),
                  at=start + timedelta(days=number))


@pytest.fixture
def gain_data(gain_course):
    """A: pre 40 then 80, post 70 then 100; B: 50 -> 100; C: 100 -> 90 (no cohort);
    D: pre-test only; A and B in cohort 'Spring'."""
    tree, pre, post = gain_course
    start = timezone.now() - timedelta(days=30)
    people = {name: factories.make_user(email=f"{name}@example.org") for name in "abcd"}
    for person in people.values():
        courses_api.enroll(user=person, course=tree.course)
    courses_api.Enrollment.objects.filter(user__in=[people["a"], people["b"]]).update(
        context={"cohort": "Spring"})
    _scores(people["a"], pre, 40, 80, start=start)
    _scores(people["a"], post, 70, 100, start=start + timedelta(days=10))
    _scores(people["b"], pre, 50, start=start)
    _scores(people["b"], post, 100, start=start + timedelta(days=10))
    _scores(people["c"], pre, 100, start=start)
    _scores(people["c"], post, 90, start=start + timedelta(days=10))
    _scores(people["d"], pre, 20, start=start)
    return tree


def test_knowledge_gain_by_hand(educator, gain_data):
    overall, spring = reports.knowledge_gain(viewer=educator)
    assert (overall.course_title, overall.cohort, overall.learners) == ("Pharmacogenomics", "", 3)
    assert overall.mean_pre == pytest.approx((40 + 50 + 100) / 3)  # first pre-test attempt
    assert overall.mean_post == pytest.approx((70 + 100 + 90) / 3)  # first post-test attempt
    assert overall.mean_gain == pytest.approx((30 + 50 - 10) / 3)
    # Hake: A 30/60 = .5, B 50/50 = 1; C (pre 100) is skipped.
    assert overall.normalised_gain == pytest.approx(0.75)
    assert overall.normalised_learners == 2
    assert (spring.cohort, spring.learners, spring.mean_pre, spring.mean_gain) == (
        "Spring", 2, 45, 40)


def test_knowledge_gain_only_for_own_courses(gain_data):
    stranger = _member(Role.EDUCATOR, "other@example.org")
    admin = _member(Role.SITE_ADMINISTRATOR, "admin@example.org")
    assert reports.knowledge_gain(viewer=stranger) == []
    assert len(reports.knowledge_gain(viewer=admin)) == 2


def test_knowledge_gain_runs_constant_queries(educator, gain_data):
    with CaptureQueriesContext(connection) as few:
        reports.knowledge_gain(viewer=educator)
    tree = factories.make_course_tree(modules=1, title="Second", owner=educator,
                                      parent=factories.domain("evidence"))
    pre = factories.make_quiz(course=tree.course, title="Pre", is_pretest=True)
    post = factories.make_quiz(course=tree.course, title="Post", is_final_assessment=True)
    person = factories.make_user(email="e@example.org")
    _scores(person, pre, 10, start=timezone.now() - timedelta(days=3))
    _scores(person, post, 60, start=timezone.now() - timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        rows = reports.knowledge_gain(viewer=educator)
    assert len(rows) == 3
    assert len(few) == len(many) <= 5


# --- Admin views -----------------------------------------------------------------------------

def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_analysis_page_and_csv(client, educator, quiz, four_attempts):
    client.force_login(educator)
    index = client.get("/admin/reports/quiz-analysis/")
    assert index.status_code == 200 and b"CF check" in index.content
    page = client.get(f"/admin/reports/quiz-analysis/{quiz.pk}/")
    assert page.status_code == 200
    assert b"Autosomal recessive" in page.content and b"0.71" in page.content
    items = _rows(client.get(f"/admin/reports/quiz-analysis/{quiz.pk}/?export=items"))
    assert items[1][:3] == ["1", "q-single", "'=CF inheritance"]  # formula neutralised
    assert items[1][6:] == ["0.5000", "0.7071"]
    choices = _rows(client.get(f"/admin/reports/quiz-analysis/{quiz.pk}/?export=choices"))
    assert choices[1][3:7] == ["c-ar", "Autosomal recessive", "yes", "2"]
    scores = _rows(client.get(f"/admin/reports/quiz-analysis/{quiz.pk}/?export=scores"))
    assert scores[-1] == ["90-100%", "1"]


def test_analysis_page_shows_numbers_in_the_readers_language(client, educator, quiz,
                                                             four_attempts):
    client.force_login(educator)
    client.cookies["django_language"] = "fr"
    html = client.get(f"/admin/reports/quiz-analysis/{quiz.pk}/").content.decode()
    assert '<html lang="fr"' in html
    assert "0,71" in html and "0.71" not in html  # discrimination, French decimal comma
    assert "90\u2013100" in html  # the score band (en dash), from a translatable string


def test_knowledge_gain_page_and_csv(client, educator, gain_data):
    client.force_login(educator)
    assert b"Spring" in client.get("/admin/reports/knowledge-gain/").content
    rows = _rows(client.get("/admin/reports/knowledge-gain/?export=csv"))
    assert rows[1][:3] == ["Pharmacogenomics", "", "3"]
    assert rows[1][6] == "0.7500"


def test_who_may_see_the_analysis(client, quiz, four_attempts, learner):
    url = f"/admin/reports/quiz-analysis/{quiz.pk}/"
    stranger = _member(Role.EDUCATOR, "other@example.org")
    admin = _member(Role.SITE_ADMINISTRATOR, "admin@example.org")
    client.force_login(stranger)
    denied = client.get(url)  # Wagtail turns PermissionDenied into a redirect home
    assert denied.status_code == 302 and denied.url == "/admin/"
    assert client.get(url + "?export=items").status_code == 302
    assert b"CF check" not in client.get("/admin/reports/quiz-analysis/").content
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.force_login(learner)
    for path in (url, "/admin/reports/quiz-analysis/", "/admin/reports/knowledge-gain/"):
        assert client.get(path).status_code in (302, 403)
    client.logout()
    assert client.get(url).status_code == 302


def test_menu_items_and_the_quiz_listing_button(client, educator, quiz):
    from django.contrib.auth.models import Permission

    educator.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    client.force_login(educator)
    home = client.get("/admin/").content.decode()
    assert "/admin/reports/quiz-analysis/" in home and "/admin/reports/knowledge-gain/" in home
    listing = client.get("/admin/snippets/assessments/quiz/").content.decode()
    assert f"/admin/reports/quiz-analysis/{quiz.pk}/" in listing
