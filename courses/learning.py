"""Learning-path use cases: enroll, leave, open and complete modules, and where a
learner stands in a course. Re-exported by courses.api; nothing else imports this.

Idempotency lives in the data: one enrollment per learner and course, one progress
row per learner and module, completions written by a conditional UPDATE (only the
first request finds ``completed_at`` empty), and events keyed so that a retry finds
the first one. A learner's completions within one course are serialised by locking
her enrollment row, so two modules completed at once still complete the course.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses import extensions, summary
from courses.models import CompletionRule, CoursePage, Enrollment, ModulePage, ModuleProgress
from courses.signals import course_completed
from courses.translations import canonical_page
from lms.core.api import note_learning_state_changed, note_learning_state_changed_for
from lms.core.events import Verb, record_event, record_events_once
from lms.core.models import User

# A learner re-opening a module within this interval records no new "viewed" event.
VIEW_EVENT_INTERVAL = timedelta(minutes=30)


def view_period() -> int:
    """The number of the current VIEW_EVENT_INTERVAL: a page cached within one period
    may be served again without recording another view."""
    return int(time.time() // VIEW_EVENT_INTERVAL.total_seconds())


class LearningError(Exception):
    """A request that cannot be carried out. ``str(error)`` is a message for the learner."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


class ModuleState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class ModuleStatus:
    module: ModulePage
    state: ModuleState
    blocked_by: ModulePage | None = None  # the first required module still to complete
    last_viewed_at: datetime | None = None

    @property
    def is_required(self) -> bool:
        return not self.module.is_optional


@dataclass(frozen=True, slots=True)
class CourseProgress:
    """One learner's position in one course, built from rows already fetched."""

    course: CoursePage
    enrollment: Enrollment | None
    modules: list[ModuleStatus]

    @property
    def is_enrolled(self) -> bool:
        return self.enrollment is not None and self.enrollment.is_active

    @property
    def required_total(self) -> int:
        return sum(1 for status in self.modules if status.is_required)

    @property
    def required_complete(self) -> int:
        return sum(
            1 for status in self.modules
            if status.is_required and status.state is ModuleState.COMPLETE
        )

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 0
        return round(100 * self.required_complete / self.required_total)

    @property
    def is_complete(self) -> bool:
        return self.enrollment is not None and self.enrollment.completed_at is not None

    @property
    def resume_module(self) -> ModulePage | None:
        """The first unfinished module (required ones first), else the first module."""
        unfinished = [s for s in self.modules
                      if s.state in (ModuleState.NOT_STARTED, ModuleState.IN_PROGRESS)]
        for status in [s for s in unfinished if s.is_required] + unfinished:
            return status.module
        return self.modules[0].module if self.modules else None

    def status_of(self, module: ModulePage) -> ModuleStatus | None:
        """The status of ``module`` or of any translation of it."""
        return next((s for s in self.modules
                     if s.module.translation_key == module.translation_key), None)


def build_progress(
    *, course: CoursePage, enrollment: Enrollment | None, modules: list[ModulePage],
    rows: dict[int, ModuleProgress],
) -> CourseProgress:
    """Pure: the state of each module from the learner's progress rows."""
    statuses = []
    blocker: ModulePage | None = None
    for module in modules:
        row = rows.get(module.pk)
        if course.sequential and blocker is not None:
            statuses.append(ModuleStatus(module, ModuleState.LOCKED, blocked_by=blocker))
            continue
        if row and row.completed_at:
            state = ModuleState.COMPLETE
        elif row and row.first_viewed_at:
            state = ModuleState.IN_PROGRESS
        else:
            state = ModuleState.NOT_STARTED
        statuses.append(
            ModuleStatus(module, state, last_viewed_at=row.last_viewed_at if row else None)
        )
        if state is not ModuleState.COMPLETE and not module.is_optional:
            blocker = module
    return CourseProgress(course=course, enrollment=enrollment, modules=statuses)


def course_progress(
    *, user: User, course: CoursePage, modules: list[ModulePage] | None = None
) -> CourseProgress:
    """Where ``user`` stands in ``course`` (three queries; one when ``modules`` is given
    and the user is anonymous).

    ``course`` may be any translation: her state is read from the canonical course, and
    ``progress.course`` is the canonical course. ``modules`` (default: the canonical
    course's) may be translations of its modules: each gets the state of its canonical
    module."""
    course = canonical_page(course)
    if modules is None:
        modules = _live_modules(course)
    if not user.is_authenticated:
        return build_progress(course=course, enrollment=None, modules=modules, rows={})
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    rows = {}
    if enrollment is not None:
        by_key = {row.module_key: row for row in ModuleProgress.objects.filter(
            user=user, course=course).annotate(module_key=F("module__translation_key"))}
        rows = {module.pk: by_key[module.translation_key] for module in modules
                if module.translation_key in by_key}
    return build_progress(course=course, enrollment=enrollment, modules=modules, rows=rows)


class SampleState(StrEnum):
    """The made-up learners an editor previews a course or module as (in the admin)."""

    VISITOR = "visitor"  # not signed in
    NEW = "new"  # enrolled, nothing done
    HALFWAY = "halfway"  # the first half of the required modules complete, the next begun
    COMPLETED = "completed"  # every module complete, the course too


def sample_progress(
    *, course: CoursePage, modules: list[ModulePage], state: SampleState
) -> CourseProgress:
    """A learner's progress in ``state``, made up in memory for a preview: no query, no
    row written, no event recorded."""
    if state is SampleState.VISITOR:
        return build_progress(course=course, enrollment=None, modules=modules, rows={})
    now = timezone.now()
    required = [module for module in modules if not module.is_optional]
    done = {SampleState.NEW: [], SampleState.HALFWAY: required[: len(required) // 2],
            SampleState.COMPLETED: modules}[state]
    rows = {module.pk: ModuleProgress(module=module, course=course, first_viewed_at=now,
                                      last_viewed_at=now, completed_at=now)
            for module in done}
    begun = next((module for module in required if module.pk not in rows), None)
    if state is SampleState.HALFWAY and begun is not None:
        rows[begun.pk] = ModuleProgress(module=begun, course=course, first_viewed_at=now,
                                        last_viewed_at=now)
    enrollment = Enrollment(course=course, is_active=True, enrolled_at=now,
                            completed_at=now if state is SampleState.COMPLETED else None)
    return build_progress(course=course, enrollment=enrollment, modules=modules, rows=rows)


def _live_modules(course: CoursePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


# --- Enrollment ----------------------------------------------------------------------------


def enroll(
    *, user: User, course: CoursePage, source: Enrollment.Source = Enrollment.Source.SELF,
    context: dict | None = None,
) -> Enrollment:
    """Enroll ``user``; re-enrolling after leaving reactivates the same enrollment, with
    the progress she had. Raises LearningError when she may not or already is.
    Enrolling in a translation enrolls her in the canonical course."""
    course = canonical_page(course)
    if source == Enrollment.Source.SELF:
        _check_self_enrollment_open(course)
    now = timezone.now()
    with transaction.atomic():
        enrollment, created = _get_or_create(
            Enrollment, user=user, course=course,
            defaults={"enrolled_at": now, "source": source, "context": context or {}},
        )
        if not created:
            reopened = Enrollment.objects.filter(pk=enrollment.pk, is_active=False).update(
                is_active=True, left_at=None
            )
            if not reopened:
                raise LearningError(
                    _("You are already enrolled in this course."), code="already_enrolled"
                )
            enrollment.refresh_from_db()
        else:
            summary.started_from_progress(user_ids=[user.pk], course_id=course.pk)
        record_event(user=user, verb=Verb.ENROLLED, page=course, course=course,
                     context=enrollment.context)
        note_learning_state_changed(user=user)
    return enrollment


def enroll_many(
    *, user_ids: list[int], course: CoursePage, source: Enrollment.Source, context: dict,
) -> int:
    """Enroll many learners at once (a cohort's members); returns how many are new.

    Idempotent and safe to run concurrently: a learner already enrolled (or who left
    the course: leaving is her choice) is left alone, and a repeated or concurrent
    call inserts nothing twice. Each new enrollment gets its "enrolled" event once.
    """
    course = canonical_page(course)
    now = timezone.now()
    with transaction.atomic():
        already = set(Enrollment.objects.filter(course=course, user_id__in=user_ids)
                      .values_list("user_id", flat=True))
        new_ids = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in already]
        Enrollment.objects.bulk_create(
            [Enrollment(user_id=user_id, course=course, source=source, context=context,
                        enrolled_at=now) for user_id in new_ids],
            ignore_conflicts=True, batch_size=500,
        )
        summary.started_from_progress(user_ids=new_ids, course_id=course.pk)
        record_events_once(events=[
            {"user_id": user_id, "verb": Verb.ENROLLED, "page_id": course.pk,
             "course_id": course.pk, "context": context,
             "idempotency_key": f"enrolled:{source}:{user_id}:{course.pk}"}
            for user_id in new_ids
        ])
        note_learning_state_changed_for(user_ids=new_ids)
    return len(new_ids)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one enrolled learner stands in a course, for reminders and reports."""

    user_id: int
    enrolled_at: datetime
    completed_at: datetime | None
    started: bool  # opened or completed at least one module
    modules_done: int


def course_standings(*, course: CoursePage, user_ids: list[int]) -> dict[int, Standing]:
    """The active enrollments of these learners in ``course``, by learner (two queries)."""
    course = canonical_page(course)
    progress = {
        row["user_id"]: row for row in
        ModuleProgress.objects.filter(course=course, user_id__in=user_ids)
        .values("user_id").order_by()
        .annotate(rows=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
    }
    enrollments = Enrollment.objects.filter(course=course, user_id__in=user_ids, is_active=True)
    return {
        enrollment.user_id: Standing(
            user_id=enrollment.user_id, enrolled_at=enrollment.enrolled_at,
            completed_at=enrollment.completed_at,
            started=enrollment.user_id in progress,
            modules_done=progress.get(enrollment.user_id, {}).get("done", 0),
        )
        for enrollment in enrollments.only("user_id", "enrolled_at", "completed_at")
    }


def _check_self_enrollment_open(course: CoursePage) -> None:
    today = timezone.localdate()
    if not course.self_enrollment:
        raise LearningError(
            _("This course is open only to learners enrolled through their programme."),
            code="closed",
        )
    if course.starts_on and today < course.starts_on:
        raise LearningError(
            _("Enrollment opens on %(date)s.") % {"date": formats.date_format(course.starts_on)},
            code="not_open_yet",
        )
    if course.ends_on and today > course.ends_on:
        raise LearningError(_("This course has ended and takes no new learners."), code="ended")


def unenroll(*, user: User, course: CoursePage) -> None:
    """Leave a course. Progress is kept for when she comes back."""
    course = canonical_page(course)
    with transaction.atomic():
        left = Enrollment.objects.filter(user=user, course=course, is_active=True).update(
            is_active=False, left_at=timezone.now()
        )
        if not left:
            raise LearningError(_("You are not enrolled in this course."), code="not_enrolled")
        record_event(user=user, verb=Verb.UNENROLLED, page=course, course=course)
        note_learning_state_changed(user=user)


# --- Modules -----------------------------------------------------------------------------------


def record_module_view(*, user: User, module: ModulePage, progress: CourseProgress) -> bool:
    """Note that an enrolled learner opened an unlocked module; complete it when its rule
    says so. Writes only when something changed; returns whether it did. A translation
    of a module counts as its canonical module."""
    module = canonical_page(module)
    status = progress.status_of(module)
    if not progress.is_enrolled or status is None or status.state is ModuleState.LOCKED:
        return False
    now = timezone.now()
    seen_recently = (
        status.last_viewed_at is not None and now - status.last_viewed_at <= VIEW_EVENT_INTERVAL
    )
    completes_on_view = module.completion_rule == CompletionRule.ON_VIEW
    if seen_recently and (status.state is ModuleState.COMPLETE or not completes_on_view):
        return False  # the usual case: a read-only request
    course = canonical_page(progress.course)
    changed = False
    with transaction.atomic():
        row, created = _get_or_create(
            ModuleProgress, user=user, module=module,
            defaults={"course": course, "first_viewed_at": now, "last_viewed_at": now},
        )
        if created or not row.last_viewed_at or now - row.last_viewed_at > VIEW_EVENT_INTERVAL:
            ModuleProgress.objects.filter(pk=row.pk).update(
                last_viewed_at=now, first_viewed_at=Coalesce(F("first_viewed_at"), now)
            )
            summary.note_started(user=user, course_id=course.pk, now=now)
            record_event(user=user, verb=Verb.MODULE_VIEWED, page=module, course=course,
                         context=progress.enrollment.context)
            note_learning_state_changed(user=user)
            changed = True
    if completes_on_view and status.state is not ModuleState.COMPLETE:
        complete_module(user=user, module=module, source=CompletionRule.ON_VIEW)
        changed = True
    return changed


def complete_module(
    *, user: User, module: ModulePage, source: CompletionRule = CompletionRule.MANUAL
) -> bool:
    """Complete ``module`` for ``user``; return True if this call completed it.

    A repeated or concurrent call changes nothing and returns False. Raises
    LearningError when she is not enrolled, the module is locked, or its rule
    wants something else (a quiz pass, its interactive activities) than ``source``.
    Completing a translation of a module completes its canonical module.
    """
    module = canonical_page(module)
    if module.completion_rule == CompletionRule.QUIZ and source != CompletionRule.QUIZ:
        raise LearningError(_("This module is complete when you pass its quiz."), code="rule")
    if module.completion_rule == CompletionRule.ACTIVITIES and source != CompletionRule.ACTIVITIES:
        raise LearningError(
            _("This module is complete when you finish its activities."), code="rule")
    course = CoursePage.objects.parent_of(module).get()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(user=user, course=course, is_active=True).first()
        )
        if enrollment is None:
            raise LearningError(
                _("Enroll in “%(course)s” to record your progress.") % {"course": course.title},
                code="not_enrolled",
            )
        progress = course_progress(user=user, course=course)
        status = progress.status_of(module)
        if status is None:
            raise LearningError(_("This module is not published."), code="not_live")
        if status.state is ModuleState.LOCKED:
            raise LearningError(
                _("Complete “%(module)s” first.") % {"module": status.blocked_by.title},
                code="locked",
            )
        now = timezone.now()
        row, _created = _get_or_create(
            ModuleProgress, user=user, module=module,
            defaults={"course": course, "first_viewed_at": now, "last_viewed_at": now},
        )
        completed = ModuleProgress.objects.filter(pk=row.pk, completed_at__isnull=True).update(
            completed_at=now, first_viewed_at=Coalesce(F("first_viewed_at"), now)
        )
        if not completed:
            return False
        summary.note_started(user=user, course_id=course.pk, now=now)
        record_event(
            user=user, verb=Verb.MODULE_COMPLETED, page=module, course=course,
            context={**enrollment.context, "source": str(source)},
            idempotency_key=f"module_completed:{user.pk}:{module.pk}",
        )
        note_learning_state_changed(user=user)
        _complete_course_if_done(user=user, course=course, enrollment=enrollment, now=now)
    return True


def complete_course_if_done(*, user: User, course: CoursePage) -> bool:
    """Complete the course if every requirement is now met (called by apps whose
    requirements, such as a final assessment, were just fulfilled); True if it did."""
    course = canonical_page(course)
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(user=user, course=course, is_active=True).first()
        )
        if enrollment is None or enrollment.completed_at is not None:
            return False
        return _complete_course_if_done(
            user=user, course=course, enrollment=enrollment, now=timezone.now()
        )


def _complete_course_if_done(*, user: User, course: CoursePage, enrollment: Enrollment,
                             now) -> bool:
    required = ModulePage.objects.child_of(course).live().filter(is_optional=False)
    total = required.count()
    done = ModuleProgress.objects.filter(
        user=user, module__in=required, completed_at__isnull=False
    ).count()
    if not total or done < total or extensions.unmet_requirements(user=user, course=course):
        return False
    if not Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=now
    ):
        return False
    record_event(user=user, verb=Verb.COURSE_COMPLETED, page=course, course=course,
                 context=enrollment.context,
                 idempotency_key=f"course_completed:{user.pk}:{course.pk}")
    note_learning_state_changed(user=user)
    transaction.on_commit(
        lambda: course_completed.send(sender=CoursePage, user=user, course=course,
                                      enrollment=enrollment)
    )
    return True


def _get_or_create(model, *, defaults: dict, **lookup):
    """get_or_create that survives a concurrent insert of the same unique row."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(defaults=defaults, **lookup)
    except IntegrityError:
        return model.objects.get(**lookup), False
