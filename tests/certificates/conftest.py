"""Fixtures for certificates: a learner who completes a course (so the course_completed
signal issues her certificate, immediately under the test tasks backend)."""

import pytest

from courses import api as courses_api
from tests import factories


def complete_course(user, tree) -> None:
    courses_api.enroll(user=user, course=tree.course)
    for module in tree.modules:
        courses_api.complete_module(user=user, module=module)


@pytest.fixture
def tree(db):
    return factories.make_course_tree(modules=2, title="Preventing SJS/TEN", cpd_credit_hours=2)


@pytest.fixture
def completed(learner, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, tree)
    return tree
