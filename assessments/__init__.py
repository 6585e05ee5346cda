"""Assessments: question bank, quizzes, attempts and grading (see the assessments issue)."""
