"""Fixtures for taking quizzes: an enrolled learner and a module completed by its quiz."""

from dataclasses import dataclass

import pytest

from courses import api as courses_api
from tests import factories


@dataclass
class QuizSetup:
    tree: factories.CourseTree
    module: object
    quiz: object


@pytest.fixture
def quiz_setup(learner):
    """A two-module course; module 1 completes when its quiz (one single-choice question,
    pass mark 70) is passed; the learner is enrolled."""
    tree = factories.make_course_tree(modules=2)
    module = tree.modules[0]
    module.completion_rule = "quiz"
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    return QuizSetup(tree=tree, module=module, quiz=factories.make_quiz(module=module))


RIGHT = {"choice": "c1"}
WRONG = {"choice": "c2"}
