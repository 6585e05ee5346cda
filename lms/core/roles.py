"""The roles, kept as Django groups created by migrations.

A role is a group rather than a flag so that site administrators manage it in
Wagtail's user admin and permissions travel with it. Clinical reviewers approve every
change to a page, quiz or question before learners see it (ADR 0004); educators may
only submit their work for review, never publish it.
"""

from enum import StrEnum


class Role(StrEnum):
    LEARNER = "Learner"
    EDUCATOR = "Educator"
    COHORT_MANAGER = "Cohort manager"
    SITE_ADMINISTRATOR = "Site administrator"
    CLINICAL_REVIEWER = "Clinical reviewers"
