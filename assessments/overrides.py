"""Grade overrides: an educator who may review a quiz's results sets the points one question
of a submitted attempt earned, with a reason (Moodle's "manual grading", Open edX's
"override score").

The override is one more row of the attempt's grade ledger (``GradeChange``, reason
OVERRIDE, who, why); the attempt's score, pass/fail and what a pass completes are settled
from the ledger exactly as at grading (``scoring.settle``), and the audit trail records it,
all in one transaction under a lock on the attempt. Repeating the same override (a double
submit, or two educators sending the same form at once) adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import reports, scoring
from assessments.models import Attempt, GradeChange
from lms.core.api import AuditAction, record_audit
from lms.core.models import User

REASON_MAX_CHARS = GradeChange._meta.get_field("comment").max_length
_PLACES = Decimal("0.0001")  # the ledger's precision


class OverrideError(Exception):
    """An override that cannot be made; ``str(error)`` is a message for the educator."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class GradeOverride:
    change: GradeChange
    created: bool  # False: the same override was already the question's latest grade
    attempt: Attempt


def may_override(*, user: User, attempt: Attempt) -> bool:
    """Whoever may review the quiz's results (its course's educators, site administrators,
    superusers) may override its grades."""
    return reports.may_analyse(user=user, quiz=attempt.quiz)


def parse_points(text: object) -> Decimal:
    """A number of points as typed ("1", "0.5", "0,5"); raises OverrideError."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise OverrideError(_("Enter the points as a number, such as 1 or 0.5."),
                            code="invalid_points")
    return value


def override_grade(*, actor: User, attempt: Attempt, question_id: str, points: Decimal | str,
                   reason: str) -> GradeOverride:
    """Set the points of ``question_id`` in a submitted attempt to ``points`` (0 to the
    question's maximum) for ``reason``. Raises OverrideError ("forbidden", "not_found",
    "not_submitted", "unknown_question", "invalid_points", "out_of_range", "no_reason",
    "reason_too_long"); nothing changes then."""
    points = parse_points(points)
    reason = (reason or "").strip()
    if not reason:
        raise OverrideError(_("Give a reason for the new grade."), code="no_reason")
    if len(reason) > REASON_MAX_CHARS:
        raise OverrideError(_("Keep the reason under %(count)d characters.") % {
            "count": REASON_MAX_CHARS}, code="reason_too_long")
    with transaction.atomic():
        locked = _locked(actor, attempt)
        latest = _latest_change(locked, question_id)
        _check_points(points, latest.max_points)
        points = points.quantize(_PLACES)
        if (latest.reason == GradeChange.Reason.OVERRIDE and latest.points == points
                and latest.comment == reason):
            return GradeOverride(change=latest, created=False, attempt=locked)
        change = _append(locked, latest, points, reason, actor)
    return GradeOverride(change=change, created=True, attempt=locked)


def _locked(actor: User, attempt: Attempt) -> Attempt:
    locked = (Attempt.objects.select_for_update(of=("self",))
              .select_related("quiz", "user").filter(pk=attempt.pk).first())
    if locked is None:
        raise OverrideError(_("No such attempt."), code="not_found")
    if not may_override(user=actor, attempt=locked):
        raise OverrideError(_("You may not change grades in this quiz."), code="forbidden")
    if not locked.is_submitted:
        raise OverrideError(_("The learner has not submitted this attempt yet: a grade can "
                              "only be changed once it has been graded."), code="not_submitted")
    return locked


def _latest_change(attempt: Attempt, question_id: str) -> GradeChange:
    latest = (GradeChange.objects.filter(attempt=attempt, question_id=question_id)
              .order_by("-created_at", "-pk").first())
    if latest is None:
        raise OverrideError(_("There is no such question in this attempt."),
                            code="unknown_question")
    return latest


def _check_points(points: Decimal, max_points: Decimal) -> None:
    if points < 0 or points > max_points:
        raise OverrideError(_("The points must be between 0 and %(max)s.") % {
            "max": f"{max_points.normalize():f}"}, code="out_of_range")
    if points != points.quantize(_PLACES):
        raise OverrideError(_("Use at most four decimal places."), code="invalid_points")


def _status(points: Decimal, max_points: Decimal) -> str:
    if points >= max_points:
        return "correct"
    return "incorrect" if points == 0 else "partially_correct"


def _append(attempt: Attempt, latest: GradeChange, points: Decimal, reason: str,
            actor: User) -> GradeChange:
    """The ledger row, the settled score and the audit entry, in the caller's transaction."""
    before = (attempt.score_percent, attempt.passed)
    change = GradeChange.objects.create(
        attempt=attempt, question_id=latest.question_id, points=points,
        max_points=latest.max_points, status=_status(points, latest.max_points),
        reason=GradeChange.Reason.OVERRIDE, created_by=actor, comment=reason)
    scoring.settle(attempt)
    number = _question_number(attempt, latest.question_id)
    record_audit(
        actor=actor, action=AuditAction.GRADE_OVERRIDDEN, target=attempt, subject=attempt.user,
        # Recorded data, in no one's language: the report labels the action itself.
        summary=f"{attempt.quiz.title} #{attempt.number}, Q{number}: "
                f"{_plain(latest.points)} → {_plain(points)} / {_plain(latest.max_points)}",
        details={
            "quiz_id": attempt.quiz_id, "attempt_id": attempt.pk, "question_id":
            latest.question_id, "question_number": number, "points_before": _plain(latest.points),
            "points_after": _plain(points), "max_points": _plain(latest.max_points),
            "reason": reason, "score_before": _plain(before[0]), "passed_before": before[1],
            "score_after": _plain(attempt.score_percent), "passed_after": attempt.passed},
    )
    return change


def _question_number(attempt: Attempt, question_id: str) -> int | str:
    ids = [data["id"] for data in attempt.questions]
    return ids.index(question_id) + 1 if question_id in ids else question_id


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


# --- What the educator sees -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One question of a submitted attempt as the grader sees it."""

    number: int
    question_id: str
    definition: object  # questions.Question, from the attempt's snapshot
    answer: object
    points: Decimal
    max_points: Decimal
    status: str
    history: list[GradeChange]  # oldest first: the automatic grade, then any overrides


def attempt_review(*, attempt: Attempt) -> list[ReviewItem]:
    """Each question of ``attempt`` with her answer, its current grade and the grade's
    history (two queries)."""
    answers = dict(attempt.responses.values_list("question_id", "answer"))
    history: dict[str, list[GradeChange]] = {}
    for change in (GradeChange.objects.filter(attempt=attempt).select_related("created_by")
                   .order_by("created_at", "pk")):
        history.setdefault(change.question_id, []).append(change)
    items = []
    for number, definition in enumerate(attempt.definitions().values(), start=1):
        changes = history.get(definition.id, [])
        latest = changes[-1] if changes else None
        items.append(ReviewItem(
            number=number, question_id=definition.id, definition=definition,
            answer=answers.get(definition.id),
            points=latest.points if latest else Decimal(0),
            max_points=latest.max_points if latest else Decimal(definition.points),
            status=latest.status if latest else "", history=changes))
    return items
