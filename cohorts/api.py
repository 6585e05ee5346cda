"""Cohorts' front door: who may see which cohort, and every change to cohorts.

Views, the admin, tasks and management commands call these functions; nothing
else writes cohort models. Permission rule: superusers and Site administrators
see every cohort, a Cohort manager only the cohorts she manages, anyone else none.
A cohort she may not see is reported as missing (``Cohort.DoesNotExist``, a 404),
never as forbidden, so guessing identifiers reveals nothing.
"""

from django.db.models import QuerySet
from django.utils import timezone

from cohorts import export_jobs
from cohorts.export_jobs import purge_expired_exports, run_export
from cohorts.imports import retry_import, run_import, start_import
from cohorts.invitations import invitation_url, send_invitations
from cohorts.membership import (
    CohortError,
    add_member,
    enroll_members,
    list_members,
    remove_member,
    save_cohort,
)
from cohorts.models import (
    Cohort,
    CohortExport,
    CohortImport,
    CohortMembership,
    Invitation,
    ReminderBatch,
    ReminderMessage,
)
from cohorts.reminders import (
    default_text,
    expected_share,
    reminder_candidates,
    reminder_history,
    schedule_times,
    send_due_messages,
    send_reminders,
)
from cohorts.reports import NO_FILTERS, ReportFilters
from lms.core.models import User
from lms.core.roles import Role

__all__ = [
    "Cohort",
    "CohortError",
    "CohortExport",
    "CohortImport",
    "CohortMembership",
    "Invitation",
    "ReminderBatch",
    "ReminderMessage",
    "add_member",
    "default_text",
    "enroll_members",
    "expected_share",
    "export_for_download",
    "get_cohort_import",
    "get_export",
    "get_visible_cohort",
    "invitation_url",
    "is_site_administrator",
    "list_members",
    "may_manage_cohorts",
    "purge_expired_exports",
    "recent_exports",
    "reminder_candidates",
    "reminder_history",
    "remove_member",
    "request_export",
    "retry_import",
    "run_export",
    "run_import",
    "save_cohort",
    "schedule_times",
    "send_due_messages",
    "send_invitations",
    "send_reminders",
    "start_import",
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


def get_cohort_import(*, user: User, cohort_id: int, import_id: int) -> CohortImport:
    """One import of a cohort ``user`` may see; raises CohortImport.DoesNotExist (a 404)
    for an import of any other cohort, so import ids cannot be guessed across cohorts."""
    return CohortImport.objects.select_related("cohort").get(
        pk=import_id, cohort__in=visible_cohorts(user=user).filter(pk=cohort_id)
    )


def request_export(*, user: User, cohort: Cohort, fmt: str, course=None,
                   filters: ReportFilters = NO_FILTERS) -> CohortExport:
    """Queue an export of ``cohort`` (or of one of its courses) as "csv" or "xlsx" with the
    dashboard's ``filters``; the same request repeated (a double click, a retry) while it
    is queued or running, or just after it finished, returns that same export.

    Raises Cohort.DoesNotExist if ``user`` may not see the cohort (a 404) and CohortError
    for an unknown format or a course not assigned to the cohort.
    """
    visible = get_visible_cohort(user=user, cohort_id=cohort.pk)
    return export_jobs.request_export(requested_by=user, cohort=visible, fmt=fmt,
                                      course=course, filters=filters)


def _visible_exports(user: User) -> QuerySet[CohortExport]:
    return CohortExport.objects.select_related("cohort", "course", "requested_by").filter(
        cohort__in=visible_cohorts(user=user).order_by().values("pk"))


def get_export(*, user: User, cohort_id: int, export_id: int) -> CohortExport:
    """One export of a cohort ``user`` may see, in any state; raises
    CohortExport.DoesNotExist (a 404) for an export of any other cohort."""
    return _visible_exports(user).get(pk=export_id, cohort_id=cohort_id)


def export_for_download(*, user: User, export_id: int) -> CohortExport:
    """A finished export whose file is still kept, of a cohort ``user`` may see; raises
    CohortExport.DoesNotExist (a 404) otherwise."""
    export = _visible_exports(user).get(pk=export_id)
    if not export.is_available(now=timezone.now()):
        raise CohortExport.DoesNotExist
    return export


def recent_exports(*, user: User, cohort: Cohort, limit: int = 10) -> list[CohortExport]:
    """The cohort's latest exports (by any of its managers), newest first."""
    return list(_visible_exports(user).filter(cohort=cohort)
                .order_by("-created_at", "-pk")[:limit])
