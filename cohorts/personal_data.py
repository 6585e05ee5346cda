"""The personal data the cohorts app keeps: memberships, invitations, reminder e-mails, and
the cohorts a manager manages, the files she uploaded and the exports she asked for.
Registered by ``CohortsConfig.ready()``; see lms/core/personal_data.py."""

from django.utils.translation import gettext_lazy as _

from cohorts.models import (
    Cohort,
    CohortExport,
    CohortImport,
    CohortMembership,
    Invitation,
    ReminderBatch,
    ReminderMessage,
)
from lms.core.api import (
    PersonalDataDeclaration,
    detach,
    model_rows,
    register_personal_data,
)


def export(user) -> dict:
    return {
        "cohort_memberships": model_rows(CohortMembership.objects.filter(user=user)),
        "cohort_invitations": model_rows(Invitation.objects.filter(user=user)),
        "cohort_reminders": model_rows(ReminderMessage.objects.filter(user=user)),
        "cohorts_managed": model_rows(Cohort.objects.filter(managers=user),
                                      fields=("id", "name")),
        "cohort_imports_uploaded": model_rows(
            CohortImport.objects.filter(uploaded_by=user),
            fields=("id", "cohort", "original_name", "status", "created_at")),
        "cohort_exports_requested": model_rows(
            CohortExport.objects.filter(requested_by=user),
            fields=("id", "cohort", "format", "status", "created_at")),
    }


def erase(user) -> None:
    ReminderMessage.objects.filter(user=user).delete()
    Invitation.objects.filter(user=user).delete()
    CohortMembership.objects.filter(user=user).delete()
    for cohort in Cohort.objects.filter(managers=user):
        cohort.managers.remove(user)
    detach(CohortImport, "uploaded_by", user)
    detach(ReminderBatch, "sent_by", user)
    detach(CohortExport, "requested_by", user)


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="cohorts",
        models=("cohorts.Cohort", "cohorts.CohortMembership", "cohorts.Invitation",
                "cohorts.ReminderMessage", "cohorts.ReminderBatch", "cohorts.CohortImport",
                "cohorts.CohortExport"),
        export=export,
        erase=erase,
        kept_after_erasure=_(
            "A spreadsheet that listed you stays as your cohort manager left it: the CSV "
            "file she uploaded stays with the cohort's import history, and an export she "
            "made is deleted a few days after it was built. Counts of past reminder mailings "
            "stay."
        ),
    ))
