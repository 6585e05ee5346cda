"""Cohorts: institutions' groups of learners, bulk CSV enrollment, reminders and reports.

It stands on its own because a cohort is not authored content (courses) nor a result
(assessments, certificates): it is an institution's administrative view across many
courses and many learners. It sits above courses, assessments and certificates (it
reads all of them through their api) and nothing below it may know that cohorts exist.
"""
