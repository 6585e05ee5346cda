"""Assessments' front door: taking a quiz, from start to result.

``start_attempt`` draws the questions and pins them to the attempt (a snapshot);
``save_responses`` keeps the learner's answers on the server as she goes;
``check_answer`` (quizzes with immediate feedback) grades one question during the
attempt and locks its answer;
``record_activity_score`` keeps an interactive activity's score (an XBlock's grade)
exactly once, and ``activity_scores`` lists them for the learner's pages;
``submit_attempt`` grades once (pure grading over the snapshot), writes the grade
ledger and, on a pass, completes the module or lets the course complete through
``courses.api``; ``override_grade`` (overrides.py) lets an educator change one question's
points afterwards, settling the score the same way (scoring.py). Views, the page sections
and the admin call only these functions.

Concurrency: a learner's starts on one quiz are serialised by locking her
``QuizLearner`` row, so racing starts cannot exceed the attempt limit; saves and submits
of one attempt lock the attempt row, so a double submit grades once and a save cannot
slip in after the grading.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from assessments import grading, questions, scoring
from assessments.activities import (
    ActivityScoreError,
    ActivityScoreView,
    activity_scores,
    record_activity_score,
)
from assessments.copying import copy_quizzes
from assessments.interchange import ImportedAssessments, export_assessments, import_assessments
from assessments.models import (
    Attempt,
    FeedbackTiming,
    GradeChange,
    Question,
    Quiz,
    QuizLearner,
    Response,
)
from assessments.overrides import GradeOverride, OverrideError, override_grade, parse_points
from assessments.translations import (
    overlay,
    shown_quiz,
    translated_questions,
    with_feedback_of,
)
from courses import api as courses_api
from lms.core.api import note_learning_state_changed
from lms.core.models import User

__all__ = [
    "SAVE_GRACE",
    "ActivityScoreError",
    "ActivityScoreView",
    "Attempt",
    "AttemptResult",
    "AttemptView",
    "CheckResult",
    "GradeOverride",
    "ImportedAssessments",
    "OverrideError",
    "Quiz",
    "QuizError",
    "QuizSummary",
    "SaveResult",
    "activity_scores",
    "attempt_view",
    "attempts_in_progress",
    "best_final_assessment_score",
    "check_answer",
    "copy_quizzes",
    "export_assessments",
    "get_attempt",
    "get_quiz",
    "import_assessments",
    "now",
    "override_grade",
    "parse_points",
    "placement_url",
    "quiz_summaries",
    "record_activity_score",
    "result_view",
    "save_responses",
    "start_attempt",
    "submit_attempt",
    "unmet_final_assessments",
]

ATTEMPT_CACHE_SECONDS = 3 * 3600

# A save that reaches the server this long after the deadline still counts (latency).
SAVE_GRACE = timedelta(seconds=10)
MAX_ANSWER_JSON_CHARS = 20_000


class QuizError(Exception):
    """A request that cannot be carried out; ``str(error)`` is a message for the learner."""

    def __init__(self, message: str, *, code: str, retry_at: datetime | None = None):
        super().__init__(message)
        self.code = code
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class SaveResult:
    saved: list[str]  # ids whose answers are now stored (changed or not)
    ignored: list[str]  # ids not in this attempt, answers too large, or questions already
    saved_at: datetime  # checked: never stored by this save


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One question checked during an attempt: her (now locked) answer and its grade."""

    question_id: str
    definition: questions.Question
    answer: object
    grade: grading.Grade
    checked_at: datetime


@dataclass(frozen=True, slots=True)
class AttemptResult:
    attempt_id: int
    number: int
    score_percent: Decimal
    points: Decimal
    max_points: Decimal
    passed: bool | None  # None for a pre-test
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class AttemptView:
    attempt: Attempt
    quiz: Quiz
    questions: list[dict]  # public dicts: nothing that reveals an answer
    answers: dict[str, object]
    deadline: datetime | None
    checks: dict[str, CheckResult] = field(default_factory=dict)  # by question id
    can_check: bool = False  # immediate feedback: a Check button on each question


@dataclass(frozen=True, slots=True)
class QuestionResult:
    number: int
    definition: questions.Question
    answer: object
    grade: grading.Grade
    points: Decimal
    max_points: Decimal
    status: str
    reviewed: bool = False  # an educator overrode the automatic grade


@dataclass(frozen=True, slots=True)
class ResultView:
    attempt: Attempt
    quiz: Quiz
    result: AttemptResult
    show_feedback: bool
    items: list[QuestionResult] = field(default_factory=list)
    reviewed: bool = False  # an educator overrode a grade of this attempt


@dataclass(frozen=True, slots=True)
class QuizSummary:
    """One quiz as its section on a module or course page shows it to one learner."""

    quiz: Quiz
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    best_percent: Decimal | None
    last: Attempt | None
    in_progress: Attempt | None
    has_passed: bool
    retry_at: datetime | None


now = timezone.now


# --- Reads -------------------------------------------------------------------------------


def get_quiz(*, quiz_id: int) -> Quiz:
    """A live quiz (one a clinical reviewer approved); raises Quiz.DoesNotExist. The id of
    a translation gives its canonical quiz: attempts are always on that one."""
    quiz = Quiz.objects.select_related("module", "course").get(pk=quiz_id, live=True)
    canonical = courses_api.canonical_page(quiz)
    if canonical.pk != quiz.pk and not canonical.live:
        raise Quiz.DoesNotExist
    return canonical


def get_attempt(*, user: User, attempt_id: int) -> Attempt:
    """The learner's own attempt; anyone else's raises Attempt.DoesNotExist like a missing one."""
    if not user.is_authenticated:
        raise Attempt.DoesNotExist
    return Attempt.objects.select_related("quiz", "quiz__locale").get(pk=attempt_id, user=user)


def placement_url(*, quiz: Quiz) -> str:
    return (quiz.module or quiz.course).url


def _course_of(quiz: Quiz):
    if quiz.course_id:
        return quiz.course
    return courses_api.module_outline(module=quiz.module).course


def _retry_at(quiz: Quiz, last: Attempt | None) -> datetime | None:
    if last is None or last.submitted_at is None or not quiz.min_minutes_between_attempts:
        return None
    at = last.submitted_at + timedelta(minutes=quiz.min_minutes_between_attempts)
    return at if at > timezone.now() else None


def quiz_summaries(*, user: User, module=None, course=None) -> list[QuizSummary]:
    """The quizzes placed in ``module`` (or on ``course``; any translation of either) with
    the learner's standing in each: two queries, one when she is anonymous, and one more
    per quiz shown in a translation. Each is the canonical quiz, with its title and
    introduction in the learner's language when it has a live translation in it."""
    placement = ({"module__translation_key": module.translation_key} if module
                 else {"course__translation_key": course.translation_key})
    quizzes = list(courses_api.canonical_only(Quiz.objects.filter(live=True, **placement))
                   .select_related("locale").order_by("pk"))
    if not quizzes:
        return []
    attempts: dict[int, list[Attempt]] = {quiz.pk: [] for quiz in quizzes}
    if user.is_authenticated:
        for attempt in Attempt.objects.filter(user=user, quiz__in=quizzes).defer(
            "questions"
        ).order_by("number"):
            attempts[attempt.quiz_id].append(attempt)
    summaries = []
    for quiz in quizzes:
        mine = attempts[quiz.pk]
        done = [a for a in mine if a.is_submitted]
        scores = [a.score_percent for a in done if a.score_percent is not None]
        last = done[-1] if done else None
        summaries.append(QuizSummary(
            quiz=shown_quiz(quiz), attempts_used=len(mine),
            attempts_left=None if quiz.max_attempts is None
            else max(quiz.max_attempts - len(mine), 0),
            best_percent=max(scores) if scores else None, last=last,
            in_progress=next((a for a in mine if not a.is_submitted), None),
            has_passed=any(a.passed for a in done), retry_at=_retry_at(quiz, last),
        ))
    return summaries


def attempts_in_progress(*, user: User, course, modules) -> list[Attempt]:
    """Her unsubmitted attempts, not past their deadline, on the live quizzes of ``course``
    or of ``modules`` (translations stand for their canonical pages): one query."""
    attempts = Attempt.objects.filter(
        Q(quiz__course__translation_key=course.translation_key)
        | Q(quiz__module__translation_key__in=[module.translation_key for module in modules]),
        user=user, state=Attempt.State.IN_PROGRESS, quiz__live=True,
    ).defer("questions").order_by("pk")
    moment = timezone.now()
    return [attempt for attempt in attempts if not attempt.is_past_deadline(moment)]


def unmet_final_assessments(*, user: User, course) -> str | None:
    """"Pass the final assessment" while ``user`` has not passed every final assessment
    of ``course`` (the course's COMPLETION_REQUIREMENTS hook)."""
    course = courses_api.canonical_page(course)
    pending = (
        courses_api.canonical_only(Quiz.objects.filter(
            course=course, is_final_assessment=True, is_pretest=False, live=True))
        .exclude(attempts__user=user, attempts__passed=True)
        .values_list("title", flat=True).first()
    )
    if pending is None:
        return None
    return _("Pass the final assessment “%(quiz)s”.") % {"quiz": pending}


def best_final_assessment_score(*, user: User, course) -> Decimal | None:
    """Her best submitted score on the course's final assessments (the course's
    COURSE_SCORE hook), or None if she has not submitted one."""
    course = courses_api.canonical_page(course)
    return (
        Attempt.objects.filter(user=user, quiz__course=course, quiz__is_final_assessment=True,
                               is_pretest=False, submitted_at__isnull=False)
        .aggregate(best=Max("score_percent"))["best"]
    )


# --- Starting ----------------------------------------------------------------------------


def _check_may_take(user: User, quiz: Quiz) -> None:
    if not user.is_authenticated:
        raise QuizError(_("Sign in to take this quiz."), code="anonymous")
    course = _course_of(quiz)
    progress = courses_api.course_progress(user=user, course=course)
    if not progress.is_enrolled:
        raise QuizError(_("Enroll in “%(course)s” to take this quiz.") % {"course": course.title},
                        code="not_enrolled")
    if quiz.module_id:
        status = progress.status_of(quiz.module)
        if status is None:
            raise QuizError(_("This module is not published."), code="not_live")
        if status.state is courses_api.ModuleState.LOCKED:
            raise QuizError(_("Complete “%(module)s” first.") % {"module": status.blocked_by.title},
                            code="locked")


def _lock_learner_row(user: User, quiz: Quiz) -> None:
    try:
        with transaction.atomic():
            QuizLearner.objects.get_or_create(user=user, quiz=quiz)
    except IntegrityError:
        pass  # a concurrent start made it
    QuizLearner.objects.select_for_update().get(user=user, quiz=quiz)


def start_attempt(*, user: User, quiz: Quiz) -> Attempt:
    """Start an attempt, or resume the one in progress. Raises QuizError when she may not
    (not enrolled, module locked, no attempts left, too soon after the last one). A
    translation of a quiz starts (or resumes) an attempt on its canonical quiz."""
    quiz = courses_api.canonical_page(quiz)
    _check_may_take(user, quiz)
    now = timezone.now()
    with transaction.atomic():
        _lock_learner_row(user, quiz)
        attempts = list(Attempt.objects.filter(user=user, quiz=quiz).defer("questions")
                        .order_by("number"))
        current = next((a for a in attempts if not a.is_submitted), None)
        if current is not None and not current.is_past_deadline(now - SAVE_GRACE):
            return current
        if current is not None:  # its time ran out while she was away: grade what was saved
            _grade(Attempt.objects.select_for_update().get(pk=current.pk), now)
            current.refresh_from_db()
        if quiz.max_attempts is not None and len(attempts) >= quiz.max_attempts:
            raise QuizError(ngettext("You have used your attempt at this quiz.",
                                     "You have used all %(count)d attempts at this quiz.",
                                     quiz.max_attempts) % {"count": quiz.max_attempts},
                            code="no_attempts_left")
        last = current or (attempts[-1] if attempts else None)
        if (retry_at := _retry_at(quiz, last)) is not None:
            raise QuizError(_retry_message(retry_at, now), code="too_soon", retry_at=retry_at)
        snapshot = _draw(quiz)
        attempt = Attempt.objects.create(
            user=user, quiz=quiz, number=len(attempts) + 1, started_at=now,
            deadline=now + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes else None,
            questions=snapshot, is_pretest=quiz.is_pretest, pass_mark=quiz.pass_mark,
        )
        note_learning_state_changed(user=user)
    return attempt


def _retry_message(retry_at: datetime, now: datetime) -> str:
    minutes = max(1, round((retry_at - now).total_seconds() / 60))
    return ngettext(
        "You can try this quiz again at %(time)s (in %(minutes)d minute).",
        "You can try this quiz again at %(time)s (in %(minutes)d minutes).", minutes,
    ) % {"time": formats.time_format(timezone.localtime(retry_at)), "minutes": minutes}


def _draw(quiz: Quiz) -> list[dict]:
    """The snapshot for a new attempt: the definitions drawn, in the order shown. Only
    live questions are drawn: a draft (say, imported and not yet reviewed) never is."""
    rng = random.SystemRandom()
    bank = [link.question for link in quiz.quiz_questions.filter(question__live=True)
            .select_related("question").order_by("sort_order", "pk")]
    if quiz.has_pool:
        filters = {name: value for name, value in (
            ("domain", quiz.pool_domain), ("topic__iexact", quiz.pool_topic),
            ("difficulty", quiz.pool_difficulty)) if value}
        bank += list(courses_api.canonical_only(Question.objects.filter(live=True, **filters))
                     .exclude(pk__in=[q.pk for q in bank]).order_by("pk"))
    definitions: dict[str, questions.Question] = {}
    for question in bank:
        try:
            definition = question.definition()
        except questions.QuestionDefinitionError:
            continue  # saved without validation (a shell, an import): never shown
        definitions.setdefault(definition.id, definition)
    chosen = list(definitions.values())
    if not chosen:
        raise QuizError(_("This quiz has no questions yet."), code="empty")
    if quiz.draw_count and quiz.draw_count < len(chosen):
        picked = set(rng.sample(range(len(chosen)), quiz.draw_count))
        chosen = [d for index, d in enumerate(chosen) if index in picked]
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    if quiz.shuffle_choices:
        chosen = [_shuffle_choices(definition, rng) for definition in chosen]
    return [definition.to_dict() for definition in chosen]


def _shuffle_choices(definition: questions.Question, rng: random.Random) -> questions.Question:
    if isinstance(definition, questions.SingleChoice | questions.MultipleResponse):
        return dataclasses.replace(definition,
                                   choices=tuple(rng.sample(definition.choices,
                                                            len(definition.choices))))
    if isinstance(definition, questions.CaseSet):
        return dataclasses.replace(
            definition, parts=tuple(_shuffle_choices(part, rng) for part in definition.parts))
    return definition


# --- Answering ---------------------------------------------------------------------------


def _locked_attempt(user: User, attempt: Attempt) -> Attempt:
    try:
        return Attempt.objects.select_for_update().select_related("quiz", "quiz__locale").get(
            pk=attempt.pk, user=user)
    except Attempt.DoesNotExist:
        raise QuizError(_("No such attempt."), code="not_found") from None


def _writable_attempt(user: User, attempt: Attempt, now: datetime) -> Attempt:
    locked = _locked_attempt(user, attempt)
    if locked.is_submitted:
        raise QuizError(_("This attempt has already been submitted."), code="submitted")
    if locked.is_past_deadline(now - SAVE_GRACE):
        raise QuizError(_("Time is up: answers can no longer be changed."), code="time_up")
    return locked


def _save(locked: Attempt, answers: Mapping[str, object],
          now: datetime) -> tuple[list[str], list[str], dict[str, Response]]:
    """Upsert the answers of a locked, writable attempt: (saved, ignored, rows by id)."""
    known = {data["id"] for data in locked.questions}
    rows = {r.question_id: r for r in Response.objects.filter(attempt=locked)}
    saved, ignored = [], []
    for question_id, answer in answers.items():
        row = rows.get(question_id)
        if (question_id not in known or len(json.dumps(answer)) > MAX_ANSWER_JSON_CHARS
                or (row is not None and row.checked_at is not None)):
            ignored.append(str(question_id))
            continue
        saved.append(question_id)
        if row is None:
            rows[question_id] = Response.objects.create(
                attempt=locked, question_id=question_id, answer=answer, saved_at=now)
        elif row.answer != answer:
            Response.objects.filter(pk=row.pk).update(answer=answer, saved_at=now)
            row.answer, row.saved_at = answer, now
    return saved, ignored, rows


def save_responses(*, user: User, attempt: Attempt,
                   answers: Mapping[str, object]) -> SaveResult:
    """Store the learner's answers (an upsert per question; unchanged ones are not
    rewritten). Ids outside the attempt, and questions she has checked, are ignored and
    reported, never stored. Raises QuizError after the attempt was submitted or its time
    ran out."""
    now = timezone.now()
    with transaction.atomic():
        locked = _writable_attempt(user, attempt, now)
        saved, ignored, _rows = _save(locked, answers, now)
    return SaveResult(saved=saved, ignored=ignored, saved_at=now)


def _check_result(locked: Attempt, row: Response,
                  translated: Mapping[str, dict] | None = None) -> CheckResult:
    """Graded on the snapshot; ``definition`` (what she reads) in her language."""
    data = next(data for data in locked.questions if data["id"] == row.question_id)
    definition = questions.question_from_dict(data)
    graded = grading.grade(definition, row.answer)
    if translated and data["id"] in translated:
        shown = questions.question_from_dict(overlay(data, translated[data["id"]]))
        definition, graded = shown, with_feedback_of(graded, grading.grade(shown, row.answer))
    return CheckResult(question_id=row.question_id, definition=definition, answer=row.answer,
                       grade=graded, checked_at=row.checked_at)


def _quiz_questions(quiz: Quiz):
    """The canonical questions ``quiz`` draws from (linked, and its pool), unevaluated."""
    linked = Q(pk__in=quiz.quiz_questions.values("question_id"))
    if quiz.has_pool:
        filters = {name: value for name, value in (
            ("domain", quiz.pool_domain), ("topic__iexact", quiz.pool_topic),
            ("difficulty", quiz.pool_difficulty)) if value}
        linked |= Q(**filters)
    return courses_api.canonical_only(Question.objects.filter(linked))


def _translations_for(attempt: Attempt) -> dict[str, dict]:
    """Her language's translations of the attempt's questions, by id (none: no query)."""
    return translated_questions(quiz=attempt.quiz, questions=_quiz_questions(attempt.quiz))


def check_answer(*, user: User, attempt: Attempt, question_id: str,
                 answers: Mapping[str, object]) -> CheckResult:
    """Save her answers, then grade ``question_id`` (pure grading over the snapshot) and
    lock its answer for the rest of the attempt; only on quizzes with immediate feedback.
    Checking a question again returns the same result. Raises QuizError: not her attempt
    ("not_found"), "submitted", "time_up", "no_check" (another feedback timing),
    "unknown_question", and "unanswered" (nothing to check; the other answers are saved)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _writable_attempt(user, attempt, now)
        if locked.quiz.feedback_timing != FeedbackTiming.IMMEDIATELY:
            raise QuizError(_("This quiz shows feedback after the attempt."), code="no_check")
        if question_id not in {data["id"] for data in locked.questions}:
            raise QuizError(_("There is no such question in this attempt."),
                            code="unknown_question")
        _saved, _ignored, rows = _save(locked, answers, now)
        row = rows.get(question_id)
        if row is not None and row.checked_at is None and row.answer is not None:
            Response.objects.filter(pk=row.pk).update(checked_at=now)
            row.checked_at = now
    if row is None or row.checked_at is None:
        raise QuizError(_("Answer the question before checking it."), code="unanswered")
    return _check_result(locked, row, _translations_for(locked))


def attempt_view(*, user: User, attempt: Attempt) -> AttemptView:
    """What the attempt page shows: the questions without their answers, and hers, in
    her language where the questions have a live translation in it."""
    if attempt.user_id != user.pk:
        raise QuizError(_("No such attempt."), code="not_found")
    translated = _translations_for(attempt)
    public = cache.get_or_set(
        f"allele:attempt-public:{attempt.pk}:{get_language()}"
        f":{courses_api.catalog_version() if translated else 0}",
        lambda: [questions.question_from_dict(overlay(data, translated.get(data["id"])))
                 .public_dict() for data in attempt.questions],
        ATTEMPT_CACHE_SECONDS,
    )  # the snapshot never changes, so neither does what the browser may see of it
    rows = list(Response.objects.filter(attempt=attempt))
    checks = {row.question_id: _check_result(attempt, row, translated)
              for row in rows if row.checked_at}
    return AttemptView(attempt=attempt, quiz=shown_quiz(attempt.quiz), questions=public,
                       answers={row.question_id: row.answer for row in rows},
                       deadline=attempt.deadline, checks=checks,
                       can_check=attempt.quiz.feedback_timing == FeedbackTiming.IMMEDIATELY)


# --- Submitting --------------------------------------------------------------------------


def _result(attempt: Attempt) -> AttemptResult:
    return AttemptResult(
        attempt_id=attempt.pk, number=attempt.number, score_percent=attempt.score_percent,
        points=attempt.points, max_points=attempt.max_points, passed=attempt.passed,
        submitted_at=attempt.submitted_at,
    )


def _grade(attempt: Attempt, now: datetime) -> None:
    """Grade a locked, in-progress attempt on what was saved; write the ledger."""
    definitions = attempt.definitions()
    answers = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "answer"))
    graded = grading.grade_attempt(definitions, answers)
    GradeChange.objects.bulk_create([
        GradeChange(attempt=attempt, question_id=grade.question_id, points=grade.points_awarded,
                    max_points=grade.points_possible, status=grade.status, created_at=now)
        for grade in graded.grades
    ])
    attempt.state = Attempt.State.SUBMITTED
    attempt.submitted_at = now
    scoring.settle(attempt, also_save=("state", "submitted_at"))


def submit_attempt(*, user: User, attempt: Attempt) -> AttemptResult:
    """Grade the attempt once; a repeated or concurrent submit returns the same result.
    After the deadline, what was saved in time is graded."""
    with transaction.atomic():
        locked = _locked_attempt(user, attempt)
        if not locked.is_submitted:
            _grade(locked, timezone.now())
    return _result(locked)


def result_view(*, user: User, attempt: Attempt) -> ResultView:
    """The result page: score and pass/fail always; per-question feedback, answers and
    explanations only as the quiz's feedback setting allows. An attempt whose time ran
    out is graded first; one still in progress raises QuizError("in_progress")."""
    if attempt.user_id != user.pk:
        raise QuizError(_("No such attempt."), code="not_found")
    if not attempt.is_submitted:
        attempt.refresh_from_db()  # submitted since it was read?
    if not attempt.is_submitted:
        if not attempt.is_past_deadline(timezone.now() - SAVE_GRACE):
            raise QuizError(_("Submit the attempt to see your result."), code="in_progress")
        submit_attempt(user=user, attempt=attempt)
        attempt.refresh_from_db()
    quiz = attempt.quiz
    timing = quiz.feedback_timing
    show = timing in (FeedbackTiming.IMMEDIATELY, FeedbackTiming.AFTER_ATTEMPT) or (
        timing == FeedbackTiming.AFTER_PASSING and bool(attempt.passed))
    view = ResultView(attempt=attempt, quiz=shown_quiz(quiz), result=_result(attempt),
                      show_feedback=show, reviewed=GradeChange.objects.filter(
                          attempt=attempt, reason=GradeChange.Reason.OVERRIDE).exists())
    if not show:
        return view
    translated = _translations_for(attempt)
    shown = {data["id"]: questions.question_from_dict(overlay(data, translated[data["id"]]))
             for data in attempt.questions if data["id"] in translated}
    answers = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "answer"))
    latest = {change.question_id: change for change in
              GradeChange.objects.filter(attempt=attempt).order_by("created_at", "pk")}
    for number, definition in enumerate(attempt.definitions().values(), start=1):
        answer = answers.get(definition.id)
        graded = grading.grade(definition, answer)
        if definition.id in shown:  # her language: the texts, never the points
            graded = with_feedback_of(graded, grading.grade(shown[definition.id], answer))
        change = latest.get(definition.id)
        view.items.append(QuestionResult(
            number=number, definition=shown.get(definition.id, definition), answer=answer,
            grade=graded,
            points=change.points if change else graded.points_awarded,
            max_points=change.max_points if change else graded.points_possible,
            status=change.status if change else graded.status,
            reviewed=bool(change) and change.reason == GradeChange.Reason.OVERRIDE,
        ))
    return view
