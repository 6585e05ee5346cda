"""Cohort use cases: create and edit a cohort, add and remove members, enroll them.

Re-exported by cohorts.api; views, tasks and commands import them from there.
Members are enrolled in every assigned course through ``courses.api.enroll_many``
(source "cohort", context ``{"cohort": id}``), which is idempotent: assigning a course
twice, re-adding a member or re-running a task enrolls nobody twice. Removing a
member deletes her membership only; her enrollments and progress stay hers.
"""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cohorts import conf
from cohorts.models import Cohort, CohortMembership
from courses import api as courses_api
from lms.core.api import AuditAction, find_users_by_email, record_audit
from lms.core.models import User


class CohortError(Exception):
    """A request that cannot be carried out; ``str()`` is the message for the manager."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _record_manager_changes(cohort: Cohort, editor: User, before: set[int]) -> None:
    """Managing a cohort gives access to its learners' records: the audit trail records
    each manager named or removed (as a role granted or revoked, for this cohort)."""
    after = set(cohort.managers.values_list("pk", flat=True))
    changed = User.objects.filter(pk__in=before ^ after).order_by("pk")
    for user in changed:
        granted = user.pk in after
        record_audit(actor=editor,
                     action=AuditAction.ROLE_GRANTED if granted else AuditAction.ROLE_REVOKED,
                     target=cohort, subject=user,
                     summary=f"Cohort manager of {cohort.name}",
                     details={"role": "Cohort manager", "cohort_id": cohort.pk,
                              "user": user.email or user.get_username()})


def save_cohort(
    *, cohort: Cohort | None, editor: User, is_site_administrator: bool, name: str,
    organisation: str, country: str, starts_on: datetime.date | None,
    ends_on: datetime.date | None, courses: list, managers: list[User] | None,
) -> Cohort:
    """Create (``cohort=None``) or update a cohort.

    Only a site administrator chooses the managers; a cohort manager who creates a
    cohort becomes its manager and cannot change who manages an existing one.
    Members are enrolled in each newly assigned course (in the background when the
    cohort is large).
    """
    name, organisation = name.strip(), organisation.strip()
    if not name:
        raise CohortError(_("Give the cohort a name."), code="name")
    if starts_on and ends_on and ends_on < starts_on:
        raise CohortError(_("The cohort cannot end before it starts."), code="dates")
    with transaction.atomic():
        cohort = cohort or Cohort()
        is_new = cohort.pk is None
        cohort.name, cohort.organisation, cohort.country = name, organisation, country
        cohort.starts_on, cohort.ends_on = starts_on, ends_on
        cohort.save()
        managers_before = set() if is_new else set(
            cohort.managers.values_list("pk", flat=True))
        if is_site_administrator and managers is not None:
            cohort.managers.set(managers)
        elif is_new:
            cohort.managers.add(editor)
        _record_manager_changes(cohort, editor, managers_before)
        before = set(cohort.courses.values_list("pk", flat=True))
        cohort.courses.set(courses)
        added = [course.pk for course in courses if course.pk not in before]
        if added:
            _enroll_later_or_now(cohort, added)
    return cohort


def _enroll_later_or_now(cohort: Cohort, course_ids: list[int]) -> None:
    if cohort.memberships.count() > conf.sync_enroll_limit():
        from cohorts.tasks import enroll_members_task

        transaction.on_commit(lambda: enroll_members_task.enqueue(cohort.pk, course_ids))
    else:
        enroll_members(cohort=cohort, course_ids=course_ids)


def enroll_members(*, cohort: Cohort, course_ids: list[int] | None = None,
                   user_ids: list[int] | None = None) -> int:
    """Enroll the cohort's members (or ``user_ids`` among them) in its assigned courses
    (or ``course_ids`` among them); returns the number of new enrollments."""
    courses = cohort.courses.all()
    if course_ids is not None:
        courses = courses.filter(pk__in=course_ids)
    members = cohort.memberships.values_list("user_id", flat=True)
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    member_ids = list(members)
    return sum(
        courses_api.enroll_many(user_ids=member_ids, course=course,
                                source=courses_api.Enrollment.Source.COHORT,
                                context={"cohort": cohort.pk})
        for course in courses
    )


def add_member(*, cohort: Cohort, email: str) -> CohortMembership:
    """Add the learner who has this address and enroll her in the cohort's courses.

    Only existing accounts are added here; new people are invited with a CSV file.
    Raises CohortError when nobody has the address or she is already a member.
    """
    address = email.strip().lower()
    user = find_users_by_email(emails=[address]).get(address)
    if user is None:
        raise CohortError(_("No one has an Allele account with the address %(email)s. To "
                            "invite new people, upload a CSV file.") % {"email": address},
                          code="unknown")
    with transaction.atomic():
        membership, created = CohortMembership.objects.get_or_create(
            cohort=cohort, user=user, defaults={"source": CohortMembership.Source.MANUAL}
        )
        if not created:
            raise CohortError(_("%(email)s is already a member of this cohort.")
                              % {"email": address}, code="member")
        enroll_members(cohort=cohort, user_ids=[user.pk])
    return membership


def remove_member(*, cohort: Cohort, user_id: int) -> None:
    """Take a learner out of the cohort. Her enrollments and progress are kept (she may
    go on learning); she no longer appears in the cohort's lists and reports."""
    deleted, _rows = CohortMembership.objects.filter(cohort=cohort, user_id=user_id).delete()
    if not deleted:
        raise CohortError(_("That learner is not a member of this cohort."), code="not_member")


def list_members(*, cohort: Cohort, search: str = "") -> QuerySet[CohortMembership]:
    """The cohort's memberships with their learner and profile, by name, optionally
    those whose name or e-mail contains ``search``."""
    memberships = (cohort.memberships.select_related("user", "user__learner_profile")
                   .order_by("user__learner_profile__full_name", "user__email", "pk"))
    search = search.strip()
    if search:
        memberships = memberships.filter(
            Q(user__email__icontains=search)
            | Q(user__learner_profile__full_name__icontains=search)
        )
    return memberships
