"""Applying a batch of learning actions a device made offline, each exactly once.

Re-exported by offline.api; nothing else imports this.

A batch runs in one transaction: every action is applied through courses.api or
assessments.api and leaves a ``SyncedAction`` under the device's idempotency key, or, on the
first refusal, nothing at all is kept. Before applying anything, the batch claims all its
keys (inserts their rows), in key order: a copy of the batch arriving at the same moment
then waits on the (user, key) constraint until this one commits, finds the keys taken and
answers "already applied". Claiming before any other lock, in one order, keeps two
overlapping batches from deadlocking.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import api as assessments_api
from courses import api as courses_api
from lms.core.models import User
from offline.models import SyncedAction

MAX_ACTIONS = 200

APPLIED = "applied"
ALREADY_APPLIED = "already_applied"


class OfflineError(Exception):
    """A batch (or manifest request) refused; ``str(error)`` is a message for the learner,
    ``status`` the HTTP status that says why, ``action`` the key of the failing action."""

    def __init__(self, message: str, *, status: int, code: str, action: UUID | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.action = action


@dataclass(frozen=True, slots=True)
class Action:
    """One learning action as the device queued it."""

    key: UUID
    type: str  # a SyncedAction.Type value
    made_at: datetime
    module: int | None = None  # complete_module
    attempt: int | None = None  # save_answers, submit_attempt
    responses: dict | None = None  # save_answers: {question id: answer}

    def digest(self) -> str:
        """SHA-256 of the action's canonical JSON, without its key: the same key sent
        with other contents is a different action, not a retry."""
        payload = {"type": self.type, "module": self.module, "attempt": self.attempt,
                   "responses": self.responses,
                   "made_at": self.made_at.astimezone(UTC).isoformat()}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ActionResult:
    key: UUID
    status: str  # APPLIED or ALREADY_APPLIED
    detail: str


@dataclass(frozen=True, slots=True)
class CourseState:
    id: int
    percent: int
    complete: bool


@dataclass(frozen=True, slots=True)
class BatchResult:
    results: list[ActionResult]
    courses: list[CourseState] = field(default_factory=list)  # touched by applied actions


def apply_batch(*, user: User, learner: str, actions: list[Action]) -> BatchResult:
    """Apply the actions in order, each once; raise OfflineError (and keep nothing) on the
    first refusal."""
    if not user.is_authenticated or learner != user.get_username():
        raise OfflineError(
            _("These answers were recorded by another learner on this device; "
              "sign in as them to send them."), status=403, code="other_learner")
    if len(actions) > MAX_ACTIONS:
        raise OfflineError(ngettext("Send at most %(count)d action at a time.",
                                    "Send at most %(count)d actions at a time.", MAX_ACTIONS)
                           % {"count": MAX_ACTIONS}, status=422, code="too_many")
    digests: dict[UUID, str] = {}
    for action in actions:
        digest = action.digest()
        if digests.setdefault(action.key, digest) != digest:
            raise _reused(action)
    with transaction.atomic():
        claimed = _claim(user, actions, digests)
        return _apply_all(user, actions, digests, claimed)


def _reused(action: Action) -> OfflineError:
    return OfflineError(_("This action was already sent with different contents."),
                        status=409, code="key_reused", action=action.key)


def _claim(user: User, actions: list[Action],
           digests: dict[UUID, str]) -> dict[UUID, tuple[SyncedAction, bool]]:
    """Insert a row per new key (in key order); map each key to (row, whether this batch
    made it). A key a concurrent batch holds waits for that batch to commit."""
    first = {}
    for action in actions:
        first.setdefault(action.key, action)
    now = timezone.now()
    claimed = {}
    for key in sorted(first, key=str):
        action = first[key]
        try:
            with transaction.atomic():
                row = SyncedAction.objects.create(
                    user=user, key=key, action_type=action.type, payload_digest=digests[key],
                    made_at=action.made_at, received_at=now)
            claimed[key] = (row, True)
        except IntegrityError:
            claimed[key] = (SyncedAction.objects.get(user=user, key=key), False)
    return claimed


def _apply_all(user: User, actions: list[Action], digests: dict[UUID, str],
               claimed: dict[UUID, tuple[SyncedAction, bool]]) -> BatchResult:
    results, courses, done = [], {}, set()
    for action in actions:
        row, new = claimed[action.key]
        if row.payload_digest != digests[action.key]:
            raise _reused(action)
        if not new or action.key in done:
            results.append(ActionResult(action.key, ALREADY_APPLIED,
                                        row.result.get("detail", "")))
            continue
        try:
            detail, course = APPLY[action.type](user=user, action=action)
        except OfflineError as error:
            error.action = action.key
            raise
        row.result = {"status": APPLIED, "detail": detail}
        row.save(update_fields=["result"])
        done.add(action.key)
        courses[course.pk] = course
        results.append(ActionResult(action.key, APPLIED, detail))
    return BatchResult(results=results, courses=[_state(user, course)
                                                 for course in courses.values()])


def _state(user: User, course) -> CourseState:
    progress = courses_api.course_progress(user=user, course=course)
    return CourseState(id=course.pk, percent=progress.percent, complete=progress.is_complete)


# --- The actions ---------------------------------------------------------------------------


def _complete_module(*, user: User, action: Action) -> tuple[str, object]:
    try:
        module = courses_api.get_module(module_id=action.module)
    except courses_api.ModulePage.DoesNotExist:
        raise OfflineError(_("We could not find this module; it may have been unpublished."),
                           status=404, code="not_found") from None
    try:
        completed = courses_api.complete_module(user=user, module=module)
    except courses_api.LearningError as error:
        raise OfflineError(str(error), status=409, code=error.code) from None
    course = courses_api.module_outline(module=module).course
    if completed:
        return _("“%(module)s” is complete.") % {"module": module.title}, course
    return _("“%(module)s” was already complete.") % {"module": module.title}, course


def _attempt(user: User, action: Action):
    try:
        return assessments_api.get_attempt(user=user, attempt_id=action.attempt)
    except assessments_api.Attempt.DoesNotExist:
        raise OfflineError(_("We could not find this quiz attempt."), status=404,
                           code="not_found") from None


def _quiz_error(error: Exception) -> OfflineError:
    status = 404 if getattr(error, "code", "") == "not_found" else 409
    return OfflineError(str(error), status=status, code=getattr(error, "code", "quiz"))


def _course_of(attempt):
    quiz = attempt.quiz
    if quiz.course_id:
        return quiz.course
    return courses_api.module_outline(module=quiz.module).course


def _save_answers(*, user: User, action: Action) -> tuple[str, object]:
    attempt = _attempt(user, action)
    try:
        saved = assessments_api.save_responses(user=user, attempt=attempt,
                                               answers=action.responses or {})
    except assessments_api.QuizError as error:
        raise _quiz_error(error) from None
    detail = ngettext("%(count)d answer saved.", "%(count)d answers saved.",
                      len(saved.saved)) % {"count": len(saved.saved)}
    if saved.ignored:
        detail += " " + ngettext("%(count)d answer was not saved.",
                                 "%(count)d answers were not saved.",
                                 len(saved.ignored)) % {"count": len(saved.ignored)}
    return detail, _course_of(attempt)


def _submit_attempt(*, user: User, action: Action) -> tuple[str, object]:
    attempt = _attempt(user, action)
    try:
        result = assessments_api.submit_attempt(user=user, attempt=attempt)
    except assessments_api.QuizError as error:
        raise _quiz_error(error) from None
    score = f"{result.score_percent.normalize():f}%"
    if result.passed is None:
        detail = _("Submitted: %(score)s.") % {"score": score}
    elif result.passed:
        detail = _("Submitted: %(score)s (passed).") % {"score": score}
    else:
        detail = _("Submitted: %(score)s (not passed).") % {"score": score}
    return detail, _course_of(attempt)


APPLY: dict[str, Callable[..., tuple[str, object]]] = {
    SyncedAction.Type.COMPLETE_MODULE: _complete_module,
    SyncedAction.Type.SAVE_ANSWERS: _save_answers,
    SyncedAction.Type.SUBMIT_ATTEMPT: _submit_attempt,
}
