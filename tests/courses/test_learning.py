"""The learning path: enrollment, module states, completion rules, course completion, events."""

import datetime

import pytest
from django.utils import timezone

from courses import api
from courses.models import Enrollment, ModuleProgress
from courses.signals import course_completed
from lms.core.models import LearningEvent
from tests import factories

pytestmark = pytest.mark.django_db
Verb = LearningEvent.Verb


def events(user, verb):
    return LearningEvent.objects.filter(user=user, verb=verb)


def test_enrolling_records_one_enrollment_and_an_event(learner, course_tree):
    enrollment = api.enroll(user=learner, course=course_tree.course)
    assert enrollment.is_active
    assert events(learner, Verb.ENROLLED).get().page_id == course_tree.course.pk


def test_enrolling_twice_is_refused_and_changes_nothing(learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    with pytest.raises(api.LearningError, match="already enrolled"):
        api.enroll(user=learner, course=course_tree.course)
    assert Enrollment.objects.count() == 1
    assert events(learner, Verb.ENROLLED).count() == 1


def test_a_course_closed_to_self_enrollment_refuses_learners(learner):
    course = factories.make_course(self_enrollment=False)
    with pytest.raises(api.LearningError, match="programme"):
        api.enroll(user=learner, course=course)
    assert not Enrollment.objects.exists()
    # ...but a cohort can still enroll her (the cohorts issue uses this).
    assert api.enroll(user=learner, course=course, source=Enrollment.Source.COHORT).is_active


def test_enrollment_respects_start_and_end_dates(learner):
    today = timezone.localdate()
    future = factories.make_course(starts_on=today + datetime.timedelta(days=3))
    past = factories.make_course(ends_on=today - datetime.timedelta(days=1))
    with pytest.raises(api.LearningError, match="opens on"):
        api.enroll(user=learner, course=future)
    with pytest.raises(api.LearningError, match="ended"):
        api.enroll(user=learner, course=past)
    assert not Enrollment.objects.exists()


def test_leaving_and_re_enrolling_keeps_progress(learner, course_tree):
    course, first = course_tree.course, course_tree.modules[0]
    api.enroll(user=learner, course=course)
    api.complete_module(user=learner, module=first)
    api.unenroll(user=learner, course=course)
    assert not api.course_progress(user=learner, course=course).is_enrolled
    api.enroll(user=learner, course=course)
    progress = api.course_progress(user=learner, course=course)
    assert progress.is_enrolled
    assert progress.required_complete == 1
    assert Enrollment.objects.count() == 1
    assert [e.verb for e in LearningEvent.objects.filter(user=learner).order_by("pk")] == [
        Verb.ENROLLED, Verb.MODULE_COMPLETED, Verb.UNENROLLED, Verb.ENROLLED]


def test_leaving_a_course_you_are_not_in_is_refused(learner, course_tree):
    with pytest.raises(api.LearningError, match="not enrolled"):
        api.unenroll(user=learner, course=course_tree.course)


def test_completing_a_module_of_a_course_you_are_not_enrolled_in_is_refused(learner, course_tree):
    with pytest.raises(api.LearningError, match="Enroll"):
        api.complete_module(user=learner, module=course_tree.modules[0])
    assert not ModuleProgress.objects.exists()
    assert not LearningEvent.objects.exists()


def test_completing_twice_records_one_completion_and_one_event(learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    module = course_tree.modules[0]
    assert api.complete_module(user=learner, module=module) is True
    assert api.complete_module(user=learner, module=module) is False
    assert ModuleProgress.objects.filter(completed_at__isnull=False).count() == 1
    assert events(learner, Verb.MODULE_COMPLETED).count() == 1


def test_sequential_course_locks_later_modules(learner):
    tree = factories.make_course_tree(modules=3, sequential=True)
    api.enroll(user=learner, course=tree.course)
    states = [s.state for s in api.course_progress(user=learner, course=tree.course).modules]
    assert states == [api.ModuleState.NOT_STARTED, api.ModuleState.LOCKED, api.ModuleState.LOCKED]
    with pytest.raises(api.LearningError, match="Complete “Module 1” first"):
        api.complete_module(user=learner, module=tree.modules[1])
    assert not ModuleProgress.objects.exists()
    api.complete_module(user=learner, module=tree.modules[0])
    states = [s.state for s in api.course_progress(user=learner, course=tree.course).modules]
    assert states == [api.ModuleState.COMPLETE, api.ModuleState.NOT_STARTED, api.ModuleState.LOCKED]


def test_optional_modules_do_not_block_or_count(learner):
    course = factories.make_course(sequential=True)
    first = factories.make_module(course=course)
    extra = factories.make_module(course=course, is_optional=True)
    last = factories.make_module(course=course)
    api.enroll(user=learner, course=course)
    api.complete_module(user=learner, module=first)
    progress = api.course_progress(user=learner, course=course)
    assert progress.status_of(extra).state is api.ModuleState.NOT_STARTED
    assert progress.status_of(last).state is api.ModuleState.NOT_STARTED
    assert (progress.required_complete, progress.required_total) == (1, 2)
    api.complete_module(user=learner, module=last)
    assert api.course_progress(user=learner, course=course).is_complete


def test_course_completes_when_all_required_modules_do(
    learner, course_tree, django_capture_on_commit_callbacks
):
    received = []
    course_completed.connect(lambda **kw: received.append(kw["course"].pk), weak=False,
                             dispatch_uid="test-course-completed")
    try:
        api.enroll(user=learner, course=course_tree.course)
        for module in course_tree.modules[:2]:
            api.complete_module(user=learner, module=module)
        assert not api.course_progress(user=learner, course=course_tree.course).is_complete
        with django_capture_on_commit_callbacks(execute=True):
            api.complete_module(user=learner, module=course_tree.modules[2])
    finally:
        course_completed.disconnect(dispatch_uid="test-course-completed")
    progress = api.course_progress(user=learner, course=course_tree.course)
    assert progress.is_complete and progress.percent == 100
    assert events(learner, Verb.COURSE_COMPLETED).count() == 1
    assert received == [course_tree.course.pk]


def test_course_completed_signal_waits_for_commit(
    learner, course_tree, django_capture_on_commit_callbacks
):
    api.enroll(user=learner, course=course_tree.course)
    for module in course_tree.modules[:2]:
        api.complete_module(user=learner, module=module)
    with django_capture_on_commit_callbacks() as callbacks:
        api.complete_module(user=learner, module=course_tree.modules[2])
    assert len(callbacks) == 1


def test_quiz_rule_module_cannot_be_marked_complete_by_hand(learner):
    course = factories.make_course()
    module = factories.make_module(course=course, completion_rule="quiz")
    api.enroll(user=learner, course=course)
    with pytest.raises(api.LearningError, match="quiz"):
        api.complete_module(user=learner, module=module)
    assert api.complete_module(user=learner, module=module, source="quiz") is True


def test_view_rule_module_completes_when_opened(auth_client, learner):
    course = factories.make_course()
    module = factories.make_module(course=course, completion_rule="view")
    api.enroll(user=learner, course=course)
    auth_client.get(module.url)
    assert api.course_progress(user=learner, course=course).status_of(module).state == "complete"


def test_opening_a_module_marks_it_in_progress_and_records_a_view(
    auth_client, learner, course_tree
):
    api.enroll(user=learner, course=course_tree.course)
    module = course_tree.modules[0]
    auth_client.get(module.url)
    auth_client.get(module.url)  # a second look soon after records no second event
    progress = api.course_progress(user=learner, course=course_tree.course)
    assert progress.status_of(module).state is api.ModuleState.IN_PROGRESS
    assert events(learner, Verb.MODULE_VIEWED).count() == 1


def test_browsing_without_enrolling_records_nothing(auth_client, course_tree):
    auth_client.get(course_tree.modules[0].url)
    assert not ModuleProgress.objects.exists()
    assert not LearningEvent.objects.exists()


def test_resume_is_the_first_unfinished_module(learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    api.complete_module(user=learner, module=course_tree.modules[0])
    api.complete_module(user=learner, module=course_tree.modules[1])
    progress = api.course_progress(user=learner, course=course_tree.course)
    assert progress.resume_module == course_tree.modules[2]


def test_an_extra_requirement_holds_course_completion_until_it_is_met(learner, course_tree):
    from wagtail import hooks

    from courses.extensions import COMPLETION_REQUIREMENTS

    passed_final = []

    def final_assessment(*, user, course):
        return None if passed_final else "Pass the final assessment."

    api.enroll(user=learner, course=course_tree.course)
    with hooks.register_temporarily(COMPLETION_REQUIREMENTS, final_assessment):
        for module in course_tree.modules:
            api.complete_module(user=learner, module=module)
        assert not api.course_progress(user=learner, course=course_tree.course).is_complete
        passed_final.append(True)
        assert api.complete_course_if_done(user=learner, course=course_tree.course) is True
        assert api.complete_course_if_done(user=learner, course=course_tree.course) is False
    assert api.course_progress(user=learner, course=course_tree.course).is_complete
    assert events(learner, Verb.COURSE_COMPLETED).count() == 1


def test_apps_above_can_add_sections_to_module_and_course_pages(client, course_tree):
    from wagtail import hooks

    from courses.extensions import COURSE_SECTIONS, MODULE_SECTIONS

    def quiz(*, request, module, progress):
        return [f"<section>Quiz for {module.title}</section>"]

    def final(*, request, course, progress):
        return ["<section>Final assessment</section>"]

    with hooks.register_temporarily(MODULE_SECTIONS, quiz), \
            hooks.register_temporarily(COURSE_SECTIONS, final):
        assert "<section>Quiz for Module 1</section>" in client.get(
            course_tree.modules[0].url).content.decode()
        assert "<section>Final assessment</section>" in client.get(
            course_tree.course.url).content.decode()
