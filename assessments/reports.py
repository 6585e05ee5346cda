"""Read-only aggregates for educators: item analysis of a quiz and pre/post knowledge
gain per course (and cohort). Each runs a fixed number of queries however many
attempts, questions or courses there are; the statistics are in ``statistics.py``.

Both read only *submitted* attempts. Questions are keyed by their stable id in the
attempt snapshots (``Attempt.questions``), so an item keeps its figures across
reorderings, random draws and shuffled choices; its title and choice texts come from
the newest snapshot that showed it. An item's score in an attempt is the latest grade
change for it (an educator's override wins), as a fraction of its points.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator

from assessments import statistics
from assessments.models import Attempt, GradeChange, Quiz, Response
from courses import api as courses_api
from lms.core.models import User

__all__ = [
    "ChoiceCount",
    "GainRow",
    "ItemAnalysis",
    "ItemStats",
    "analysable_quizzes",
    "item_analysis",
    "knowledge_gain",
    "may_analyse",
    "quiz_course",
]

CHOICE_TYPES = ("single_choice", "multiple_response", "true_false")


# --- Who may see what ----------------------------------------------------------------------


def _course_filter(courses: list) -> Q:
    """Quizzes placed on one of ``courses`` or in one of their modules."""
    placed = Q(course__in=[course.pk for course in courses])
    for course in courses:
        placed |= Q(module__path__startswith=course.path, module__depth=course.depth + 1)
    return placed


def analysable_quizzes(*, user: User) -> list[Quiz]:
    """The quizzes of the courses ``user`` may report on (courses.api.reportable_courses:
    her own courses for an educator, all for site administrators), by title. Two queries."""
    courses = list(courses_api.reportable_courses(user=user).only("pk", "path", "depth"))
    if not courses:
        return []
    return list(Quiz.objects.filter(_course_filter(courses))
                .select_related("module", "course").order_by("title", "pk"))


def may_analyse(*, user: User, quiz: Quiz) -> bool:
    return any(candidate.pk == quiz.pk for candidate in analysable_quizzes(user=user))


def quiz_course(quiz: Quiz):
    """The course a quiz belongs to (placed on it, or in one of its modules)."""
    if quiz.course_id:
        return quiz.course
    return courses_api.module_outline(module=quiz.module).course


# --- Item analysis -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChoiceCount:
    choice_id: str
    text: str
    correct: bool
    count: int
    share: float | None  # of the attempts that saw the question


@dataclass(frozen=True, slots=True)
class ItemStats:
    question_id: str
    number: int  # the order in which the quiz first showed it
    title: str
    type: str
    attempts: int  # submitted attempts that showed it
    answered: int
    facility: float | None  # mean score fraction, 0..1
    discrimination: float | None  # corrected item-total correlation
    choices: list[ChoiceCount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ItemAnalysis:
    quiz: Quiz
    attempts: int
    learners: int
    mean_percent: float | None
    median_percent: float | None
    bands: list[statistics.Band]
    items: list[ItemStats]


@dataclass
class _Item:
    number: int
    data: dict
    scores: list[float] = field(default_factory=list)
    rests: list[float] = field(default_factory=list)
    answered: int = 0
    picks: dict = field(default_factory=lambda: defaultdict(int))
    texts: dict = field(default_factory=dict)  # choice id -> (text, correct)


def _title(data: dict) -> str:
    text = data.get("title") or strip_tags(data.get("stem") or data.get("vignette") or "")
    return Truncator(" ".join(text.split())).chars(90) or data.get("id", "")


def _latest_grades(attempt_ids: list[int]) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    latest: dict[int, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    rows = (GradeChange.objects.filter(attempt_id__in=attempt_ids)
            .order_by("created_at", "pk").values_list("attempt_id", "question_id", "points",
                                                      "max_points"))
    for attempt_id, question_id, points, max_points in rows:
        latest[attempt_id][question_id] = (points, max_points)
    return latest


def _picked(data: dict, answer: object) -> list[str]:
    """The choice ids a response picked (true/false as "true"/"false")."""
    if not isinstance(answer, dict):
        return []
    if data["type"] == "single_choice" and isinstance(answer.get("choice"), str):
        return [answer["choice"]]
    if data["type"] == "multiple_response" and isinstance(answer.get("choices"), list):
        return [choice for choice in answer["choices"] if isinstance(choice, str)]
    if data["type"] == "true_false" and isinstance(answer.get("answer"), bool):
        return ["true" if answer["answer"] else "false"]
    return []


def _choice_texts(data: dict) -> dict[str, tuple[str, bool]]:
    if data["type"] == "true_false":
        return {"true": ("True", data.get("answer") is True),
                "false": ("False", data.get("answer") is False)}
    return {choice["id"]: (Truncator(strip_tags(choice["text"])).chars(120),
                           bool(choice["correct"])) for choice in data.get("choices", ())}


def _answered(answer: object) -> bool:
    return answer not in (None, {}, "", []) and not (
        isinstance(answer, dict) and all(value in (None, "", [], {}) for value in
                                         answer.values()))


def item_analysis(*, quiz: Quiz) -> ItemAnalysis:
    """Figures for every question the quiz's submitted attempts showed, over all those
    attempts (retakes included). Three queries: attempts, grade changes, responses."""
    attempts = list(Attempt.objects.filter(quiz=quiz, state=Attempt.State.SUBMITTED)
                    .order_by("pk").values("pk", "user_id", "questions", "score_percent"))
    ids = [attempt["pk"] for attempt in attempts]
    grades = _latest_grades(ids) if ids else {}
    answers: dict[int, dict[str, object]] = defaultdict(dict)
    if ids:
        for attempt_id, question_id, answer in Response.objects.filter(
                attempt_id__in=ids).values_list("attempt_id", "question_id", "answer"):
            answers[attempt_id][question_id] = answer
    items: dict[str, _Item] = {}
    for attempt in attempts:
        _add_attempt(items, attempt, grades.get(attempt["pk"], {}), answers[attempt["pk"]])
    percents = [float(a["score_percent"]) for a in attempts if a["score_percent"] is not None]
    return ItemAnalysis(
        quiz=quiz, attempts=len(attempts),
        learners=len({attempt["user_id"] for attempt in attempts}),
        mean_percent=statistics.mean(percents), median_percent=statistics.median(percents),
        bands=statistics.bands(percents),
        items=[_item_stats(question_id, item) for question_id, item in items.items()],
    )


def _add_attempt(items: dict[str, _Item], attempt: dict,
                 grades: dict[str, tuple[Decimal, Decimal]], answers: dict) -> None:
    total = sum((points for points, _ in grades.values()), Decimal(0))
    total_max = sum((max_points for _, max_points in grades.values()), Decimal(0))
    for data in attempt["questions"]:
        question_id = data["id"]
        if question_id not in grades:
            continue  # never graded (should not happen): leave it out rather than guess
        item = items.setdefault(question_id, _Item(number=len(items) + 1, data=data))
        item.data = data  # the newest snapshot names it
        points, max_points = grades[question_id]
        item.scores.append(float(points / max_points) if max_points else 0.0)
        rest_max = total_max - max_points
        item.rests.append(float((total - points) / rest_max) if rest_max else 0.0)
        answer = answers.get(question_id)
        item.answered += _answered(answer)
        if data.get("type") in CHOICE_TYPES:
            item.texts.update(_choice_texts(data))
            for choice_id in _picked(data, answer):
                item.picks[choice_id] += 1


def _item_stats(question_id: str, item: _Item) -> ItemStats:
    seen = len(item.scores)
    choices = [
        ChoiceCount(choice_id=choice_id, text=text, correct=correct,
                    count=item.picks.get(choice_id, 0),
                    share=item.picks.get(choice_id, 0) / seen if seen else None)
        for choice_id, (text, correct) in item.texts.items()
    ]
    return ItemStats(
        question_id=question_id, number=item.number, title=_title(item.data),
        type=item.data.get("type", ""), attempts=seen, answered=item.answered,
        facility=statistics.facility(item.scores),
        discrimination=statistics.corrected_item_total(item.scores, item.rests),
        choices=choices,
    )


# --- Knowledge gain ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GainRow:
    """Learners with both a submitted pre-test and a submitted final assessment."""

    course_id: int
    course_title: str
    cohort: str  # "" for all the course's learners
    learners: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None  # percentage points
    normalised_gain: float | None  # Hake's <g>, averaged per learner
    normalised_learners: int  # learners counted in <g> (a pre-test of 100 % is skipped)


def _first_scores(rows, quiz_ids: set[int]) -> dict[int, float]:
    """user -> score of her first submitted attempt among ``quiz_ids`` (rows are sorted
    by submission time)."""
    first: dict[int, float] = {}
    for quiz_id, user_id, score in rows:
        if quiz_id in quiz_ids and user_id not in first and score is not None:
            first[user_id] = float(score)
    return first


def _gain_row(course, cohort: str, pairs: list[tuple[float, float]]) -> GainRow:
    pre = [p for p, _ in pairs]
    post = [q for _, q in pairs]
    hake = [(q - p) / (100 - p) for p, q in pairs if p < 100]
    return GainRow(
        course_id=course.pk, course_title=course.title, cohort=cohort, learners=len(pairs),
        mean_pre=statistics.mean(pre), mean_post=statistics.mean(post),
        mean_gain=statistics.mean([q - p for p, q in pairs]),
        normalised_gain=statistics.mean(hake), normalised_learners=len(hake),
    )


def knowledge_gain(*, viewer: User) -> list[GainRow]:
    """Per course ``viewer`` may report on, then per cohort (``Enrollment.context
    ["cohort"]``) when there are cohorts: the learners with a submitted pre-test
    (``Quiz.is_pretest``, on the course or in its modules) and a submitted final
    assessment; each learner's *first* pre-test attempt against her *first* final
    assessment attempt (best-of-several would reward retakes, not learning). Courses
    with no such learner are left out. Four queries."""
    courses = list(courses_api.reportable_courses(user=viewer).only(
        "pk", "path", "depth", "title"))
    if not courses:
        return []
    quizzes = list(Quiz.objects.filter(_course_filter(courses)).filter(
        Q(is_pretest=True) | Q(is_final_assessment=True)).select_related("module")
        .only("pk", "course_id", "is_pretest", "is_final_assessment", "module__path"))
    rows = list(Attempt.objects.filter(quiz__in=quizzes, state=Attempt.State.SUBMITTED)
                .order_by("submitted_at", "pk").values_list("quiz_id", "user_id",
                                                            "score_percent"))
    cohorts = {(user_id, course_id): (context or {}).get("cohort") for user_id, course_id,
               context in courses_api.Enrollment.objects.filter(course__in=courses)
               .values_list("user_id", "course_id", "context")}
    result = []
    for course in courses:
        mine = [quiz for quiz in quizzes if quiz.course_id == course.pk or (
            quiz.module_id and quiz.module.path.startswith(course.path))]
        pre = _first_scores(rows, {quiz.pk for quiz in mine if quiz.is_pretest})
        post = _first_scores(rows, {quiz.pk for quiz in mine if quiz.is_final_assessment})
        learners = sorted(set(pre) & set(post))
        if not learners:
            continue
        result.append(_gain_row(course, "", [(pre[u], post[u]) for u in learners]))
        by_cohort: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for user_id in learners:
            cohort = cohorts.get((user_id, course.pk))
            if cohort not in (None, ""):
                by_cohort[str(cohort)].append((pre[user_id], post[user_id]))
        result += [_gain_row(course, name, pairs) for name, pairs in sorted(by_cohort.items())]
    return result
