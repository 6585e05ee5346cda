"""generate_cohort: a realistic cohort the reports can read, the same for the same seed,
never silently doubled."""

import pytest
from django.core.management import CommandError, call_command

from cohorts import reports
from cohorts.models import Cohort
from courses.models import Enrollment, ModuleProgress

pytestmark = pytest.mark.django_db


def generate(*extra):
    call_command("generate_cohort", "--learners=40", "--courses=2", "--modules=3",
                 "--name=Demo cohort", *extra, stdout=open("/dev/null", "w"))  # noqa: SIM115
    cohort = Cohort.objects.get(name="Demo cohort")
    overall, per_course = reports.cohort_figures(
        cohort=cohort, courses=reports.cohort_courses(cohort=cohort))
    return cohort, overall, per_course


def test_generates_a_cohort_the_reports_read():
    cohort, overall, per_course = generate()
    assert cohort.memberships.count() == 40 and len(per_course) == 2
    assert overall.enrolled == 80 == Enrollment.objects.filter(user__cohort_memberships__cohort=
                                                                cohort).count()
    assert 0 < overall.completed < overall.started < overall.enrolled
    assert overall.certificates <= overall.completed
    assert overall.mean_score is not None and overall.mean_score >= 70  # completers passed
    assert overall.gain.learners > 0 and overall.gain.mean_gain > 0
    done = Enrollment.objects.filter(completed_at__isnull=False).first()
    assert ModuleProgress.objects.filter(user=done.user, course=done.course,
                                         completed_at__isnull=False).count() == 3
    scripts = {name[0] for name in cohort.memberships.values_list(
        "user__learner_profile__full_name", flat=True)}
    assert any(not ch.isascii() for ch in scripts)  # not only Latin names


def test_same_seed_same_figures_and_no_silent_doubling():
    _, first, _ = generate("--seed=3")
    with pytest.raises(CommandError, match="--replace"):
        generate("--seed=3")
    _, again, _ = generate("--seed=3", "--replace")
    assert Cohort.objects.filter(name="Demo cohort").count() == 1
    assert (again.enrolled, again.started, again.completed, again.certificates) == (
        first.enrolled, first.started, first.completed, first.certificates)


def test_generated_enrollments_carry_the_summary_the_backfill_would_give():
    from tests.cohorts.report_fixture import fill_summaries

    generate()
    columns = ("user_id", "course_id", "started_at", "first_pretest_score",
               "first_final_score", "best_final_score")
    generated = set(Enrollment.objects.values_list(*columns))
    assert any(row[5] is not None for row in generated)  # scores were written
    fill_summaries()
    assert set(Enrollment.objects.values_list(*columns)) == generated
