"""The four roles, kept as Django groups created by a migration.

A role is a group rather than a flag so that site administrators manage it in
Wagtail's user admin and permissions travel with it.
"""

from enum import StrEnum


class Role(StrEnum):
    LEARNER = "Learner"
    EDUCATOR = "Educator"
    COHORT_MANAGER = "Cohort manager"
    SITE_ADMINISTRATOR = "Site administrator"
