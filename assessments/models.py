"""Assessments owns quizzes, attempts and responses.

Its models arrive with the assessments issue.
"""
