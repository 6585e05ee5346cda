"""Signals courses sends to the apps above it. Each is sent only after the transaction
that caused it has committed (``transaction.on_commit``), and at most once per fact."""

from django.dispatch import Signal

#: A learner completed every required module of a course. Sent with ``user``,
#: ``course`` (CoursePage) and ``enrollment``.
course_completed = Signal()
