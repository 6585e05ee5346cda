"""What blocks publish: grades go to assessments, completion to ``XBlockCompletion``, and a
module whose rule is "activities" completes once every completable block in it is complete.

Completion modes follow XBlock's: a COMPLETABLE block that scores (``has_score``) or reports
its own completion (``has_custom_completion``) completes by an event; any other COMPLETABLE
block completes when an enrolled learner sees it; AGGREGATOR blocks (vertical, sequence)
complete when their children do, so only the children count; EXCLUDED blocks never count.
"""

import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from xblock.completable import XBlockCompletionMode

from assessments import api as assessments_api
from courses import api as courses_api
from lms.core.api import note_learning_state_changed
from xblocks import blocktypes
from xblocks.fields import PageState
from xblocks.models import XBlockCompletion

logger = logging.getLogger(__name__)

ACTIVITIES = "activities"
BY_EVENT, BY_VIEW, NOT_COUNTED = "event", "view", "none"


def requirement(block_type: str) -> str:
    """How a block of ``block_type`` completes: by an event, by being seen, or not at all."""
    cls = blocktypes.block_class(block_type)
    if cls is None:
        return NOT_COUNTED
    mode = XBlockCompletionMode.get_mode(cls)
    if mode != XBlockCompletionMode.COMPLETABLE:
        return NOT_COUNTED
    if getattr(cls, "has_custom_completion", False) or getattr(cls, "has_score", False):
        return BY_EVENT
    return BY_VIEW


def record_completion(*, user, state: PageState, usage_id: str, completion: float) -> bool:
    """Raise the learner's completion of a block to ``completion`` (never lower it)."""
    usage = state.usage(usage_id)
    with transaction.atomic():
        row, created = XBlockCompletion.objects.select_for_update().get_or_create(
            user=user, usage=usage, defaults={"completion": completion})
        if not created:
            if completion <= row.completion:
                state.completions[usage_id] = row.completion
                return False
            XBlockCompletion.objects.filter(pk=row.pk).update(completion=completion)
        note_learning_state_changed(user=user)
    state.completions[usage_id] = completion
    return True


def complete_module_if_done(*, user, module, state: PageState) -> bool:
    """Complete ``module`` (rule "activities") once every counted block is complete."""
    if module.completion_rule != ACTIVITIES:
        return False
    required = [usage for usage in state.usages.values()
                if usage.retired_at is None and requirement(usage.block_type) != NOT_COUNTED]
    if not required or any(state.completions.get(usage.usage_id, 0.0) < 1.0
                           for usage in required):
        return False
    try:
        return courses_api.complete_module(user=user, module=module,
                                           source=courses_api.CompletionRule(ACTIVITIES))
    except courses_api.LearningError as refusal:
        logger.info("Module %s not completed for user %s: %s", module.pk, user.pk,
                    refusal.code)
        return False


def note_viewed(*, user, module, state: PageState, usage_ids: list[str]) -> None:
    """An enrolled learner saw these blocks: those that complete by being seen are complete;
    then the module, if that was the last thing it needed."""
    pending = [usage_id for usage_id in usage_ids
               if state.completions.get(usage_id, 0.0) < 1.0
               and requirement(state.usage(usage_id).block_type) == BY_VIEW]
    if pending:
        course = courses_api.module_outline(module=module).course
        if not courses_api.Enrollment.objects.filter(user=user, course_id=course.pk,
                                                    is_active=True).exists():
            return
        with transaction.atomic():
            XBlockCompletion.objects.bulk_create(
                [XBlockCompletion(user=user, usage=state.usage(usage_id), completion=1.0)
                 for usage_id in pending], ignore_conflicts=True)
            note_learning_state_changed(user=user)
        state.completions.update(dict.fromkeys(pending, 1.0))
        complete_module_if_done(user=user, module=module, state=state)
    elif module.completion_rule == ACTIVITIES and not courses_api.ModuleProgress.objects.filter(
            user=user, module=module, completed_at__isnull=False).exists():
        complete_module_if_done(user=user, module=module, state=state)


def _grade(runtime, block, usage_id: str, data: dict) -> None:
    user = runtime.state.user
    try:
        earned = Decimal(str(data["value"]))
        possible = Decimal(str(data["max_value"]))
    except (KeyError, TypeError, InvalidOperation):
        logger.warning("Ignored a grade event without a numeric value and max_value from %s",
                       usage_id)
        return
    title = str(getattr(block, "display_name", "") or "").strip() or block.scope_ids.block_type
    try:
        assessments_api.record_activity_score(
            user=user, module=runtime.module, activity_key=usage_id, title=title,
            earned=earned, possible=possible, only_if_higher=bool(data.get("only_if_higher")))
    except assessments_api.ActivityScoreError as refusal:
        logger.warning("Ignored a grade event from %s: %s", usage_id, refusal)
        return
    if getattr(block, "has_score", False):
        record_completion(user=user, state=runtime.state, usage_id=usage_id, completion=1.0)
    complete_module_if_done(user=user, module=runtime.module, state=runtime.state)


def _completion(runtime, usage_id: str, data: dict) -> None:
    try:
        completion = float(data["completion"])
    except (KeyError, TypeError, ValueError):
        completion = -1.0
    if not 0.0 <= completion <= 1.0:
        logger.warning("Ignored a completion event outside 0..1 from %s", usage_id)
        return
    user = runtime.state.user
    if record_completion(user=user, state=runtime.state, usage_id=usage_id,
                         completion=completion):
        complete_module_if_done(user=user, module=runtime.module, state=runtime.state)


def handle_event(runtime, block, event_type: str, data) -> None:
    """``runtime.publish``: only a signed-in learner's own, persistent runtime records."""
    state = runtime.state
    usage_id = str(block.scope_ids.usage_id)
    if state.user is None or not state.persistent or runtime.authoring:
        return
    if usage_id not in state.usages or not isinstance(data, dict):
        return
    if event_type == "grade":
        _grade(runtime, block, usage_id, data)
    elif event_type == "completion":
        _completion(runtime, usage_id, data)
    else:
        # "progress" and tracking events: Allele's learning events record what learners do
        # with pages, not every click inside a block.
        logger.debug("XBlock event %s from %s not recorded", event_type, usage_id)
