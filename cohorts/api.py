"""Cohorts' front door: who may see which cohort, and every change to cohorts.

Views, the admin, tasks and management commands call these functions; nothing
else writes cohort models. Permission rule: superusers and Site administrators
see every cohort, a Cohort manager only the cohorts she manages, anyone else none.
A cohort she may not see is reported as missing (``Cohort.DoesNotExist``, a 404),
never as forbidden, so guessing identifiers reveals nothing.
"""

from django.db.models import QuerySet

from cohorts.models import Cohort, CohortImport, CohortMembership, ReminderBatch, ReminderMessage
from lms.core.models import User
from lms.core.roles import Role

__all__ = [
    "Cohort",
    "CohortImport",
    "CohortMembership",
    "ReminderBatch",
    "ReminderMessage",
    "get_visible_cohort",
    "is_site_administrator",
    "may_manage_cohorts",
    "visible_cohorts",
]


def _active(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_site_administrator(*, user: User) -> bool:
    """Superusers and members of the Site administrator group: they see every cohort."""
    if not _active(user):
        return False
    return user.is_superuser or user.groups.filter(name=Role.SITE_ADMINISTRATOR).exists()


def may_manage_cohorts(*, user: User) -> bool:
    """Whether the Cohorts area is open to ``user`` at all."""
    if not _active(user):
        return False
    return user.is_superuser or user.groups.filter(
        name__in=(Role.SITE_ADMINISTRATOR, Role.COHORT_MANAGER)
    ).exists()


def visible_cohorts(*, user: User) -> QuerySet[Cohort]:
    """Every cohort for site administrators, her own for a Cohort manager, else none.

    A manager who has lost the Cohort manager role sees nothing, even the cohorts
    that still list her. Unevaluated, so callers can filter it or use it as a subquery.
    """
    cohorts = Cohort.objects.order_by("name", "pk")
    if is_site_administrator(user=user):
        return cohorts
    if may_manage_cohorts(user=user):
        return cohorts.filter(managers=user)
    return cohorts.none()


def get_visible_cohort(*, user: User, cohort_id: int) -> Cohort:
    """The cohort if ``user`` may see it; raises Cohort.DoesNotExist otherwise (a 404)."""
    return visible_cohorts(user=user).get(pk=cohort_id)
